// Dual polish: with PDLP's primal point fixed, refine the row duals by least squares on the basic columns.
// Why: on the general LP at 10⁵ columns PDLP's dual residual stalls near 2.5e-7 while the primal residual and gap
// fall below 1e-7. The residual is not a sign or scaling matter: it is made of small negative reduced costs
// (|r| ≈ 1e-4 against costs of 1–15) on columns strictly between their bounds, whose reduced costs should be 0,
// i.e. the error of y in the equations (Aᵀy)_B = c_B, which PDHG solves slowly when they are ill-conditioned.
// A Krylov method does better on exactly that: CGLS on min ‖W(c_B − A_Bᵀ y)‖ over the duals of the rows the
// iterate uses (y_i ≠ 0), W = diag(1/colScale) so that the norm is the original space's, from the current y.
// Reduced costs that tend to 0 on B shrink the dual residual and the gap (Σ r_j x_j) together. The polished
// pair is accepted only if the original LP's three relative criteria pass (measureIterate): the bar is not lowered.
import { measureIterate, relativeError, type IterateMeasure } from './convergence';
import { newIterate, type Iterate } from './pdhg';
import type { ScaledProblem } from './scaled-problem';
import { multiplyCompressed } from './sparse-multiply';

/** A column is basic when it lies more than this fraction of ‖x‖∞ (plus one) inside both its bounds. */
const BASIC_INSIDE = Number(process.env.BASIC_INSIDE ?? 1e-6);
const CHECK_EVERY = 4;

export interface DualPolishResult {
  /** The pair with polished duals (scaled space, products exact) when it meets the tolerance. */
  point?: Iterate;
  measure: IterateMeasure;
  /** CGLS iterations (each one product with A and one with Aᵀ, as a PDHG iteration). */
  iterations: number;
}

function largest(a: Float64Array): number {
  let m = 0;
  for (const v of a) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Row duals of `from` refined by at most `budget` CGLS iterations; x and Ax are kept. */
export function polishDuals(
  p: ScaledProblem,
  from: Iterate,
  tolerance: number,
  budget: number,
): DualPolishResult {
  const n = p.cols;
  const m = p.rows;
  const inside = BASIC_INSIDE * (1 + largest(from.x));
  // weight[j] = 1/colScale on basic columns, 0 elsewhere; free[i] = 1 on rows whose dual may move.
  const weight = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const x = from.x[j] as number;
    if (x - (p.colLower[j] as number) > inside && (p.colUpper[j] as number) - x > inside)
      weight[j] = 1 / (p.colScale[j] as number);
  }
  const free = new Float64Array(m);
  for (let i = 0; i < m; i++) if ((from.y[i] as number) !== 0) free[i] = 1;

  if (process.env.PDLP_TRACE !== undefined) console.error(`DUALPOLISH basic ${weight.filter((w) => w > 0).length} free rows ${free.filter((f) => f > 0).length} rows ${m}`);
  const y = Float64Array.from(from.y);
  const aty = Float64Array.from(from.aty);
  // s = W(c − Aᵀy) on B: the least-squares residual; g = A W s on the free rows: its gradient.
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = (weight[j] as number) * ((p.cost[j] as number) - (aty[j] as number));
  const ws = new Float64Array(n);
  const g = new Float64Array(m);
  const gradient = () => {
    for (let j = 0; j < n; j++) ws[j] = (weight[j] as number) * (s[j] as number);
    multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, ws, g);
    for (let i = 0; i < m; i++) g[i] = (g[i] as number) * (free[i] as number);
  };
  gradient();
  const dir = Float64Array.from(g);
  const atDir = new Float64Array(n);
  const q = new Float64Array(n);
  let gamma = dot(g, g);
  const trial = newIterate(n, m);
  trial.x.set(from.x);
  trial.ax.set(from.ax);
  let measure = measureIterate(p, from.x, from.ax, from.y, from.aty);

  for (let k = 1; k <= budget && gamma > 0; k++) {
    multiplyCompressed(p.colStart, p.rowIndex, p.colValues, dir, atDir);
    for (let j = 0; j < n; j++) q[j] = (weight[j] as number) * (atDir[j] as number);
    const qq = dot(q, q);
    if (qq === 0) break;
    const alpha = gamma / qq;
    for (let i = 0; i < m; i++) y[i] = (y[i] as number) + alpha * (dir[i] as number);
    for (let j = 0; j < n; j++) {
      aty[j] = (aty[j] as number) + alpha * (atDir[j] as number);
      s[j] = (s[j] as number) - alpha * (q[j] as number);
    }
    gradient();
    const next = dot(g, g);
    const beta = next / gamma;
    gamma = next;
    for (let i = 0; i < m; i++) dir[i] = (g[i] as number) + beta * (dir[i] as number);

    if (k % CHECK_EVERY !== 0 && k !== budget) continue;
    // A dual whose sign its row's bounds do not support is cut to 0 (the measure counts it otherwise).
    for (let i = 0; i < m; i++) {
      let v = y[i] as number;
      if (v > 0 && (p.rowLower[i] as number) === Number.NEGATIVE_INFINITY) v = 0;
      if (v < 0 && (p.rowUpper[i] as number) === Number.POSITIVE_INFINITY) v = 0;
      trial.y[i] = v;
    }
    multiplyCompressed(p.colStart, p.rowIndex, p.colValues, trial.y, trial.aty);
    measure = measureIterate(p, trial.x, trial.ax, trial.y, trial.aty);
    if (process.env.PDLP_TRACE !== undefined)
      console.error(
        `DUALPOLISH ${k} p=${measure.primalRelative.toExponential(2)} d=${measure.dualRelative.toExponential(2)} g=${measure.gapRelative.toExponential(2)}`,
      );
    if (relativeError(measure) <= tolerance) return { point: trial, measure, iterations: k };
  }
  return { measure, iterations: budget };
}

/** Polish once the primal residual and gap pass and the dual residual is within this factor of the tolerance. */
const DUAL_WITHIN = 3;
/** CGLS iterations of one attempt. */
const ATTEMPT = 512;
/** Main-loop iterations between attempts, so a failed attempt costs at most ATTEMPT / (GAP + ATTEMPT) of the time. */
const BETWEEN = 1024;

/** The main loop's use of polishDuals: at most one attempt every BETWEEN iterations, when close enough. */
export class DualPolisher {
  /** CGLS iterations spent, to be added to the reported count (each costs what a PDHG iteration does). */
  iterations = 0;
  attempts = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly p: ScaledProblem,
    private readonly tolerance: number,
  ) {}

  tryAt(from: Iterate, measure: IterateMeasure, mainIterations: number): DualPolishResult | undefined {
    const tol = this.tolerance;
    if (measure.primalRelative > tol || measure.gapRelative > tol) return undefined;
    if (measure.dualRelative <= tol || measure.dualRelative > DUAL_WITHIN * tol) return undefined;
    if (mainIterations - this.lastAttempt < BETWEEN) return undefined;
    this.lastAttempt = mainIterations;
    this.attempts++;
    const r = polishDuals(this.p, from, tol, ATTEMPT);
    this.iterations += r.iterations;
    return r.point === undefined ? undefined : r;
  }
}
