// Farkas-type certificates read off PDHG's diverging iterates: a dual ray proves primal infeasibility,
// a primal ray proves unboundedness (Applegate, Lubin, Hinder et al., "Infeasibility detection with PDHG").
// The difference of two iterates is only a candidate: on a feasible LP that converges slowly it can look like
// a ray, so a candidate is screened cheaply in the scaled space and then verified in the LP's own units, from
// A itself, before "infeasible" or "unbounded" is returned. A candidate that fails leaves PDHG iterating.
import type { LinearProgram } from '../lp';
import type { ScaledProblem } from './scaled-problem';

/**
 * The Farkas value must exceed this fraction of the sum of the magnitudes it is made of; below it the sign
 * of the value is rounding, not proof (a converging feasible LP gives differences of ~1e-12 whose value
 * is then ±1e-17).
 */
const MARGIN = 1e-9;

/**
 * Farkas test for y (with Aᵀy given; r = −Aᵀy): for any feasible x, yᵀAx + rᵀx = 0, and each term is bounded
 * below by the bound its sign names, so value = Σ yᵢ·(lᵢ or uᵢ) + Σ rⱼ·(ℓⱼ or uⱼ) ≤ 0. A y with value > 0 and
 * every sign supported by a finite bound proves the LP infeasible. A yᵢ or rⱼ whose bound is infinite
 * would add −∞; its size is counted as violation. Returns ‖violation‖₂ / value, ∞ if value does not pass
 * the margin.
 */
function farkasRatio(
  y: Float64Array,
  aty: Float64Array,
  /** Σᵢ|aᵢⱼyᵢ| per column, the size of the terms rⱼ sums; |rⱼ| itself when absent. */
  rMagnitude: Float64Array | undefined,
  rowLower: Float64Array,
  rowUpper: Float64Array,
  colLower: Float64Array,
  colUpper: Float64Array,
): number {
  let value = 0;
  let magnitude = 0;
  let violation2 = 0;
  const add = (v: number, lo: number, hi: number, size: number) => {
    if (v > 0) {
      if (lo > Number.NEGATIVE_INFINITY) {
        value += v * lo;
        magnitude += size * Math.abs(lo);
      } else violation2 += v * v;
    } else if (v < 0) {
      if (hi < Number.POSITIVE_INFINITY) {
        value += v * hi;
        magnitude += size * Math.abs(hi);
      } else violation2 += v * v;
    }
  };
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    add(v, rowLower[i] as number, rowUpper[i] as number, Math.abs(v));
  }
  for (let j = 0; j < aty.length; j++) {
    const r = -(aty[j] as number);
    add(r, colLower[j] as number, colUpper[j] as number, rMagnitude?.[j] ?? Math.abs(r));
  }
  return value > MARGIN * magnitude && value > 0 ? Math.sqrt(violation2) / value : Number.POSITIVE_INFINITY;
}

/**
 * Recession test for d (with A d, given): c·d < 0 while A d stays in the recession cone of the row bounds and
 * d in that of the column bounds; then x + t·d stays feasible and its cost falls without bound, once the LP
 * has a feasible x. Returns ‖violation‖₂ / (−c·d), ∞ if the cost does not fall by the margin.
 */
function recessionRatio(
  cost: Float64Array,
  d: Float64Array,
  ad: Float64Array,
  rowLower: Float64Array,
  rowUpper: Float64Array,
  colLower: Float64Array,
  colUpper: Float64Array,
): number {
  let value = 0;
  let magnitude = 0;
  let violation2 = 0;
  const outside = (v: number, lo: number, hi: number) =>
    (v < 0 && lo > Number.NEGATIVE_INFINITY) || (v > 0 && hi < Number.POSITIVE_INFINITY);
  for (let j = 0; j < d.length; j++) {
    const v = d[j] as number;
    const term = (cost[j] as number) * v;
    value += term;
    magnitude += Math.abs(term);
    if (outside(v, colLower[j] as number, colUpper[j] as number)) violation2 += v * v;
  }
  for (let i = 0; i < ad.length; i++) {
    const v = ad[i] as number;
    if (outside(v, rowLower[i] as number, rowUpper[i] as number)) violation2 += v * v;
  }
  return value < 0 && -value > MARGIN * magnitude ? Math.sqrt(violation2) / -value : Number.POSITIVE_INFINITY;
}

