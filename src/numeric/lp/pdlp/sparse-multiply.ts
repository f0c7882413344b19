// Sparse matrix–vector products on compressed arrays, the hot loop of PDHG (two per iteration).

/**
 * out = M v for M in compressed-major form (CSR: major = rows; the CSC arrays of A serve as CSR of Aᵀ).
 * Gather form: each output entry is written once, which keeps the loop free of scattered stores.
 */
export function multiplyCompressed(
  start: Int32Array,
  index: Int32Array,
  values: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  const major = out.length;
  for (let i = 0; i < major; i++) {
    let sum = 0;
    const end = start[i + 1] as number;
    for (let k = start[i] as number; k < end; k++)
      sum += (values[k] as number) * (v[index[k] as number] as number);
    out[i] = sum;
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
