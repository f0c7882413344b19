// Farkas-type certificates read off PDHG's diverging iterates: a dual ray proves primal infeasibility,
// a primal ray proves unboundedness (Applegate, Lubin, Hinder et al., "Infeasibility detection with PDHG").
import type { ScaledProblem } from './scaled-problem';

/**
 * Quality of ŷ as a dual ray: its dual objective (with c = 0) must be positive while the reduced costs
 * −A'ᵀŷ that no finite bound absorbs vanish. Returns violation / objective (smaller is better; ∞ if the
 * objective is not positive). Entries of ŷ whose sign no finite row bound supports are dropped first.
 */
export function dualRayRatio(p: ScaledProblem, dy: Float64Array, atdy: Float64Array): number {
  let objective = 0;
  let violation2 = 0;
  for (let i = 0; i < p.rows; i++) {
    const v = dy[i] as number;
    const lo = p.rowLower[i] as number;
    const hi = p.rowUpper[i] as number;
    if (v > 0 && lo > Number.NEGATIVE_INFINITY) objective += v * lo;
    else if (v < 0 && hi < Number.POSITIVE_INFINITY) objective += v * hi;
  }
  for (let j = 0; j < p.cols; j++) {
    const r = -(atdy[j] as number);
    if (r > 0) {
      const lo = p.colLower[j] as number;
      if (lo > Number.NEGATIVE_INFINITY) objective += r * lo;
      else violation2 += r * r;
    } else if (r < 0) {
      const hi = p.colUpper[j] as number;
      if (hi < Number.POSITIVE_INFINITY) objective += r * hi;
      else violation2 += r * r;
    }
  }
  return objective > 0 ? Math.sqrt(violation2) / objective : Number.POSITIVE_INFINITY;
}

/**
 * Quality of x̂ as a primal ray: c'ᵀx̂ < 0 while A'x̂ stays in the recession cone of the row bounds and x̂ in
 * that of the column bounds. Returns violation / (−c'ᵀx̂), or ∞ if the cost does not decrease.
 */
export function primalRayRatio(p: ScaledProblem, dx: Float64Array, adx: Float64Array): number {
  let cost = 0;
  let violation2 = 0;
  for (let j = 0; j < p.cols; j++) {
    const v = dx[j] as number;
    cost += (p.cost[j] as number) * v;
    if (
      (v < 0 && (p.colLower[j] as number) > Number.NEGATIVE_INFINITY) ||
      (v > 0 && (p.colUpper[j] as number) < Number.POSITIVE_INFINITY)
    ) {
      violation2 += v * v;
    }
  }
  for (let i = 0; i < p.rows; i++) {
    const v = adx[i] as number;
    if (
      (v < 0 && (p.rowLower[i] as number) > Number.NEGATIVE_INFINITY) ||
      (v > 0 && (p.rowUpper[i] as number) < Number.POSITIVE_INFINITY)
    ) {
      violation2 += v * v;
    }
  }
  return cost < 0 ? Math.sqrt(violation2) / -cost : Number.POSITIVE_INFINITY;
}
