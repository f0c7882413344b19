import { describe, expect, it } from 'vitest';
import { highsSolver } from './highs-solver';
import type { LinearProgram } from './lp';
import { componentSolver, lpComponents } from './lp-components';

// Two copies of max x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6 (optimum x = 3, y = 1, value 5), side by side
// with a second block scaled ×2 (optimum 10), plus an empty column with cost 0: one LP of three parts
// before small parts are merged.
function twoBlocks(): LinearProgram {
  const colStart = Int32Array.from([0, 2, 4, 6, 8, 8]);
  const rowIndex = Int32Array.from([0, 1, 0, 1, 2, 3, 2, 3]);
  const values = Float64Array.from([1, 1, 1, 3, 1, 1, 1, 3]);
  return {
    sense: 'max',
    objective: Float64Array.from([1, 2, 1, 2, 0]),
    matrix: { rows: 4, cols: 5, colStart, rowIndex, values },
    rowLower: Float64Array.from([-Infinity, -Infinity, -Infinity, -Infinity]),
    rowUpper: Float64Array.from([4, 6, 8, 12]),
    colLower: new Float64Array(5),
    colUpper: Float64Array.from([Infinity, Infinity, Infinity, Infinity, 1]),
  };
}

describe('LP split into independent parts', () => {
  it('finds the blocks (merging parts too small to solve alone)', () => {
    expect(lpComponents(twoBlocks(), 1).cols.map((c) => Array.from(c))).toEqual([
      [0, 1, 4],
      [2, 3],
    ]);
    const parts = lpComponents(twoBlocks());
    expect(parts.cols).toHaveLength(1);
    // Every column and row is in exactly one part.
    const cols = parts.cols.flatMap((c) => Array.from(c)).sort();
    const rows = parts.rows.flatMap((r) => Array.from(r)).sort();
    expect(cols).toEqual([0, 1, 2, 3, 4]);
    expect(rows).toEqual([0, 1, 2, 3]);
  });

  it('gives the same optimum, point and duals as one solve of the whole', async () => {
    const whole = await highsSolver.solve(twoBlocks());
    const split = await componentSolver(highsSolver, 1).solve(twoBlocks());
    expect(split.solver).toBe('highs (2 independent parts)');
    expect(whole.status).toBe('optimal');
    expect(split.status).toBe('optimal');
    expect(split.objective).toBeCloseTo(15, 9);
    expect(whole.objective).toBeCloseTo(15, 9);
    for (let j = 0; j < 4; j++) expect(split.x[j]).toBeCloseTo(whole.x[j]!, 9);
    for (let i = 0; i < 4; i++) expect(split.rowDual[i]).toBeCloseTo(whole.rowDual[i]!, 9);
  });
});
