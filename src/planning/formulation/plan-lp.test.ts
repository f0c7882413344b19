import { describe, expect, it } from 'vitest';
import { harmonyOf } from '../../numeric/harmony/harmony';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { steelAndCoal, tinyEconomy } from './plan-fixtures';
import { infeasiblePlanError, solvePlan } from './solve-plan';

const close = (a: number, b: number, tol = 1e-7) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('minimum-labour plan', () => {
  // steel by T1: 2 h/t; by T2: 1 h/t plus 0.5 t coal, coal 1 h/t → 1.5 h/t. T2 is cheaper in total labour.
  const economy = steelAndCoal();

  it('chooses the technique that costs less total labour', async () => {
    const { result } = await solvePlan({ economy, periods: 1, objective: 'min-labour' }, highsSolver);
    expect(result.status).toBe('optimal');
    close(result.objectiveValue, 15);
    close(result.activity[0]!, 0);
    close(result.activity[1]!, 10);
    close(result.activity[2]!, 5);
    close(result.netOutput[0]!, 10);
    close(result.netOutput[1]!, 0);
  });

  it('prices each target at its full labour cost at the margin', async () => {
    const { result } = await solvePlan({ economy, periods: 1, objective: 'min-labour' }, highsSolver);
    close(result.prices.target[0]!, 1.5);
    expect(result.binding.map((b) => b.description)).toContain(
      "target for product 'steel' in period 1 is binding (shadow price 1.5)",
    );
  });

  it('gives a binding skill limit a positive shadow price equal to the labour it saves', async () => {
    // T1 needs 1 h machining per t, T2 2 h assembly per t; with 6 h of machining, T1 makes 6 t and T2 4 t.
    // One more machining hour moves 1 t from T2 to T1 and saves 2 − 1 = 1 h.
    const e = tinyEconomy({
      products: ['steel'],
      skills: { machining: 6, assembly: null },
      technologies: [
        { code: 'T1', product: 'steel', labour: { machining: 1 } },
        { code: 'T2', product: 'steel', labour: { assembly: 2 } },
      ],
      targets: { steel: [10] },
    });
    const { result } = await solvePlan({ economy: e, periods: 1, objective: 'min-labour' }, highsSolver);
    close(result.objectiveValue, 14);
    close(result.prices.skill[0]!, 1);
    const machining = result.binding.find((b) => b.kind === 'skill');
    expect(machining?.code).toBe('machining');
    expect(machining!.shadowPrice).toBeGreaterThan(0);
    close(result.labourUsed[0]!, 6);
    close(result.labourUsed[1]!, 8);
  });

  it('respects a technology capacity and prices it by the labour it would save', async () => {
    const { result } = await solvePlan(
      {
        economy,
        periods: 1,
        objective: 'min-labour',
        technologyCapacities: [{ technology: 'T2', capacity: 4 }],
      },
      highsSolver,
    );
    close(result.activity[1]!, 4);
    close(result.activity[0]!, 6);
    close(result.objectiveValue, 12 + 4 * 1.5);
    close(result.prices.capacity[1]!, 0.5);
  });
});

describe('assortment plan', () => {
  it('finds the common fraction λ computed by hand on a two-product economy', async () => {
    // net a = xa − 0.5 xb ≥ 10λ, net b = xb ≥ 20λ, xa + 2 xb ≤ 100  ⇒  xb = 20λ, xa = 20λ, 60λ = 100, λ = 5/3.
    const economy = tinyEconomy({
      products: ['a', 'b'],
      skills: { general: 100 },
      technologies: [
        { code: 'A', product: 'a', labour: { general: 1 } },
        { code: 'B', product: 'b', labour: { general: 2 }, inputs: { a: 0.5 } },
      ],
      targets: { a: [10], b: [20] },
    });
    const { result } = await solvePlan({ economy, periods: 1, objective: 'assortment' }, highsSolver);
    close(result.objectiveValue, 5 / 3);
    close(result.lambda[0]!, 5 / 3);
    close(result.netOutput[0]!, 50 / 3);
    close(result.netOutput[1]!, 100 / 3);
    // dλ/dL = 1/60: the binding labour limit has a positive price.
    close(result.prices.skill[0]!, 1 / 60);
  });
});

