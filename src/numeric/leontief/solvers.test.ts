// Properties of the balance and labour-value solvers on random productive economies, and their failure statuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromTriplets, matvec, vecmat } from '../sparse/csr';
import { generateEconomy } from '../synthetic/economy-generator';
import { solveBalance } from './balance';
import { solveLabourValues } from './labour-values';
import { multipliers } from './multipliers';

/** A random sparse non-negative matrix whose column sums are at most `maxColumnSum`. */
const productiveSparse = fc
  .record({
    n: fc.integer({ min: 2, max: 40 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    density: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
    maxColumnSum: fc.double({ min: 0.1, max: 0.95, noNaN: true }),
  })
  .map(({ n, seed, density, maxColumnSum }) => {
    let s = seed + 1;
    const rand = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let j = 0; j < n; j++) {
      const entries: [number, number][] = [];
      for (let i = 0; i < n; i++) if (rand() < density) entries.push([i, rand()]);
      const total = entries.reduce((t, [, w]) => t + w, 0);
      const target = maxColumnSum * rand();
      for (const [i, w] of entries) {
        rows.push(i);
        cols.push(j);
        vals.push((w / total) * target);
      }
    }
    const d = Array.from({ length: n }, () => 100 * rand());
    const l = Array.from({ length: n }, () => rand());
    return { A: fromTriplets(n, n, rows, cols, vals), d, l };
  });

describe('solveBalance', () => {
  it('reaches relative residual 1e-10 iteratively and agrees with dense LU on random productive economies', () => {
    fc.assert(
      fc.property(productiveSparse, ({ A, d }) => {
        const iterative = solveBalance(A, d, { denseUpTo: 0 });
        const dense = solveBalance(A, d);
        expect(iterative.status).toBe('ok');
        expect(dense.status).toBe('ok');
        if (iterative.status !== 'ok' || dense.status !== 'ok') return;
        expect(dense.method).toBe('dense-lu');
        expect(iterative.residual).toBeLessThanOrEqual(1e-10);
        const ax = matvec(A, iterative.x);
        const dNorm = Math.hypot(...d);
        const r = Math.hypot(...iterative.x.map((x, i) => x - ax[i]! - d[i]!));
        expect(r / dNorm).toBeLessThanOrEqual(1e-10);
        for (let i = 0; i < d.length; i++) {
          expect(Math.abs(iterative.x[i]! - dense.x[i]!)).toBeLessThanOrEqual(
            1e-8 * Math.max(1, Math.abs(dense.x[i]!)),
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it('solves a generated economy of 20,000 products by ordered Gauss–Seidel to 1e-10', () => {
    const e = generateEconomy({ n: 20_000, seed: 11 });
    const result = solveBalance(e.A, e.finalDemand);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.method).toContain('gauss-seidel');
    expect(result.residual).toBeLessThanOrEqual(1e-10);
    for (const x of result.x) expect(x).toBeGreaterThanOrEqual(0);
  });

  it('reports not-productive with the dominant eigenvalue when ρ(A) ≥ 1, by the dense and the iterative path', () => {
    const A = [
      [0.5, 0.6],
      [0.6, 0.5],
    ];
    for (const denseUpTo of [500, 0]) {
      const result = solveBalance(A, [1, 1], { denseUpTo });
      expect(result.status).toBe('not-productive');
      if (result.status !== 'not-productive') return;
      expect(result.eigenvalueEstimate).toBeCloseTo(1.1, 6);
    }
  });

  it('reports not-productive for a large economy whose coefficients are tripled', () => {
    const e = generateEconomy({ n: 3000, seed: 2 });
    const tripled = { ...e.A, values: e.A.values.map((v) => 3 * v) };
    const result = solveBalance(tripled, e.finalDemand);
    expect(result.status).toBe('not-productive');
    if (result.status !== 'not-productive') return;
    expect(result.eigenvalueEstimate).toBeGreaterThan(1);
    expect(Number.isFinite(result.eigenvalueEstimate)).toBe(true);
  });

  it('names what is wrong with malformed input instead of returning NaN', () => {
    expect(solveBalance([[0.1, 0.2]], [1])).toMatchObject({ status: 'invalid', field: 'A' });
    expect(
      solveBalance(
        [
          [0.1, -0.2],
          [0, 0],
        ],
        [1, 1],
      ),
    ).toMatchObject({ status: 'invalid', field: 'A' });
    expect(
      solveBalance(
        [
          [Number.NaN, 0],
          [0, 0],
        ],
        [1, 1],
      ),
    ).toMatchObject({ status: 'invalid', field: 'A' });
    expect(
      solveBalance(
        [
          [0.1, 0],
          [0, 0.1],
        ],
        [1],
      ),
    ).toMatchObject({ status: 'invalid', field: 'finalDemand' });
    expect(
      solveBalance(
        [
          [0.1, 0],
          [0, 0.1],
        ],
        [1, Number.POSITIVE_INFINITY],
      ),
    ).toMatchObject({
      status: 'invalid',
      field: 'finalDemand',
    });
    expect(solveBalance([], [])).toMatchObject({ status: 'invalid', field: 'A' });
    expect(solveLabourValues([[0.1]], [-1])).toMatchObject({ status: 'invalid', field: 'l' });
    expect(
      solveLabourValues([[0.1]], [1], {
        depreciation: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toMatchObject({ status: 'invalid', field: 'D' });
    expect(multipliers([[0.1]], { employment: [1, 2] })).toMatchObject({
      status: 'invalid',
      field: 'employment',
    });
  });

  it('reports not-productive when a product uses a whole unit of itself', () => {
    const result = solveBalance(
      [
        [1, 0],
        [0, 0.2],
      ],
      [1, 1],
      { denseUpTo: 0 },
    );
    expect(result).toMatchObject({ status: 'not-productive', eigenvalueEstimate: 1 });
  });
});

describe('solveLabourValues', () => {
  it('satisfies v = v A + l on random productive economies, iteratively and densely', () => {
    fc.assert(
      fc.property(productiveSparse, ({ A, l }) => {
        for (const denseUpTo of [0, 500]) {
          const result = solveLabourValues(A, l, { denseUpTo });
          expect(result.status).toBe('ok');
          if (result.status !== 'ok') return;
          const vA = vecmat(A, result.values);
          const lNorm = Math.hypot(...l);
          const r = Math.hypot(...result.values.map((v, j) => v - vA[j]! - l[j]!));
          expect(r / lNorm).toBeLessThanOrEqual(1e-10);
        }
      }),
      { numRuns: 60 },
    );
  });
});
