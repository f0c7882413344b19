// Orders unknowns by technological depth, hub industries last, so that x = M x + b is nearly triangular.
import type { CsrMatrix } from './csr';
import type { SpareArrays } from './spare-arrays';

/** A square matrix split into its diagonal and the off-diagonal part, both renumbered by a permutation. */
export interface PermutedSystem {
  /** Each row holds its entries left of the diagonal first, up to lowerEnd[i], then those right of it. */
  offDiagonal: CsrMatrix;
  lowerEnd: Int32Array;
  diagonal: Float64Array;
  /** order[t] = old index at new position t. */
  order: Int32Array;
  /** The last `hubs` positions hold the hub industries (0 when none were set apart). */
  hubs: number;
}

/**
 * B = P M Pᵀ (or P Mᵀ Pᵀ when `transposed`) with the diagonal taken out, so that the Gauss–Seidel loop has
 * no branch. The transposed form is built straight from M's rows, which saves a separate transpose. With
 * `spare`, the copy's arrays are lent from there (already mapped memory; and when made new, with the spare's
 * slack, so that a later copy a little longer still fits them once they are given back).
 */
export function permuteSymmetric(
  m: CsrMatrix,
  order: Int32Array,
  options: { transposed?: boolean; hubs?: number; spare?: SpareArrays } = {},
): PermutedSystem {
  const n = m.rows;
  const transposed = options.transposed ?? false;
  const { rowStart, colIndex, values } = m;
  const position = new Int32Array(n);
  for (let t = 0; t < n; t++) position[order[t]!] = t;
  const { spare } = options;
  const diagonal = spare ? spare.float64(n).fill(0) : new Float64Array(n);
  const newStart = spare ? spare.int32(n + 1).fill(0) : new Int32Array(n + 1);
  // Count the off-diagonal entries of each new row: row t of B is row order[t] of M, or its column when transposed.
  if (transposed) {
    for (let i = 0; i < n; i++) {
      const end = rowStart[i + 1]!;
      for (let k = rowStart[i]!; k < end; k++) {
        const j = colIndex[k]!;
        if (j !== i) newStart[position[j]! + 1]!++;
      }
    }
  } else {
    for (let t = 0; t < n; t++) {
      const i = order[t]!;
      let count = rowStart[i + 1]! - rowStart[i]!;
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) if (colIndex[k] === i) count--;
      newStart[t + 1] = count;
    }
  }
  for (let t = 0; t < n; t++) newStart[t + 1]! += newStart[t]!;
  const total = newStart[n]!;
  const newCol = spare ? spare.int32(total) : new Int32Array(total);
  const newValues = spare ? spare.float64(total) : new Float64Array(total);
  // Lower entries fill each row from its start, upper ones from its end. Transposed, M's rows are read in the
  // new order, so every new row receives its entries by rising column: the lower part comes out sorted and the
  // upper part sorted backwards (reversed below). Sorted rows read x in rising order, which matters for the
  // hub rows (a hub's users, up to 0.9 n entries): read in M's order, each entry was a cache miss once x
  // outgrew the cache (a sweep at 2·10⁶ products took 1.5 times as long per non-zero, see docs/architecture.md).
  const low = newStart.slice(0, n);
  const high = new Int32Array(n);
  for (let t = 0; t < n; t++) high[t] = newStart[t + 1]! - 1;
  for (let s = 0; s < n; s++) {
    const i = transposed ? order[s]! : s;
    const pi = position[i]!;
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) {
      const j = colIndex[k]!;
      if (j === i) {
        diagonal[pi] = values[k]!;
        continue;
      }
      const pj = position[j]!;
      const row = transposed ? pj : pi;
      const col = transposed ? pi : pj;
      const dest = col < row ? low[row]!++ : high[row]!--;
      newCol[dest] = col;
      newValues[dest] = values[k]!;
    }
  }
  for (let t = 0; t < n; t++) {
    if (transposed) reverseRange(newCol, newValues, low[t]!, newStart[t + 1]!);
    else {
      // A row of M comes in M's column order, not the new one: sort each side (rows are short, so in place).
      sortRange(newCol, newValues, newStart[t]!, low[t]!);
      sortRange(newCol, newValues, low[t]!, newStart[t + 1]!);
    }
  }
  return {
    offDiagonal: { rows: n, cols: n, rowStart: newStart, colIndex: newCol, values: newValues },
    lowerEnd: low,
    diagonal,
    order,
    hubs: options.hubs ?? 0,
  };
}