describe('harmony plan', () => {
  // Two products made by 1 h each, 30 h, targets 10 and 20. The optimum equalises H′(sₐ)/10 = H′(s_b)/20:
  // with u = 1 + sₐ, u² + u − 4 = 0, u = (√17 − 1)/2, s_b = 1 − 2/u.
  const economy = tinyEconomy({
    products: ['a', 'b'],
    skills: { general: 30 },
    technologies: [
      { code: 'A', product: 'a', labour: { general: 1 } },
      { code: 'B', product: 'b', labour: { general: 1 } },
    ],
    targets: { a: [10], b: [20] },
  });
  const u = (Math.sqrt(17) - 1) / 2;
  const sa = u - 1;
  const sb = 1 - 2 / u;
  const best = Math.log(u) + sb - (sb * sb) / 2;

  it('reaches the hand-computed optimum within the stated error, and certifies it', async () => {
    const maxError = 1e-6;
    const { result, formulation } = await solvePlan(
      { economy, periods: 1, objective: 'harmony', harmony: { maxError } },
      highsSolver,
    );
    expect(formulation.pieces!.errorBound).toBe(maxError);
    // The interpolant underestimates H by at most ε per product, so the plan's true harmony lies within 2ε
    // of the optimum, and never above it.
    expect(result.objectiveValue).toBeLessThanOrEqual(best + 1e-9);
    expect(result.objectiveValue).toBeGreaterThanOrEqual(best - 2 * maxError - 1e-9);
    // The certificate bounds the distance to the optimum from the LP's duals: it holds, and it is tight.
    expect(result.harmonyGap).not.toBeNull();
    expect(result.objectiveValue + result.harmonyGap!).toBeGreaterThanOrEqual(best - 1e-9);
    expect(result.harmonyGap!).toBeLessThanOrEqual(2 * maxError);
    expect(Math.abs(result.netOutput[0]! / 10 - 1 - sa)).toBeLessThan(0.01);
    expect(Math.abs(result.netOutput[1]! / 20 - 1 - sb)).toBeLessThan(0.01);
  });

  it('weighs each product’s harmony: with wₐ = 2 the optimum solves (1 + sₐ)(1 + sₐ/2) = 4', async () => {
    // Maximise 2·ln(1 + sₐ) + s_b − s_b²/2 with 10·sₐ + 20·s_b = 0: sₐ² + 3sₐ − 6 = 0 (by hand).
    const weightedSa = (-3 + Math.sqrt(33)) / 2;
    const { result } = await solvePlan(
      {
        economy,
        periods: 1,
        objective: 'harmony',
        harmony: { maxError: 1e-6, weights: [{ product: 'a', weight: 2 }] },
      },
      highsSolver,
    );
    expect(Math.abs(result.netOutput[0]! / 10 - 1 - weightedSa)).toBeLessThan(0.01);
    expect(Math.abs(result.netOutput[1]! / 20 - 1 + weightedSa / 2)).toBeLessThan(0.01);
    // Unweighted, a gets less: the weight moved output towards it.
    expect(weightedSa).toBeGreaterThan(sa + 0.1);
  });

  it('reports each product’s harmony by the published formula', async () => {
    const { result } = await solvePlan({ economy, periods: 1, objective: 'harmony' }, highsSolver);
    close(result.harmony[0]!, harmonyOf(10, result.netOutput[0]!), 1e-12);
    close(result.harmony[1]!, harmonyOf(20, result.netOutput[1]!), 1e-12);
    close(result.totalHarmony, result.harmony[0]! + result.harmony[1]!, 1e-12);
  });
});

