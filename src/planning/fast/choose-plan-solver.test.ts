// 'auto' for harmony plans with capital stocks by size: the refined LP below 100 products; from 100 the
// first-order method to the refined LP's own tolerance (1e-6 relative), which it reaches faster there
// (docs/guide/planning-objectives.md), and the refined LP when the first-order method stops short of it.
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { parseFiveYearFiles } from '../fiveyear/fiveyear-files';
import { generateFiveYearFiles } from '../fiveyear/fiveyear-generate';
import { fiveYearPlanSpec } from '../fiveyear/fiveyear-spec';
import { compilePlanSpec } from '../formulation/compile-spec';
import { buildPlanLp } from '../formulation/plan-lp';
import { solveFormulation } from '../formulation/solve-plan';
import {
  HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS,
  choosePlanSolver,
  pdhgThenRefine,
} from './choose-plan-solver';
import { HARMONY_PDHG } from './harmony-pdhg-solver';
import { HARMONY_REFINE, HARMONY_REFINE_TOLERANCE, harmonyRefineSolver } from './harmony-refine-solver';

const formulation = (n: number, years: number, seed: number) =>
  buildPlanLp(
    compilePlanSpec(
      fiveYearPlanSpec(parseFiveYearFiles(generateFiveYearFiles(n, years, seed).files), `g${n}`, 'harmony'),
    ),
  );
const relative = (gap: number | null, h: number) => (gap ?? Infinity) / Math.max(1, Math.abs(h));

describe("'auto' for harmony with capital stocks", () => {
  it('takes the refined LP below 100 products', () => {
    expect(HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS).toBe(100);
    expect(choosePlanSolver(formulation(99, 2, 1)).name).toBe(HARMONY_REFINE);
  });

  it("from 100 products takes the first-order method, certified to the refined LP's tolerance", async () => {
    const f = formulation(100, 2, 1);
    const chosen = choosePlanSolver(f);
    expect(chosen.name).toBe(HARMONY_PDHG);
    const ours = await solveFormulation(f, chosen);
    expect(ours.solution.solver).toBe(HARMONY_PDHG);
    expect(ours.result.status).toBe('optimal');
    const h = ours.result.objectiveValue;
    expect(relative(ours.result.harmonyGap, h)).toBeLessThanOrEqual(HARMONY_REFINE_TOLERANCE * (1 + 1e-9));
    // The refined LP, independently, on the same plan: the two harmonies agree within the two certified gaps.
    const refined = await solveFormulation(f, harmonyRefineSolver(f, highsSolver));
    expect(refined.result.status).toBe('optimal');
    expect(Math.abs(h - refined.result.objectiveValue)).toBeLessThanOrEqual(
      ours.result.harmonyGap! + refined.result.harmonyGap! + 1e-9 * Math.max(1, Math.abs(h)),
    );
  }, 120_000);

  it("meets the refined LP's tolerance where the first-order method's own (1e-4) would stop short of it", async () => {
    // At 100 × 5 the first-order method stops at about 5e-6 relative when left at its own tolerance.
    const f = formulation(100, 5, 1);
    const ours = await solveFormulation(f, choosePlanSolver(f));
    expect(ours.result.status).toBe('optimal');
    expect(relative(ours.result.harmonyGap, ours.result.objectiveValue)).toBeLessThanOrEqual(
      HARMONY_REFINE_TOLERANCE * (1 + 1e-9),
    );
  }, 120_000);

  it('falls back to the refined LP when the first-order method stops short of the tolerance', async () => {
    const f = formulation(12, 3, 4);
    // Ten iterations cannot certify 1e-6: the first-order answer stops at its limit.
    const out = await solveFormulation(f, pdhgThenRefine(f, highsSolver), { maxIterations: 10 });
    expect(out.solution.solver).toBe(HARMONY_REFINE);
    expect(out.result.status).toBe('optimal');
    expect(relative(out.result.harmonyGap, out.result.objectiveValue)).toBeLessThanOrEqual(
      HARMONY_REFINE_TOLERANCE * (1 + 1e-9),
    );
  }, 60_000);
});
