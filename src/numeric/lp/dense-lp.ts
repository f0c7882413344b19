// Builds a LinearProgram from dense rows: for textbook examples, tests and small hand-written models.
import type { LinearProgram } from './lp';

export interface DenseLp {
  sense: 'min' | 'max';
  objective: readonly number[];
  /** Constraint rows, each of length objective.length. */
  rows: readonly (readonly number[])[];
  rowLower: readonly number[];
  rowUpper: readonly number[];
  /** Defaults to 0 for every column. */
  colLower?: readonly number[];
  /** Defaults to +∞ for every column. */
  colUpper?: readonly number[];
  objectiveOffset?: number;
}

/** Converts dense rows to the CSC form of `LinearProgram`, dropping zero coefficients. */
export function denseLp(d: DenseLp): LinearProgram {
  const n = d.objective.length;
  const m = d.rows.length;
  const colStart = new Int32Array(n + 1);
  const rowIndex: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const a = d.rows[i]?.[j] ?? 0;
      if (a !== 0) {
        rowIndex.push(i);
        values.push(a);
      }
    }
    colStart[j + 1] = rowIndex.length;
  }
  return {
    sense: d.sense,
    objective: Float64Array.from(d.objective),
    objectiveOffset: d.objectiveOffset ?? 0,
    matrix: {
      rows: m,
      cols: n,
      colStart,
      rowIndex: Int32Array.from(rowIndex),
      values: Float64Array.from(values),
    },
    rowLower: Float64Array.from(d.rowLower),
    rowUpper: Float64Array.from(d.rowUpper),
    colLower: Float64Array.from(d.colLower ?? new Array<number>(n).fill(0)),
    colUpper: Float64Array.from(d.colUpper ?? new Array<number>(n).fill(Number.POSITIVE_INFINITY)),
  };
}
