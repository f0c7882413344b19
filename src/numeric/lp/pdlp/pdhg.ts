// The PDLP iteration (Applegate et al. 2021): PDHG with adaptive steps, primal weight, restarts to the average.
import type { ProgressFn } from '../lp';
import { kktError, measureIterate, relativeError, type IterateMeasure } from './convergence';
import { rayStatus } from './infeasibility';
import type { ScaledProblem } from './scaled-problem';
import { multiplyCompressed } from './sparse-multiply';

export interface PdhgSettings {
  tolerance: number;
  infeasibilityTolerance: number;
  maxIterations: number;
  timeLimitSeconds: number;
  /** Iterations between residual evaluations (restart, termination and infeasibility checks). */
  evaluateEvery: number;
  /** Iterations between progress reports; a multiple of evaluateEvery works best. */
  progressEvery: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Starting point in the scaled space. */
  start?: { x: Float64Array; y: Float64Array };
  /**
   * Halpern only: above this many nonzeros the iterations run on two threads (halpern-threads.ts) where the
   * machine has two cores. Absent: one thread.
   */
  twoThreadsAboveNonzeros?: number;
  /**
   * Halpern on two threads only: false runs every iteration on both, where by default each evaluation window runs
   * on whichever of one and two threads measured faster lately (ThreadModes in halpern-threads.ts).
   */
  twoThreadsMeasured?: boolean;
}

export type PdhgStatus =
  'optimal' | 'infeasible' | 'unbounded' | 'iteration-limit' | 'time-limit' | 'cancelled';

export interface PdhgResult {
  status: PdhgStatus;
  /** Scaled-space iterate (the better of current and average) with its cached products. */
  x: Float64Array;
  y: Float64Array;
  ax: Float64Array;
  aty: Float64Array;
  measure: IterateMeasure;
  iterations: number;
  restarts: number;
}

// Restart thresholds of PDLP: sufficient decay, necessary decay with stalling, and the artificial restart.
const SUFFICIENT = 0.2;
const NECESSARY = 0.8;
const ARTIFICIAL = 0.36;
const PRIMAL_WEIGHT_SMOOTHING = 0.5;
/** Longest stretch of synchronous work before yielding to the event loop, so an abort can arrive. */
const YIELD_AFTER_MS = 25;

export interface Iterate {
  x: Float64Array;
  y: Float64Array;
  ax: Float64Array;
  aty: Float64Array;
}

export function newIterate(n: number, m: number): Iterate {
  return {
    x: new Float64Array(n),
    y: new Float64Array(m),
    ax: new Float64Array(m),
    aty: new Float64Array(n),
  };
}

export function copyIterate(from: Iterate, to: Iterate): void {
  to.x.set(from.x);
  to.y.set(from.y);
  to.ax.set(from.ax);
  to.aty.set(from.aty);
}

export function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

export function norm(a: Float64Array, skipInfinite = false): number {
  let s = 0;
  for (const v of a) if (!skipInfinite || Number.isFinite(v)) s += v * v;
  return Math.sqrt(s);
}

export function difference(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) - (b[i] as number);
  return out;
}

/** Projects the starting point onto the bounds (x) and the sign constraints of the duals (y). */
export function startingPoint(p: ScaledProblem, s: PdhgSettings, z: Iterate): void {
  for (let j = 0; j < p.cols; j++) {
    const v = s.start?.x[j] ?? 0;
    z.x[j] = Math.min(Math.max(v, p.colLower[j] as number), p.colUpper[j] as number);
  }
  for (let i = 0; i < p.rows; i++) {
    let v = s.start?.y[i] ?? 0;
    if (v > 0 && (p.rowLower[i] as number) === Number.NEGATIVE_INFINITY) v = 0;
    if (v < 0 && (p.rowUpper[i] as number) === Number.POSITIVE_INFINITY) v = 0;
    z.y[i] = v;
  }
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, z.x, z.ax);
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, z.y, z.aty);
}

/** Squared movements and interaction of the last step, for the fixed-point residual of the Halpern variant. */
export const lastStep = { dx2: 0, dy2: 0, interaction: 0 };

/**
 * One PDHG step from z to next with step η: x⁺ = proj(x − τ(c − A'ᵀy)), y⁺ = prox of the row bounds at
 * y − σA'(2x⁺ − x). Returns the largest step this move allows (PDLP's adaptive rule): ‖Δz‖²_ω / (2|Δyᵀ A' Δx|).
 */
