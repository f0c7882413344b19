// Gauss–Seidel sweeps that visit rows in a given order on the matrix as stored: no permuted or transposed copy.
import type { CsrMatrix } from './csr';

/** M's diagonal (the self-use coefficients), one pass over the entries. */
export function diagonalOf(m: CsrMatrix): Float64Array {
  const { rowStart, colIndex, values } = m;
  const d = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) if (colIndex[k] === i) d[i] = values[k]!;
  }
  return d;
}

/**
 * One sweep for x = M x + b, rows in `order[from..to)`: x_i ← (b_i + Σ_{j≠i} M_ij x_j) / (1 − M_ii), pulling
 * the current x_j from row i. The diagonal term is summed with the rest and taken back out, so the inner loop
 * has no branch. Returns Σ (Δx_i)².
 */
export function pullSweep(
  m: CsrMatrix,
  diagonal: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  b: Float64Array,
  x: Float64Array,
): number {
  const { rowStart, colIndex, values } = m;
  let change = 0;
  for (let t = from; t < to; t++) {
    const i = order[t]!;
    const end = rowStart[i + 1]!;
    let sum = b[i]!;
    for (let k = rowStart[i]!; k < end; k++) sum += values[k]! * x[colIndex[k]!]!;
    const d = diagonal[i]!;
    const old = x[i]!;
    const next = (sum - d * old) / (1 - d);
    const delta = next - old;
    change += delta * delta;
    x[i] = next;
  }
  return change;
}

/**
 * One sweep for x = Mᵀ x + b, rows of M in `order[from..to)`, keeping s = b + Mᵀ x exact by pushing each
 * update along its row: x_i ← (s_i − M_ii x_i) / (1 − M_ii), then s_j += M_ij Δx_i. This is Gauss–Seidel on
 * Mᵀ without building it, and s − x is the residual at every moment. Returns Σ (Δx_i)².
 */
export function pushSweep(
  m: CsrMatrix,
  diagonal: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  s: Float64Array,
  x: Float64Array,
): number {
  let change = 0;
  for (let t = from; t < to; t++) {
    const i = order[t]!;
    const d = diagonal[i]!;
    const old = x[i]!;
    const delta = (s[i]! - d * old) / (1 - d) - old;
    if (delta === 0) continue;
    change += delta * delta;
    x[i] = old + delta;
    pushRow(m, i, delta, s);
  }
  return change;
}

/** s += δ · (row i of M). */
export function pushRow(m: CsrMatrix, i: number, delta: number, s: Float64Array): void {
  const { rowStart, colIndex, values } = m;
  const end = rowStart[i + 1]!;
  for (let k = rowStart[i]!; k < end; k++) s[colIndex[k]!]! += values[k]! * delta;
}

/** ‖b + M x − x‖₂ (pull form), or ‖s − x‖₂ when s = b + Mᵀ x is kept (push form). */
export function pullResidual(m: CsrMatrix, b: Float64Array, x: Float64Array): number {
  const { rowStart, colIndex, values } = m;
  let norm = 0;
  for (let i = 0; i < m.rows; i++) {
    const end = rowStart[i + 1]!;
    let sum = b[i]! - x[i]!;
    for (let k = rowStart[i]!; k < end; k++) sum += values[k]! * x[colIndex[k]!]!;
    norm += sum * sum;
  }
  return Math.sqrt(norm);
}

export function pushResidual(s: Float64Array, x: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) norm += (s[i]! - x[i]!) ** 2;
  return Math.sqrt(norm);
}
