import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import type { EconomyModel } from '../../economy/economy';
import { compilePlanSpec } from '../formulation/compile-spec';
import { steelAndCoal, tinyEconomy } from '../formulation/plan-fixtures';
import { buildPlanLp } from '../formulation/plan-lp';
import type { PlanSpec } from '../formulation/plan-spec';
import { solveFormulation } from '../formulation/solve-plan';
import { syntheticPlan } from '../formulation/synthetic-plan';
import { patchFormulation } from '../formulation/patch-formulation';
import { choosePlanSolver } from './choose-plan-solver';
import { replanByTechniqueChoice } from './fast-replan';
import type { LpSolution } from '../../numeric/lp/lp';
import { CHECKED, checkedAnswer, TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';

const REL = 1e-7;
const close = (a: number, b: number, scale = Math.abs(b)) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(REL * Math.max(1, scale));

/** Solves the same formulation with HiGHS and with technique choice. */
async function both(spec: PlanSpec | ReturnType<typeof compilePlanSpec>) {
  const plan = 'economy' in spec ? compilePlanSpec(spec) : spec;
  const f = buildPlanLp(plan);
  const exact = await solveFormulation(f, highsSolver);
  const fast = await solveFormulation(f, techniqueChoiceSolver(f, highsSolver));
  return { exact: exact.result, fast: fast.result, fastOutcome: fast };
}

async function expectSameOptimum(spec: PlanSpec | ReturnType<typeof compilePlanSpec>) {
  const { exact, fast } = await both(spec);
  expect(fast.status).toBe(exact.status);
  expect(fast.solver.name).toBe(TECHNIQUE_CHOICE);
  close(fast.objectiveValue, exact.objectiveValue);
  const xScale = Math.max(...exact.activity.map(Math.abs));
  exact.activity.forEach((a, j) => close(fast.activity[j]!, a, xScale));
  // Where nothing of a product is made its target price is not unique: any value up to the cost of one
  // more unit is dual-feasible. HiGHS reports 0 there, technique choice that cost; elsewhere they agree.
  const vScale = Math.max(...exact.prices.target.map(Math.abs));
  exact.prices.target.forEach((v, i) => {
    if (exact.grossOutput[i]! > 0) close(fast.prices.target[i]!, v, vScale);
    else expect(fast.prices.target[i]!).toBeGreaterThanOrEqual(v - REL * vScale);
  });
  exact.prices.skill.forEach((v, i) => close(fast.prices.skill[i]!, v, vScale));
  expect(fast.solver.residual).toBeLessThan(1e-8);
  return { exact, fast };
}

/** A random economy: n products, each with 1–3 techniques, sparse inputs with column sums ≤ 0.8, two skills. */
function randomEconomy(seed: number, n: number, machining: number | null): EconomyModel {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const products = Array.from({ length: n }, (_, p) => `p${p}`);
  const technologies = products.flatMap((product, p) =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => {
      const inputs: Record<string, number> = {};
      for (let q = 0; q < n; q++) if (q !== p && rand() < 0.3) inputs[`p${q}`] = (0.8 / n) * rand() * 2;
      return {
        code: `${product}-t${k}`,
        product,
        inputs,
        labour: { machining: 0.2 + rand(), assembly: 0.2 + rand() },
      };
    }),
  );
  const targets = Object.fromEntries(products.map((p) => [p, [rand() < 0.2 ? 0 : 1 + 9 * rand()]]));
  return tinyEconomy({ products, skills: { machining, assembly: null }, technologies, targets });
}

describe('technique choice against HiGHS', () => {
  it('matches HiGHS on the hand example where the indirect technique is cheaper', async () => {
    const economy = steelAndCoal();
    const { fast } = await expectSameOptimum({ economy, periods: 1, objective: 'min-labour' });
    close(fast.objectiveValue, 15);
    close(fast.prices.target[0]!, 1.5);
  });

  it('mixes two techniques to use exactly the scarce skill in the hand example', async () => {
    // T1 needs 1 h machining per t, T2 2 h assembly; with 6 h of machining T1 makes 6 t and T2 4 t: 14 h.
    const economy = tinyEconomy({
      products: ['steel'],
      skills: { machining: 6, assembly: null },
      technologies: [
        { code: 'T1', product: 'steel', labour: { machining: 1 } },
        { code: 'T2', product: 'steel', labour: { assembly: 2 } },
      ],
      targets: { steel: [10] },
    });
    const { fast } = await expectSameOptimum({ economy, periods: 1, objective: 'min-labour' });
    close(fast.objectiveValue, 14);
    close(fast.activity[0]!, 6);
    close(fast.prices.skill[0]!, 1);
  });

  it('agrees with HiGHS on random plans with alternative techniques and no limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 12 }), async (seed, n) => {
        await expectSameOptimum({
          economy: randomEconomy(seed, n, null),
          periods: 1,
          objective: 'min-labour',
        });
      }),
      { seed: 11, numRuns: 15 },
    );
  });

  it('agrees with HiGHS on random plans whose one limited skill binds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0.6, max: 1, noNaN: true }),
        async (seed, n, share) => {
          const free = randomEconomy(seed, n, null);
          const { exact } = await both({ economy: free, periods: 1, objective: 'min-labour' });
          const economy = randomEconomy(seed, n, share * exact.labourUsed[0]!);
          const spec: PlanSpec = { economy, periods: 1, objective: 'min-labour' };
          const { exact: limited } = await both(spec);
          if (limited.status !== 'optimal') return;
          await expectSameOptimum(spec);
        },
      ),
      { seed: 12, numRuns: 15 },
    );
  });

  it('agrees with HiGHS on a generated 300-product plan with a binding scarce skill', async () => {
    const { fast } = await expectSameOptimum(
      syntheticPlan(generateEconomy({ n: 300, seed: 3 }), { seed: 4 }),
    );
    expect(fast.prices.skill[0]!).toBeGreaterThan(0);
  });

  it('solves periods with different targets and limits independently', async () => {
    const economy = tinyEconomy({
      products: ['steel'],
      skills: { machining: 6, assembly: null },
      technologies: [
        { code: 'T1', product: 'steel', labour: { machining: 1 } },
        { code: 'T2', product: 'steel', labour: { assembly: 2 } },
      ],
      targets: { steel: [10, 4] },
    });
    const { fast } = await expectSameOptimum({ economy, periods: 2, objective: 'min-labour' });
    close(fast.objectiveValue, 14 + 4);
  });
});

