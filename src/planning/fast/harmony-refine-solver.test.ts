// Harmony with capital stocks (years linked by investment) by refined breakpoints, against the piecewise-linear
// LP solved by HiGHS with very fine breakpoints (maxError 1e-6: ~900 pieces per target), an independent
// solve whose own certificate (harmony-pwl.ts) brackets the true optimum. Both plans are feasible, so each
// one's true harmony must lie below the other's certified upper bound; and ours must be within its
// certified gap, which must be below the tolerance. Economies: the 5yearplan generator's, small, several seeds.
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
import { harmonyLeontiefApplies } from './harmony-leontief-solver';
import {
  HARMONY_REFINE,
  HARMONY_REFINE_TOLERANCE,
  harmonyRefineApplies,
  harmonyRefineSolver,
  refinedPoints,
} from './harmony-refine-solver';

function capitalSpec(n: number, years: number, seed: number, maxError?: number): PlanSpec {
  const { files } = generateFiveYearFiles(n, years, seed);
  const spec = fiveYearPlanSpec(parseFiveYearFiles(files), `generated ${n}`, 'harmony');
  return maxError === undefined ? spec : { ...spec, harmony: { maxError } };
}

describe('harmony with capital stocks by refined breakpoints', () => {
  for (const [n, years, seed] of [
    [6, 3, 1],
    [8, 3, 2],
    [10, 4, 3],
    [12, 3, 4],
  ] as const) {
    it(`reaches the fine LP's optimum with a certified gap (${n} industries × ${years} years, seed ${seed})`, async () => {
      const f = buildPlanLp(compilePlanSpec(capitalSpec(n, years, seed)));
      expect(f.plan.stocks.product.length).toBeGreaterThan(0);
      expect(harmonyLeontiefApplies(f).ok).toBe(false);
      const solver = choosePlanSolver(f);
      expect(solver.name).toBe(HARMONY_REFINE);
      const ours = await solveFormulation(f, solver);
      expect(ours.result.status).toBe('optimal');
      const fine = await solveFormulation(
        buildPlanLp(compilePlanSpec(capitalSpec(n, years, seed, 1e-6))),
        highsSolver,
      );
      expect(fine.result.status).toBe('optimal');
      const h = ours.result.objectiveValue;
      const gap = ours.result.harmonyGap!;
      const fineH = fine.result.objectiveValue;
      const fineGap = fine.result.harmonyGap!;
      const scale = Math.max(1, Math.abs(fineH));
      // Our certificate: within the tolerance, and honest (the fine plan is feasible, so ≤ our bound).
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(HARMONY_REFINE_TOLERANCE * Math.max(1, Math.abs(h)) * (1 + 1e-9));
      expect(fineH).toBeLessThanOrEqual(h + gap + 1e-9 * scale);
      // The fine LP's certificate bounds our plan's harmony from above, and ours is at least its plan's less gaps.
      expect(h).toBeLessThanOrEqual(fineH + fineGap + 1e-9 * scale);
      expect(Math.abs(h - fineH)).toBeLessThanOrEqual(gap + fineGap + 1e-9 * scale);
      // The plan returned is feasible in the formulation's LP (capital, labour, balances).
      const res = lpResiduals(f.lp, ours.solution.x!, ours.solution.rowDual!);
      expect(res.primal).toBeLessThanOrEqual(1e-7);
      // Capital binds somewhere, so the years are really linked.
      expect(ours.result.investment.some((v) => v > 1e-9)).toBe(true);
    });
  }

  it('certifies a gap no larger than the default LP with the same breakpoints as its first stage', async () => {
    const f = buildPlanLp(compilePlanSpec(capitalSpec(10, 3, 5)));
    const lp = await solveFormulation(f, highsSolver);
    const ours = await solveFormulation(f, harmonyRefineSolver(f, highsSolver));
    expect(ours.result.objectiveValue).toBeGreaterThanOrEqual(lp.result.objectiveValue - 1e-9);
    expect(ours.result.harmonyGap!).toBeLessThanOrEqual(lp.result.harmonyGap!);
    expect(ours.solution.solver).toBe(HARMONY_REFINE);
  });

  it('says why it does not apply', () => {
    const spec = capitalSpec(6, 2, 1);
    const assortment = buildPlanLp(compilePlanSpec({ ...spec, objective: 'assortment' }));
    expect(harmonyRefineApplies(assortment)).toEqual({ ok: false, reason: 'the objective is assortment' });
    const elastic = buildPlanLp(compilePlanSpec(spec), { elastic: true });
    expect(harmonyRefineApplies(elastic).ok).toBe(false);
    const coarse = buildPlanLp(compilePlanSpec({ ...spec, harmony: { maxError: 0.05 } }));
    expect(harmonyRefineApplies(coarse)).toEqual({
      ok: false,
      reason: 'harmony.maxError is too coarse to leave columns for refinement',
    });
    const noCapital = buildPlanLp(compilePlanSpec({ ...spec, capital: [] }));
    expect(harmonyRefineApplies(noCapital)).toEqual({
      ok: false,
      reason: 'no capital stocks: the LP is solved period by period',
    });
    // A coarse formulation under 'auto' goes to the LP solver.
    expect(choosePlanSolver(coarse).name).not.toBe(HARMONY_REFINE);
  });

  it('places breakpoints ascending, within [−1, sMax], around s, within the budget', () => {
    const coarse = Float64Array.from([-1, -0.5, 0, 0.5, 1.5, 4]);
    const pts = refinedPoints(coarse, 0.3, 0.01, 20);
    expect(pts.length).toBeLessThanOrEqual(20);
    expect(pts[0]).toBe(-1);
    expect(pts[pts.length - 1]).toBe(4);
    for (let k = 1; k < pts.length; k++) expect(pts[k]!).toBeGreaterThan(pts[k - 1]!);
    expect(pts.some((p) => Math.abs(p - 0.3) < 1e-15)).toBe(true);
    expect(pts.filter((p) => Math.abs(p - 0.3) <= 0.06 + 1e-12).length).toBe(13);
    // At the lower end the window is clipped, never below −1.
    const low = refinedPoints(coarse, -1, 0.01, 20);
    expect(low[0]).toBe(-1);
    expect(low.every((p) => p >= -1 && p <= 4)).toBe(true);
  });
});
