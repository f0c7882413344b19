// Harmony plans the Leontief dual cannot split (capital stocks link the periods): the piecewise-linear LP
// solved with breakpoints of its own for every target, moved towards the optimum stage by stage in one
// warm-started HiGHS model, until the certified gap to the true concave optimum is below the tolerance.
//
// Why. The formulation's LP spaces its breakpoints over the whole range [−1, sMax] so that every piece errs
// by at most maxError, which takes ~31 segment columns per target (155,000 at 1,000 industries × 5 years)
// and leaves a gap of up to maxError per target. Only the pieces around each target's optimal fulfilment
// matter. So: stage 1 solves with a coarse grid (a few pieces per target); every later stage puts most of
// the target's columns on a fine uniform grid around the fulfilment just found (the spacing shrinks each
// stage) and keeps the coarse grid elsewhere, so the optimum can still move. Changing breakpoints only
// changes segment columns' costs and bounds: the matrix stays, and HiGHS restarts from its last basis.
//
// Certificate (harmony-pwl.ts): with the optimal duals p of the balance rows, the true optimum is at most
// the LP value plus Σ w·[H*(q/w) − S*_target(q/w)], q = p·target, computed with each target's own pieces;
// the plan is feasible in the true problem and its true harmony (recomputed, capped at sMax) is a lower
// bound. The method stops when the two are within `tolerance` relative.
import { harmony } from '../../numeric/harmony/harmony';
import { harmonyCuts } from '../../numeric/harmony/harmony-cuts';
import { harmonyConjugateGap } from '../../numeric/harmony/harmony-pwl';
import { loadHighsInstance } from '../../numeric/lp/highs-instance';
import { iterationsOf, statusOf, toModelData } from '../../numeric/lp/highs-solver';
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from '../../numeric/lp/lp';
import { lpResiduals } from '../../numeric/lp/lp-residuals';
import { pointActivity, solutionWithoutPoint } from '../../numeric/lp/lp-solution';
import type { PlanFormulation } from '../formulation/plan-index';

export const HARMONY_REFINE = 'harmony-refine';

/** Default relative gap to the true optimum at which the refinement stops. */
export const HARMONY_REFINE_TOLERANCE = 1e-6;
/** Error of the coarse grid of stage 1 (≈ 8 pieces over [−1, 4]). */
const COARSE_ERROR = 0.05;
/** Each stage divides the fine spacing by this much (unless the optimum moved to the window's edge). */
const SHRINK = 5;
const MAX_STAGES = 12;

export type HarmonyRefineVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The method needs a harmony LP (not the elastic one) whose periods capital stocks link, with enough segment
 * columns per target to move.
 */
export function harmonyRefineApplies(f: PlanFormulation): HarmonyRefineVerdict {
  if (f.plan.objective !== 'harmony') return { ok: false, reason: `the objective is ${f.plan.objective}` };
  if (f.index.elastic || f.pieces === null) return { ok: false, reason: 'the elastic programme is an LP' };
  if (f.index.harmonyTarget.length === 0) return { ok: false, reason: 'no target has a harmony term' };
  // Without stocks the LP falls apart by period and is solved part by part (lp-components.ts); this
  // solver takes the whole LP at once, which only pays where stocks link the periods anyway.
  if (f.plan.stocks.product.length === 0)
    return { ok: false, reason: 'no capital stocks: the LP is solved period by period' };
  const coarse = coarsePoints(f.plan.harmonyMaxSurplus).length;
  if (f.index.segmentsPerTarget < coarse + 4)
    return { ok: false, reason: 'harmony.maxError is too coarse to leave columns for refinement' };
  return { ok: true };
}

function coarsePoints(sMax: number): Float64Array {
  return harmonyCuts({ maxError: COARSE_ERROR, sMin: -1, sMax }).points;
}

/** Fine points on each side of s: the coarse grid and the 2·half + 1 window fit in the budget. */
function windowHalf(budget: number, coarse: number): number {
  return Math.max(1, Math.floor((budget - coarse - 1) / 2));
}

/**
 * Breakpoints for one target: the coarse grid, plus a uniform grid of spacing h around s (as many points as
 * `budget` allows), ascending and distinct, from −1 to sMax.
 */
