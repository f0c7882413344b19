// The harmony programme without stock columns against the full one: the same plans (row by row, on random
// points, with the stocks put back at their most) and the same optimum (HiGHS on both, with a linear
// objective in place of harmony, so an LP solver can take them).
import { describe, expect, it } from 'vitest';
import type { LinearProgram } from '../../numeric/lp/lp';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { parseFiveYearFiles } from '../fiveyear/fiveyear-files';
import { generateFiveYearFiles } from '../fiveyear/fiveyear-generate';
import { fiveYearPlanSpec } from '../fiveyear/fiveyear-spec';
import { compilePlanSpec } from '../formulation/compile-spec';
import { buildPlanLp } from '../formulation/plan-lp';
import { harmonyProgram } from './harmony-pdhg-solver';
import { eliminateStocks } from './harmony-stock-elimination';

function formulation(n: number, years: number, seed: number) {
  const { files } = generateFiveYearFiles(n, years, seed);
  return buildPlanLp(compilePlanSpec(fiveYearPlanSpec(parseFiveYearFiles(files), `g${n}`, 'harmony')));
}

/** Row activity M·z of a CSC matrix, computed here (not by the code under test). */
function activity(lp: LinearProgram, z: Float64Array): Float64Array {
  const { colStart, rowIndex, values } = lp.matrix;
  const out = new Float64Array(lp.matrix.rows);
  for (let c = 0; c < lp.matrix.cols; c++)
    for (let e = colStart[c]!; e < colStart[c + 1]!; e++) out[rowIndex[e]!]! += values[e]! * z[c]!;
  return out;
}

describe('harmony programme with the stock columns eliminated', () => {
  for (const [n, years, seed] of [
    [6, 3, 1],
    [10, 4, 3],
    [20, 5, 5],
  ] as const) {
    it(`has the same rows as the full programme with stocks at their most (${n} × ${years}, seed ${seed})`, () => {
      const f = formulation(n, years, seed);
      const full = harmonyProgram(f);
      const e = eliminateStocks(f, full);
      const { nK, periods: P, stockStart } = f.index;
      expect(e.program.lp.matrix.cols).toBe(full.lp.matrix.cols - nK * P);
      expect(e.program.lp.matrix.rows).toBe(full.lp.matrix.rows - nK * (P - 1));
      let s = seed;
      const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
      for (let draw = 0; draw < 5; draw++) {
        const zr = e.program.lp.colUpper.map((u) => (Number.isFinite(u) ? u : 10) * rnd());
        const dualR = new Float64Array(e.program.lp.matrix.rows).map(() => rnd() - 0.5);
        const z = new Float64Array(full.lp.matrix.cols);
        const dual = new Float64Array(full.lp.matrix.rows);
        e.toFull(zr, dualR, z, dual);
        const reducedAct = activity(e.program.lp, zr);
        const fullAct = activity(full.lp, z);
        // Each kept row: the same slack to its bounds in both (the use rows moved the initial stock across).
        e.fullRow.forEach((i, r) => {
          expect(dual[i]).toBe(dualR[r]);
          const scale = 1 + Math.abs(fullAct[i]!);
          if (Number.isFinite(full.lp.rowUpper[i]!))
            expect(e.program.lp.rowUpper[r]! - reducedAct[r]!).toBeCloseTo(
              full.lp.rowUpper[i]! - fullAct[i]!,
              9 - Math.log10(scale),
            );
          if (Number.isFinite(full.lp.rowLower[i]!))
            expect(reducedAct[r]! - e.program.lp.rowLower[r]!).toBeCloseTo(
              fullAct[i]! - full.lp.rowLower[i]!,
              9 - Math.log10(scale),
            );
        });
        // The accumulation rows hold with equality (stocks at their most), their duals are zero, and the
        // first year's stock is the initial one.
        for (const i of f.index.stockBalanceRow)
          if (i >= 0) {
            expect(Math.abs(fullAct[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(z[stockStart]!)));
            expect(dual[i]).toBe(0);
          }
        for (let k = 0; k < nK; k++) expect(z[stockStart + k]).toBe(f.plan.stocks.initial[k]);
        e.fullCol.forEach((c, r) => expect(z[c]).toBe(zr[r]));
      }
    });
  }

  it('has the same optimum as the full programme (HiGHS, a linear objective on net outputs)', async () => {
    for (const [n, years, seed] of [
      [8, 3, 2],
      [12, 4, 4],
    ] as const) {
      const f = formulation(n, years, seed);
      const full = harmonyProgram(f);
      const e = eliminateStocks(f, full);
      // Net output of each target, weighted (so investment competes with it), in place of harmony.
      const linear = (lp: LinearProgram, cols: Int32Array): LinearProgram => {
        const objective = new Float64Array(lp.matrix.cols);
        cols.forEach((c, q) => (objective[c] = 1 + (q % 3)));
        return { ...lp, objective };
      };
      const a = await highsSolver.solve(linear(full.lp, full.harmonyCol));
      const b = await highsSolver.solve(linear(e.program.lp, e.program.harmonyCol));
      expect(a.status).toBe('optimal');
      expect(b.status).toBe('optimal');
      expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(a.objective)),
      );
      // Investment is used (else the test shows nothing about the stocks).
      expect(f.index.investCol.some((c) => c >= 0 && a.x[c]! > 1e-9)).toBe(true);
    }
  });
});
