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
  const sign = lp.sense === 'max' ? -1 : 1;
  const offset = lp.objectiveOffset ?? 0;
  const activity = out?.activity ?? new Float64Array(lp.matrix.rows);
  // The two passes are functions of their own, called with the same shapes every time: inline in one function
  // each call entered the second loop (and the return) with no type feedback from the first one's compiled
  // code, so V8 dropped and recompiled this function on every replan (--trace-deopt), a heap number per step
  // meanwhile. The sums run in the same order as before, so the figures are bit for bit the same.
  const sums = new Float64Array(SUMS);
  columnPass(lp, x, rowDual, sign, activity, out?.reducedCost ?? null, sums);
  rowPass(lp, rowDual, sign, activity, sums);
  const pObj = sign * sums[PRIMAL_OBJECTIVE]! + offset;
  const dObj = sign * sums[DUAL_OBJECTIVE]! + offset;
  return {
    primal: Math.sqrt(sums[PRIMAL_VIOLATION]!) / (1 + Math.sqrt(sums[BOUND_NORM]!)),
    dual: Math.sqrt(sums[DUAL_VIOLATION]!) / (1 + Math.sqrt(sums[C_NORM]!)),
    gap: Math.abs(pObj - dObj) / (1 + Math.abs(pObj) + Math.abs(dObj)),
    primalObjective: pObj,
    dualObjective: dObj,
  };
}

/** The running sums both passes add to, by position in one array. */
const PRIMAL_OBJECTIVE = 0;
const C_NORM = 1;
const BOUND_NORM = 2;
const PRIMAL_VIOLATION = 3;
const DUAL_VIOLATION = 4;
const DUAL_OBJECTIVE = 5;
const SUMS = 6;

/** Columns: activities, reduced costs, column bounds' violations and the dual objective's column terms. */
function columnPass(
  lp: LinearProgram,
  x: Float64Array,
  rowDual: Float64Array,
  sign: number,
  activity: Float64Array,
  reducedCost: Float64Array | null,
  sums: Float64Array,
): void {
  const { matrix, objective, colLower, colUpper } = lp;
  const { colStart, rowIndex, values } = matrix;
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
    if (reducedCost !== null) reducedCost[j] = sign * r;
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
  sums[PRIMAL_OBJECTIVE] = primalObjective;
  sums[C_NORM] = cNorm2;
  sums[BOUND_NORM] = boundNorm2;
  sums[PRIMAL_VIOLATION] = primalViolation2;
  sums[DUAL_VIOLATION] = dualViolation2;
  sums[DUAL_OBJECTIVE] = dualObjective;
}

/** Rows: row bounds' violations and the dual objective's row terms, added to the column pass's sums. */
function rowPass(
  lp: LinearProgram,
  rowDual: Float64Array,
  sign: number,
  activity: Float64Array,
  sums: Float64Array,
): void {
  const { rowLower, rowUpper } = lp;
  let boundNorm2 = sums[BOUND_NORM]!;
  let primalViolation2 = sums[PRIMAL_VIOLATION]!;
  let dualViolation2 = sums[DUAL_VIOLATION]!;
  let dualObjective = sums[DUAL_OBJECTIVE]!;
  for (let i = 0; i < lp.matrix.rows; i++) {
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
  sums[BOUND_NORM] = boundNorm2;
  sums[PRIMAL_VIOLATION] = primalViolation2;
  sums[DUAL_VIOLATION] = dualViolation2;
  sums[DUAL_OBJECTIVE] = dualObjective;
}