/** Quality of ŷ as a dual ray in the scaled space (smaller is better; ∞ if it is not one). */
export function dualRayRatio(p: ScaledProblem, dy: Float64Array, atdy: Float64Array): number {
  // No allocation here: this runs at every evaluation, on arrays of up to 10⁶ columns.
  return farkasRatio(dy, atdy, undefined, p.rowLower, p.rowUpper, p.colLower, p.colUpper);
}

/** Quality of x̂ as a primal ray in the scaled space (smaller is better; ∞ if it is not one). */
export function primalRayRatio(p: ScaledProblem, dx: Float64Array, adx: Float64Array): number {
  return recessionRatio(p.cost, dx, adx, p.rowLower, p.rowUpper, p.colLower, p.colUpper);
}

/**
 * Verifies a scaled dual ray y′ on the original LP: y = R y′, Aᵀy from A's own entries (with
 * Σ|aᵢⱼ yᵢ| per column for the rounding margin), bounds in original units.
 */
export function verifyDualRay(
  lp: LinearProgram,
  p: ScaledProblem,
  dyScaled: Float64Array,
  tol: number,
): boolean {
  const { colStart, rowIndex, values } = lp.matrix;
  const y = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) y[i] = (dyScaled[i] as number) * (p.rowScale[i] as number);
  const aty = new Float64Array(p.cols);
  const size = new Float64Array(p.cols);
  for (let j = 0; j < p.cols; j++) {
    let s = 0;
    let a = 0;
    for (let k = colStart[j] as number; k < (colStart[j + 1] as number); k++) {
      const t = (values[k] as number) * (y[rowIndex[k] as number] as number);
      s += t;
      a += Math.abs(t);
    }
    aty[j] = s;
    size[j] = a;
  }
  return farkasRatio(y, aty, size, lp.rowLower, lp.rowUpper, lp.colLower, lp.colUpper) <= tol;
}

/** Verifies a scaled primal ray x' on the original LP: d = C x', A d from A's own entries, minimisation costs. */
export function verifyPrimalRay(
  lp: LinearProgram,
  p: ScaledProblem,
  dxScaled: Float64Array,
  tol: number,
): boolean {
  const { colStart, rowIndex, values } = lp.matrix;
  const d = new Float64Array(p.cols);
  const cost = new Float64Array(p.cols);
  const ad = new Float64Array(p.rows);
  for (let j = 0; j < p.cols; j++) {
    const v = (dxScaled[j] as number) * (p.colScale[j] as number);
    d[j] = v;
    cost[j] = p.sign * (lp.objective[j] as number);
    for (let k = colStart[j] as number; k < (colStart[j + 1] as number); k++) {
      const i = rowIndex[k] as number;
      ad[i] = (ad[i] as number) + (values[k] as number) * v;
    }
  }
  return recessionRatio(cost, d, ad, lp.rowLower, lp.rowUpper, lp.colLower, lp.colUpper) <= tol;
}

/**
 * 'infeasible' or 'unbounded' when the difference of two iterates passes the scaled screen and the check in
 * original units; otherwise undefined and PDHG goes on.
 */
export function rayStatus(
  p: ScaledProblem,
  tol: number,
  dy: Float64Array,
  atdy: Float64Array,
  dx: Float64Array,
  adx: Float64Array,
): 'infeasible' | 'unbounded' | undefined {
  if (dualRayRatio(p, dy, atdy) <= tol && verifyDualRay(p.original, p, dy, tol)) return 'infeasible';
  if (primalRayRatio(p, dx, adx) <= tol && verifyPrimalRay(p.original, p, dx, tol)) return 'unbounded';
  return undefined;
}
