import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generalLp } from './general-lp';
import { highsSolver } from './highs-solver';
import type { LinearProgram } from './lp';
import { parseMps, writeMps } from './mps';
import {
  chairsAndTables,
  dantzigTransport,
  infeasibleLp,
  rangedWithFreeColumn,
  unboundedLp,
} from './reference-lps';

function afiro(): LinearProgram {
  const parsed = parseMps(readFileSync(new URL('./fixtures/afiro.mps', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`afiro.mps line ${parsed.line}: ${parsed.message}`);
  return parsed.lp;
}

const references: [string, () => LinearProgram][] = [
  ['Dantzig transport', dantzigTransport],
  ['chairs and tables (max)', chairsAndTables],
  ['ranged row, free column', rangedWithFreeColumn],
  ['infeasible', infeasibleLp],
  ['unbounded', unboundedLp],
  ['afiro (netlib)', afiro],
  ['general capacity LP', () => generalLp({ columns: 150, seed: 5 })],
];

function roundTrip(lp: LinearProgram): LinearProgram {
  const parsed = parseMps(writeMps(lp, 'round trip'));
  if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.message}`);
  return parsed.lp;
}

describe('writeMps', () => {
  it.each(references)('%s reads back with identical data', (_, make) => {
    const lp = make();
    const back = roundTrip(lp);
    expect(back.sense).toBe(lp.sense);
    expect(back.objectiveOffset ?? 0).toBe(lp.objectiveOffset ?? 0);
    expect(Array.from(back.objective)).toEqual(Array.from(lp.objective));
    expect(Array.from(back.colLower)).toEqual(Array.from(lp.colLower));
    expect(Array.from(back.colUpper)).toEqual(Array.from(lp.colUpper));
    expect(Array.from(back.rowLower)).toEqual(Array.from(lp.rowLower));
    expect(Array.from(back.rowUpper)).toEqual(Array.from(lp.rowUpper));
    expect(back.matrix.rows).toBe(lp.matrix.rows);
    expect(back.matrix.cols).toBe(lp.matrix.cols);
    expect(Array.from(back.matrix.colStart)).toEqual(Array.from(lp.matrix.colStart));
    expect(Array.from(back.matrix.rowIndex)).toEqual(Array.from(lp.matrix.rowIndex));
    expect(Array.from(back.matrix.values)).toEqual(Array.from(lp.matrix.values));
  });

  it('keeps an objective offset, a free row and a column without coefficients', () => {
    const lp: LinearProgram = {
      sense: 'min',
      objective: Float64Array.from([1, 0]),
      objectiveOffset: 2.5,
      matrix: {
        rows: 2,
        cols: 2,
        colStart: Int32Array.from([0, 2, 2]),
        rowIndex: Int32Array.from([0, 1]),
        values: Float64Array.from([1, 3]),
      },
      rowLower: Float64Array.from([1, Number.NEGATIVE_INFINITY]),
      rowUpper: Float64Array.from([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]),
      colLower: Float64Array.from([0, -1]),
      colUpper: Float64Array.from([10, -0.5]),
    };
    const back = roundTrip(lp);
    expect(back.objectiveOffset).toBe(2.5);
    expect(back.matrix.cols).toBe(2);
    expect(Array.from(back.rowLower)).toEqual([1, Number.NEGATIVE_INFINITY]);
    expect(Array.from(back.rowUpper)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(Array.from(back.colLower)).toEqual([0, -1]);
    expect(Array.from(back.colUpper)).toEqual([10, -0.5]);
  });

  it('writes files HiGHS reads to the same optimum (an independent MPS reader)', async () => {
    const { default: loadHighs } = await import('highs');
    for (const [name, make] of references.filter(([n]) => !['infeasible', 'unbounded'].includes(n))) {
      const lp = make();
      const direct = await highsSolver.solve(lp);
      const highs = await loadHighs();
      const model = highs.createModel({ format: 'mps', data: writeMps(lp, name) });
      model.options.set({ output_flag: false });
      expect(model.run().modelStatus, name).toBe(highs.constants.modelStatus.optimal);
      expect(model.getObjectiveValue(), name).toBeCloseTo(direct.objective, 9);
      model.dispose();
    }
  });
});
