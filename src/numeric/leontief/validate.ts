// Checks and normalises the inputs of the Leontief computations, naming the field that is wrong.
import type { CsrMatrix } from '../sparse/csr';
import { fromDense, nnz } from '../sparse/csr';
import type { LeontiefFailure } from './status';

export type MatrixInput = readonly (readonly number[])[] | CsrMatrix;

function isCsr(m: MatrixInput): m is CsrMatrix {
  return !Array.isArray(m) && typeof (m as CsrMatrix).rows === 'number';
}

const invalid = (field: string, message: string): LeontiefFailure => ({ status: 'invalid', field, message });

/** A square, finite, non-negative coefficient matrix in CSR form, or the reason it is not one. */
export function squareNonNegative(m: MatrixInput, field: string): CsrMatrix | LeontiefFailure {
  const shaped = squareShape(m, field);
  if (isFailure(shaped) || !isCsr(m)) return shaped;
  return csrEntriesFailure(shaped, field) ?? shaped;
}

/**
 * A square matrix in CSR form whose arrays fit its rows, or the reason it is not one; dense input is checked
 * in full (and converted). A CSR matrix's entries are not checked here: csrEntriesFailure does that, or, at
 * 10⁶ products, the pass that copies M into WebAssembly memory (leontief-system.ts), to read M once not twice.
 */
export function squareShape(m: MatrixInput, field: string): CsrMatrix | LeontiefFailure {
  if (isCsr(m)) {
    if (m.rows !== m.cols) return invalid(field, `${field} must be square, got ${m.rows}×${m.cols}`);
    if (m.rowStart.length !== m.rows + 1 || m.colIndex.length < nnz(m) || m.values.length < nnz(m)) {
      return invalid(field, `${field}: CSR arrays do not match its ${m.rows} rows`);
    }
    // Row bounds going backwards would make a sweep read outside M's arrays.
    for (let i = 0; i < m.rows; i++) {
      if (!(m.rowStart[i]! >= 0 && m.rowStart[i]! <= m.rowStart[i + 1]!))
        return invalid(
          field,
          `${field}: rowStart must be non-decreasing from 0, but row ${i} starts at ${m.rowStart[i]} and ends at ${m.rowStart[i + 1]}`,
        );
    }
    return m;
  }
  const n = m.length;
  if (n === 0) return invalid(field, `${field} is empty`);
  for (let i = 0; i < n; i++) {
    const row = m[i]!;
    if (!Array.isArray(row) || row.length !== n) {
      return invalid(
        field,
        `${field} must be square: row ${i} has ${Array.isArray(row) ? row.length : 0} entries, expected ${n}`,
      );
    }
    for (let j = 0; j < n; j++) {
      const problem = badCoefficient(row[j]!);
      if (problem) return invalid(field, `${field}[${i}][${j}] ${problem}`);
    }
  }
  return fromDense(m);
}

/** The first stored entry of a CSR matrix with a column out of range or a negative or non-finite value. */
export function csrEntriesFailure(m: CsrMatrix, field: string): LeontiefFailure | undefined {
  for (let k = 0; k < nnz(m); k++) {
    const c = m.colIndex[k]!;
    if (c < 0 || c >= m.cols) return invalid(field, `${field}: column index ${c} out of range`);
    const problem = badCoefficient(m.values[k]!);
    if (problem) return invalid(field, `${field}: entry ${k} ${problem}`);
  }
  return undefined;
}

function badCoefficient(v: number): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `is not a finite number (${String(v)})`;
  if (v < 0) return `is negative (${v}); input coefficients must be ≥ 0`;
  return undefined;
}

/** A finite vector of length n as a Float64Array, or the reason it is not one. */
export function vectorOf(
  v: ArrayLike<number>,
  n: number,
  field: string,
  nonNegative = false,
): Float64Array | LeontiefFailure {
  if (v.length !== n)
    return invalid(field, `${field} has ${v.length} entries but the matrix has ${n} products`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (typeof x !== 'number' || !Number.isFinite(x))
      return invalid(field, `${field}[${i}] is not a finite number`);
    if (nonNegative && x < 0) return invalid(field, `${field}[${i}] is negative (${x})`);
    out[i] = x;
  }
  return out;
}

/**
 * vectorOf for a right-hand side the solver only reads (balance, labour values): a Float64Array is checked in
 * place and returned as it is, not copied. At 10⁶ products the copy was 8 MB of fresh pages (≈ 1,950 first
 * touches, 10–35 ms in this VM) in every solve; solveLeontiefSystem and every solver under it copy b into their
 * own memory or read it, never write it. Other input is copied by vectorOf.
 */
export function readOnlyVectorOf(
  v: ArrayLike<number>,
  n: number,
  field: string,
  nonNegative = false,
): Float64Array | LeontiefFailure {
  if (!(v instanceof Float64Array) || v.length !== n) return vectorOf(v, n, field, nonNegative);
  // Indexed, one comparison pair an entry (`x - x === 0` is false exactly for NaN and ±∞): the first call in a
  // process runs before V8 has optimised this loop.
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (!(x - x === 0) || (nonNegative && x < 0)) return vectorOf(v, n, field, nonNegative);
  }
  return v;
}

export function isFailure(x: unknown): x is LeontiefFailure {
  return (
    typeof x === 'object' &&
    x !== null &&
    'status' in x &&
    typeof (x as { status: unknown }).status === 'string'
  );
}
