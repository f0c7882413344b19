// Gross output from net final demand: x = A x + d (the Leontief balance).
import type { IterativeOptions } from './leontief-system';
import { solveLeontiefSystem } from './leontief-system';
import type { Outcome } from './status';
import type { MatrixInput } from './validate';
import { isFailure, squareNonNegative, vectorOf } from './validate';

/** Solves x = A x + d; residual is ‖x − A x − d‖₂ / ‖d‖₂. */
export function solveBalance(
  a: MatrixInput,
  finalDemand: ArrayLike<number>,
  options: IterativeOptions = {},
): Outcome<{ x: Float64Array }> {
  const A = squareNonNegative(a, 'A');
  if (isFailure(A)) return A;
  const d = vectorOf(finalDemand, A.rows, 'finalDemand');
  if (isFailure(d)) return d;
  return solveLeontiefSystem(A, d, options);
}
