// Sparse matrix–vector products on compressed arrays, the hot loop of PDHG (two per iteration).

/**
 * out = M v for M in compressed-major form (CSR: major = rows; the CSC arrays of A serve as CSR of Aᵀ).
 * Gather form: each output entry is written once, which keeps the loop free of scattered stores. Each dot
 * product runs in two chains (even and odd entries, added at the end), so one multiply–add need not wait for
 * the last: 0.11 against 0.125 ms for the two products of a PDHG iteration at 10⁴ columns of the general LP.
 */
export function multiplyCompressed(
  start: Int32Array,
  index: Int32Array,
  values: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  const major = out.length;
  let k = start[0] as number;
  for (let i = 0; i < major; i++) {
    let s0 = 0;
    let s1 = 0;
    const end = start[i + 1] as number;
    for (; k + 1 < end; k += 2) {
      s0 += (values[k] as number) * (v[index[k] as number] as number);
      s1 += (values[k + 1] as number) * (v[index[k + 1] as number] as number);
    }
    if (k < end) {
      s0 += (values[k] as number) * (v[index[k] as number] as number);
      k++;
    }
    out[i] = s0 + s1;
  }
}

/**
 * multiplyCompressed, then z ← r1·out + r0·z + ra·a entry by entry, in the same loop (Halpern's mix of the
 * product into the next iterate; see stepAndMix in halpern.ts). out is bit for bit multiplyCompressed's.
 */
export function multiplyMixed(
  start: Int32Array,
  index: Int32Array,
  values: Float64Array,
  v: Float64Array,
  out: Float64Array,
  z: Float64Array,
  a: Float64Array,
  r1: number,
  r0: number,
  ra: number,
): void {
  const major = out.length;
  let k = start[0] as number;
  for (let i = 0; i < major; i++) {
    let s0 = 0;
    let s1 = 0;
    const end = start[i + 1] as number;
    for (; k + 1 < end; k += 2) {
      s0 += (values[k] as number) * (v[index[k] as number] as number);
      s1 += (values[k + 1] as number) * (v[index[k + 1] as number] as number);
    }
    if (k < end) {
      s0 += (values[k] as number) * (v[index[k] as number] as number);
      k++;
    }
    const sum = s0 + s1;
    out[i] = sum;
    z[i] = r1 * sum + r0 * (z[i] as number) + ra * (a[i] as number);
  }
}

/** Transposes compressed arrays (CSC ↔ CSR) in O(nnz). */
export function transposeCompressed(
  major: number,
  minor: number,
  start: Int32Array,
  index: Int32Array,
  values: Float64Array,
): { start: Int32Array; index: Int32Array; values: Float64Array } {
  const nnz = start[major] as number;
  const tStart = new Int32Array(minor + 1);
  for (let k = 0; k < nnz; k++) {
    const i = (index[k] as number) + 1;
    tStart[i] = (tStart[i] as number) + 1;
  }
  for (let i = 0; i < minor; i++) tStart[i + 1] = (tStart[i + 1] as number) + (tStart[i] as number);
  const fill = tStart.slice(0, minor);
  const tIndex = new Int32Array(nnz);
  const tValues = new Float64Array(nnz);
  for (let j = 0; j < major; j++) {
    for (let k = start[j] as number; k < (start[j + 1] as number); k++) {
      const i = index[k] as number;
      const p = fill[i] as number;
      fill[i] = p + 1;
      tIndex[p] = j;
      tValues[p] = values[k] as number;
    }
  }
  return { start: tStart, index: tIndex, values: tValues };
}