export function step(p: ScaledProblem, z: Iterate, next: Iterate, eta: number, omega: number): number {
  const tau = eta / omega;
  const sigma = eta * omega;
  // Locals rather than property chains, so the loops compile to plain typed-array accesses.
  const { cost, colLower, colUpper, rowLower, rowUpper } = p;
  const x = z.x;
  const aty = z.aty;
  const xNew = next.x;
  const n = p.cols;
  let dx2 = 0;
  for (let j = 0; j < n; j++) {
    const xj = x[j] as number;
    let v = xj - tau * ((cost[j] as number) - (aty[j] as number));
    const lo = colLower[j] as number;
    const hi = colUpper[j] as number;
    if (v < lo) v = lo;
    else if (v > hi) v = hi;
    xNew[j] = v;
    dx2 += (v - xj) * (v - xj);
  }
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, xNew, next.ax);
  const ax = z.ax;
  const axNext = next.ax;
  const y = z.y;
  const yNew = next.y;
  const m = p.rows;
  let dy2 = 0;
  let interaction = 0;
  for (let i = 0; i < m; i++) {
    const axNew = axNext[i] as number;
    const axOld = ax[i] as number;
    const yi = y[i] as number;
    const w = yi - sigma * (2 * axNew - axOld);
    const lo = rowLower[i] as number;
    const hi = rowUpper[i] as number;
    let v = 0;
    if (lo > Number.NEGATIVE_INFINITY && w + sigma * lo > 0) v = w + sigma * lo;
    else if (hi < Number.POSITIVE_INFINITY && w + sigma * hi < 0) v = w + sigma * hi;
    yNew[i] = v;
    const dy = v - yi;
    dy2 += dy * dy;
    interaction += dy * (axNew - axOld);
  }
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, yNew, next.aty);
  lastStep.dx2 = dx2;
  lastStep.dy2 = dy2;
  lastStep.interaction = interaction;
  const movement = 0.5 * omega * dx2 + (0.5 * dy2) / omega;
  return Math.abs(interaction) > 0 ? movement / Math.abs(interaction) : Number.POSITIVE_INFINITY;
}

/** sum += w · z, on all four arrays of the iterate. */
function accumulate(sum: Iterate, z: Iterate, w: number): void {
  const add = (s: Float64Array, v: Float64Array) => {
    for (let i = 0; i < s.length; i++) s[i] = (s[i] as number) + w * (v[i] as number);
  };
  add(sum.x, z.x);
  add(sum.aty, z.aty);
  add(sum.y, z.y);
  add(sum.ax, z.ax);
}

/** out = sum / w. */
function averageInto(sum: Iterate, w: number, out: Iterate): void {
  const scale = (s: Float64Array, o: Float64Array) => {
    for (let i = 0; i < s.length; i++) o[i] = (s[i] as number) / w;
  };
  scale(sum.x, out.x);
  scale(sum.aty, out.aty);
  scale(sum.y, out.y);
  scale(sum.ax, out.ax);
}

