// Independent answers for checking the sparse fixed-point solvers (x = M x + b, or x = Mᵀ x + b) in tests and
// benches: a dense LU solve that shares no code with the sweeps, and the residual recomputed from M as given.
import { luFactor, luSolve } from '../leontief/dense-lu';
import type { CsrMatrix } from './csr';
import { matvec, toDense, vecmat } from './csr';

/** x solving (I − M) x = b by dense LU with partial pivoting (small cases only: it is n² memory). */
export function denseSolve(m: CsrMatrix, b: Float64Array): Float64Array {
  const n = m.rows;
  const dense = new Float64Array(n * n);
  const rows = toDense(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dense[i * n + j] = (i === j ? 1 : 0) - rows[i]![j]!;
  const factored = luFactor(dense, n);
  if (factored.status !== 'ok') throw new Error('singular');
  return luSolve(factored.factors, b);
}

/** ‖x − M x − b‖₂ / ‖b‖₂ (or with Mᵀ when `transposed`), recomputed from M as given. */
export function relativeResidual(
  m: CsrMatrix,
  x: Float64Array,
  b: Float64Array,
  transposed: boolean,
): number {
  const mx = transposed ? vecmat(m, x) : matvec(m, x);
  let r = 0;
  let nb = 0;
  for (let i = 0; i < x.length; i++) {
    r += (x[i]! - mx[i]! - b[i]!) ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(r / nb);
}

/** The Euclidean norm. */
export function norm(b: Float64Array): number {
  let s = 0;
  for (const v of b) s += v * v;
  return Math.sqrt(s);
}
