// The exact harmony solver on whole plans against the piecewise-linear LP solved by HiGHS with fine
// breakpoints (an independent method whose own certificate brackets the true optimum), on random small
// economies with several limits (two skills, a resource and a capacity, over two periods), and with a
// choice of technique under one limited skill.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { compilePlanSpec } from '../formulation/compile-spec';
import { tinyEconomy } from '../formulation/plan-fixtures';
import { buildPlanLp } from '../formulation/plan-lp';
import type { PlanSpec } from '../formulation/plan-spec';
import { solveFormulation, solvePlan } from '../formulation/solve-plan';
import { readPlanResult } from '../plan-result';
import { choosePlanSolver } from './choose-plan-solver';
import { HARMONY_LEONTIEF, harmonyLeontiefApplies } from './harmony-leontief-solver';

const MAX_ERROR = 1e-6;

function randomSpec(
  n: number,
  r: {
    a: number[][];
    l: number[][];
    res: number[];
    targets: number[][];
    limits: number[];
    capacity: number;
  },
): PlanSpec {
  const products = Array.from({ length: n }, (_, i) => `p${i}`);
  const economy = tinyEconomy({
    products,
    skills: { general: r.limits[0]!, special: r.limits[1]! },
    resources: { land: r.limits[2]! },
    technologies: products.map((p, j) => ({
      code: `T${j}`,
      product: p,
      labour: { general: r.l[0]![j]!, special: r.l[1]![j]! },
      resources: { land: r.res[j]! },
      inputs: Object.fromEntries(products.map((q, i) => [q, r.a[i]![j]!]).filter(([, c]) => c !== 0)),
      ...(j === 0 ? { capacity: r.capacity } : {}),
    })),
    targets: Object.fromEntries(products.map((p, i) => [p, [r.targets[0]![i]!, r.targets[1]![i]!]])),
  });
  return { economy, periods: 2, objective: 'harmony', harmony: { maxError: MAX_ERROR, maxSurplus: 4 } };
}

