// A reference answer for the balance and labour-values benches, solved far tighter than the goal (residual
// ~1e-12 against 1e-10), so that the check can say how far each side is from the truth. Compared only with
// each other, two answers that each meet 1e-10 can differ per entry by the sum of both errors: at 10⁶ products
// ours and scipy's BiCGSTAB once differed by 1.7e-8, while ours was within 1.7e-9–7.9e-9 of such a reference.
import type { CsrMatrix } from '../../src/numeric/sparse/csr';
import { solveFixedPoint } from '../../src/numeric/sparse/fixed-point-solve';

/** ‖x − M x − b‖₂ / ‖b‖₂, or with Mᵀ when `transposed`, by a plain loop over the rows (independent of the solvers). */
export function trueResidual(M: CsrMatrix, x: Float64Array, b: Float64Array, transposed: boolean): number {
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = x[i]! - b[i]!;
  for (let i = 0; i < M.rows; i++) {
    let sum = 0;
    for (let k = M.rowStart[i]!; k < M.rowStart[i + 1]!; k++) {
      if (transposed) r[M.colIndex[k]!]! -= M.values[k]! * x[i]!;
      else sum += M.values[k]! * x[M.colIndex[k]!]!;
    }
    if (!transposed) r[i]! -= sum;
  }
  let rr = 0;
  let bb = 0;
  for (let i = 0; i < x.length; i++) {
    rr += r[i]! * r[i]!;
    bb += b[i]! * b[i]!;
  }
  return Math.sqrt(rr) / Math.sqrt(bb);
}

/**
 * The ordered single-thread solver (another path than the timed one) to the tightest residual it reaches, from
 * 1e-12 up; null when it reaches none of them. The residual returned is recomputed by trueResidual.
 */
export function referenceAnswer(
  M: CsrMatrix,
  b: Float64Array,
  transposed: boolean,
): { x: Float64Array; residual: number } | null {
  for (const tolerance of [1e-12, 3e-12, 1e-11]) {
    const r = solveFixedPoint(M, b, { transposed, tolerance, maxIterations: 2000 });
    if (r.status === 'converged') return { x: r.x, residual: trueResidual(M, r.x, b, transposed) };
  }
  return null;
}
