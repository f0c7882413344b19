// Relative primal infeasibility, dual infeasibility and duality gap of a candidate primal–dual pair,
// measured the same way for every solver so that their `residual` figures can be compared.
import type { LinearProgram } from './lp';

export interface LpResiduals {
  /** ‖violation of row and column bounds‖₂ / (1 + ‖finite bounds‖₂). */
  primal: number;
  /** ‖reduced costs and row duals whose sign no finite bound supports‖₂ / (1 + ‖c‖₂). */
  dual: number;
  /** |primal objective − dual objective| / (1 + |primal objective| + |dual objective|). */
  gap: number;
  primalObjective: number;
  /** Lagrangian dual bound built from the row duals; ±Infinity never occurs because unsupported signs count as dual infeasibility instead. */
  dualObjective: number;
}

/** Arrays the residuals' pass fills on the way, for a caller that reports them too (one pass, not two). */
export interface PairArrays {
  /** A x, per row. */
  activity: Float64Array;
  /** c − Aᵀ rowDual, per column, in the LP's own sense (an LpSolution's colDual). */
  reducedCost: Float64Array;
}

/**
 * Residuals of (x, rowDual) in the LP's own sense. Duals follow the contract of `LpSolution`:
 * d objective / d bound, so for a maximisation they are negated internally to reach minimisation form.
 * With `out` (fresh arrays: the activities are summed into it), the row activities and reduced costs of the
 * same pass are written there.
 */
export function lpResiduals(
  lp: LinearProgram,
  x: Float64Array,
  rowDual: Float64Array,
  out?: PairArrays,
): LpResiduals {
  const { matrix, objective, rowLower, rowUpper, colLower, colUpper } = lp;
  const sign = lp.sense === 'max' ? -1 : 1;
  const offset = lp.objectiveOffset ?? 0;
  const { colStart, rowIndex, values } = matrix;

  const activity = out?.activity ?? new Float64Array(matrix.rows);
  const reducedCost = out?.reducedCost;
  let primalObjective = 0;
  let cNorm2 = 0;
  let boundNorm2 = 0;
  let primalViolation2 = 0;
  let dualViolation2 = 0;
  let dualObjective = 0;

  for (let j = 0; j < matrix.cols; j++) {
    const xj = x[j] ?? 0;
    const cj = sign * (objective[j] ?? 0);
    primalObjective += cj * xj;
    cNorm2 += cj * cj;
    // Reduced cost in minimisation form: r = c − Aᵀy.
    let r = cj;
    for (let k = colStart[j] ?? 0; k < (colStart[j + 1] ?? 0); k++) {
      const i = rowIndex[k] ?? 0;
      const a = values[k] ?? 0;
      activity[i] = (activity[i] ?? 0) + a * xj;
      r -= a * sign * (rowDual[i] ?? 0);
    }
    // r is the minimisation form's: sign·r is the LP's own (negation is exact, so the same bits either way).
    if (reducedCost !== undefined) reducedCost[j] = sign * r;
    const lo = colLower[j] ?? 0;
    const hi = colUpper[j] ?? 0;
    if (Number.isFinite(lo)) boundNorm2 += lo * lo;
    if (Number.isFinite(hi)) boundNorm2 += hi * hi;
    const below = lo - xj;
    const above = xj - hi;
    if (below > 0) primalViolation2 += below * below;
    if (above > 0) primalViolation2 += above * above;
    if (r > 0) {
      if (Number.isFinite(lo)) dualObjective += r * lo;
      else dualViolation2 += r * r;
    } else if (r < 0) {
      if (Number.isFinite(hi)) dualObjective += r * hi;
      else dualViolation2 += r * r;
    }
  }

  for (let i = 0; i < matrix.rows; i++) {
    const lo = rowLower[i] ?? 0;
    const hi = rowUpper[i] ?? 0;
    const ax = activity[i] ?? 0;
    const y = sign * (rowDual[i] ?? 0);
    if (Number.isFinite(lo)) boundNorm2 += lo * lo;
    if (Number.isFinite(hi) && hi !== lo) boundNorm2 += hi * hi;
    const below = lo - ax;
    const above = ax - hi;
    if (below > 0) primalViolation2 += below * below;
    if (above > 0) primalViolation2 += above * above;
    if (y > 0) {
      if (Number.isFinite(lo)) dualObjective += y * lo;
      else dualViolation2 += y * y;
    } else if (y < 0) {
      if (Number.isFinite(hi)) dualObjective += y * hi;
      else dualViolation2 += y * y;
    }
  }

  const pObj = sign * primalObjective + offset;
  const dObj = sign * dualObjective + offset;
  return {
    primal: Math.sqrt(primalViolation2) / (1 + Math.sqrt(boundNorm2)),
    dual: Math.sqrt(dualViolation2) / (1 + Math.sqrt(cNorm2)),
    gap: Math.abs(pObj - dObj) / (1 + Math.abs(pObj) + Math.abs(dObj)),
    primalObjective: pObj,
    dualObjective: dObj,
  };
}