export function refinedPoints(coarse: Float64Array, s: number, h: number, budget: number): number[] {
  const sMin = coarse[0]!;
  const sMax = coarse[coarse.length - 1]!;
  const half = windowHalf(budget, coarse.length);
  const lo = s - half * h;
  const hi = s + half * h;
  const pts: number[] = [];
  for (const c of coarse) if (c < lo || c > hi || c === sMin || c === sMax) pts.push(c);
  for (let j = -half; j <= half; j++) {
    const p = s + j * h;
    if (p > sMin && p < sMax) pts.push(p);
  }
  pts.sort((a, b) => a - b);
  const out: number[] = [];
  for (const p of pts) if (out.length === 0 || p - out[out.length - 1]! > 1e-12) out.push(p);
  return out;
}

/**
 * An LpSolver for `formulation.lp` where `harmonyRefineApplies`; any other LP goes to `fallback`. Answers
 * with the formulation's own segment columns refilled, and the certified upper bound (objectiveBound).
 */
export function harmonyRefineSolver(formulation: PlanFormulation, fallback: LpSolver): LpSolver {
  return {
    name: HARMONY_REFINE,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      if (lp !== formulation.lp || !harmonyRefineApplies(formulation).ok) return fallback.solve(lp, options);
      return solveByRefinement(formulation, options);
    },
  };
}

async function solveByRefinement(f: PlanFormulation, options: SolveOptions): Promise<LpSolution> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const { lp, plan, index: ix } = f;
  const K = ix.segmentsPerTarget;
  const targets = ix.harmonyTarget;
  const nQ = targets.length;
  const nP = ix.nP;
  const sMax = plan.harmonyMaxSurplus;
  const tolerance = options.tolerance ?? HARMONY_REFINE_TOLERANCE;
  const weightOf = (i: number) => plan.harmonyWeight?.[i % nP] ?? 1;
  const first = ix.segmentStart;
  const last = first + nQ * K - 1;
  const coarse = coarsePoints(sMax);
  // Per target, its current breakpoints (K + 1 of them at most).
  const firstGrid = f.pieces!.points;
  const points: number[][] = Array.from({ length: nQ }, () => Array.from(firstGrid));
  const spacing = new Float64Array(nQ);
  const centre = new Float64Array(nQ);
  const cost = new Float64Array(nQ * K);
  const upper = new Float64Array(nQ * K);
  const segmentsOf = () => {
    for (let q = 0; q < nQ; q++) {
      const i = targets[q]!;
      const t = plan.targets[i]!;
      const w = weightOf(i);
      const pts = points[q]!;
      for (let k = 0; k < K; k++) {
        const c = q * K + k;
        if (k + 1 < pts.length) {
          const width = pts[k + 1]! - pts[k]!;
          upper[c] = width * t;
          cost[c] = (w * (harmony(pts[k + 1]!) - harmony(pts[k]!))) / (width * t);
        } else {
          upper[c] = 0; // an unused column: presolve drops it
          cost[c] = 0;
        }
      }
    }
  };
  segmentsOf();
  const work: LinearProgram = {
    ...lp,
    objective: Float64Array.from(lp.objective),
    colUpper: Float64Array.from(lp.colUpper),
  };
  work.objective.set(cost, first);
  work.colUpper.set(upper, first);

  const highs = await loadHighsInstance();
  const model = highs.createModel(toModelData(highs, work));
  let iterations = 0;
  try {
    model.options.set({ output_flag: false });
    let best: { x: Float64Array; rowDual: Float64Array; primal: number; bound: number } | null = null;
    for (let stage = 0; stage < MAX_STAGES; stage++) {
      if (options.signal?.aborted)
        return solutionWithoutPoint(
          lp,
          'cancelled',
          'aborted by signal',
          HARMONY_REFINE,
          seconds(),
          iterations,
        );
      if (options.timeLimitSeconds !== undefined) {
        const left = options.timeLimitSeconds - seconds();
        if (left <= 0) break;
        model.options.set('time_limit', left);
      }
      const code = model.run().modelStatus;
      iterations += iterationsOf(model);
      const status = statusOf(highs, code);
      if (status !== 'optimal') {
        if (best !== null) break; // keep the last certified plan
        return solutionWithoutPoint(
          lp,
          status,
          `HiGHS model status ${code} at stage ${stage + 1}`,
          HARMONY_REFINE,
          seconds(),
          iterations,
        );
      }
      const sol = model.getSolution();
      const x = Float64Array.from(sol.colValue);
      const rowDual = Float64Array.from(sol.rowDual);
      // The plan's true harmony (net output from the balance rows, capped at sMax), and the certificate.
      let primal = 0;
      let bound = model.getObjectiveValue();
      const s = new Float64Array(nQ);
      for (let q = 0; q < nQ; q++) {
        const i = targets[q]!;
        const t = plan.targets[i]!;
        const w = weightOf(i);
        let filled = 0;
        for (let k = 0; k < K; k++) filled += x[first + q * K + k]!;
        const net = sol.rowValue[i]! + filled;
        s[q] = Math.min((net - t) / t, sMax);
        primal += w * harmony(s[q]!);
        const price = Math.max(0, -rowDual[i]!) * t;
        if (w > 0) bound += w * harmonyConjugateGap(piecesOf(points[q]!), price / w);
      }
      if (best === null || bound - primal < best.bound - best.primal) best = { x, rowDual, primal, bound };
      options.onProgress?.({
        iteration: iterations,
        message: `stage ${stage + 1}: harmony ${primal.toFixed(6)}, certified gap ${(bound - primal).toExponential(2)}`,
      });
      if (bound - primal <= tolerance * Math.max(1, Math.abs(primal))) break;
      // Move each target's fine grid to where its fulfilment is now.
      const half = windowHalf(K + 1, coarse.length);
      for (let q = 0; q < nQ; q++) {
        const sq = Math.max(-1, s[q]!);
        if (stage === 0) {
          // The first window spans the pieces of stage 1 on both sides of the fulfilment found.
          spacing[q] = (2 * widestNeighbour(firstGrid, sq)) / Math.max(1, half);
        } else if (Math.abs(sq - centre[q]!) < (half - 1) * spacing[q]!) {
          // Shrink unless the optimum reached the edge of the window (it may lie beyond it).
          spacing[q] = spacing[q]! / SHRINK;
        }
        centre[q] = sq;
        points[q] = refinedPoints(coarse, sq, spacing[q]!, K + 1);
      }
      segmentsOf();
      model.changeColsCost({ kind: 'range', from: first, to: last }, cost);
      model.changeColsBounds({ kind: 'range', from: first, to: last }, new Float64Array(nQ * K), upper);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    if (best === null)
      return solutionWithoutPoint(
        lp,
        'time-limit',
        'no stage finished',
        HARMONY_REFINE,
        seconds(),
        iterations,
      );
    return answer(f, best, iterations, seconds());
  } finally {
    model.dispose();
  }

  function piecesOf(pts: number[]) {
    const p = Float64Array.from(pts);
    return { points: p, values: p.map(harmony), errorBound: 0 };
  }
}

