// A permuted system (ordering.ts) of a matrix that differs from an already permuted one in a few rows: the
// rows that did not change are copied in blocks instead of scattered entry by entry. Technique choice makes
// such matrices (another choice of technique changes a few products' rows); permuting each afresh cost about
// as much as a dozen sweeps at 10⁵ products, a third of a replan whose skill price moves far.
import type { CsrMatrix } from './csr';
import type { PermutedSystem } from './ordering';
import type { SpareArrays } from './spare-arrays';

/** Each order's inverse (position[order[t]] = t): copies updated one from another share their order. */
const positions = new WeakMap<Int32Array, Int32Array>();

function positionsOf(order: Int32Array): Int32Array {
  let position = positions.get(order);
  if (position === undefined) {
    position = new Int32Array(order.length);
    for (let t = 0; t < order.length; t++) position[order[t]!] = t;
    positions.set(order, position);
  }
  return position;
}

/**
 * The system permuteSymmetric(next, old.order, { transposed, hubs }) would build, from `old`, the system of
 * `prev` in the same order, where `next` differs from `prev` only in the rows listed in `changed` (original
 * indices). Entries within a row may come in another order than permuteSymmetric's (left of the diagonal
 * first, then right of it, as it requires); the sums differ only by rounding. The new system's arrays come
 * from `spare` when given (each is written in full), otherwise fresh.
 */
export function updatePermuted(
  old: PermutedSystem,
  prev: CsrMatrix,
  next: CsrMatrix,
  changed: Int32Array,
  transposed: boolean,
  spare?: SpareArrays,
): PermutedSystem {
  const n = next.rows;
  const { order } = old;
  const position = positionsOf(order);
  // Marked by permuted position, so that an entry's origin is looked up without going through `order`.
  const changedAt = new Uint8Array(n);
  for (const i of changed) changedAt[position[i]!] = 1;
  // The permuted rows an entry of a changed row of M lands in: the row's own position, or when transposed
  // the positions of its columns, old and new.
  const touched = new Uint8Array(n);
  const rows: number[] = [];
  // Entries added to each touched row (read for touched rows only, so zeroed as a row is first touched).
  const added = spare ? spare.int32(n) : new Int32Array(n);
  const touch = (t: number) => {
    if (touched[t] === 0) {
      touched[t] = 1;
      added[t] = 0;
      rows.push(t);
    }
  };
  const diagonal = spare ? spare.float64(n) : new Float64Array(n);
  diagonal.set(old.diagonal);
  for (const i of changed) {
    diagonal[position[i]!] = 0;
    if (!transposed) touch(position[i]!);
    else
      for (let k = prev.rowStart[i]!; k < prev.rowStart[i + 1]!; k++)
        if (prev.colIndex[k] !== i) touch(position[prev.colIndex[k]!]!);
    for (let k = next.rowStart[i]!; k < next.rowStart[i + 1]!; k++) {
      const j = next.colIndex[k]!;
      if (j === i) {
        diagonal[position[i]!] = next.values[k]!;
        continue;
      }
      const row = transposed ? position[j]! : position[i]!;
      touch(row);
      added[row]!++;
    }
  }
  const touchedRows = Int32Array.from(rows).sort();
  const { rowStart: oldStart, colIndex: oldCol, values: oldValues } = old.offDiagonal;
  // An old entry of a touched row stays unless it came from a changed row of M.
  const stays = (t: number, k: number) => changedAt[transposed ? oldCol[k]! : t] === 0;
  const start = spare ? spare.int32(n + 1) : new Int32Array(n + 1);
  start[0] = 0;
  for (let t = 0; t < n; t++) {
    let length = oldStart[t + 1]! - oldStart[t]!;
    if (touched[t] === 1) {
      length = added[t]!;
      for (let k = oldStart[t]!; k < oldStart[t + 1]!; k++) if (stays(t, k)) length++;
    }
    start[t + 1] = start[t]! + length;
  }
  const col = spare ? spare.int32(start[n]!) : new Int32Array(start[n]!);
  const values = spare ? spare.float64(start[n]!) : new Float64Array(start[n]!);
  const lowerEnd = spare ? spare.int32(n) : new Int32Array(n);
  // Untouched rows: whole blocks between touched ones, shifted by the change in length before them.
  let from = 0;
  const copyBlock = (to: number) => {
    if (to <= from) return;
    col.set(oldCol.subarray(oldStart[from]!, oldStart[to]!), start[from]!);
    values.set(oldValues.subarray(oldStart[from]!, oldStart[to]!), start[from]!);
    const shift = start[from]! - oldStart[from]!;
    for (let t = from; t < to; t++) lowerEnd[t] = old.lowerEnd[t]! + shift;
  };
  for (const t of touchedRows) {
    copyBlock(t);
    from = t + 1;
  }
  copyBlock(n);
  // Touched rows: the old entries that stay, then the new ones, each left of the diagonal from the row's
  // start and right of it from its end.
  const low = spare ? spare.int32(n) : new Int32Array(n);
  const high = spare ? spare.int32(n) : new Int32Array(n);
  for (const t of touchedRows) {
    low[t] = start[t]!;
    high[t] = start[t + 1]! - 1;
    for (let k = oldStart[t]!; k < oldStart[t + 1]!; k++) {
      if (!stays(t, k)) continue;
      const c = oldCol[k]!;
      const dest = c < t ? low[t]!++ : high[t]!--;
      col[dest] = c;
      values[dest] = oldValues[k]!;
    }
  }
  for (const i of changed) {
    const pi = position[i]!;
    for (let k = next.rowStart[i]!; k < next.rowStart[i + 1]!; k++) {
      const j = next.colIndex[k]!;
      if (j === i) continue;
      const row = transposed ? position[j]! : pi;
      const c = transposed ? pi : position[j]!;
      const dest = c < row ? low[row]!++ : high[row]!--;
      col[dest] = c;
      values[dest] = next.values[k]!;
    }
  }
  for (const t of touchedRows) lowerEnd[t] = low[t]!;
  spare?.give(added, low, high);
  return {
    offDiagonal: { rows: n, cols: n, rowStart: start, colIndex: col, values },
    lowerEnd,
    diagonal,
    order,
    hubs: old.hubs,
  };
}
