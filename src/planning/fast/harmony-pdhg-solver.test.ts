// Harmony with capital stocks by the first-order method (PDHG with the proximal map of H), against two
// independent solves: the piecewise-linear LP with very fine breakpoints (maxError 1e-6) solved by HiGHS, and
// the refined-breakpoint solver, each with its own certificate. All plans are feasible, so each one's true
// harmony must lie below every other's certified upper bound, and ours within its own certified gap, which
// must be below the tolerance. Then the certificate is broken on purpose and must say so.
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { lpResiduals } from '../../numeric/lp/lp-residuals';
import { parseFiveYearFiles } from '../fiveyear/fiveyear-files';
import { generateFiveYearFiles } from '../fiveyear/fiveyear-generate';
import { fiveYearPlanSpec } from '../fiveyear/fiveyear-spec';
import { compilePlanSpec } from '../formulation/compile-spec';
import { buildPlanLp } from '../formulation/plan-lp';
import type { PlanSpec } from '../formulation/plan-spec';
import { solveFormulation } from '../formulation/solve-plan';
import { choosePlanSolver } from './choose-plan-solver';
import {
  HARMONY_PDHG,
  HARMONY_PDHG_TOLERANCE,
  certifyIterate,
  harmonyPdhgApplies,
  harmonyPdhgSolver,
  harmonyProgram,
} from './harmony-pdhg-solver';
import { harmonyRefineSolver } from './harmony-refine-solver';

function capitalSpec(n: number, years: number, seed: number, maxError?: number): PlanSpec {
  const { files } = generateFiveYearFiles(n, years, seed);
  const spec = fiveYearPlanSpec(parseFiveYearFiles(files), `generated ${n}`, 'harmony');
  return maxError === undefined ? spec : { ...spec, harmony: { maxError } };
}

