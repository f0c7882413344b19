// A built straight into the sweeps' memory (allocateLeontiefMatrix): swept where it lies, the answers checked
// against dense LU of I − A on a plain copy, the residual recomputed from A as given, and the caller's matrix
// left untouched by later solves.
import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from '../sparse/csr';
import { denseSolve, relativeResidual } from '../sparse/fixed-point-oracle';
import { transpose } from '../sparse/csr';
import { loadSystem, releaseSystem } from '../sparse/wasm-sweeps';
import { generateEconomy } from '../synthetic/economy-generator';
import { solveBalance } from './balance';
import { solveLabourValues } from './labour-values';
import { allocateLeontiefMatrix } from './solver-memory';

const inPlace = (n: number, seed: number) =>
  generateEconomy({
    n,
    seed,
    feedbackShare: 0.1,
    allocate: (rows, nonZeros) => allocateLeontiefMatrix(rows, nonZeros, { parallelFrom: 0 }),
  });

const plainCopy = (a: CsrMatrix): CsrMatrix => ({
  rows: a.rows,
  cols: a.cols,
  rowStart: a.rowStart.slice(),
  colIndex: a.colIndex.slice(),
  values: a.values.slice(),
});

/** Largest |x − exact| over the largest |exact|. */
function error(x: Float64Array, exact: Float64Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(exact[i]!));
    worst = Math.max(worst, Math.abs(x[i]! - exact[i]!));
  }
  return worst / scale;
}

// The iterative paths at this size: no dense LU, the WebAssembly sweeps from the first product on.
const iterative = { denseUpTo: 0, parallelFrom: 0 };

describe('allocateLeontiefMatrix', () => {
  it('below parallelFrom gives ordinary arrays; from it on, arrays in shared memory that a solve sweeps in place', () => {
    const small = allocateLeontiefMatrix(10, 20);
    expect(small.values.buffer).toBeInstanceOf(ArrayBuffer);
    const e = inPlace(400, 1);
    expect(e.A.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const loaded = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(loaded?.memory.buffer).toBe(e.A.values.buffer);
    if (loaded) releaseSystem(loaded);
    // The same matrix in ordinary arrays is copied into a memory of its own.
    const copied = loadSystem(plainCopy(e.A), e.finalDemand, { shared: true });
    expect(copied?.memory.buffer).not.toBe(e.A.values.buffer);
    if (copied) releaseSystem(copied);
  });

  for (const threads of [1, 2]) {
    it(`${threads} thread(s): balance and labour values on A built in place meet dense LU (1e-9) at residual ≤ 1e-10, solve after solve`, () => {
      for (const seed of [2, 3]) {
        const e = inPlace(400, seed);
        const plain = plainCopy(e.A);
        const exactX = denseSolve(plain, e.finalDemand);
        const exactV = denseSolve(transpose(plain), e.labour);
        // Twice each, and a second demand: later solves on the same memory start again from x = 0.
        const otherDemand = e.finalDemand.map((d, i) => d + (i % 7));
        const exactOther = denseSolve(plain, otherDemand);
        for (let round = 0; round < 2; round++) {
          const x = solveBalance(e.A, e.finalDemand, { ...iterative, threads });
          expect(x.status).toBe('ok');
          if (x.status !== 'ok') return;
          expect(x.method).toContain('given order');
          expect(relativeResidual(plain, x.x, e.finalDemand, false)).toBeLessThanOrEqual(1e-10);
          expect(error(x.x, exactX)).toBeLessThanOrEqual(1e-9);
          const v = solveLabourValues(e.A, e.labour, { ...iterative, threads });
          expect(v.status).toBe('ok');
          if (v.status !== 'ok') return;
          expect(relativeResidual(plain, v.values, e.labour, true)).toBeLessThanOrEqual(1e-10);
          expect(error(v.values, exactV)).toBeLessThanOrEqual(1e-9);
          const y = solveBalance(e.A, otherDemand, { ...iterative, threads });
          expect(y.status).toBe('ok');
          if (y.status !== 'ok') return;
          expect(error(y.x, exactOther)).toBeLessThanOrEqual(1e-9);
        }
      }
    });
  }

  it('no later solve of another matrix writes over A built in place', () => {
    // Larger than the tests' other memories, so that a memory given back for reuse would be this one.
    const e = inPlace(3000, 4);
    const before = plainCopy(e.A);
    expect(solveBalance(e.A, e.finalDemand, iterative).status).toBe('ok');
    // Another economy of the same size, in ordinary arrays: copied into a shared memory, which must not be A's.
    const other = generateEconomy({ n: 3000, seed: 5, feedbackShare: 0.1 });
    for (let k = 0; k < 3; k++) expect(solveBalance(other.A, other.finalDemand, iterative).status).toBe('ok');
    expect(e.A.rowStart).toEqual(before.rowStart);
    expect(e.A.colIndex).toEqual(before.colIndex);
    expect(e.A.values).toEqual(before.values);
  });

  it('checks the entries of A built in place (a negative coefficient is named, not solved)', () => {
    const e = inPlace(400, 6);
    e.A.values[17] = -0.5;
    const r = solveBalance(e.A, e.finalDemand, iterative);
    expect(r.status).toBe('invalid');
  });
});
