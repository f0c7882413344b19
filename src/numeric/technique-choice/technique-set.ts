// Techniques grouped by the product they make, and the input matrix of one choice of technique per product.
import type { CsrMatrix } from '../sparse/csr';
import type { SpareArrays } from '../sparse/spare-arrays';

/** Sparse rows over techniques: technique j's entries are start[j]..start[j+1]-1. */
export interface TechniqueRows {
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

/** Each technique makes one unit of product `techProduct[j]` from `inputs` row j (products per unit). */
export interface TechniqueSet {
  products: number;
  techProduct: Int32Array;
  inputs: TechniqueRows;
}

/** Techniques of product p are `techs[start[p]..start[p+1]-1]`. */
export interface TechniquesByProduct {
  start: Int32Array;
  techs: Int32Array;
}

export function techniquesByProduct(set: TechniqueSet): TechniquesByProduct {
  const n = set.products;
  const start = new Int32Array(n + 1);
  const { techProduct } = set;
  // Plain loops (every solve makes this list; a callback per technique compiled anew in each replan).
  for (let j = 0; j < techProduct.length; j++) start[techProduct[j]! + 1]!++;
  for (let p = 0; p < n; p++) start[p + 1]! += start[p]!;
  const next = start.slice(0, n);
  const techs = new Int32Array(techProduct.length);
  for (let j = 0; j < techProduct.length; j++) techs[next[techProduct[j]!]!++] = j;
  return { start, techs };
}

/**
 * B with row p = the inputs of the technique chosen for p: the values solve v = c + B v and the balance
 * x = Bᵀ x + d. Rows come out sorted by column with repeated inputs summed, as CsrMatrix requires. With
 * `only`, just those products' rows are filled and the others left empty: the rows of a choice whose matrix
 * is no longer kept, that a permuted copy's update needs (warm-fixed-point.ts). With `spare`, its arrays are
 * lent from there (and written in full).
 */
export function chosenInputMatrix(
  set: Pick<TechniqueSet, 'products' | 'inputs'>,
  policy: Int32Array,
  only?: Int32Array,
  spare?: SpareArrays,
): CsrMatrix {
  const n = set.products;
  const { start, index, value } = set.inputs;
  let filled: Uint8Array | null = null;
  if (only !== undefined) {
    filled = new Uint8Array(n);
    for (const p of only) filled[p] = 1;
  }
  const rowStart = spare ? spare.int32(n + 1) : new Int32Array(n + 1);
  rowStart[0] = 0;
  for (let p = 0; p < n; p++) {
    const j = policy[p]!;
    rowStart[p + 1] = rowStart[p]! + (filled?.[p] === 0 ? 0 : start[j + 1]! - start[j]!);
  }
  const colIndex = spare ? spare.int32(rowStart[n]!) : new Int32Array(rowStart[n]!);
  const values = spare ? spare.float64(rowStart[n]!) : new Float64Array(rowStart[n]!);
  let w = 0;
  for (let p = 0; p < n; p++) {
    const j = policy[p]!;
    const from = w;
    if (filled?.[p] === 0) {
      rowStart[p + 1] = w;
      continue;
    }
    let sorted = true;
    for (let e = start[j]!; e < start[j + 1]!; e++) {
      if (w > from && index[e]! <= colIndex[w - 1]!) sorted = false;
      colIndex[w] = index[e]!;
      values[w++] = value[e]!;
    }
    if (!sorted) w = from + sortRow(colIndex, values, from, w);
    rowStart[p + 1] = w;
  }
  if (w === colIndex.length) return { rows: n, cols: n, rowStart, colIndex, values };
  // Repeated inputs were summed: lent arrays are cut to length in place (views), fresh ones copied to size.
  if (spare)
    return { rows: n, cols: n, rowStart, colIndex: colIndex.subarray(0, w), values: values.subarray(0, w) };
  return { rows: n, cols: n, rowStart, colIndex: colIndex.slice(0, w), values: values.slice(0, w) };
}

/** Sorts entries from..to-1 by column and sums repeats in place; returns how many remain. */
function sortRow(col: Int32Array, val: Float64Array, from: number, to: number): number {
  const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => col[a]! - col[b]!);
  const c = order.map((k) => col[k]!);
  const v = order.map((k) => val[k]!);
  let w = 0;
  for (let k = 0; k < c.length; k++) {
    if (w > 0 && c[k] === col[from + w - 1]) val[from + w - 1]! += v[k]!;
    else {
      col[from + w] = c[k]!;
      val[from + w] = v[k]!;
      w++;
    }
  }
  return w;
}
