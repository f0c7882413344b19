// Restarted Halpern PDHG with reflection (Lu & Yang 2024, "Restarted Halpern PDHG for linear programming";
// the method of cuPDLPx): each PDHG output T(z) is reflected, 2T(z) − z, and pulled towards the anchor z⁰ with
// weight 1/(k+2). Its fixed-point residual ‖z − T(z)‖ falls at the optimal O(1/k) rate without averaging, and
// restarts on that residual replace PDLP's restarts to the average. The step is constant (0.95/‖A'‖₂ from a
// power iteration) instead of PDLP's adaptive search, which saves the rejected steps.
import { measureIterate, relativeError, type IterateMeasure } from './convergence';
import { rayStatus } from './infeasibility';
import {
  copyIterate,
  difference,
  distance,
  lastStep,
  newIterate,
  norm,
  startingPoint,
  step,
  type Iterate,
  type PdhgResult,
  type PdhgSettings,
  type PdhgStatus,
} from './pdhg';
import type { ScaledProblem } from './scaled-problem';
import { multiplyCompressed, multiplyMixed } from './sparse-multiply';
import { MAX_BATCH } from './halpern-split';
import { splitApplies, startSplit, ThreadModes, type SplitRunner } from './halpern-threads';

const SUFFICIENT = 0.2;
const NECESSARY = 0.8;
const ARTIFICIAL = 0.36;
const PRIMAL_WEIGHT_SMOOTHING = 0.5;
/**
 * Exponent and bounds of the residual balancing of the primal weight at each restart (balanceWeight): ω is
 * multiplied by (max(primal, gap) / dual)^0.5 of the relative residuals, within [1/2, 2].
 */
const BALANCE_EXPONENT = 0.5;
const BALANCE_STEP = 2;
/**
 * Balancing starts once the worst relative criterion is below this: the stall it cures is near the end, and above it
 * the iterates stay those of the distance rule alone, which the crossover's starts were tuned on (balanced from
 * the start, the guessed basis from PDLP's point at 2e-5 on the general LP at 3,000 columns failed).
 */
const BALANCE_BELOW = 1e-5;
/** Reflection 1 is the full 2T − I (nonexpansive), which Halpern's scheme makes converge. */
const REFLECTION = 1;
const STEP_FRACTION = 0.95;
const POWER_ITERATIONS = 64;
const YIELD_AFTER_MS = 25;

/** Largest singular value of A' by power iteration on A'ᵀA' (deterministic start, so runs repeat exactly). */
export function spectralNorm(p: ScaledProblem): number {
  let v = new Float64Array(p.cols);
  for (let j = 0; j < p.cols; j++) v[j] = 1 + (j % 7) / 7;
  const w = new Float64Array(p.rows);
  let u = new Float64Array(p.cols);
  let estimate = 0;
  let length = norm(v);
  for (let t = 0; t < POWER_ITERATIONS; t++) {
    for (let j = 0; j < p.cols; j++) v[j] = (v[j] as number) / length;
    multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, v, w);
    multiplyCompressed(p.colStart, p.rowIndex, p.colValues, w, u);
    length = norm(u);
    if (length === 0) return p.maxAbs;
    const previous = estimate;
    estimate = Math.sqrt(length);
    [v, u] = [u, v];
    if (Math.abs(estimate - previous) <= 1e-4 * estimate) break;
  }
  return estimate;
}

/**
 * The primal weight after a restart's distance update, nudged towards balanced residuals (the square-root rule of
 * residual balancing, as OSQP adapts its ρ). The distance rule alone left the dual residual of the general LP at
 * 10⁵ columns stalled near 2e-7 for thousands of iterations while the primal residual and gap were below 1e-7. A
 * smaller ω (a longer primal step τ = η/ω, a shorter dual step σ = ηω) lowers the dual residual and raises the
 * primal one and the gap: with ω halved at each restart, at 7,680 iterations, dual 3e-8 against 5.6e-7 and primal
 * and gap 2.6e-6 and 6.6e-6 against 2.8e-7 and 4.7e-7; doubled, the reverse. The gap moves with the primal residual
 * there, so the larger of the two is balanced against the dual residual.
 */
