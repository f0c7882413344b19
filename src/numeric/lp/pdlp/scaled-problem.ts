// The LP as PDHG sees it: minimisation form, diagonally rescaled (Ruiz then Pock–Chambolle), in CSC and CSR.
import type { LinearProgram } from '../lp';
import { transposeCompressed } from './sparse-multiply';

/**
 * A' = R A C with x = C x', y = R y'. Bounds and costs are transformed to match, so objectives are
 * unchanged and original-space residuals follow from scaled ones by dividing by R (rows) or C (columns).
 */
export interface ScaledProblem {
  rows: number;
  cols: number;
  /** CSC of A' (column j: colStart[j]..colStart[j+1]-1). */
  colStart: Int32Array;
  rowIndex: Int32Array;
  colValues: Float64Array;
  /** CSR of A' (row i: rowStart[i]..rowStart[i+1]-1). */
  rowStart: Int32Array;
  colIndex: Int32Array;
  rowValues: Float64Array;
  /** Minimisation-form cost C c (negated for a maximisation). */
  cost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  rowScale: Float64Array;
  colScale: Float64Array;
  /** +1 for min, −1 for max: original objective = sign · (scaled objective) + offset. */
  sign: number;
  /** ‖c‖₂ and ‖finite bounds‖₂ in original units, for relative residuals. */
  costNorm: number;
  boundNorm: number;
  /** Largest |a'ᵢⱼ|, the initial step size's reciprocal. */
  maxAbs: number;
  /** The LP it was scaled from, for checks in original units (infeasibility certificates). */
  original: LinearProgram;
}

const RUIZ_ITERATIONS = 10;

/**
 * One rescaling pass: rows and columns divided by sqrt of their norm (∞-norm for Ruiz, 1-norm for Pock–Chambolle).
 * The arrays are held in locals and each norm has its own loop, so the eleven passes stay plain typed-array loops
 * (they had taken 70 ms of a 10⁴-column solve, about a tenth of PDLP's time, with the norm chosen per entry).
 */
function rescalePass(
  p: { colStart: Int32Array; rowIndex: Int32Array; values: Float64Array },
  rowScale: Float64Array,
  colScale: Float64Array,
  norm: 'inf' | 'one',
): void {
  const m = rowScale.length;
  const n = colScale.length;
  const { colStart, rowIndex, values } = p;
  const rowNorm = new Float64Array(m);
  const colNorm = new Float64Array(n);
  if (norm === 'inf') {
    for (let j = 0; j < n; j++) {
      let largest = 0;
      const end = colStart[j + 1] as number;
      for (let k = colStart[j] as number; k < end; k++) {
        const a = Math.abs(values[k] as number);
        const i = rowIndex[k] as number;
        if (a > (rowNorm[i] as number)) rowNorm[i] = a;
        if (a > largest) largest = a;
      }
      colNorm[j] = largest;
    }
  } else {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      const end = colStart[j + 1] as number;
      for (let k = colStart[j] as number; k < end; k++) {
        const a = Math.abs(values[k] as number);
        const i = rowIndex[k] as number;
        rowNorm[i] = (rowNorm[i] as number) + a;
        sum += a;
      }
      colNorm[j] = sum;
    }
  }
  // Norms become factors in place: 1/sqrt(norm), or 1 for an empty row or column.
  for (let i = 0; i < m; i++) {
    const v = rowNorm[i] as number;
    rowNorm[i] = v > 0 ? 1 / Math.sqrt(v) : 1;
  }
  for (let j = 0; j < n; j++) {
    const v = colNorm[j] as number;
    colNorm[j] = v > 0 ? 1 / Math.sqrt(v) : 1;
  }
  for (let j = 0; j < n; j++) {
    const cj = colNorm[j] as number;
    const end = colStart[j + 1] as number;
    for (let k = colStart[j] as number; k < end; k++)
      values[k] = (values[k] as number) * (rowNorm[rowIndex[k] as number] as number) * cj;
  }
  for (let i = 0; i < m; i++) rowScale[i] = (rowScale[i] as number) * (rowNorm[i] as number);
  for (let j = 0; j < n; j++) colScale[j] = (colScale[j] as number) * (colNorm[j] as number);
}

export function scaleProblem(lp: LinearProgram): ScaledProblem {
  const { rows: m, cols: n } = lp.matrix;
  const sign = lp.sense === 'max' ? -1 : 1;
  const work = {
    colStart: lp.matrix.colStart,
    rowIndex: lp.matrix.rowIndex,
    values: Float64Array.from(lp.matrix.values),
  };
  const rowScale = new Float64Array(m).fill(1);
  const colScale = new Float64Array(n).fill(1);
  for (let t = 0; t < RUIZ_ITERATIONS; t++) rescalePass(work, rowScale, colScale, 'inf');
  rescalePass(work, rowScale, colScale, 'one');

  const cost = new Float64Array(n);
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  let costNorm2 = 0;
  let boundNorm2 = 0;
  for (let j = 0; j < n; j++) {
    const cj = sign * (lp.objective[j] as number);
    const s = colScale[j] as number;
    costNorm2 += cj * cj;
    cost[j] = cj * s;
    const lo = lp.colLower[j] as number;
    const hi = lp.colUpper[j] as number;
    if (Number.isFinite(lo)) boundNorm2 += lo * lo;
    if (Number.isFinite(hi)) boundNorm2 += hi * hi;
    colLower[j] = lo / s;
    colUpper[j] = hi / s;
  }
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const lo = lp.rowLower[i] as number;
    const hi = lp.rowUpper[i] as number;
    if (Number.isFinite(lo)) boundNorm2 += lo * lo;
    if (Number.isFinite(hi) && hi !== lo) boundNorm2 += hi * hi;
    rowLower[i] = lo * (rowScale[i] as number);
    rowUpper[i] = hi * (rowScale[i] as number);
  }
  let maxAbs = 0;
  for (const v of work.values) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  const csr = transposeCompressed(n, m, work.colStart, work.rowIndex, work.values);
  return {
    rows: m,
    cols: n,
    colStart: work.colStart,
    rowIndex: work.rowIndex,
    colValues: work.values,
    rowStart: csr.start,
    colIndex: csr.index,
    rowValues: csr.values,
    cost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    rowScale,
    colScale,
    sign,
    costNorm: Math.sqrt(costNorm2),
    boundNorm: Math.sqrt(boundNorm2),
    maxAbs,
    original: lp,
  };
}