describe('multi-period plan with capital accumulation', () => {
  // bread needs 1 machine per t per period; 5 machines at start; targets 5, 10, 10 t of bread.
  const economy = tinyEconomy({
    products: ['bread', 'machine'],
    technologies: [
      { code: 'bake', product: 'bread', labour: { general: 1 } },
      { code: 'build', product: 'machine', labour: { general: 2 } },
    ],
    targets: { bread: [5, 10, 10] },
  });
  const capital = (lag: number, depreciation = 0) => [
    { product: 'machine', technology: 'bake', perUnit: 1, initial: 5, depreciation, lag },
  ];

  it('invests in period 1 so that capacity is higher from period 2, after a lag of one', async () => {
    const { result } = await solvePlan(
      { economy, periods: 3, objective: 'min-labour', capital: capital(1) },
      highsSolver,
    );
    expect(result.status).toBe('optimal');
    close(result.investment[0]!, 5);
    close(result.stock[0]!, 5);
    close(result.stock[1]!, 10);
    close(result.activity[2 + 0]!, 10); // bake in period 2
    close(result.objectiveValue, 5 + 10 + 10 + 2 * 5);
  });

  it('replaces depreciated machines as well as adding new ones', async () => {
    // K₂ ≤ 0.9·5 + I₁ ≥ 10 ⇒ I₁ = 5.5; K₃ ≤ 0.9·10 + I₂ ≥ 10 ⇒ I₂ = 1.
    const { result } = await solvePlan(
      { economy, periods: 3, objective: 'min-labour', capital: capital(1, 0.1) },
      highsSolver,
    );
    close(result.investment[0]!, 5.5);
    close(result.investment[1]!, 1);
    close(result.objectiveValue, 25 + 2 * 6.5);
  });

  it('explains that a two-period lag leaves period 2 short of machines by 5', async () => {
    const outcome = await solvePlan(
      { economy, periods: 3, objective: 'min-labour', capital: capital(2) },
      highsSolver,
    );
    expect(outcome.solution.status).toBe('infeasible');
    const r = outcome.infeasibility!.relaxations;
    expect(r).toHaveLength(1);
    expect(r[0]!.kind).toBe('stock');
    close(r[0]!.amount, 5);
    expect(r[0]!.description).toBe("initial capital stock 'machine for bake' short by 5 t (initial 5 t)");
  });
});

describe('infeasibility explanation', () => {
  it('names the short skill, the period and the amount', async () => {
    // 1,120 t needing 2 h each in period 3 against 1,000 h of machining: short by 1,240 h.
    const economy = tinyEconomy({
      products: ['gear'],
      skills: { machining: 1000 },
      technologies: [{ code: 'mill', product: 'gear', labour: { machining: 2 } }],
      targets: { gear: [100, 200, 1120] },
    });
    const outcome = await solvePlan({ economy, periods: 3, objective: 'min-labour' }, highsSolver);
    const report = outcome.infeasibility!;
    expect(report.relaxations).toHaveLength(1);
    expect(report.relaxations[0]!.description).toBe(
      "skill 'machining' short by 1,240 h in period 3 (available 1,000 h)",
    );
    expect(report.summary).toContain("skill 'machining' short by 1,240 h in period 3");
    const error = infeasiblePlanError(report);
    expect(error.kind).toBe('infeasible');
    expect(error.data?.relaxations).toEqual(report.relaxations);
  });

  it('names a target only when no limit can be raised to meet it', async () => {
    // A technology that eats more of its product than it makes can never yield net output.
    const economy = tinyEconomy({
      products: ['x'],
      technologies: [{ code: 'leaky', product: 'x', inputs: { x: 1.5 }, labour: { general: 1 } }],
      targets: { x: [7] },
    });
    const outcome = await solvePlan({ economy, periods: 1, objective: 'min-labour' }, highsSolver);
    const r = outcome.infeasibility!.relaxations;
    expect(r.map((x) => [x.kind, x.code, x.period])).toEqual([['target', 'x', 1]]);
    close(r[0]!.amount, 7);
  });
});