export function balanceWeight(omega: number, m: IterateMeasure): number {
  const lagging = Math.max(m.primalRelative, m.gapRelative);
  if (!(m.dualRelative > 0) || !(lagging > 0)) return omega;
  if (Math.max(lagging, m.dualRelative) > BALANCE_BELOW) return omega;
  const factor = Math.pow(lagging / m.dualRelative, BALANCE_EXPONENT);
  return omega * Math.min(BALANCE_STEP, Math.max(1 / BALANCE_STEP, factor));
}

/** z ← λ((1+ρ)t − ρz) + (1−λ)a on one array. */
export function halpernMix(z: Float64Array, t: Float64Array, a: Float64Array, lambda: number): void {
  const r1 = lambda * (1 + REFLECTION);
  const r0 = -lambda * REFLECTION;
  const anchor = 1 - lambda;
  for (let i = 0; i < z.length; i++)
    z[i] = r1 * (t[i] as number) + r0 * (z[i] as number) + anchor * (a[i] as number);
}

/**
 * step(p, z, t, η, ω) followed by halpernMix of all four arrays with weight λ, in the step's own loops: each
 * entry of z is mixed as soon as the step has read it and written the matching entry of t, so the four separate
 * passes over z, t and the anchor disappear. Bit for bit what the two calls compute (the same operations on the
 * same values), and it leaves the same figures in lastStep. At 10⁴ columns of the general LP the four mixes
 * took about a fifth of an iteration.
 */
export function stepAndMix(
  p: ScaledProblem,
  z: Iterate,
  t: Iterate,
  anchor: Iterate,
  eta: number,
  omega: number,
  lambda: number,
): void {
  const tau = eta / omega;
  const sigma = eta * omega;
  const r1 = lambda * (1 + REFLECTION);
  const r0 = -lambda * REFLECTION;
  const ra = 1 - lambda;
  const { cost, colLower, colUpper, rowLower, rowUpper } = p;
  const n = p.cols;
  const m = p.rows;
  const zx = z.x;
  const zaty = z.aty;
  const tx = t.x;
  const ax0 = anchor.x;
  let dx2 = 0;
  for (let j = 0; j < n; j++) {
    const xj = zx[j] as number;
    let v = xj - tau * ((cost[j] as number) - (zaty[j] as number));
    const lo = colLower[j] as number;
    const hi = colUpper[j] as number;
    if (v < lo) v = lo;
    else if (v > hi) v = hi;
    tx[j] = v;
    dx2 += (v - xj) * (v - xj);
    zx[j] = r1 * v + r0 * xj + ra * (ax0[j] as number);
  }
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, tx, t.ax);
  const zax = z.ax;
  const tax = t.ax;
  const zy = z.y;
  const ty = t.y;
  const ay0 = anchor.y;
  const aax0 = anchor.ax;
  let dy2 = 0;
  let interaction = 0;
  for (let i = 0; i < m; i++) {
    const axNew = tax[i] as number;
    const axOld = zax[i] as number;
    const yi = zy[i] as number;
    const w = yi - sigma * (2 * axNew - axOld);
    const lo = rowLower[i] as number;
    const hi = rowUpper[i] as number;
    let v = 0;
    if (lo > Number.NEGATIVE_INFINITY && w + sigma * lo > 0) v = w + sigma * lo;
    else if (hi < Number.POSITIVE_INFINITY && w + sigma * hi < 0) v = w + sigma * hi;
    ty[i] = v;
    const dy = v - yi;
    dy2 += dy * dy;
    interaction += dy * (axNew - axOld);
    zy[i] = r1 * v + r0 * yi + ra * (ay0[i] as number);
    zax[i] = r1 * axNew + r0 * axOld + ra * (aax0[i] as number);
  }
  multiplyMixed(p.colStart, p.rowIndex, p.colValues, ty, t.aty, zaty, anchor.aty, r1, r0, ra);
  lastStep.dx2 = dx2;
  lastStep.dy2 = dy2;
  lastStep.interaction = interaction;
}

