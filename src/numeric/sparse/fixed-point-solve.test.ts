// The hub-aware ordered Gauss–Seidel solver checked against dense LU on generated economies, lever by lever.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { matvec, transpose, vecmat } from './csr';
import type { FixedPointOptions } from './fixed-point-solve';
import { solveFixedPoint } from './fixed-point-solve';
import { dependencyOrder, findHubs } from './ordering';
import { denseSolve } from './fixed-point-oracle';

const levers: [string, FixedPointOptions][] = [
  ['the default (depth order, hubs apart, Anderson-mixed)', {}],
  ['no hub mixing', { hubMixing: false }],
  ['no hubs set apart', { hubs: false }],
  ['the given order', { ordering: 'given' }],
  ['BiCGSTAB', { method: 'bicgstab' }],
];

const smallEconomy = fc.record({
  n: fc.integer({ min: 200, max: 320 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  feedbackShare: fc.double({ min: 0, max: 0.2, noNaN: true }),
});

describe('solveFixedPoint', () => {
  it('agrees with dense LU within 1e-9 on generated economies with hubs, for x = A x + d and v = Aᵀ v + l', () => {
    fc.assert(
      fc.property(smallEconomy, ({ n, seed, feedbackShare }) => {
        const e = generateEconomy({ n, seed, feedbackShare });
        expect(findHubs(e.A).length).toBe(e.hubs);
        for (const transposed of [false, true]) {
          const b = transposed ? e.labour : e.finalDemand;
          const exact = denseSolve(transposed ? transpose(e.A) : e.A, b);
          const scale = Math.max(...exact);
          for (const [, options] of levers) {
            const r = solveFixedPoint(e.A, b, { ...options, transposed });
            expect(r.status).toBe('converged');
            if (r.status !== 'converged') return;
            for (let i = 0; i < n; i++)
              expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('reaches relative residual 1e-10 on a generated 20,000-product economy, checked on the matrix as given', () => {
    const e = generateEconomy({ n: 20_000, seed: 5 });
    for (const transposed of [false, true]) {
      const b = transposed ? e.labour : e.finalDemand;
      const r = solveFixedPoint(e.A, b, { transposed });
      expect(r.status).toBe('converged');
      if (r.status !== 'converged') return;
      expect(r.method).toContain(`${e.hubs} hubs apart, Anderson-mixed`);
      const mx = transposed ? vecmat(e.A, r.x) : matvec(e.A, r.x);
      let residual = 0;
      let norm = 0;
      for (let i = 0; i < e.n; i++) {
        residual += (r.x[i]! - mx[i]! - b[i]!) ** 2;
        norm += b[i]! ** 2;
      }
      expect(Math.sqrt(residual / norm)).toBeLessThanOrEqual(1e-10);
    }
  });
});

describe('dependencyOrder', () => {
  it('puts every input before its users when the economy has no feedback loops, leaving the hubs out', () => {
    const e = generateEconomy({ n: 2000, seed: 3, feedbackShare: 0 });
    const hubs = findHubs(e.A);
    const isHub = new Uint8Array(e.n);
    for (const h of hubs) isHub[h] = 1;
    for (const reversed of [false, true]) {
      const order = dependencyOrder(e.A, hubs, reversed);
      expect(order.length).toBe(e.n - hubs.length);
      const position = new Int32Array(e.n).fill(-1);
      order.forEach((i, t) => (position[i] = t));
      for (let i = 0; i < e.n; i++) {
        if (isHub[i]) continue;
        for (let k = e.A.rowStart[i]!; k < e.A.rowStart[i + 1]!; k++) {
          const j = e.A.colIndex[k]!;
          if (isHub[j] || j === i) continue;
          // Row i of A lists the users j of input i: x_i depends on x_j, and v_j on v_i.
          if (reversed) expect(position[i]!).toBeLessThan(position[j]!);
          else expect(position[j]!).toBeLessThan(position[i]!);
        }
      }
    }
  });
});
