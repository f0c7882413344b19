// Replanning by technique choice. First the cheap exact test: is the previous primal–dual pair still optimal
// for the changed plan, with the same labour values (a change to a technique that is not run and stays dearer
// than the one that is, a limit that does not bind and stays met)? Then nothing moves, and checking costs
// two passes over the matrix.
// Otherwise the changed plan is solved from the previous values, skill price and outputs, so the value and
// balance solves start next to their answers.
import type { LinearProgram, LpSolution, LpSolver } from '../../numeric/lp/lp';
import type { PlanFormulation } from '../formulation/plan-index';
import { mapWarmStart, sameLayout } from '../formulation/replan';
import { solveFormulation } from '../formulation/solve-plan';
import type { PlanOutcome, SolvePlanOptions } from '../formulation/solve-plan';
import { fastPathApplies } from './fast-path';
import { solutionOfPair, TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';

/** Residuals below this count as exact whatever the previous solve reached (rounding in the sums). */
const RESIDUAL_FLOOR = 1e-12;
/**
 * The pair may measure up to this factor worse in the changed LP: the residuals are relative to 1 + ‖c‖
 * (lp-residuals.ts), so a cheaper technique alone makes the same violations measure larger (at 10⁵ products
 * a technology not run made 20% cheaper raised the dual residual from 3.159803763e-11 to 3.159804244e-11 and
 * sent that replan to a solve). A violation the change made is far larger than this factor covers.
 */
const RESIDUAL_GROWTH = 2;

/**
 * The previous solution as the changed plan's answer when it still is one: its residuals in the changed LP
 * (primal feasibility, reduced costs, duality gap) are at most RESIDUAL_GROWTH times what they were in the
 * previous LP, so it is optimal to about the accuracy the previous solve reached. Null when the plans differ in shape or anything moved.
 */
export function stillOptimal(
  prev: Pick<PlanOutcome, 'formulation' | 'solution'>,
  next: PlanFormulation,
): LpSolution | null {
  const started = performance.now();
  const s = prev.solution;
  if (s.status !== 'optimal' || !sameLayout(prev.formulation, next)) return null;
  const bound = Math.max(RESIDUAL_GROWTH * s.residual, RESIDUAL_FLOOR);
  // A change that makes a technique cheaper than its product's value shows in its own column: refused
  // there, without the full pass (which a plan that still holds pays once, below).
  if (changedColumnsViolate(prev.formulation.lp, next.lp, s.rowDual, bound)) return null;
  // The full check, in one pass with the answer's activities and reduced costs.
  const solution = solutionOfPair(
    next.lp,
    s.x,
    s.rowDual,
    'the previous plan is still optimal: no technique became cheaper and every limit still holds',
    0,
    (performance.now() - started) / 1000,
  );
  if (solution.residual > bound) return null;
  // The same choices answer the changed plan: a later replan starts from them too (no period was solved).
  const kept = s.solverState?.techniqueChoice;
  if (kept !== undefined)
    solution.solverState = { techniqueChoice: { ...kept, starts: kept.starts.map(() => 'none' as const) } };
  return valuesStillHold(next, s, solution) ? solution : null;
}

/**
 * True when a column whose cost or coefficients differ between the two LPs (same matrix structure) has, at the
 * previous duals, a reduced cost that alone makes the dual residual (lp-residuals.ts: violations over
 * 1 + ‖c‖₂) exceed `bound`: a lower bound of the full residual, so a true answer here is exact. False
 * whenever it cannot tell (another structure: the full check decides).
 */
export function changedColumnsViolate(
  before: LinearProgram,
  after: LinearProgram,
  rowDual: Float64Array,
  bound: number,
): boolean {
  const m = after.matrix;
  const old = before.matrix;
  if (m.colStart !== old.colStart || m.rowIndex !== old.rowIndex || before.sense !== after.sense)
    return false;
  const sign = after.sense === 'max' ? -1 : 1;
  const scale = 1 + Math.sqrt(squaredNorm(after.objective));
  return Math.sqrt(changedViolation(before, after, rowDual, sign)) / scale > bound;
}

/** Σ v². Its own function, as the pass below: one loop per function keeps V8's compiled code across replans. */
function squaredNorm(v: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < v.length; j++) sum += v[j]! * v[j]!;
  return sum;
}

