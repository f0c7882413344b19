// warmFixedPoint on the threaded path (from PARALLEL_FROM products, as in a 10⁶-product plan) against the
// ordered single-thread solver, cold and from a guess.
import { describe, expect, it } from 'vitest';
import { solveFixedPoint } from '../sparse/fixed-point-solve';
import { PARALLEL_FROM } from '../sparse/parallel-fixed-point';
import { generateEconomy } from '../synthetic/economy-generator';
import { warmFixedPoint } from './warm-fixed-point';

describe('warmFixedPoint at the threaded size', () => {
  it('agrees with the ordered solver within 1e-8 relative, cold and warm, for values and balances', () => {
    const e = generateEconomy({ n: PARALLEL_FROM, seed: 21 });
    for (const transposed of [false, true]) {
      const b = transposed ? e.finalDemand : e.labour;
      const ordered = solveFixedPoint(e.A, b, { transposed, tolerance: 1e-12 });
      expect(ordered.status).toBe('converged');
      if (ordered.status !== 'converged') return;
      const cold = warmFixedPoint(e.A, b, null, 1e-12, transposed);
      // A guess off by 1% in every entry: only the correction is solved for.
      const guess = Float64Array.from(ordered.x, (v, i) => v * (1 + (i % 2 === 0 ? 0.01 : -0.01)));
      const warm = warmFixedPoint(e.A, b, guess, 1e-12, transposed);
      for (const r of [cold, warm]) {
        expect(r.status).toBe('converged');
        if (r.status !== 'converged') return;
        expect(r.residual).toBeLessThanOrEqual(1e-12);
        expect(r.method).toContain('thread');
        let worst = 0;
        for (let i = 0; i < e.n; i++)
          worst = Math.max(
            worst,
            Math.abs(r.x[i]! - ordered.x[i]!) / Math.max(Math.abs(ordered.x[i]!), 1e-9),
          );
        expect(worst).toBeLessThanOrEqual(1e-8);
      }
    }
  });
});