describe('harmony by the Leontief dual', () => {
  it('agrees with the fine piecewise-linear LP within its certificate on random economies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((n) => {
          const vec = (min: number, max: number) =>
            fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });
          return fc.record({
            n: fc.constant(n),
            a: fc.array(vec(0, 0.6 / n), { minLength: n, maxLength: n }),
            l: fc.array(vec(0.1, 3), { minLength: 2, maxLength: 2 }),
            res: vec(0, 2),
            targets: fc.array(vec(1, 40), { minLength: 2, maxLength: 2 }),
            limits: fc.array(fc.double({ min: 5, max: 400, noNaN: true }), { minLength: 3, maxLength: 3 }),
            capacity: fc.double({ min: 1, max: 100, noNaN: true }),
          });
        }),
        async (r) => {
          const spec = randomSpec(r.n, r);
          const f = buildPlanLp(compilePlanSpec(spec));
          expect(harmonyLeontiefApplies(f)).toEqual({ ok: true });
          const solver = choosePlanSolver(f);
          expect(solver.name).toBe(HARMONY_LEONTIEF);
          const ours = (await solveFormulation(f, solver)).result;
          const lp = (await solvePlan(spec, highsSolver)).result;
          expect(ours.status).toBe('optimal');
          expect(lp.status).toBe('optimal');
          const scale = Math.max(1, Math.abs(lp.objectiveValue));
          // Our certificate is tight, and the LP's plan can beat ours by no more than it (plus HiGHS's
          // feasibility tolerance); our plan can beat the LP's by no more than the LP's certificate.
          expect(ours.harmonyGap!).toBeLessThanOrEqual(1e-8 * scale);
          expect(ours.objectiveValue).toBeGreaterThanOrEqual(
            lp.objectiveValue - ours.harmonyGap! - 1e-6 * scale,
          );
          expect(ours.objectiveValue).toBeLessThanOrEqual(lp.objectiveValue + lp.harmonyGap! + 1e-6 * scale);
          // Our plan keeps every limit and makes no negative net output.
          const plan = f.plan;
          for (let t = 0; t < 2; t++) {
            for (let s = 0; s < 2; s++)
              expect(ours.labourUsed[t * 2 + s]!).toBeLessThanOrEqual(
                plan.skillAvailable[t * 2 + s]! * (1 + 1e-9),
              );
            expect(ours.activity[t * r.n]!).toBeLessThanOrEqual(r.capacity * (1 + 1e-9));
            for (let p = 0; p < r.n; p++)
              expect(ours.netOutput[t * r.n + p]!).toBeGreaterThanOrEqual(-1e-9 * scale);
          }
          let land = 0;
          for (let j = 0; j < r.n; j++) land += r.res[j]! * ours.activity[j]!;
          expect(land).toBeLessThanOrEqual(r.limits[2]! * (1 + 1e-9));
        },
      ),
      { numRuns: 12, seed: 14 },
    );
  });

  it('counts no harmony beyond maxSurplus, so a product that costs no limited input cannot inflate it', async () => {
    // p1 needs no labour: the LP may make any amount of it, but harmony stops at five times its target.
    const economy = tinyEconomy({
      products: ['p0', 'p1'],
      skills: { general: 10 },
      technologies: [
        { code: 'T0', product: 'p0', labour: { general: 1 } },
        { code: 'T1', product: 'p1' },
      ],
      targets: { p0: [20], p1: [2] },
    });
    const spec: PlanSpec = { economy, periods: 1, objective: 'harmony' };
    const lp = (await solvePlan(spec, highsSolver)).result;
    // H(s) for p0 at s = −½ (10 of 20) and p1 at the cap s = 4.
    const expected = -0.5 - 0.125 + Math.log(5);
    expect(lp.objectiveValue).toBeCloseTo(expected, 6);
    const f = buildPlanLp(compilePlanSpec(spec));
    const { solution, result: ours } = await solveFormulation(f, choosePlanSolver(f));
    expect(ours.objectiveValue).toBeCloseTo(expected, 12);
    expect(ours.harmonyGap!).toBeLessThanOrEqual(1e-12);
    // The same plan with 1,000 more units of p1 (still feasible: it needs no labour) earns no more.
    const x = solution.x.slice();
    x[1]! += 1_000;
    expect(readPlanResult(f, { ...solution, x }).objectiveValue).toBeCloseTo(expected, 12);
  });

  it('solves a choice of technique under one limited skill: the techniques of least labour, as the LP finds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((n) => {
          const vec = (min: number, max: number) =>
            fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });
          return fc.record({
            n: fc.constant(n),
            // Two techniques per product, each with its own inputs and labour.
            a: fc.array(fc.array(vec(0, 0.6 / n), { minLength: n, maxLength: n }), {
              minLength: 2,
              maxLength: 2,
            }),
            l: fc.array(vec(0.1, 3), { minLength: 2, maxLength: 2 }),
            targets: vec(1, 40),
            labour: fc.double({ min: 5, max: 300, noNaN: true }),
          });
        }),
        async (r) => {
          const products = Array.from({ length: r.n }, (_, i) => `p${i}`);
          const economy = tinyEconomy({
            products,
            skills: { general: r.labour },
            technologies: [0, 1].flatMap((k) =>
              products.map((p, j) => ({
                code: `T${k}-${j}`,
                product: p,
                labour: { general: r.l[k]![j]! },
                inputs: Object.fromEntries(
                  products.map((q, i) => [q, r.a[k]![i]![j]!]).filter(([, c]) => c !== 0),
                ),
              })),
            ),
            targets: Object.fromEntries(products.map((p, i) => [p, [r.targets[i]!]])),
          });
          const spec: PlanSpec = {
            economy,
            periods: 1,
            objective: 'harmony',
            harmony: { maxError: MAX_ERROR, maxSurplus: 4 },
          };
          const f = buildPlanLp(compilePlanSpec(spec));
          expect(harmonyLeontiefApplies(f)).toEqual({ ok: true });
          const ours = (await solveFormulation(f, choosePlanSolver(f))).result;
          const lp = (await solvePlan(spec, highsSolver)).result;
          expect(ours.solver.name).toBe(HARMONY_LEONTIEF);
          const scale = Math.max(1, Math.abs(lp.objectiveValue));
          expect(ours.harmonyGap!).toBeLessThanOrEqual(1e-8 * scale);
          expect(ours.objectiveValue).toBeGreaterThanOrEqual(lp.objectiveValue - 1e-6 * scale);
          expect(ours.objectiveValue).toBeLessThanOrEqual(lp.objectiveValue + lp.harmonyGap! + 1e-6 * scale);
          expect(ours.labourUsed[0]!).toBeLessThanOrEqual(r.labour * (1 + 1e-9));
          for (let p = 0; p < r.n; p++) expect(ours.netOutput[p]!).toBeGreaterThanOrEqual(-1e-9 * scale);
        },
      ),
      { numRuns: 12, seed: 14 },
    );
  });

  it('leaves a choice of technique under a resource limit to the LP, saying why', () => {
    const economy = tinyEconomy({
      products: ['p0'],
      skills: { general: 10 },
      resources: { land: 5 },
      technologies: [
        { code: 'T0', product: 'p0', labour: { general: 1 } },
        { code: 'T0b', product: 'p0', labour: { general: 2 }, resources: { land: 1 } },
      ],
      targets: { p0: [5] },
    });
    const f = buildPlanLp(compilePlanSpec({ economy, periods: 1, objective: 'harmony' }));
    expect(harmonyLeontiefApplies(f)).toEqual({
      ok: false,
      reason: 'a resource is limited and some product has a choice of technique',
    });
    expect(choosePlanSolver(f).name).not.toBe(HARMONY_LEONTIEF);
  });
});