/** Σ r² over the changed columns whose reduced cost r at the old duals has a sign no finite bound supports. */
function changedViolation(
  before: LinearProgram,
  after: LinearProgram,
  rowDual: Float64Array,
  sign: number,
): number {
  const m = after.matrix;
  const old = before.matrix;
  const sameValues = m.values === old.values;
  let violation2 = 0;
  for (let j = 0; j < m.cols; j++) {
    let changed = after.objective[j] !== before.objective[j];
    if (!changed && !sameValues)
      for (let k = m.colStart[j]!; k < m.colStart[j + 1]! && !changed; k++)
        changed = m.values[k] !== old.values[k];
    if (!changed) continue;
    let r = sign * after.objective[j]!;
    for (let k = m.colStart[j]!; k < m.colStart[j + 1]!; k++)
      r -= m.values[k]! * sign * rowDual[m.rowIndex[k]!]!;
    if ((r > 0 && !Number.isFinite(after.colLower[j]!)) || (r < 0 && !Number.isFinite(after.colUpper[j]!)))
      violation2 += r * r;
  }
  return violation2;
}

/** A technique's reduced cost within this share of its product's value counts as the cheapest. */
const TIGHT = 1e-9;

/**
 * Technique choice reports labour values (the cheapest full cost of each product) also for products nothing
 * needs, where the LP's price is not unique. The old values are still those values when every product keeps
 * a technique whose reduced cost is zero (as close to zero as before, or within TIGHT of its value): a dearer
 * sole technique of an unneeded product fails this.
 */
function valuesStillHold(next: PlanFormulation, before: LpSolution, after: LpSolution): boolean {
  const { nP, nT, periods } = next.index;
  const tightness = (s: LpSolution) => {
    const tight = new Float64Array(nP * periods).fill(Infinity);
    for (let t = 0; t < periods; t++)
      for (let j = 0; j < nT; j++) {
        const at = t * nP + next.plan.techProduct[j]!;
        tight[at] = Math.min(tight[at]!, Math.abs(s.colDual[t * nT + j]!));
      }
    return tight;
  };
  const was = tightness(before);
  const is = tightness(after);
  for (let i = 0; i < is.length; i++)
    if (!(is[i]! <= Math.max(was[i]!, TIGHT * Math.max(1, Math.abs(after.rowDual[i]!))))) return false;
  return true;
}

/**
 * Solves `next` (the changed plan, built or patched) by technique choice, warm-started from `prev` when it
 * was optimal; `fallback` explains an infeasible result, as in solveFormulation.
 */
export async function replanByTechniqueChoice(
  prev: Pick<PlanOutcome, 'formulation' | 'solution'>,
  next: PlanFormulation,
  fallback: LpSolver,
  options: SolvePlanOptions = {},
): Promise<PlanOutcome> {
  const solver = techniqueChoiceSolver(next, fallback);
  if (prev.solution.status !== 'optimal') return solveFormulation(next, solver, options);
  const unchanged = fastPathApplies(next.plan).ok ? stillOptimal(prev, next) : null;
  if (unchanged !== null) {
    const reuse: LpSolver = {
      name: TECHNIQUE_CHOICE,
      solve: (lp, o) => (lp === next.lp ? Promise.resolve(unchanged) : solver.solve(lp, o)),
    };
    return solveFormulation(next, reuse, options);
  }
  return solveFormulation(next, solver, { ...options, warmStart: mapWarmStart(prev, next) });
}
