// A first-order method for "LP plus separable harmony": maximise c·z + Σₕ wₕ·H((z_h − Tₕ)/Tₕ) subject to
// rowLower ≤ M·z ≤ rowUpper and colLower ≤ z ≤ colUpper, where the harmony columns h carry the concave terms.
//
// Method: restarted Halpern PDHG with reflection (Lu & Yang 2024, as in ../lp/pdlp/halpern.ts) on the
// diagonally rescaled problem (Ruiz, then Pock–Chambolle: ../lp/pdlp/scaled-problem.ts). The only change
// from the LP iteration is the primal step of a harmony column: instead of a projection it is the proximal
// map of its term (harmony-prox.ts, closed form), so no breakpoints or segment columns are needed at all.
// PDHG's operator stays firmly non-expansive with a proximal step, so Halpern's anchoring and the restarts
// on the fixed-point residual carry over unchanged.
//
// The method only produces iterates; whether they are good enough is for the caller to certify. Every
// `checkEvery` iterations `check` sees the current point in original units (z and the row duals, in the
// minimisation sign convention of the LP code: a positive dual prices a binding lower bound) and stops the
// run by returning true.
import type { LinearProgram } from '../lp/lp';
import { spectralNorm } from '../lp/pdlp/halpern';
import { scaleProblem } from '../lp/pdlp/scaled-problem';
import type { ScaledProblem } from '../lp/pdlp/scaled-problem';
import { multiplyCompressed } from '../lp/pdlp/sparse-multiply';
import { harmonyProx } from './harmony-prox';

export interface HarmonyProgram {
  /** The linear part, sense 'max'; harmony columns have objective 0 and bounds [0, (1 + sMax)·T]. */
  lp: LinearProgram;
  /** Column of each harmony term, its target T > 0 and weight w ≥ 0. */
  harmonyCol: Int32Array;
  target: Float64Array;
  weight: Float64Array;
  maxSurplus: number;
}

export interface HarmonyPdhgOptions {
  maxIterations: number;
  timeLimitSeconds: number;
  /** Iterations between restart tests; `check` runs at such a point once enough time has passed. */
  checkEvery: number;
  /** Sees z and the row duals in original units; returns true to stop. */
  check: (z: Float64Array, rowDual: Float64Array, iterations: number) => boolean;
  signal?: AbortSignal;
  /** Iterations between restart tests (default: checkEvery). */
  restartEvery?: number;
  /**
   * Restart anyway once this share of all iterations has passed since the last restart (PDLP's artificial
   * restart; default 0.36). 0 restarts at every test: a fixed restart period.
   */
  artificialShare?: number;
  /** Starting point in original units. */
  start?: { z: Float64Array; rowDual: Float64Array };
}

export interface HarmonyPdhgRun {
  iterations: number;
  restarts: number;
  stopped: 'checked' | 'iteration-limit' | 'time-limit' | 'cancelled';
}

const SUFFICIENT = 0.2;
const NECESSARY = 0.8;
const ARTIFICIAL = 0.36;
const PRIMAL_WEIGHT_SMOOTHING = 0.5;
const STEP_FRACTION = 0.95;
const YIELD_AFTER_MS = 25;
/** Iterating runs at least this many times as long as the checks between them. */
const CHECK_SHARE = 3;

interface Point {
  x: Float64Array;
  y: Float64Array;
  ax: Float64Array;
  aty: Float64Array;
}

const newPoint = (n: number, m: number): Point => ({
  x: new Float64Array(n),
  y: new Float64Array(m),
  ax: new Float64Array(m),
  aty: new Float64Array(n),
});

function copyPoint(from: Point, to: Point): void {
  to.x.set(from.x);
  to.y.set(from.y);
  to.ax.set(from.ax);
  to.aty.set(from.aty);
}

/** z ← λ(2t − z) + (1 − λ)a. */
function halpernMix(z: Float64Array, t: Float64Array, a: Float64Array, lambda: number): void {
  const r1 = 2 * lambda;
  const anchor = 1 - lambda;
  for (let i = 0; i < z.length; i++) z[i] = r1 * t[i]! - lambda * z[i]! + anchor * a[i]!;
}

