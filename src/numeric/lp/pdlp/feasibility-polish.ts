// Feasibility polishing (Applegate et al., PDLP 2025, §"feasibility polishing"): near the optimum PDHG's gap is
// small long before both residuals are, and PDHG on a *feasibility* problem converges far faster than on the LP.
// So from the current iterate we run restarted Halpern PDHG on
//   - the dual feasibility problem: the same LP with every finite bound set to 0 (its feasible duals are exactly
//     the LP's, and its optimal primal is x = 0), started from (0, y): it moves y to the nearest dual-feasible
//     point in PDHG's metric, so the dual objective, and with it the gap, barely moves;
//   - the primal feasibility problem: the same LP with a zero cost, started from (x, 0): likewise for x.
// The polished pair is accepted only when the original LP's three relative criteria all pass (measureIterate),
// so polishing never lowers the bar; it only finds a point that meets it sooner.
import { measureIterate, relativeError, type IterateMeasure } from './convergence';
import { halpernMix, spectralNorm } from './halpern';
import { copyIterate, lastStep, newIterate, step, type Iterate } from './pdhg';
import type { ScaledProblem } from './scaled-problem';
import { multiplyCompressed } from './sparse-multiply';

const SUFFICIENT = 0.2;
const NECESSARY = 0.8;
const ARTIFICIAL = 0.36;
const STEP_FRACTION = 0.95;
const CHECK_EVERY = 32;

/** Activity within this fraction of the iterate's largest entry (plus one) counts as at its bound. */
const ACTIVE_WITHIN = Number(process.env.ACTIVE_WITHIN ?? 1e-6);

