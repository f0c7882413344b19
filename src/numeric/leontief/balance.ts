// Gross output from net final demand: x = A x + d (the Leontief balance).
import type { IterativeOptions } from './leontief-system';
import { solveLeontiefSystem } from './leontief-system';
import type { Outcome } from './status';
import type { MatrixInput } from './validate';
import { isFailure, readOnlyVectorOf, squareShape } from './validate';

/** Solves x = A x + d; residual is ‖x − A x − d‖₂ / ‖d‖₂. */
export function solveBalance(
  a: MatrixInput,
  finalDemand: ArrayLike<number>,
  options: IterativeOptions = {},
): Outcome<{ x: Float64Array }> {
  // The entries are checked by solveLeontiefSystem, in the pass that copies A for the sweeps where there is one.
  const A = squareShape(a, 'A');
  if (isFailure(A)) return A;
  const d = readOnlyVectorOf(finalDemand, A.rows, 'finalDemand');
  if (isFailure(d)) return d;
  return solveLeontiefSystem(A, d, options, 'A');
}
