// The calling-thread sweeps (64-bit, and 32-bit sweeps refined in 64 bits) checked against dense LU on
// generated economies, against the ordered solver at 30,000 products, and against published tables.
import { describe, expect, it } from 'vitest';
import { solveBalance } from '../leontief/balance';
import { solveLabourValues } from '../leontief/labour-values';
import ochoa from '../leontief/fixtures/ochoa-1984.json';
import { generateEconomy } from '../synthetic/economy-generator';
import { fromDense, transpose } from './csr';
import { solveFixedPoint } from './fixed-point-solve';
import {
  givenOrderBalance,
  givenOrderTransposed,
  mixedPrecisionBalance,
  mixedPrecisionTransposed,
} from './given-order-sweeps';
import { denseSolve, relativeResidual, norm } from './fixed-point-oracle';

const solvers = {
  'double balance': { solve: givenOrderBalance, transposed: false },
  'mixed balance': { solve: mixedPrecisionBalance, transposed: false },
  'double transposed': { solve: givenOrderTransposed, transposed: true },
  'mixed transposed': { solve: mixedPrecisionTransposed, transposed: true },
} as const;

describe('given-order sweeps on the calling thread', () => {
  for (const [name, { solve, transposed }] of Object.entries(solvers)) {
    it(`${name}: residual ≤ 1e-10 and dense LU's answer within 1e-9 of the largest entry`, () => {
      for (const seed of [1, 2, 3]) {
        const e = generateEconomy({ n: 300, seed, feedbackShare: 0.1 });
        const b = transposed ? e.labour : e.finalDemand;
        const exact = denseSolve(transposed ? transpose(e.A) : e.A, b);
        const scale = Math.max(...exact);
        const r = solve(e.A, b, 1e-10 * norm(b), 500);
        expect(r.outcome).toBe('converged');
        expect(r.residual).toBeLessThanOrEqual(1e-10 * norm(b));
        expect(relativeResidual(e.A, r.x, b, transposed)).toBeLessThanOrEqual(1e-10);
        for (let i = 0; i < e.n; i++) expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
      }
    });
  }

  it('mixed precision reaches 1e-10 where 32-bit values alone cannot: 1e-12 when asked', () => {
    // A 32-bit copy of M is off by ≈ 6e-8 relative per entry, so sweeping it alone stalls near 1e-8; reaching
    // 1e-12 on M as given proves the 64-bit refinement does the work.
    const e = generateEconomy({ n: 2000, seed: 5 });
    for (const transposed of [false, true]) {
      const b = transposed ? e.labour : e.finalDemand;
      const solve = transposed ? mixedPrecisionTransposed : mixedPrecisionBalance;
      const r = solve(e.A, b, 1e-12 * norm(b), 500);
      expect(r.outcome).toBe('converged');
      expect(relativeResidual(e.A, r.x, b, transposed)).toBeLessThanOrEqual(1.5e-12);
    }
  });

  it('agrees with the ordered solver on a 30,000-product economy within 1e-8 relative', () => {
    const e = generateEconomy({ n: 30_000, seed: 11 });
    for (const [name, { solve, transposed }] of Object.entries(solvers)) {
      const b = transposed ? e.labour : e.finalDemand;
      const ordered = solveFixedPoint(e.A, b, { transposed });
      expect(ordered.status).toBe('converged');
      if (ordered.status !== 'converged') return;
      const r = solve(e.A, b, 1e-10 * norm(b), 500);
      expect(r.outcome, name).toBe('converged');
      expect(relativeResidual(e.A, r.x, b, transposed), name).toBeLessThanOrEqual(1e-10);
      for (let i = 0; i < e.n; i++) {
        const scale = Math.max(Math.abs(ordered.x[i]!), 1e-12);
        expect(Math.abs(r.x[i]! - ordered.x[i]!) / scale, name).toBeLessThanOrEqual(1e-8);
      }
    }
  });

  it('reports divergence on a non-productive matrix (column sums 1.2) instead of an answer', () => {
    const growing = fromDense([
      [0.6, 0.6],
      [0.6, 0.6],
    ]);
    for (const { solve } of Object.values(solvers)) {
      const r = solve(growing, Float64Array.of(1, 1), 1e-10, 200);
      expect(r.outcome).not.toBe('converged');
    }
  });
});

describe('the Leontief entry points on the calling-thread path (parallelFrom: 0, one thread)', () => {
  for (const precision of ['double', 'mixed'] as const) {
    it(`${precision}: Ochoa’s (1984) labour values within their 5e-7, Miller & Blair’s (1247.52, 1841.58) within 0.005`, () => {
      const v = solveLabourValues(ochoa.A, ochoa.direct_labour_l, {
        denseUpTo: 0,
        parallelFrom: 0,
        threads: 1,
        precision,
      });
      expect(v.status).toBe('ok');
      if (v.status !== 'ok') return;
      expect(v.method).toContain('calling thread');
      for (let i = 0; i < 3; i++)
        expect(Math.abs(v.values[i]! - ochoa.labour_values_circulating[i]!)).toBeLessThanOrEqual(
          ochoa.tolerance,
        );
      const A = [
        [0.15, 0.25],
        [0.2, 0.05],
      ];
      const x = solveBalance(A, [600, 1500], { denseUpTo: 0, parallelFrom: 0, threads: 1, precision });
      expect(x.status).toBe('ok');
      if (x.status !== 'ok') return;
      expect(x.method).toContain('calling thread');
      expect(Math.abs(x.x[0]! - 1247.52)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(x.x[1]! - 1841.58)).toBeLessThanOrEqual(0.005);
    });
  }
});
