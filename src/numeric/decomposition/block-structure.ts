// Splits a linear programme into blocks of columns: a row whose entries all lie in one block is that block's own
// (local) row; every other row links blocks. Pure index work, no solving.
import type { CscMatrix, LinearProgram } from '../lp/lp';

export interface Block {
  /** Columns of the programme in this block, ascending. */
  columns: Int32Array;
  /** Rows of the programme local to this block, ascending. */
  localRows: Int32Array;
}

export interface BlockStructure {
  lp: LinearProgram;
  blocks: Block[];
  /** Rows that touch more than one block (or none), ascending. */
  linkingRows: Int32Array;
  /** Position of each row among the linking rows, −1 for a local row. */
  linkingIndex: Int32Array;
  blockOfColumn: Int32Array;
}

/**
 * `blockOfColumn[j]` names the block of column j (0 … blocks − 1). Only minimisation is decomposed here: a
 * caller with a maximisation negates its objective first.
 */
export function splitIntoBlocks(
  lp: LinearProgram,
  blockOfColumn: Int32Array,
  blocks: number,
): BlockStructure {
  const { matrix } = lp;
  if (lp.sense !== 'min') throw new RangeError('splitIntoBlocks: only minimisation is decomposed');
  if (blockOfColumn.length !== matrix.cols)
    throw new RangeError(`splitIntoBlocks: ${blockOfColumn.length} block labels for ${matrix.cols} columns`);
  // −2: no entry yet; −1: entries in two blocks or more; b ≥ 0: entries in block b only.
  const owner = new Int32Array(matrix.rows).fill(-2);
  for (let j = 0; j < matrix.cols; j++) {
    const b = blockOfColumn[j]!;
    if (!(b >= 0 && b < blocks)) throw new RangeError(`splitIntoBlocks: column ${j} has block ${b}`);
    for (let e = matrix.colStart[j]!; e < matrix.colStart[j + 1]!; e++) {
      const i = matrix.rowIndex[e]!;
      const o = owner[i]!;
      if (o === -2) owner[i] = b;
      else if (o !== b) owner[i] = -1;
    }
  }
  const columnsOf: number[][] = Array.from({ length: blocks }, () => []);
  for (let j = 0; j < matrix.cols; j++) columnsOf[blockOfColumn[j]!]!.push(j);
  const rowsOf: number[][] = Array.from({ length: blocks }, () => []);
  const linking: number[] = [];
  const linkingIndex = new Int32Array(matrix.rows).fill(-1);
  for (let i = 0; i < matrix.rows; i++) {
    const o = owner[i]!;
    if (o >= 0) rowsOf[o]!.push(i);
    else {
      linkingIndex[i] = linking.length;
      linking.push(i);
    }
  }
  return {
    lp,
    blocks: columnsOf.map((c, b) => ({
      columns: Int32Array.from(c),
      localRows: Int32Array.from(rowsOf[b]!),
    })),
    linkingRows: Int32Array.from(linking),
    linkingIndex,
    blockOfColumn,
  };
}

/** The block's own programme: its columns, its local rows, and the given objective over its columns. */
export function blockProgram(s: BlockStructure, b: number, objective: Float64Array): LinearProgram {
  const { lp } = s;
  const block = s.blocks[b]!;
  const rowPos = new Map<number, number>();
  block.localRows.forEach((i, k) => rowPos.set(i, k));
  const colStart = new Int32Array(block.columns.length + 1);
  const rowIndex: number[] = [];
  const values: number[] = [];
  block.columns.forEach((j, k) => {
    for (let e = lp.matrix.colStart[j]!; e < lp.matrix.colStart[j + 1]!; e++) {
      const r = rowPos.get(lp.matrix.rowIndex[e]!);
      if (r !== undefined) {
        rowIndex.push(r);
        values.push(lp.matrix.values[e]!);
      }
    }
    colStart[k + 1] = rowIndex.length;
  });
  const matrix: CscMatrix = {
    rows: block.localRows.length,
    cols: block.columns.length,
    colStart,
    rowIndex: Int32Array.from(rowIndex),
    values: Float64Array.from(values),
  };
  const pick = (a: Float64Array, idx: Int32Array) => Float64Array.from(idx, (i) => a[i]!);
  return {
    sense: 'min',
    objective,
    matrix,
    rowLower: pick(lp.rowLower, block.localRows),
    rowUpper: pick(lp.rowUpper, block.localRows),
    colLower: pick(lp.colLower, block.columns),
    colUpper: pick(lp.colUpper, block.columns),
  };
}
