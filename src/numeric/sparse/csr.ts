// Compressed sparse row (CSR) matrices on typed arrays: the one sparse format of the Leontief core.

/** Row i's entries are rowStart[i]..rowStart[i+1]-1 of colIndex/values. Rows are sorted by column. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  rowStart: Int32Array; // length rows + 1
  colIndex: Int32Array; // length nnz
  values: Float64Array; // length nnz
}

/** Number of stored entries. */
export function nnz(m: CsrMatrix): number {
  return m.rowStart[m.rows]!;
}

/** Transpose in O(rows + cols + nnz) by a counting sort on columns; the result's rows come out sorted. */
export function transpose(m: CsrMatrix): CsrMatrix {
  const count = nnz(m);
  const rowStart = new Int32Array(m.cols + 1);
  const colIndex = new Int32Array(count);
  const values = new Float64Array(count);
  const srcCol = m.colIndex;
  for (let k = 0; k < count; k++) rowStart[srcCol[k]! + 1]!++;
  for (let j = 0; j < m.cols; j++) rowStart[j + 1]! += rowStart[j]!;
  const next = rowStart.slice(0, m.cols);
  const srcStart = m.rowStart;
  const srcValues = m.values;
  for (let i = 0; i < m.rows; i++) {
    const end = srcStart[i + 1]!;
    for (let k = srcStart[i]!; k < end; k++) {
      const dest = next[srcCol[k]!]!++;
      colIndex[dest] = i;
      values[dest] = srcValues[k]!;
    }
  }
  return { rows: m.cols, cols: m.rows, rowStart, colIndex, values };
}

/**
 * Builds a CSR matrix from coordinate triplets. Duplicated (row, col) pairs are summed and explicit
 * zeros dropped, so the result is canonical whatever order the triplets came in.
 */
export function fromTriplets(
  rows: number,
  cols: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
  valueOf: ArrayLike<number>,
): CsrMatrix {
  const count = rowOf.length;
  // Bucket by column first, then transpose: two stable counting sorts leave each row sorted by column.
  const colStart = new Int32Array(cols + 1);
  for (let k = 0; k < count; k++) colStart[colOf[k]! + 1]!++;
  for (let j = 0; j < cols; j++) colStart[j + 1]! += colStart[j]!;
  const next = colStart.slice(0, cols);
  const byColRow = new Int32Array(count);
  const byColValue = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const dest = next[colOf[k]!]!++;
    byColRow[dest] = rowOf[k]!;
    byColValue[dest] = valueOf[k]!;
  }
  const sorted = transpose({
    rows: cols,
    cols: rows,
    rowStart: colStart,
    colIndex: byColRow,
    values: byColValue,
  });
  return sumDuplicates(sorted);
}

/** Merges adjacent equal columns within each (sorted) row and drops zeros, in place when nothing changes. */
function sumDuplicates(m: CsrMatrix): CsrMatrix {
  const { rowStart, colIndex, values } = m;
  let write = 0;
  let readStart = 0;
  for (let i = 0; i < m.rows; i++) {
    const end = rowStart[i + 1]!;
    const rowBegin = write;
    for (let k = readStart; k < end; k++) {
      const c = colIndex[k]!;
      if (write > rowBegin && colIndex[write - 1] === c) {
        values[write - 1]! += values[k]!;
      } else {
        colIndex[write] = c;
        values[write] = values[k]!;
        write++;
      }
    }
    let keep = rowBegin;
    for (let k = rowBegin; k < write; k++) {
      if (values[k] !== 0) {
        colIndex[keep] = colIndex[k]!;
        values[keep] = values[k]!;
        keep++;
      }
    }
    write = keep;
    readStart = end;
    rowStart[i + 1] = write;
  }
  if (write === colIndex.length) return m;
  return {
    rows: m.rows,
    cols: m.cols,
    rowStart,
    colIndex: colIndex.slice(0, write),
    values: values.slice(0, write),
  };
}

/** y = M x (y is allocated when not given). */
export function matvec(
  m: CsrMatrix,
  x: Float64Array,
  y: Float64Array = new Float64Array(m.rows),
): Float64Array {
  const { rowStart, colIndex, values } = m;
  for (let i = 0; i < m.rows; i++) {
    let sum = 0;
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) sum += values[k]! * x[colIndex[k]!]!;
    y[i] = sum;
  }
  return y;
}

/** y = x M, i.e. Mᵀ x, without building the transpose. */
export function vecmat(
  m: CsrMatrix,
  x: Float64Array,
  y: Float64Array = new Float64Array(m.cols),
): Float64Array {
  const { rowStart, colIndex, values } = m;
  y.fill(0);
  for (let i = 0; i < m.rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) y[colIndex[k]!]! += xi * values[k]!;
  }
  return y;
}

/** Dense rows of a small CSR matrix. */
export function toDense(m: CsrMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(m.cols).fill(0);
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) row[m.colIndex[k]!] = m.values[k]!;
    out.push(row);
  }
  return out;
}

/** CSR form of dense rows (all rows must have the same length); zeros are not stored. */
export function fromDense(rows: readonly (readonly number[])[]): CsrMatrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const rowOf: number[] = [];
  const colOf: number[] = [];
  const valueOf: number[] = [];
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    for (let j = 0; j < c; j++) {
      const v = row[j]!;
      if (v !== 0) {
        rowOf.push(i);
        colOf.push(j);
        valueOf.push(v);
      }
    }
  }
  return fromTriplets(r, c, rowOf, colOf, valueOf);
}

/** Sums of each column. */
export function columnSums(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let k = 0; k < nnz(m); k++) out[m.colIndex[k]!]! += m.values[k]!;
  return out;
}
