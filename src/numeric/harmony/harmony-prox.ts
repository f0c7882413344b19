// The two one-dimensional maps a first-order method needs for one weighted harmony term
// f(y) = w·H((y − T)/T) on 0 ≤ y ≤ (1 + sMax)·T: its proximal map and its concave conjugate.
//
// Prox. argmax_y f(y) − (y − v)²/(2τ) solves (w/T)·H′(u) = (T(1 + u) − v)/τ with u = (y − T)/T. The left
// side falls and the right side rises in u, so the root is unique; on the quadratic branch (u < 0,
// H′ = 1 − u) it is linear, on the logarithmic one (u ≥ 0, H′ = 1/(1 + u)) a quadratic in a = 1 + u:
// T·a² − v·a − wτ/T = 0. Which branch holds is the sign of the equation at u = 0. Both closed forms.
import { harmony } from './harmony';
import { harmonyArgmax } from './harmony-pwl';

/** argmax over y ∈ [0, (1 + sMax)·T] of w·H((y − T)/T) − (y − v)²/(2τ); T > 0, w ≥ 0, τ > 0. */
export function harmonyProx(
  v: number,
  tau: number,
  target: number,
  weight: number,
  maxSurplus: number,
): number {
  const t = target;
  const wt = weight * tau;
  let u: number;
  // g(0) = w/T − (T − v)/τ: positive means the root lies at u > 0 (logarithmic branch).
  if (weight / t - (t - v) / tau <= 0) u = (wt + t * v - t * t) / (t * t + wt);
  else u = (v + Math.sqrt(v * v + 4 * wt)) / (2 * t) - 1;
  if (u < -1) u = -1;
  else if (u > maxSurplus) u = maxSurplus;
  return t * (1 + u);
}

/**
 * φ(q) = max over y ∈ [0, (1 + sMax)·T] of w·H((y − T)/T) − q·y (any real q), with its maximiser:
 * the term's share of a Lagrangian dual bound.
 */
export function harmonyConjugate(
  q: number,
  target: number,
  weight: number,
  maxSurplus: number,
): { value: number; y: number } {
  if (!(weight > 0)) {
    // Only −q·y is left: y at the end of the box that q favours.
    const y = q < 0 ? (1 + maxSurplus) * target : 0;
    return { value: -q * y, y };
  }
  const s = harmonyArgmax((q * target) / weight, -1, maxSurplus);
  const y = target * (1 + s);
  return { value: weight * harmony(s) - q * y, y };
}
