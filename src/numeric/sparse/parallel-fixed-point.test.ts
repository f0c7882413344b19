// The worker-thread sweeps (balance and labour values at 10⁶ products) checked against dense LU, against the
// ordered single-thread solver, and against published tables through the Leontief entry points.
import { describe, expect, it } from 'vitest';
import { solveBalance } from '../leontief/balance';
import { solveLabourValues } from '../leontief/labour-values';
import ochoa from '../leontief/fixtures/ochoa-1984.json';
import { generateEconomy } from '../synthetic/economy-generator';
import { fromDense, nnz, transpose } from './csr';
import { solveFixedPoint } from './fixed-point-solve';
import { solveFixedPointParallel, splitRows } from './parallel-fixed-point';
import { denseSolve, relativeResidual } from './fixed-point-oracle';

describe('solveFixedPointParallel', () => {
  it('agrees with dense LU within 1e-9 of the largest entry on generated economies, on 1, 2 and 3 threads', () => {
    for (const seed of [1, 2, 3]) {
      const e = generateEconomy({ n: 300, seed, feedbackShare: 0.1 });
      for (const transposed of [false, true]) {
        const b = transposed ? e.labour : e.finalDemand;
        const exact = denseSolve(transposed ? transpose(e.A) : e.A, b);
        const scale = Math.max(...exact);
        for (const threads of [1, 2, 3]) {
          const r = solveFixedPointParallel(e.A, b, { transposed, threads });
          expect(r.status).toBe('converged');
          if (r.status === 'failed') return;
          expect(r.threads).toBe(threads);
          expect(relativeResidual(e.A, r.x, b, transposed)).toBeLessThanOrEqual(1e-10);
          for (let i = 0; i < e.n; i++)
            expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
        }
      }
    }
  });

  it('agrees with the ordered solver on a 30,000-product economy within 1e-8 relative, residual 1e-10', () => {
    const e = generateEconomy({ n: 30_000, seed: 11 });
    for (const transposed of [false, true]) {
      const b = transposed ? e.labour : e.finalDemand;
      const ordered = solveFixedPoint(e.A, b, { transposed });
      const threaded = solveFixedPointParallel(e.A, b, { transposed, threads: 2 });
      expect(ordered.status).toBe('converged');
      expect(threaded.status).toBe('converged');
      if (ordered.status !== 'converged' || threaded.status !== 'converged') return;
      expect(relativeResidual(e.A, threaded.x, b, transposed)).toBeLessThanOrEqual(1e-10);
      for (let i = 0; i < e.n; i++) {
        const scale = Math.max(Math.abs(ordered.x[i]!), 1e-12);
        expect(Math.abs(threaded.x[i]! - ordered.x[i]!) / scale).toBeLessThanOrEqual(1e-8);
      }
    }
  });

  it('returns x = 0 for b = 0, and stops short of convergence on a non-productive matrix', () => {
    const e = generateEconomy({ n: 200, seed: 4 });
    const zero = solveFixedPointParallel(e.A, new Float64Array(200), { threads: 2 });
    expect(zero.status).toBe('converged');
    if (zero.status !== 'failed') expect(zero.x.every((v) => v === 0)).toBe(true);
    // Column sums 1.2: ρ = 1.2, the sweeps grow without bound.
    const growing = fromDense([
      [0.6, 0.6],
      [0.6, 0.6],
    ]);
    const r = solveFixedPointParallel(growing, Float64Array.of(1, 1), { threads: 2, maxIterations: 50 });
    expect(r.status === 'diverged' || r.status === 'max-iterations').toBe(true);
  });

  it('splits rows into blocks of about equal non-zeros, the long hub rows counted', () => {
    const e = generateEconomy({ n: 5000, seed: 9 });
    const bounds = splitRows(e.A, 2);
    expect(bounds[0]).toBe(0);
    expect(bounds[2]).toBe(e.n);
    const first = e.A.rowStart[bounds[1]!]! + bounds[1]!;
    const all = nnz(e.A) + e.n;
    // One row's worth of slack either side; a hub row holds about 0.9 n entries.
    let longest = 0;
    for (let i = 0; i < e.n; i++) longest = Math.max(longest, e.A.rowStart[i + 1]! - e.A.rowStart[i]!);
    expect(Math.abs(first - all / 2)).toBeLessThanOrEqual(longest + 1);
  });
});

describe('the Leontief entry points on the threaded path (parallelFrom: 0)', () => {
  it('reproduces Ochoa’s (1984) published labour values within their 5e-7', () => {
    const v = solveLabourValues(ochoa.A, ochoa.direct_labour_l, {
      denseUpTo: 0,
      parallelFrom: 0,
      threads: 2,
    });
    expect(v.status).toBe('ok');
    if (v.status !== 'ok') return;
    expect(v.method).toContain('2 threads');
    for (let i = 0; i < 3; i++)
      expect(Math.abs(v.values[i]! - ochoa.labour_values_circulating[i]!)).toBeLessThanOrEqual(
        ochoa.tolerance,
      );
  });

  it('gives Miller & Blair’s gross output (1247.52, 1841.58) for final demand (600, 1500), within 0.005', () => {
    const A = [
      [0.15, 0.25],
      [0.2, 0.05],
    ];
    const balance = solveBalance(A, [600, 1500], { denseUpTo: 0, parallelFrom: 0, threads: 2 });
    expect(balance.status).toBe('ok');
    if (balance.status !== 'ok') return;
    expect(balance.method).toContain('2 threads');
    expect(Math.abs(balance.x[0]! - 1247.52)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(balance.x[1]! - 1841.58)).toBeLessThanOrEqual(0.005);
  });

  it('still reports a non-productive economy (the ordered solver takes over when the threads do not converge)', () => {
    const A = [
      [0.6, 0.6],
      [0.6, 0.6],
    ];
    const balance = solveBalance(A, [1, 1], { denseUpTo: 0, parallelFrom: 0, threads: 2 });
    expect(balance.status).toBe('not-productive');
  });
});
