// Where a large economy's A may be built so that balance and labour values sweep it where it lies.
import type { CsrMatrix } from '../sparse/csr';
import { PARALLEL_FROM } from '../sparse/parallel-fixed-point';
import { allocateSolverMatrix } from '../sparse/wasm-sweeps';

/**
 * Zeroed CSR arrays for an n × n technical matrix with `nonZeros` entries, for the caller (a generator, a
 * loader) to fill. From `parallelFrom` products on (the solvers' option, default 200,000) they lie in the
 * WebAssembly memory the sweeps read, at the place a solve would copy A to: solveBalance and solveLabourValues
 * on a matrix built there skip that copy, which at 10⁶ products was most of a first solve (mapping ≈ 200 MB
 * of fresh pages). The memory stays the matrix's (no other solve reuses it) and is freed with it. Below that
 * size, or where shared WebAssembly memory is missing, they are ordinary typed arrays (and a solve copies as
 * before). Either way they are plain Int32Array / Float64Array for every other use.
 */
export function allocateLeontiefMatrix(
  n: number,
  nonZeros: number,
  options: { parallelFrom?: number } = {},
): Pick<CsrMatrix, 'rowStart' | 'colIndex' | 'values'> {
  const owned = n >= (options.parallelFrom ?? PARALLEL_FROM) ? allocateSolverMatrix(n, nonZeros) : undefined;
  return (
    owned ?? {
      rowStart: new Int32Array(n + 1),
      colIndex: new Int32Array(nonZeros),
      values: new Float64Array(nonZeros),
    }
  );
}