export async function runHalpern(p: ScaledProblem, s: PdhgSettings): Promise<PdhgResult> {
  // Above s.twoThreadsAboveNonzeros the iterations run on two threads sharing z, t and the anchor
  // (halpern-threads.ts); everything between batches (evaluations, restarts, the mixes after an evaluation) runs
  // here on the same arrays.
  const split =
    s.twoThreadsAboveNonzeros !== undefined && splitApplies(p, s.twoThreadsAboveNonzeros)
      ? await startSplit(p)
      : undefined;
  try {
    return await iterateHalpern(p, s, split);
  } finally {
    split?.stop();
  }
}

/** The fixed-point residual ‖z − T(z)‖ in the PDHG metric P = [I/τ, −A'ᵀ; −A', I/σ], τ = η/ω, σ = ηω. */
function fixedPointResidual(
  sums: { dx2: number; dy2: number; interaction: number },
  eta: number,
  omega: number,
): number {
  return Math.sqrt(Math.max(0, (omega * sums.dx2 + sums.dy2 / omega) / eta - 2 * sums.interaction));
}

async function iterateHalpern(
  p: ScaledProblem,
  s: PdhgSettings,
  split: SplitRunner | undefined,
): Promise<PdhgResult> {
  const n = p.cols;
  const m = p.rows;
  const started = performance.now();
  let lastYield = started;
  const z = split?.z ?? newIterate(n, m);
  const t = split?.t ?? newIterate(n, m);
  const anchor = split?.anchor ?? newIterate(n, m);
  const lastEval = newIterate(n, m);
  const rayX = new Float64Array(n);
  const rayAtY = new Float64Array(n);
  const rayY = new Float64Array(m);
  const rayAx = new Float64Array(m);

  startingPoint(p, s, z);
  copyIterate(z, anchor);
  copyIterate(z, lastEval);
  const costNorm = norm(p.cost);
  const boundNorm = Math.hypot(norm(p.rowLower, true), norm(p.rowUpper, true));
  let omega = costNorm > 1e-10 && boundNorm > 1e-10 ? costNorm / boundNorm : 1;
  const sigmaMax = spectralNorm(p);
  const eta = sigmaMax > 0 ? STEP_FRACTION / sigmaMax : 1;
  let iterations = 0;
  let sinceRestart = 0;
  let restarts = 0;
  let residualAtRestart = Number.NaN;
  let previousResidual = Number.POSITIVE_INFINITY;
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

  // Iterations per batch on two threads: as many as take about YIELD_AFTER_MS, so that the event loop is reached
  // as often as on one thread; one at a time on one thread.
  let batch = 1;
  // With a second thread at hand, each evaluation window runs on the faster of one and two threads (see choose).
  const modes = split === undefined || s.twoThreadsMeasured === false ? undefined : new ThreadModes();
  let windowStarted = performance.now();
  let windowFirstIteration = 0;
  let twoNow = split !== undefined;
  for (;;) {
    // Whether a batch ends in an evaluation is known before its steps, so that the others can mix the step's
    // output into the next iterate in the step's own loops (stepAndMix); its last iteration is then a plain step.
    const timeUp = (performance.now() - started) / 1000 >= s.timeLimitSeconds;
    const aborted = s.signal?.aborted === true;
    const toEvaluate = s.evaluateEvery - (iterations % s.evaluateEvery);
    const toLimit = Math.max(1, s.maxIterations - iterations);
    const count = timeUp || aborted || !twoNow ? 1 : Math.min(batch, toEvaluate, toLimit);
    const evaluate = count === toEvaluate || count === toLimit || timeUp || aborted;
    let first: number;
    let residual: number;
    if (split !== undefined && twoNow) {
      const batchStarted = performance.now();
      split.run(count, sinceRestart, evaluate, eta, omega);
      first = fixedPointResidual(split.sums(0), eta, omega);
      residual = fixedPointResidual(split.sums(count - 1), eta, omega);
      const perIteration = (performance.now() - batchStarted) / count;
      batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(YIELD_AFTER_MS / Math.max(perIteration, 1e-3))));
    } else {
      if (evaluate) step(p, z, t, eta, omega);
      else stepAndMix(p, z, t, anchor, eta, omega, (sinceRestart + 1) / (sinceRestart + 2));
      first = fixedPointResidual(lastStep, eta, omega);
      residual = first;
    }
    // Restarts happen only after an evaluation, so the first iteration after one is the first of its batch.
    if (Number.isNaN(residualAtRestart)) residualAtRestart = first;
    iterations += count;
    sinceRestart += count;
    const atLimit = iterations >= s.maxIterations;

    if (performance.now() - lastYield >= YIELD_AFTER_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    if (!evaluate) continue;
    if (modes !== undefined) {
      const now = performance.now();
      twoNow = modes.choose(twoNow, (now - windowStarted) / (iterations - windowFirstIteration), now);
      windowStarted = now;
      windowFirstIteration = iterations;
    }

    // T(z) satisfies the bounds and dual signs, so it is the point measured and returned.
    const measure = measureIterate(p, t.x, t.ax, t.y, t.aty);
    const error = relativeError(measure);
    if (error <= s.tolerance) return finish('optimal', t, measure);
    if (Number.isNaN(firstError)) firstError = error;

    difference(t.y, lastEval.y, rayY);
    difference(t.aty, lastEval.aty, rayAtY);
    difference(t.x, lastEval.x, rayX);
    difference(t.ax, lastEval.ax, rayAx);
    const ray = rayStatus(p, s.infeasibilityTolerance, rayY, rayAtY, rayX, rayAx);
    if (ray !== undefined) return finish(ray, t, measure);
    copyIterate(t, lastEval);

    if (atLimit) return finish('iteration-limit', t, measure);
    if (timeUp) return finish('time-limit', t, measure);
    if (aborted) return finish('cancelled', t, measure);

    const restart =
      residual <= SUFFICIENT * residualAtRestart ||
      (residual <= NECESSARY * residualAtRestart && residual > previousResidual) ||
      sinceRestart >= ARTIFICIAL * iterations;
    previousResidual = residual;
    if (restart) {
      // Restart at T(z); the primal weight balances the distances moved since the last restart.
      const dx = distance(t.x, anchor.x);
      const dy = distance(t.y, anchor.y);
      if (dx > 1e-10 && dy > 1e-10) {
        omega = Math.exp(
          PRIMAL_WEIGHT_SMOOTHING * Math.log(dy / dx) + (1 - PRIMAL_WEIGHT_SMOOTHING) * Math.log(omega),
        );
      }
      omega = balanceWeight(omega, measure);
      copyIterate(t, z);
      copyIterate(t, anchor);
      sinceRestart = 0;
      restarts++;
      residualAtRestart = Number.NaN;
      previousResidual = Number.POSITIVE_INFINITY;
    } else {
      const lambda = sinceRestart / (sinceRestart + 1);
      halpernMix(z.x, t.x, anchor.x, lambda);
      halpernMix(z.y, t.y, anchor.y, lambda);
      halpernMix(z.ax, t.ax, anchor.ax, lambda);
      halpernMix(z.aty, t.aty, anchor.aty, lambda);
    }

    if (s.onProgress !== undefined && iterations % s.progressEvery === 0) {
      const byError =
        firstError > s.tolerance ? Math.log(firstError / error) / Math.log(firstError / s.tolerance) : 0;
      fraction = Math.min(0.99, Math.max(fraction, byError, iterations / s.maxIterations));
      s.onProgress({
        fraction,
        iteration: iterations,
        message: `PDLP iteration ${iterations}: relative error ${error.toExponential(2)}`,
      });
    }
  }
}
