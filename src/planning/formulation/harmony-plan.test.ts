// The harmony optimum on small economies against an independent solution from the KKT conditions.
//
// With one limited skill and no other limit, every plan is x = (I − A)⁻¹y for its net output y, and its
// labour is v·y with v the labour values (vᵀ = lᵀ(I − A)⁻¹). The problem becomes
//   max Σᵢ H(yᵢ/τᵢ − 1)  s.t.  v·y ≤ L,  0 ≤ yᵢ ≤ (1 + sMax)τᵢ,
// whose KKT conditions give H′(sᵢ) = μ·vᵢ·τᵢ for interior sᵢ, with μ > 0 found by bisection on the labour
// budget. That solution uses no LP at all: a dense linear solve and a one-dimensional search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harmony } from '../../numeric/harmony/harmony';
import { harmonyArgmax } from '../../numeric/harmony/harmony-pwl';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { tinyEconomy } from './plan-fixtures';
import { solvePlan } from './solve-plan';

const S_MAX = 4;

/** vᵀ = lᵀ(I − A)⁻¹ by Gaussian elimination on (I − A)ᵀ v = l. */
function labourValues(a: number[][], l: number[]): number[] {
  const n = l.length;
  const m = a.map((_, i) => [...a.map((row, k) => (i === k ? 1 : 0) - row[i]!), l[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The KKT solution: fulfilments sᵢ(μ) and the total harmony at the μ that spends the labour budget. */
function kktOptimum(v: number[], targets: number[], labour: number): number {
  const fulfil = (mu: number) => targets.map((t, i) => harmonyArgmax(mu * v[i]! * t, -1, S_MAX));
  const spent = (mu: number) => fulfil(mu).reduce((sum, s, i) => sum + v[i]! * targets[i]! * (1 + s), 0);
  let lo = 0;
  let hi = 1;
  while (spent(hi) > labour) hi *= 2;
  if (spent(0) <= labour) lo = hi = 0;
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (spent(mid) > labour) lo = mid;
    else hi = mid;
  }
  return fulfil(hi).reduce((sum, s) => sum + harmony(s), 0);
}

describe('harmony plan against the KKT conditions', () => {
  it('matches the independent optimum within the certified gap on random small economies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }).chain((n) =>
          fc.record({
            a: fc.array(
              fc.array(fc.double({ min: 0, max: 0.5 / n, noNaN: true }), { minLength: n, maxLength: n }),
              {
                minLength: n,
                maxLength: n,
              },
            ),
            l: fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
            targets: fc.array(fc.double({ min: 1, max: 50, noNaN: true }), { minLength: n, maxLength: n }),
            share: fc.double({ min: 0.3, max: 2.5, noNaN: true }),
          }),
        ),
        async ({ a, l, targets, share }) => {
          const n = l.length;
          const products = Array.from({ length: n }, (_, i) => `p${i}`);
          const v = labourValues(a, l);
          const needed = v.reduce((sum, vi, i) => sum + vi * targets[i]!, 0);
          const labour = share * needed;
          const economy = tinyEconomy({
            products,
            skills: { general: labour },
            technologies: products.map((p, j) => ({
              code: `T${j}`,
              product: p,
              labour: { general: l[j]! },
              inputs: Object.fromEntries(products.map((q, i) => [q, a[i]![j]!]).filter(([, c]) => c !== 0)),
            })),
            targets: Object.fromEntries(products.map((p, i) => [p, [targets[i]!]])),
          });
          const maxError = 1e-5;
          const { result } = await solvePlan(
            { economy, periods: 1, objective: 'harmony', harmony: { maxError, maxSurplus: S_MAX } },
            highsSolver,
          );
          expect(result.status).toBe('optimal');
          const best = kktOptimum(v, targets, labour);
          // Never above the optimum (up to HiGHS's 1e-7 feasibility), within n·ε of it a priori, and the
          // certificate holds: objective + gap ≥ optimum.
          const slack = 1e-6 * Math.max(1, Math.abs(best));
          expect(result.objectiveValue).toBeLessThanOrEqual(best + slack);
          expect(result.objectiveValue).toBeGreaterThanOrEqual(best - n * maxError - slack);
          expect(result.objectiveValue + result.harmonyGap!).toBeGreaterThanOrEqual(best - slack);
          expect(result.harmonyGap!).toBeLessThanOrEqual(n * maxError + slack);
        },
      ),
      { numRuns: 25, seed: 14 },
    );
  });
});