function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) * (a[i]! - b[i]!);
  return Math.sqrt(s);
}

/**
 * One PDHG step from z into next; returns ‖z − T(z)‖ in the PDHG metric. The harmony columns (isHarmony ≥ 0
 * gives the term) take the proximal map of −f in the scaled space, where a term's target is T/colScale.
 */
function step(
  p: ScaledProblem,
  scaledTarget: Float64Array,
  weight: Float64Array,
  maxSurplus: number,
  termOf: Int32Array,
  z: Point,
  next: Point,
  eta: number,
  omega: number,
): number {
  const tau = eta / omega;
  const sigma = eta * omega;
  const { cost, colLower, colUpper, rowLower, rowUpper } = p;
  const x = z.x;
  const aty = z.aty;
  const xNew = next.x;
  let dx2 = 0;
  for (let j = 0; j < p.cols; j++) {
    const xj = x[j]!;
    const h = termOf[j]!;
    let v: number;
    if (h >= 0) v = harmonyProx(xj + tau * aty[j]!, tau, scaledTarget[h]!, weight[h]!, maxSurplus);
    else {
      v = xj - tau * (cost[j]! - aty[j]!);
      if (v < colLower[j]!) v = colLower[j]!;
      else if (v > colUpper[j]!) v = colUpper[j]!;
    }
    xNew[j] = v;
    dx2 += (v - xj) * (v - xj);
  }
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, xNew, next.ax);
  const ax = z.ax;
  const axNext = next.ax;
  const y = z.y;
  const yNew = next.y;
  let dy2 = 0;
  let interaction = 0;
  for (let i = 0; i < p.rows; i++) {
    const axNew = axNext[i]!;
    const axOld = ax[i]!;
    const yi = y[i]!;
    const w = yi - sigma * (2 * axNew - axOld);
    const lo = rowLower[i]!;
    const hi = rowUpper[i]!;
    let v = 0;
    if (lo > Number.NEGATIVE_INFINITY && w + sigma * lo > 0) v = w + sigma * lo;
    else if (hi < Number.POSITIVE_INFINITY && w + sigma * hi < 0) v = w + sigma * hi;
    yNew[i] = v;
    const dy = v - yi;
    dy2 += dy * dy;
    interaction += dy * (axNew - axOld);
  }
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, yNew, next.aty);
  return Math.sqrt(Math.max(0, (omega * dx2 + dy2 / omega) / eta - 2 * interaction));
}