function largest(a: Float64Array): number {
  let m = 0;
  for (const v of a) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * The feasibility problem of one side, restricted to points complementary to the other side's iterate, so that a
 * feasible point of it closes the gap as well (the gap is the sum of complementarity products):
 *   - 'dual', given x: finite bounds become 0 (the recession cone, whose dual feasible set is the LP's); a column
 *     strictly between its bounds becomes free (so its reduced cost must be 0) and a row strictly between its bounds
 *     has none (so its dual must be 0); the optimal primal is x = 0, and PDHG moves y to a dual-feasible point;
 *   - 'primal', given y: a zero cost; a column whose reduced cost is clearly positive (negative) is fixed at its
 *     lower (upper) bound, and a row whose dual is clearly positive (negative) at its lower (upper) bound.
 * "Strictly" and "clearly" mean beyond ACTIVE_WITHIN of the vector's largest entry.
 */
export function feasibilityProblem(p: ScaledProblem, side: 'primal' | 'dual', other: Iterate): ScaledProblem {
  const n = p.cols;
  const m = p.rows;
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  if (side === 'dual') {
    const dx = ACTIVE_WITHIN * (1 + largest(other.x));
    const da = ACTIVE_WITHIN * (1 + largest(other.ax));
    const cone = (v: number, atBound: boolean, infinite: number) => (atBound ? (Number.isFinite(v) ? 0 : v) : infinite);
    for (let j = 0; j < n; j++) {
      const x = other.x[j] as number;
      const lo = p.colLower[j] as number;
      const hi = p.colUpper[j] as number;
      const plainCols = process.env.POLISH_COLS === 'cone';
      colLower[j] = cone(lo, plainCols || x - lo <= dx, Number.NEGATIVE_INFINITY);
      colUpper[j] = cone(hi, plainCols || hi - x <= dx, Number.POSITIVE_INFINITY);
    }
    for (let i = 0; i < m; i++) {
      const a = other.ax[i] as number;
      const lo = p.rowLower[i] as number;
      const hi = p.rowUpper[i] as number;
      rowLower[i] = cone(lo, a - lo <= da, Number.NEGATIVE_INFINITY);
      rowUpper[i] = cone(hi, hi - a <= da, Number.POSITIVE_INFINITY);
    }
    return { ...p, colLower, colUpper, rowLower, rowUpper };
  }
  const dr = ACTIVE_WITHIN * (1 + largest(p.cost));
  const dy = ACTIVE_WITHIN * (1 + largest(other.y));
  for (let j = 0; j < n; j++) {
    const r = (p.cost[j] as number) - (other.aty[j] as number);
    const lo = p.colLower[j] as number;
    const hi = p.colUpper[j] as number;
    colLower[j] = r < -dr && Number.isFinite(hi) ? hi : lo;
    colUpper[j] = r > dr && Number.isFinite(lo) ? lo : hi;
  }
  for (let i = 0; i < m; i++) {
    const y = other.y[i] as number;
    const lo = p.rowLower[i] as number;
    const hi = p.rowUpper[i] as number;
    rowLower[i] = y < -dy && Number.isFinite(hi) ? hi : lo;
    rowUpper[i] = y > dy && Number.isFinite(lo) ? lo : hi;
  }
  return { ...p, cost: new Float64Array(n), colLower, colUpper, rowLower, rowUpper };
}

const stepCache = new WeakMap<ScaledProblem, number>();

/** PDHG's constant step 0.95/‖A'‖₂, computed once per scaled problem. */
export function constantStep(p: ScaledProblem): number {
  let eta = stepCache.get(p);
  if (eta === undefined) {
    const sigmaMax = spectralNorm(p);
    eta = sigmaMax > 0 ? STEP_FRACTION / sigmaMax : 1;
    stepCache.set(p, eta);
  }
  return eta;
}

/**
 * Restarted Halpern PDHG on `q` from `z` (modified in place, products included) for at most `budget` iterations;
 * every CHECK_EVERY iterations `accept(t)` is asked about the latest PDHG output t, and the first one accepted is
 * copied into z and true returned. The step η is that of the original problem (q has the same matrix).
 */
export function polishRun(
  q: ScaledProblem,
  z: Iterate,
  eta: number,
  omega: number,
  budget: number,
  accept: (t: Iterate) => boolean,
): { accepted: boolean; iterations: number } {
  const n = q.cols;
  const m = q.rows;
  const t = newIterate(n, m);
  const anchor = newIterate(n, m);
  copyIterate(z, anchor);
  let sinceRestart = 0;
  let residualAtRestart = Number.NaN;
  let previousResidual = Number.POSITIVE_INFINITY;
  for (let k = 1; k <= budget; k++) {
    step(q, z, t, eta, omega);
    const residual = Math.sqrt(
      Math.max(0, (omega * lastStep.dx2 + lastStep.dy2 / omega) / eta - 2 * lastStep.interaction),
    );
    if (Number.isNaN(residualAtRestart)) residualAtRestart = residual;
    sinceRestart++;
    if (k % CHECK_EVERY === 0) {
      if (accept(t)) {
        copyIterate(t, z);
        return { accepted: true, iterations: k };
      }
      const restart =
        residual <= SUFFICIENT * residualAtRestart ||
        (residual <= NECESSARY * residualAtRestart && residual > previousResidual) ||
        sinceRestart >= ARTIFICIAL * k;
      previousResidual = residual;
      if (restart) {
        copyIterate(t, z);
        copyIterate(t, anchor);
        sinceRestart = 0;
        residualAtRestart = Number.NaN;
        previousResidual = Number.POSITIVE_INFINITY;
        continue;
      }
    }
    const lambda = sinceRestart / (sinceRestart + 1);
    halpernMix(z.x, t.x, anchor.x, lambda);
    halpernMix(z.y, t.y, anchor.y, lambda);
    halpernMix(z.ax, t.ax, anchor.ax, lambda);
    halpernMix(z.aty, t.aty, anchor.aty, lambda);
  }
  return { accepted: false, iterations: budget };
}

export interface PolishResult {
  /** The polished pair (scaled space, products cached) when it meets the tolerance on the original LP. */
  point?: Iterate;
  measure: IterateMeasure;
  iterations: number;
}

/**
 * Polishes `from` (an iterate of `p` whose gap is small): dual feasibility first, then, if the primal residual
 * still fails, primal feasibility; each run stops as soon as the original LP's criteria all pass with the other
 * half of the pair fixed, or after `budget` iterations. Returns the point if all three criteria pass.
 */
export function polish(
  p: ScaledProblem,
  from: Iterate,
  omega: number,
  tolerance: number,
  budget: number,
): PolishResult {
  const eta = constantStep(p);
  const n = p.cols;
  const m = p.rows;
  const current = newIterate(n, m);
  copyIterate(from, current);
  let measure = measureIterate(p, current.x, current.ax, current.y, current.aty);
  let iterations = 0;
  const passes = (mm: IterateMeasure) => relativeError(mm) <= tolerance;
  // Each side's run stops as soon as its own residual meets the tolerance (a feasibility problem has nothing
  // more to give); the gap moves a little with it, so the pair is judged on all three criteria at the end.
  const sides: ('dual' | 'primal')[] = [];
  if (measure.dualRelative > tolerance) sides.push('dual');
  if (measure.primalRelative > tolerance) sides.push('primal');
  for (const side of sides) {
    const q = feasibilityProblem(p, side, current);
    const z = newIterate(n, m);
    if (side === 'dual') {
      z.y.set(current.y);
      z.aty.set(current.aty);
    } else {
      z.x.set(current.x);
      z.ax.set(current.ax);
    }
    const run = polishRun(q, z, eta, omega, budget, (t) => {
      const trial =
        side === 'dual'
          ? measureIterate(p, current.x, current.ax, t.y, t.aty)
          : measureIterate(p, t.x, t.ax, current.y, current.aty);
      if (process.env.PDLP_TRACE !== undefined) console.error(`POLISH ${side} p=${trial.primalRelative.toExponential(2)} d=${trial.dualRelative.toExponential(2)} g=${trial.gapRelative.toExponential(2)}`);
      return (side === 'dual' ? trial.dualRelative : trial.primalRelative) <= tolerance;
    });
    iterations += run.iterations;
    if (!run.accepted) return { measure, iterations };
    if (side === 'dual') {
      current.y.set(z.y);
      current.aty.set(z.aty);
    } else {
      current.x.set(z.x);
      current.ax.set(z.ax);
    }
    measure = measureIterate(p, current.x, current.ax, current.y, current.aty);
  }
  // The products were carried along by PDHG's own updates; recompute them once so the answer rests on exact ones.
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, current.x, current.ax);
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, current.y, current.aty);
  measure = measureIterate(p, current.x, current.ax, current.y, current.aty);
  return passes(measure) ? { point: current, measure, iterations } : { measure, iterations };
}

