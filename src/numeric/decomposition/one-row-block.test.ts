// The closed-form answer of a one-row block (the continuous knapsack) against HiGHS on the same small LP:
// random coefficients of both signs, rows bounded below, above or both, and blocks whose row cannot be met.
import { describe, expect, it } from 'vitest';
import type { LinearProgram } from '../lp/lp';
import { createHighsSession } from '../lp/highs-solver';
import { Random } from '../synthetic/random';
import { solveOneRow, type OneRowBlock } from './one-row-block';

function lpOf(b: OneRowBlock, d: Float64Array): LinearProgram {
  const n = d.length;
  return {
    sense: 'min',
    objective: d,
    matrix: {
      rows: 1,
      cols: n,
      colStart: Int32Array.from({ length: n + 1 }, (_, k) => k),
      rowIndex: new Int32Array(n),
      values: Float64Array.from(b.a),
    },
    rowLower: Float64Array.of(b.rowLower),
    rowUpper: Float64Array.of(b.rowUpper),
    colLower: b.lower,
    colUpper: b.upper,
  };
}

describe('one-row block answers (continuous knapsack)', () => {
  it('match HiGHS on 200 random blocks, feasible or not', async () => {
    const highs = createHighsSession();
    const rng = new Random(42);
    const r = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
    let infeasible = 0;
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(r(0, 12));
      const a = Float64Array.from({ length: n }, () => (rng.next() < 0.15 ? 0 : r(-1, 2)));
      const lower = Float64Array.from({ length: n }, () => (rng.next() < 0.7 ? 0 : r(-5, 0)));
      const upper = Float64Array.from(lower, (l) => l + r(0, 10));
      const d = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : r(-3, 3)));
      const kind = t % 3;
      const level = r(-5, 25);
      const block: OneRowBlock = {
        a,
        lower,
        upper,
        rowLower: kind === 0 ? -Infinity : level,
        rowUpper: kind === 1 ? Infinity : kind === 2 ? level + r(0, 5) : level,
      };
      const mine = solveOneRow(block, d, new Float64Array(n));
      const ref = await highs.solve(lpOf(block, d), { tolerance: 1e-10 });
      if (ref.status === 'infeasible') {
        infeasible++;
        expect(mine.kind).toBe('infeasible');
        continue;
      }
      expect(ref.status).toBe('optimal');
      expect(mine.kind).toBe('point');
      if (mine.kind !== 'point') continue;
      expect(mine.value).toBeCloseTo(ref.objective, 7);
      // The answer is a point of the block: within its bounds and its row.
      let row = 0;
      for (let k = 0; k < n; k++) {
        expect(mine.x[k]!).toBeGreaterThanOrEqual(lower[k]! - 1e-9);
        expect(mine.x[k]!).toBeLessThanOrEqual(upper[k]! + 1e-9);
        row += a[k]! * mine.x[k]!;
      }
      expect(row).toBeGreaterThanOrEqual(block.rowLower - 1e-7);
      expect(row).toBeLessThanOrEqual(block.rowUpper + 1e-7);
      // And a vertex: at most one column strictly between its bounds.
      const between = Array.from(mine.x).filter((x, k) => x > lower[k]! + 1e-9 && x < upper[k]! - 1e-9);
      expect(between.length).toBeLessThanOrEqual(1);
    }
    expect(infeasible).toBeGreaterThan(5);
  }, 120_000);
});
