// Labour values v = v A + l (and v = v (A + D) + l with depreciation), i.e. v = l (I − A − D)⁻¹.
import type { CsrMatrix } from '../sparse/csr';
import { fromTriplets, nnz } from '../sparse/csr';
import type { IterativeOptions } from './leontief-system';
import { solveLeontiefSystem } from './leontief-system';
import type { Outcome } from './status';
import type { MatrixInput } from './validate';
import { isFailure, readOnlyVectorOf, squareNonNegative, squareShape } from './validate';

export interface LabourValueOptions extends IterativeOptions {
  /** Depreciation coefficients D[i][j]: product i used up as fixed capital per unit of product j. */
  depreciation?: MatrixInput;
}

/** Solves v = v (A + D) + l; residual is ‖v − v(A + D) − l‖₂ / ‖l‖₂. */
export function solveLabourValues(
  a: MatrixInput,
  labour: ArrayLike<number>,
  options: LabourValueOptions = {},
): Outcome<{ values: Float64Array }> {
  // Without depreciation A's entries are checked by solveLeontiefSystem, in the pass that copies A for the
  // sweeps where there is one; with it, before A + D, since a negative entry could hide in the sum.
  const deferred = options.depreciation === undefined;
  let A = deferred ? squareShape(a, 'A') : squareNonNegative(a, 'A');
  if (isFailure(A)) return A;
  const l = readOnlyVectorOf(labour, A.rows, 'l', true);
  if (isFailure(l)) return l;
  if (options.depreciation !== undefined) {
    const D = squareNonNegative(options.depreciation, 'D');
    if (isFailure(D)) return D;
    if (D.rows !== A.rows) {
      return {
        status: 'invalid',
        field: 'D',
        message: `D is ${D.rows}×${D.rows} but A is ${A.rows}×${A.rows}`,
      };
    }
    A = addCsr(A, D);
  }
  const solved = solveLeontiefSystem(A, l, { ...options, transposed: true }, deferred ? 'A' : undefined);
  if (solved.status !== 'ok') return solved;
  const { x, ...info } = solved;
  return { ...info, values: x };
}

/** A + B for matrices of the same shape. */
export function addCsr(a: CsrMatrix, b: CsrMatrix): CsrMatrix {
  const total = nnz(a) + nnz(b);
  const rowOf = new Int32Array(total);
  const colOf = new Int32Array(total);
  const valueOf = new Float64Array(total);
  let w = 0;
  for (const m of [a, b]) {
    for (let i = 0; i < m.rows; i++) {
      for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) {
        rowOf[w] = i;
        colOf[w] = m.colIndex[k]!;
        valueOf[w] = m.values[k]!;
        w++;
      }
    }
  }
  return fromTriplets(a.rows, a.cols, rowOf, colOf, valueOf);
}