/**
 * Polish is tried once both residuals are within this factor of the tolerance and the gap within GAP_WITHIN of it:
 * polishing moves the gap only a little (dual polish at 10⁵ columns: 1.4e-6 to 1.1e-6), and it must end within it.
 */
const POLISH_WITHIN = 10;
const GAP_WITHIN = 2;
/** Iterations of one polishing attempt (both sides together at most twice this). */
const POLISH_RUN = 256;
/** Polishing may spend at most this fraction of the main loop's iterations, so a hopeless polish costs little. */
const POLISH_SHARE = 0.1;

/**
 * The main loops' use of polish: called at each evaluation with the iterate measured; polishes when the iterate is
 * close (POLISH_WITHIN) and the budget (POLISH_SHARE of the iterations so far) allows. Returns the polished point
 * when it meets the tolerance.
 */
export class Polisher {
  /** PDHG iterations spent polishing, to be added to the reported count. */
  iterations = 0;
  attempts = 0;
  constructor(
    private readonly p: ScaledProblem,
    private readonly tolerance: number,
  ) {}

  tryAt(from: Iterate, measure: IterateMeasure, omega: number, mainIterations: number): PolishResult | undefined {
    const near = POLISH_WITHIN * this.tolerance;
    if (measure.primalRelative > near || measure.dualRelative > near) return undefined;
    if (measure.gapRelative > GAP_WITHIN * this.tolerance) return undefined;
    const budget = Math.min(POLISH_RUN, Math.floor(POLISH_SHARE * mainIterations) - this.iterations);
    if (budget < CHECK_EVERY) return undefined;
    this.attempts++;
    const r = polish(this.p, from, omega, this.tolerance, budget);
    this.iterations += r.iterations;
    return r.point === undefined ? undefined : r;
  }
}
