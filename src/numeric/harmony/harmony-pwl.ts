// The concave harmony function H as a separable piecewise-linear function for a linear programme, and the
// certificate that bounds how far the LP's plan can be from the true (concave) optimum.
//
// Interpolation (secants) between breakpoints b₀ = sMin < b₁ < … < b_K = sMax gives S ≤ H with
// H − S ≤ max|H″|·(b_{k+1} − b_k)²/8 on each piece, the same spacing rule as the tangent cuts. In an LP,
// S is a sum of bounded segment columns whose slopes decrease (H is concave), so a maximiser fills them
// in order: no cut rows, one column per piece with a single entry, which simplex handles as a bound.
//
// Certificate. Let p ≥ 0 be the LP's optimal duals on the rows "net output ≥ Σ segments". Relaxing those
// rows only (partial Lagrangian), LP duality makes the LP value V = Σᵢ S*ᵢ(pᵢ) + R(p) with
// S*ᵢ(p) = max_y S(y) − p·y, R(p) the rest. The same relaxation of the true problem gives an upper bound
// Σᵢ H*ᵢ(pᵢ) + R(p) on its optimum. So  true optimum ≤ V + Σᵢ [H*ᵢ(pᵢ) − S*ᵢ(pᵢ)],  and the plan the LP
// returns has true harmony ≥ V (S ≤ H). Each term is a one-dimensional closed form.
import { harmony } from './harmony';
import { harmonyCuts } from './harmony-cuts';

export interface HarmonyPieces {
  /** Breakpoints in fulfilment s, ascending, from sMin to sMax. */
  points: Float64Array;
  /** H at the breakpoints. */
  values: Float64Array;
  /** Proven bound on H − S over [sMin, sMax]. */
  errorBound: number;
}

/** Breakpoints whose secants stay within `maxError` of H on [−1, sMax]. */
export function harmonyPieces(maxError: number, sMax: number): HarmonyPieces {
  const { points, values, errorBound } = harmonyCuts({ maxError, sMin: -1, sMax });
  return { points, values, errorBound };
}

/** S(s): the interpolant of H through the breakpoints (s clamped to their range). */
export function harmonyInterpolant(pieces: HarmonyPieces, s: number): number {
  const { points, values } = pieces;
  const last = points.length - 1;
  if (s <= points[0]!) return values[0]!;
  if (s >= points[last]!) return values[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const w = (s - points[lo]!) / (points[hi]! - points[lo]!);
  return values[lo]! + w * (values[hi]! - values[lo]!);
}

/** The s in [sMin, sMax] that maximises H(s) − q·s (H′(s) = q, clamped). */
export function harmonyArgmax(q: number, sMin: number, sMax: number): number {
  // H′ falls from 1 − sMin at sMin to 1 at 0 (quadratic branch), then as 1/(1 + s).
  let s: number;
  if (q >= 1) s = 1 - q;
  else if (q > 0) s = 1 / q - 1;
  else s = sMax;
  return Math.min(sMax, Math.max(sMin, s));
}

/**
 * H*(q) − S*(q) for the price q in fulfilment units (objective per unit of s): how much the true function
 * could gain over the interpolant at that price. Zero when q selects a breakpoint exactly.
 */
export function harmonyConjugateGap(pieces: HarmonyPieces, q: number): number {
  const { points, values } = pieces;
  const sMin = points[0]!;
  const sMax = points[points.length - 1]!;
  const s = harmonyArgmax(q, sMin, sMax);
  const trueBest = harmony(s) - q * s;
  // S is linear between breakpoints, so its best is at a breakpoint; the two around s suffice, since
  // H − q·s is unimodal and S interpolates it.
  let best = -Infinity;
  for (let k = 0; k < points.length; k++) {
    const v = values[k]! - q * points[k]!;
    if (v > best) best = v;
  }
  return Math.max(0, trueBest - best);
}