/** The wider of the two coarse pieces around s. */
function widestNeighbour(coarse: Float64Array, s: number): number {
  let k = 0;
  while (k + 1 < coarse.length - 1 && coarse[k + 1]! <= s) k++;
  const here = coarse[k + 1]! - coarse[k]!;
  const before = k > 0 ? coarse[k]! - coarse[k - 1]! : 0;
  const after = k + 2 < coarse.length ? coarse[k + 2]! - coarse[k + 1]! : 0;
  return Math.max(here, before, after);
}

/**
 * The LpSolution for the formulation's LP: the stage's plan with the formulation's own segment columns
 * refilled in order up to the same net output (so every row keeps its activity), its objective recomputed,
 * and the certified bound on the true optimum.
 */
function answer(
  f: PlanFormulation,
  best: { x: Float64Array; rowDual: Float64Array; primal: number; bound: number },
  iterations: number,
  seconds: number,
): LpSolution {
  const { lp, plan, index: ix, pieces } = f;
  const K = ix.segmentsPerTarget;
  const x = best.x;
  for (let q = 0; q < ix.harmonyTarget.length; q++) {
    const t = plan.targets[ix.harmonyTarget[q]!]!;
    let left = 0;
    for (let k = 0; k < K; k++) left += x[ix.segmentStart + q * K + k]!;
    for (let k = 0; k < K; k++) {
      const width = (pieces!.points[k + 1]! - pieces!.points[k]!) * t;
      const fill = Math.min(width, left);
      x[ix.segmentStart + q * K + k] = fill;
      left -= fill;
    }
  }
  const { objective, rowActivity, colDual } = pointActivity(lp, x, best.rowDual);
  const gap = Math.max(0, best.bound - best.primal) / Math.max(1, Math.abs(best.primal));
  const res = lpResiduals(lp, x, best.rowDual);
  return {
    status: 'optimal',
    message: `harmony by refined breakpoints: certified relative gap ${gap.toExponential(1)}`,
    objective,
    objectiveBound: best.bound,
    x,
    rowDual: best.rowDual,
    colDual,
    rowActivity,
    iterations,
    residual: Math.max(res.primal, gap),
    seconds,
    solver: HARMONY_REFINE,
  };
}