/** Runs the method until `check` accepts, or a limit (see the header). */
export async function runHarmonyPdhg(prog: HarmonyProgram, o: HarmonyPdhgOptions): Promise<HarmonyPdhgRun> {
  const started = performance.now();
  let lastYield = started;
  const p = scaleProblem(prog.lp);
  const n = p.cols;
  const m = p.rows;
  const termOf = new Int32Array(n).fill(-1);
  const scaledTarget = new Float64Array(prog.harmonyCol.length);
  prog.harmonyCol.forEach((c, h) => {
    termOf[c] = h;
    scaledTarget[h] = prog.target[h]! / p.colScale[c]!;
  });
  const z = newPoint(n, m);
  const t = newPoint(n, m);
  const anchor = newPoint(n, m);
  const outZ = new Float64Array(n);
  const outDual = new Float64Array(m);
  if (o.start !== undefined) {
    for (let j = 0; j < n; j++)
      z.x[j] = Math.min(Math.max(o.start.z[j]! / p.colScale[j]!, p.colLower[j]!), p.colUpper[j]!);
    for (let i = 0; i < m; i++) {
      let v = o.start.rowDual[i]! / p.rowScale[i]!;
      if (v > 0 && p.rowLower[i] === Number.NEGATIVE_INFINITY) v = 0;
      if (v < 0 && p.rowUpper[i] === Number.POSITIVE_INFINITY) v = 0;
      z.y[i] = v;
    }
    multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, z.x, z.ax);
    multiplyCompressed(p.colStart, p.rowIndex, p.colValues, z.y, z.aty);
  }
  copyPoint(z, anchor);
  // The primal weight balances primal and dual step sizes; the harmony terms' slopes at their targets play
  // the part of the cost vector.
  let gradNorm2 = 0;
  for (let h = 0; h < scaledTarget.length; h++) gradNorm2 += (prog.weight[h]! / scaledTarget[h]!) ** 2;
  for (const c of p.cost) gradNorm2 += c * c;
  let boundNorm2 = 0;
  for (let i = 0; i < m; i++) {
    if (Number.isFinite(p.rowLower[i]!)) boundNorm2 += p.rowLower[i]! ** 2;
    if (Number.isFinite(p.rowUpper[i]!)) boundNorm2 += p.rowUpper[i]! ** 2;
  }
  for (let h = 0; h < scaledTarget.length; h++) boundNorm2 += scaledTarget[h]! ** 2;
  let omega = gradNorm2 > 0 && boundNorm2 > 0 ? Math.sqrt(gradNorm2 / boundNorm2) : 1;
  const sigmaMax = spectralNorm(p);
  const eta = sigmaMax > 0 ? STEP_FRACTION / sigmaMax : 1;
  let iterations = 0;
  let sinceRestart = 0;
  let restarts = 0;
  let residualAtRestart = Number.NaN;
  let previousResidual = Number.POSITIVE_INFINITY;
  let lastCheckEnd = started;
  let lastCheckCost = 0;
  const restartEvery = o.restartEvery ?? o.checkEvery;
  const artificialShare = o.artificialShare ?? ARTIFICIAL;
  const done = (stopped: HarmonyPdhgRun['stopped']): HarmonyPdhgRun => ({ iterations, restarts, stopped });

  for (;;) {
    const residual = step(p, scaledTarget, prog.weight, prog.maxSurplus, termOf, z, t, eta, omega);
    if (Number.isNaN(residualAtRestart)) residualAtRestart = residual;
    iterations++;
    sinceRestart++;
    if (performance.now() - lastYield >= YIELD_AFTER_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    if (o.signal?.aborted === true) return done('cancelled');
    if (iterations % o.checkEvery === 0) {
      const now = performance.now();
      const atLimit = iterations >= o.maxIterations || (now - started) / 1000 >= o.timeLimitSeconds;
      // The check (a certificate) can cost as much as many iterations: it runs at most a quarter of the time.
      if (atLimit || now - lastCheckEnd >= CHECK_SHARE * lastCheckCost) {
        for (let j = 0; j < n; j++) outZ[j] = t.x[j]! * p.colScale[j]!;
        for (let i = 0; i < m; i++) outDual[i] = t.y[i]! * p.rowScale[i]!;
        const stop = o.check(outZ, outDual, iterations);
        lastCheckEnd = performance.now();
        lastCheckCost = lastCheckEnd - now;
        if (stop) return done('checked');
      }
      if (iterations >= o.maxIterations) return done('iteration-limit');
      if ((performance.now() - started) / 1000 >= o.timeLimitSeconds) return done('time-limit');
    }
    if (iterations % restartEvery === 0) {
      const restart =
        residual <= SUFFICIENT * residualAtRestart ||
        (residual <= NECESSARY * residualAtRestart && residual > previousResidual) ||
        sinceRestart >= artificialShare * iterations;
      previousResidual = residual;
      if (restart) {
        const dx = distance(t.x, anchor.x);
        const dy = distance(t.y, anchor.y);
        if (dx > 1e-10 && dy > 1e-10)
          omega = Math.exp(
            PRIMAL_WEIGHT_SMOOTHING * Math.log(dy / dx) + (1 - PRIMAL_WEIGHT_SMOOTHING) * Math.log(omega),
          );
        copyPoint(t, z);
        copyPoint(t, anchor);
        sinceRestart = 0;
        restarts++;
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
}