/**
 * Hub industries (energy, transport): the rows of M with far more entries than the rest, at most `limit` of
 * them, densest first. A hub's row ties it to nearly every product, so no order can put it before or after
 * all of them; the solver sets hubs apart instead of letting them knot the whole economy into one loop.
 */
export function findHubs(m: CsrMatrix, limit = 32): Int32Array {
  const n = m.rows;
  const { rowStart } = m;
  const threshold = Math.max(64, (16 * rowStart[n]!) / Math.max(n, 1));
  const dense: number[] = [];
  for (let i = 0; i < n; i++) if (rowStart[i + 1]! - rowStart[i]! > threshold) dense.push(i);
  dense.sort((a, b) => rowStart[b + 1]! - rowStart[b]! - (rowStart[a + 1]! - rowStart[a]!) || a - b);
  return Int32Array.from(dense.slice(0, limit));
}

/**
 * An order in which each unknown comes after those it depends on (row i of M lists the j that x_i depends on)
 * wherever no loop forbids it, leaving out the `hubs` (the result has n − hubs.length entries). It is the postorder of a
 * depth-first search: exactly topological on the condensation, and inside a loop only the search's back edges
 * point forwards. Without the hubs the loops are the few feedback inputs; with them, every product would sit
 * in one loop through the hubs. `reversed` gives the order for Mᵀ (each unknown after those depending on it).
 */
export function dependencyOrder(
  m: CsrMatrix,
  hubs: Int32Array = new Int32Array(0),
  reversed = false,
): Int32Array {
  const n = m.rows;
  const { rowStart, colIndex } = m;
  const rest = n - hubs.length;
  const order = new Int32Array(rest);
  const visited = new Uint8Array(n);
  for (const hub of hubs) visited[hub] = 1;
  const stackNode = new Int32Array(n);
  const stackNext = new Int32Array(n);
  let placed = 0;
  for (let root = 0; root < n; root++) {
    if (visited[root]) continue;
    visited[root] = 1;
    let top = 0;
    stackNode[0] = root;
    stackNext[0] = rowStart[root]!;
    while (top >= 0) {
      const v = stackNode[top]!;
      let p = stackNext[top]!;
      const end = rowStart[v + 1]!;
      while (p < end && visited[colIndex[p]!]) p++;
      if (p < end) {
        const w = colIndex[p]!;
        stackNext[top] = p + 1;
        visited[w] = 1;
        top++;
        stackNode[top] = w;
        stackNext[top] = rowStart[w]!;
      } else {
        order[reversed ? rest - 1 - placed : placed] = v;
        placed++;
        top--;
      }
    }
  }
  return order;
}

/** Reverses entries from..to-1 of a row (columns with their values). */
function reverseRange(col: Int32Array, val: Float64Array, from: number, to: number): void {
  for (let a = from, b = to - 1; a < b; a++, b--) {
    const c = col[a]!;
    col[a] = col[b]!;
    col[b] = c;
    const v = val[a]!;
    val[a] = val[b]!;
    val[b] = v;
  }
}

/** Sorts entries from..to-1 of a row by column: insertion sort for short rows, an index sort for long ones. */
function sortRange(col: Int32Array, val: Float64Array, from: number, to: number): void {
  if (to - from <= 32) {
    for (let a = from + 1; a < to; a++) {
      const c = col[a]!;
      const v = val[a]!;
      let b = a - 1;
      for (; b >= from && col[b]! > c; b--) {
        col[b + 1] = col[b]!;
        val[b + 1] = val[b]!;
      }
      col[b + 1] = c;
      val[b + 1] = v;
    }
    return;
  }
  const at = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => col[a]! - col[b]!);
  const c = at.map((k) => col[k]!);
  const v = at.map((k) => val[k]!);
  col.set(c, from);
  val.set(v, from);
}

/** The unknowns that are not hubs, in their given order. */
export function givenOrderWithout(n: number, hubs: Int32Array): Int32Array {
  const isHub = new Uint8Array(n);
  for (const hub of hubs) isHub[hub] = 1;
  const order = new Int32Array(n - hubs.length);
  let t = 0;
  for (let i = 0; i < n; i++) if (!isHub[i]) order[t++] = i;
  return order;
}

/** The parts of an order joined into one. */
export function concatOrders(...parts: Int32Array[]): Int32Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const order = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    order.set(p, at);
    at += p.length;
  }
  return order;
}