export async function runPdhg(p: ScaledProblem, s: PdhgSettings): Promise<PdhgResult> {
  const n = p.cols;
  const m = p.rows;
  const started = performance.now();
  let lastYield = started;
  let z = newIterate(n, m);
  let next = newIterate(n, m);
  const sum = newIterate(n, m);
  const avg = newIterate(n, m);
  const lastRestart = newIterate(n, m);
  const lastEval = newIterate(n, m);
  const rayX = new Float64Array(n);
  const rayAtY = new Float64Array(n);
  const rayY = new Float64Array(m);
  const rayAx = new Float64Array(m);
  let weightSum = 0;

  startingPoint(p, s, z);
  copyIterate(z, lastRestart);
  copyIterate(z, lastEval);
  const costNorm = norm(p.cost);
  const boundNorm = Math.hypot(norm(p.rowLower, true), norm(p.rowUpper, true));
  let omega = costNorm > 1e-10 && boundNorm > 1e-10 ? costNorm / boundNorm : 1;
  let eta = p.maxAbs > 0 ? 1 / p.maxAbs : 1;
  let kktAtRestart = kktError(measureIterate(p, z.x, z.ax, z.y, z.aty), omega);
  let previousCandidateKkt = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let sinceRestart = 0;
  let restarts = 0;
  let firstError = Number.NaN;
  let fraction = 0;

  const finish = (status: PdhgStatus, from: Iterate, measure: IterateMeasure): PdhgResult => ({
    status,
    x: from.x,
    y: from.y,
    ax: from.ax,
    aty: from.aty,
    measure,
    iterations,
    restarts,
  });

  for (;;) {
    let accepted = 0;
    while (accepted === 0) {
      const limit = step(p, z, next, eta, omega);
      // PDLP's rule with k + 1 ≥ 2, so the first factor is positive; an infinite limit only lets η grow.
      const k = iterations + 2;
      const grow = (1 + Math.pow(k, -0.6)) * eta;
      const proposal =
        limit === Number.POSITIVE_INFINITY ? grow : Math.min((1 - Math.pow(k, -0.3)) * limit, grow);
      if (eta <= limit) accepted = eta;
      eta = proposal;
    }
    const swap = z;
    z = next;
    next = swap;
    iterations++;
    sinceRestart++;
    accumulate(sum, z, accepted);
    weightSum += accepted;

    // Time, yield and abort are checked every iteration: at 10⁶ columns 64 iterations take tens of seconds.
    const atLimit = iterations >= s.maxIterations;
    if (performance.now() - lastYield >= YIELD_AFTER_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    const timeUp = (performance.now() - started) / 1000 >= s.timeLimitSeconds;
    const aborted = s.signal?.aborted === true;
    if (iterations % s.evaluateEvery !== 0 && !atLimit && !timeUp && !aborted) continue;

    averageInto(sum, weightSum, avg);
    const current = measureIterate(p, z.x, z.ax, z.y, z.aty);
    const average = measureIterate(p, avg.x, avg.ax, avg.y, avg.aty);
    const currentError = relativeError(current);
    const averageError = relativeError(average);
    const bestIsAverage = averageError < currentError;
    const best = bestIsAverage ? avg : z;
    const bestMeasure = bestIsAverage ? average : current;
    const bestError = Math.min(currentError, averageError);
    if (bestError <= s.tolerance) return finish('optimal', best, bestMeasure);
    if (Number.isNaN(firstError)) firstError = bestError;

    difference(z.y, lastEval.y, rayY);
    difference(z.aty, lastEval.aty, rayAtY);
    difference(z.x, lastEval.x, rayX);
    difference(z.ax, lastEval.ax, rayAx);
    const ray = rayStatus(p, s.infeasibilityTolerance, rayY, rayAtY, rayX, rayAx);
    if (ray !== undefined) return finish(ray, best, bestMeasure);
    copyIterate(z, lastEval);

    if (atLimit) return finish('iteration-limit', best, bestMeasure);
    if (timeUp) return finish('time-limit', best, bestMeasure);
    if (aborted) return finish('cancelled', best, bestMeasure);

    // Restart to whichever of current and average has the smaller weighted KKT error.
    const currentKkt = kktError(current, omega);
    const averageKkt = kktError(average, omega);
    const candidateKkt = Math.min(currentKkt, averageKkt);
    const restart =
      candidateKkt <= SUFFICIENT * kktAtRestart ||
      (candidateKkt <= NECESSARY * kktAtRestart && candidateKkt > previousCandidateKkt) ||
      sinceRestart >= ARTIFICIAL * iterations;
    previousCandidateKkt = candidateKkt;
    if (restart) {
      if (averageKkt < currentKkt) copyIterate(avg, z);
      const dx = distance(z.x, lastRestart.x);
      const dy = distance(z.y, lastRestart.y);
      if (dx > 1e-10 && dy > 1e-10) {
        omega = Math.exp(
          PRIMAL_WEIGHT_SMOOTHING * Math.log(dy / dx) + (1 - PRIMAL_WEIGHT_SMOOTHING) * Math.log(omega),
        );
      }
      copyIterate(z, lastRestart);
      sum.x.fill(0);
      sum.y.fill(0);
      sum.ax.fill(0);
      sum.aty.fill(0);
      weightSum = 0;
      sinceRestart = 0;
      restarts++;
      kktAtRestart = kktError(averageKkt < currentKkt ? average : current, omega);
      previousCandidateKkt = Number.POSITIVE_INFINITY;
    }

    if (s.onProgress !== undefined && iterations % s.progressEvery === 0) {
      const byError =
        firstError > s.tolerance ? Math.log(firstError / bestError) / Math.log(firstError / s.tolerance) : 0;
      fraction = Math.min(0.99, Math.max(fraction, byError, iterations / s.maxIterations));
      s.onProgress({
        fraction,
        iteration: iterations,
        message: `PDLP iteration ${iterations}: relative error ${bestError.toExponential(2)}`,
      });
    }
  }
}
