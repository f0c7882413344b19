// The exact harmony dual against the KKT conditions of its own problem, checked with H′ directly (not with
// the closed-form inverse the solver uses), on random problems with several limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harmony } from './harmony';
import { harmonyMarginal, solveHarmonyDual } from './harmony-dual';

const S_MAX = 4;

describe('solveHarmonyDual', () => {
  it('meets the KKT conditions with a certified gap on random problems with one to three limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }).chain((n) =>
          fc.record({
            m: fc.integer({ min: 1, max: 3 }),
            rows: fc.array(
              fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
              {
                minLength: 3,
                maxLength: 3,
              },
            ),
            targets: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.5, max: 80, noNaN: true })), {
              minLength: n,
              maxLength: n,
            }),
            weights: fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
            shares: fc.array(fc.double({ min: 0.05, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
          }),
        ),
        ({ m, rows, targets, weights, shares }) => {
          const n = targets.length;
          const limits = new Float64Array(m * n);
          const bound = new Float64Array(m);
          for (let r = 0; r < m; r++) {
            let need = 0;
            for (let k = 0; k < n; k++) {
              limits[r * n + k] = rows[r]![k]!;
              need += rows[r]![k]! * targets[k]!;
            }
            bound[r] = Math.max(1e-3, shares[r]! * need);
          }
          const target = Float64Array.from(targets);
          const weight = Float64Array.from(weights);
          const res = solveHarmonyDual({ target, weight, maxSurplus: S_MAX, limits, bound });
          expect(res.converged).toBe(true);
          const scale = Math.max(1, Math.abs(res.primal));
          expect(res.gap).toBeLessThanOrEqual(1e-9 * scale);
          // The reported primal is the harmony of the returned y.
          let value = 0;
          for (let k = 0; k < n; k++)
            if (target[k]! > 0) value += weight[k]! * harmony(res.y[k]! / target[k]! - 1);
          expect(res.primal).toBeCloseTo(value, 9);
          // Primal feasibility.
          for (let r = 0; r < m; r++) {
            let use = 0;
            for (let k = 0; k < n; k++) use += limits[r * n + k]! * res.y[k]!;
            expect(use).toBeLessThanOrEqual(bound[r]! * (1 + 1e-12));
            // Complementary slackness: a priced limit is spent (relative to the value at stake).
            expect(res.mu[r]!).toBeGreaterThanOrEqual(0);
            expect((res.mu[r]! * (bound[r]! - use)) / scale).toBeLessThanOrEqual(1e-6);
          }
          for (let k = 0; k < n; k++) {
            const t = target[k]!;
            const y = res.y[k]!;
            expect(y).toBeGreaterThanOrEqual(0);
            if (t === 0) {
              expect(y).toBe(0);
              continue;
            }
            expect(y).toBeLessThanOrEqual((1 + S_MAX) * t * (1 + 1e-12));
            // Stationarity: the marginal harmony equals the price inside the box, exceeds it at the cap and
            // falls short of it at zero net output.
            const marginal = harmonyMarginal(t, weight[k]!, y);
            const price = res.price[k]!;
            const tol = 1e-5 * Math.max(marginal, price, 1e-3);
            const cap = (1 + S_MAX) * t;
            if (y <= 1e-9 * cap) expect(marginal).toBeLessThanOrEqual(price + tol);
            else if (y >= cap * (1 - 1e-9)) expect(marginal).toBeGreaterThanOrEqual(price - tol);
            else expect(Math.abs(marginal - price)).toBeLessThanOrEqual(tol);
          }
        },
      ),
      { numRuns: 200, seed: 14 },
    );
  });

  it('spends nothing on a limit that does not bind: μ = 0 and every target at its cap', () => {
    const res = solveHarmonyDual({
      target: Float64Array.of(2, 3),
      weight: Float64Array.of(1, 1),
      maxSurplus: S_MAX,
      limits: Float64Array.of(1, 1),
      bound: Float64Array.of(1_000),
    });
    expect(Array.from(res.y)).toEqual([10, 15]);
    expect(res.mu[0]).toBe(0);
    expect(res.dual - res.primal).toBe(0);
    expect(res.primal).toBeCloseTo(2 * Math.log(5), 14);
  });

  it('matches a hand-solved case: two equal products sharing one unit of labour each', () => {
    // max H(y₁−1) + H(y₂−1) with y₁ + y₂ ≤ 1: by symmetry y = ½ each, s = −½, H = −½ − ⅛ each.
    const res = solveHarmonyDual({
      target: Float64Array.of(1, 1),
      weight: Float64Array.of(1, 1),
      maxSurplus: S_MAX,
      limits: Float64Array.of(1, 1),
      bound: Float64Array.of(1),
    });
    expect(res.y[0]).toBeCloseTo(0.5, 12);
    expect(res.y[1]).toBeCloseTo(0.5, 12);
    expect(res.primal).toBeCloseTo(-1.25, 12);
    // μ = H′(−½) = 1.5 per unit of net output.
    expect(res.mu[0]).toBeCloseTo(1.5, 9);
  });

  it('refuses a limit that is not positive', () => {
    expect(() =>
      solveHarmonyDual({
        target: Float64Array.of(1),
        weight: Float64Array.of(1),
        maxSurplus: S_MAX,
        limits: Float64Array.of(1),
        bound: Float64Array.of(0),
      }),
    ).toThrow(/bound\[0\]/);
  });
});
