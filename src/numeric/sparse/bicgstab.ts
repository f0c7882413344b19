// BiCGSTAB for (I − M) x = b, right-preconditioned by one Gauss–Seidel sweep (forward substitution).
import { applyIMinusM, lowerSolve } from './gauss-seidel';
import type { PermutedSystem } from './ordering';

export interface KrylovResult {
  /** True when ‖b − (I − M) x‖ ≤ target was reached (by the recurrence; the caller checks the true residual). */
  reached: boolean;
  iterations: number;
  /** Matrix passes spent: each iteration costs two products and two substitutions. */
  passes: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Improves x in place until the residual norm is at most `target`, or `maxIterations` pass. */
export function bicgstab(
  system: PermutedSystem,
  b: Float64Array,
  x: Float64Array,
  target: number,
  maxIterations: number,
): KrylovResult {
  const n = x.length;
  const r = new Float64Array(n);
  applyIMinusM(system, x, r);
  for (let i = 0; i < n; i++) r[i] = b[i]! - r[i]!;
  const shadow = r.slice();
  const p = new Float64Array(n);
  const v = new Float64Array(n);
  const pHat = new Float64Array(n);
  const sHat = new Float64Array(n);
  const t = new Float64Array(n);
  let rho = 1;
  let alpha = 1;
  let omega = 1;
  let iterations = 0;
  if (Math.sqrt(dot(r, r)) <= target) return { reached: true, iterations, passes: 1 };
  while (iterations < maxIterations) {
    iterations++;
    const rhoNext = dot(shadow, r);
    if (rhoNext === 0 || !Number.isFinite(rhoNext)) break;
    const beta = (rhoNext / rho) * (alpha / omega);
    rho = rhoNext;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * (p[i]! - omega * v[i]!);
    lowerSolve(system, p, pHat);
    applyIMinusM(system, pHat, v);
    alpha = rho / dot(shadow, v);
    if (!Number.isFinite(alpha)) break;
    // r becomes s = r − α v.
    for (let i = 0; i < n; i++) r[i] = r[i]! - alpha * v[i]!;
    if (Math.sqrt(dot(r, r)) <= target) {
      for (let i = 0; i < n; i++) x[i] = x[i]! + alpha * pHat[i]!;
      return { reached: true, iterations, passes: 1 + 4 * iterations };
    }
    lowerSolve(system, r, sHat);
    applyIMinusM(system, sHat, t);
    const tt = dot(t, t);
    omega = tt === 0 ? 0 : dot(t, r) / tt;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * pHat[i]! + omega * sHat[i]!;
      r[i] = r[i]! - omega * t[i]!;
    }
    if (Math.sqrt(dot(r, r)) <= target) return { reached: true, iterations, passes: 1 + 4 * iterations };
    if (omega === 0) break;
  }
  return { reached: false, iterations, passes: 1 + 4 * iterations };
}