describe('routing to the technique-choice solver', () => {
  const scarce = (machining: number) =>
    tinyEconomy({
      products: ['steel'],
      skills: { machining, assembly: 100 },
      technologies: [
        { code: 'T1', product: 'steel', labour: { machining: 1 } },
        { code: 'T2', product: 'steel', labour: { machining: 0.5, assembly: 2 } },
      ],
      targets: { steel: [10] },
    });

  it('leaves a plan with two limited skills to the LP solvers under auto', () => {
    const f = buildPlanLp(compilePlanSpec({ economy: scarce(6), periods: 1, objective: 'min-labour' }));
    expect(choosePlanSolver(f).name).not.toBe(TECHNIQUE_CHOICE);
  });

  it('refuses to force technique choice on a plan with two limited skills, naming the reason', () => {
    const f = buildPlanLp(compilePlanSpec({ economy: scarce(6), periods: 1, objective: 'min-labour' }));
    expect(() => choosePlanSolver(f, { solver: TECHNIQUE_CHOICE })).toThrow(
      /2 skills are limited in period 1/,
    );
  });

  it('leaves the assortment objective to the LP solvers', () => {
    const f = buildPlanLp(compilePlanSpec({ economy: scarce(6), periods: 1, objective: 'assortment' }));
    expect(choosePlanSolver(f).name).not.toBe(TECHNIQUE_CHOICE);
  });

  it('reports an infeasible plan and explains it through the LP path', async () => {
    // Even T2 needs 0.5 h machining per t: 10 t need at least 5 h, and only 3 h are available.
    const economy = tinyEconomy({
      products: ['steel'],
      skills: { machining: 3, assembly: null },
      technologies: [
        { code: 'T1', product: 'steel', labour: { machining: 1 } },
        { code: 'T2', product: 'steel', labour: { machining: 0.5, assembly: 2 } },
      ],
      targets: { steel: [10] },
    });
    const f = buildPlanLp(compilePlanSpec({ economy, periods: 1, objective: 'min-labour' }));
    const solver = choosePlanSolver(f);
    expect(solver.name).toBe(TECHNIQUE_CHOICE);
    const outcome = await solveFormulation(f, solver);
    expect(outcome.solution.status).toBe('infeasible');
    expect(outcome.infeasibility?.summary).toMatch(/machining.*short by 2/);
  });
});

describe('warm-started replanning by technique choice', () => {
  it('reaches the HiGHS optimum of the changed plan from the previous answer', async () => {
    const plan = syntheticPlan(generateEconomy({ n: 300, seed: 5 }), { seed: 6 });
    const base = buildPlanLp(plan);
    const first = await solveFormulation(base, techniqueChoiceSolver(base, highsSolver));
    const j = plan.technologyCodes.length - 1;
    const changes = [
      {
        kind: 'coefficient' as const,
        technology: plan.technologyCodes[j]!,
        skill: plan.skillCodes[plan.labour.index[plan.labour.start[j]!]!]!,
        perUnit: 0.5 * plan.labour.value[plan.labour.start[j]!]!,
      },
    ];
    const next = patchFormulation(base, changes)!;
    const warm = await replanByTechniqueChoice(first, next, highsSolver);
    const exact = await solveFormulation(buildPlanLp(next.plan), highsSolver);
    expect(warm.solution.solver).toBe(TECHNIQUE_CHOICE);
    close(warm.result.objectiveValue, exact.result.objectiveValue);
    close(warm.result.prices.skill[0]!, exact.result.prices.skill[0]!, exact.result.prices.target[0]!);
  });
});

describe("technique choice's answer is measured before it is returned", () => {
  const answer = (residual: number, solver = TECHNIQUE_CHOICE): LpSolution => ({
    status: 'optimal',
    objective: 1,
    x: new Float64Array(1),
    rowDual: new Float64Array(1),
    colDual: new Float64Array(1),
    rowActivity: new Float64Array(1),
    iterations: 0,
    residual,
    seconds: 0,
    solver,
  });
  const never = () => {
    throw new Error('not to be called');
  };

  it('returns an answer within the bound as it is', async () => {
    const first = answer(CHECKED);
    expect(await checkedAnswer(first, never, never)).toBe(first);
  });

  it('solves a warm answer above the bound again from nothing, and keeps that when it measures optimal', async () => {
    const cold = answer(1e-11);
    expect(await checkedAnswer(answer(3e-2), () => cold, never)).toBe(cold);
  });

  it('sends what still measures wrong to the general solver, saying why', async () => {
    const got = await checkedAnswer(
      answer(3e-2),
      () => answer(2e-4),
      () => Promise.resolve(answer(1e-9, 'highs-simplex')),
    );
    expect(got.solver).toBe('highs-simplex');
    expect(got.message).toMatch(
      /measured residual 3\.0e-2 in the plan's LP, above 1e-5; solved by highs-simplex/,
    );
    const direct = await checkedAnswer(answer(5e-3), null, () => Promise.resolve(answer(0, 'highs-ipm')));
    expect(direct.solver).toBe('highs-ipm');
  });
});