describe('harmony with capital stocks by PDHG with the proximal map of H', () => {
  for (const [n, years, seed] of [
    [6, 3, 1],
    [8, 3, 2],
    [10, 4, 3],
    [12, 3, 4],
    [20, 5, 5],
  ] as const) {
    it(`agrees with the fine LP and the refined LP within the certified gaps (${n} industries × ${years} years, seed ${seed})`, async () => {
      const f = buildPlanLp(compilePlanSpec(capitalSpec(n, years, seed)));
      expect(harmonyPdhgApplies(f)).toEqual({ ok: true });
      const ours = await solveFormulation(f, choosePlanSolver(f, { solver: HARMONY_PDHG }));
      expect(ours.solution.solver).toBe(HARMONY_PDHG);
      expect(ours.result.status).toBe('optimal');
      const h = ours.result.objectiveValue;
      const gap = ours.result.harmonyGap!;
      const fine = await solveFormulation(
        buildPlanLp(compilePlanSpec(capitalSpec(n, years, seed, 1e-6))),
        highsSolver,
      );
      const refined = await solveFormulation(f, harmonyRefineSolver(f, highsSolver));
      expect(fine.result.status).toBe('optimal');
      expect(refined.result.status).toBe('optimal');
      const scale = Math.max(1, Math.abs(fine.result.objectiveValue));
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(HARMONY_PDHG_TOLERANCE * Math.max(1, Math.abs(h)) * (1 + 1e-9));
      for (const other of [fine, refined]) {
        const oh = other.result.objectiveValue;
        const og = other.result.harmonyGap!;
        // Our bound holds the other feasible plan; its bound holds ours.
        expect(oh).toBeLessThanOrEqual(h + gap + 1e-9 * scale);
        expect(h).toBeLessThanOrEqual(oh + og + 1e-9 * scale);
      }
      // The plan returned meets every row and bound of the formulation's LP (capital, labour, balances).
      const res = lpResiduals(f.lp, ours.solution.x, ours.solution.rowDual);
      expect(res.primal).toBeLessThanOrEqual(1e-9);
      expect(ours.result.investment.some((v) => v > 1e-9)).toBe(true);
      // At 20 × 5 the three solves (the fine LP has breakpoints to 1e-6) took 23 s at load 6, near the
      // unit suite's 30 s limit; the time is not what this test checks.
    }, 120_000);
  }

  it('refuses a certificate broken on purpose', async () => {
    const f = buildPlanLp(compilePlanSpec(capitalSpec(10, 4, 3)));
    const ours = await solveFormulation(f, harmonyPdhgSolver(f, highsSolver));
    const fine = await solveFormulation(
      buildPlanLp(compilePlanSpec(capitalSpec(10, 4, 3, 1e-6))),
      highsSolver,
    );
    const program = harmonyProgram(f);
    const z = new Float64Array(program.lp.matrix.cols);
    z.set(ours.solution.x.subarray(0, f.index.segmentStart));
    program.harmonyCol.forEach((c, q) => {
      let y = 0;
      for (let k = 0; k < f.index.segmentsPerTarget; k++)
        y += ours.solution.x[f.index.segmentStart + q * f.index.segmentsPerTarget + k]!;
      z[c] = y;
    });
    const minDual = ours.solution.rowDual.map((v) => -v);
    const good = certifyIterate(f, program, z, minDual)!;
    const fineH = fine.result.objectiveValue;
    expect(good.bound - good.harmony).toBeLessThanOrEqual(HARMONY_PDHG_TOLERANCE * Math.abs(good.harmony));
    expect(good.bound).toBeGreaterThanOrEqual(fineH - 1e-9);
    // Every product's price zeroed: the bound recomputes them from the labour and capital duals (p = Aᵀp + c),
    // so it still closes; without that step it would be far off (all net outputs would be worth nothing).
    const pricesGone = Float64Array.from(minDual);
    for (let i = 0; i < f.index.nP * f.index.periods; i++) pricesGone[i] = 0;
    const recomputed = certifyIterate(f, program, z, pricesGone)!;
    expect(recomputed.bound).toBeGreaterThanOrEqual(fineH - 1e-9);
    expect(recomputed.bound - good.harmony).toBeLessThanOrEqual(
      HARMONY_PDHG_TOLERANCE * Math.abs(good.harmony),
    );
    // Year 1's products and labour priced at zero: the bound stays valid (weak duality holds for every dual)
    // but the gap opens, so the solver would not stop there. (Zero prices alone are not enough: the bound
    // recomputes each year's prices from its labour and capital duals.)
    const noPrices = Float64Array.from(minDual);
    for (let p = 0; p < f.index.nP; p++) noPrices[p] = 0;
    for (let r = 0; r < f.index.nS; r++) if (f.index.skillRow[r]! >= 0) noPrices[f.index.skillRow[r]!] = 0;
    const broken = certifyIterate(f, program, z, noPrices)!;
    expect(broken.bound).toBeGreaterThanOrEqual(fineH - 1e-9);
    expect(broken.bound - broken.harmony).toBeGreaterThan(HARMONY_PDHG_TOLERANCE * Math.abs(broken.harmony));
    // Any non-negative duals bound the optimum from above (random ones, several draws).
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let draw = 0; draw < 5; draw++) {
      const d = minDual.map((v) => v * (0.5 + rnd()));
      expect(certifyIterate(f, program, z, d)!.bound).toBeGreaterThanOrEqual(fineH - 1e-9);
    }
    // A plan pushed past its capital: the LP's rows catch it (the returned plan must pass this check).
    const x = Float64Array.from(ours.solution.x);
    const k = 0;
    const j = f.plan.stocks.technology[k]!;
    x[j] = (1.01 * f.plan.stocks.initial[k]!) / f.plan.stocks.perUnit[k]!;
    expect(lpResiduals(f.lp, x, ours.solution.rowDual).primal).toBeGreaterThan(1e-6);
    // An iterate with a negative investment and an over-target net output is repaired into a feasible plan.
    const wild = z.map((v, c) => (c < f.index.segmentStart ? -v : 3 * v));
    const fixed = certifyIterate(f, program, wild, minDual)!;
    expect(fixed.harmony).toBeLessThanOrEqual(good.bound + 1e-9);
  });

  it('reports the certified plan of a run stopped by its limit: its harmony and gap, not 0 and null', async () => {
    const f = buildPlanLp(compilePlanSpec(capitalSpec(10, 4, 3)));
    // One check only (CHECK_EVERY iterations), far from the tolerance.
    const stopped = await solveFormulation(f, harmonyPdhgSolver(f, highsSolver), { maxIterations: 64 });
    expect(stopped.result.status).toBe('iteration-limit');
    expect(stopped.result.feasible).toBe(true);
    const h = stopped.result.objectiveValue;
    const gap = stopped.result.harmonyGap;
    expect(h).not.toBe(0);
    expect(h).toBe(stopped.result.totalHarmony);
    expect(gap).not.toBeNull();
    expect(gap!).toBeGreaterThan(HARMONY_PDHG_TOLERANCE * Math.abs(h));
    // The plan is feasible and the gap a true bound: the fine LP's optimum lies within it.
    expect(lpResiduals(f.lp, stopped.solution.x, stopped.solution.rowDual).primal).toBeLessThanOrEqual(1e-9);
    const fine = await solveFormulation(
      buildPlanLp(compilePlanSpec(capitalSpec(10, 4, 3, 1e-6))),
      highsSolver,
    );
    const scale = Math.max(1, Math.abs(fine.result.objectiveValue));
    expect(fine.result.objectiveValue).toBeLessThanOrEqual(h + gap! + 1e-9 * scale);
    expect(h).toBeLessThanOrEqual(fine.result.objectiveValue + fine.result.harmonyGap! + 1e-9 * scale);
    // No prices or binding limits from duals that have not converged.
    expect(stopped.result.binding).toEqual([]);
    expect(stopped.result.prices.target.every((v) => v === 0)).toBe(true);
  });

  it('says why it does not apply, and auto keeps the refined LP for small plans', () => {
    const spec = capitalSpec(6, 2, 1);
    const assortment = buildPlanLp(compilePlanSpec({ ...spec, objective: 'assortment' }));
    expect(harmonyPdhgApplies(assortment)).toEqual({
      ok: false,
      reason: 'the objective is assortment, not harmony',
    });
    const noCapital = buildPlanLp(compilePlanSpec({ ...spec, capital: [] }));
    expect(harmonyPdhgApplies(noCapital).ok).toBe(false);
    expect(() => choosePlanSolver(noCapital, { solver: HARMONY_PDHG })).toThrow(
      /harmony-pdhg does not apply/,
    );
    expect(choosePlanSolver(buildPlanLp(compilePlanSpec(spec))).name).not.toBe(HARMONY_PDHG);
  });
});
