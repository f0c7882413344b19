// The cache of choices (choiceMatrix) keeps within its byte cap: at 10⁷ products one cached choice takes about
// 4 GB, and four of them took the plan past this machine's memory. The cap is set small here so that small
// matrices hit it; the answer must not depend on how many choices the cache keeps.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { syntheticPlan } from '../../planning/formulation/synthetic-plan';
import { solveTechniqueChoice } from './technique-choice';
import type { TechniqueChoiceProblem } from './technique-choice';
import type { TechniqueSet } from './technique-set';
import { techniquesByProduct } from './technique-set';
import { choiceFootprint, choiceMatrix } from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

function problemOf(n: number, seed: number): TechniqueChoiceProblem {
  const plan = syntheticPlan(generateEconomy({ n, seed }), { seed });
  const set: TechniqueSet = { products: n, techProduct: plan.techProduct, inputs: plan.inputs };
  const cost = new Float64Array(plan.techProduct.length);
  const use = new Float64Array(plan.techProduct.length);
  for (let j = 0; j < cost.length; j++)
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++) {
      cost[j]! += plan.labour.value[e]!;
      if (plan.labour.index[e] === 0) use[j]! += plan.labour.value[e]!;
    }
  return { set, cost, demand: plan.targets, limit: { use, available: plan.skillAvailable[0]! } };
}

/** Six distinct choices: product p takes its last technique when (7p + k) mod 6 < 2. */
function choices(set: TechniqueSet, count: number): Int32Array[] {
  const by = techniquesByProduct(set);
  return Array.from({ length: count }, (_, k) => {
    const policy = new Int32Array(set.products);
    for (let p = 0; p < set.products; p++) {
      const options = by.start[p + 1]! - by.start[p]!;
      policy[p] = by.techs[by.start[p]! + ((p * 7 + k) % 6 < 2 ? options - 1 : 0)]!;
    }
    return policy;
  });
}

const keptBytes = (orders: OrderCache) =>
  (orders.choices ?? []).reduce((sum, c) => sum + choiceFootprint(c.matrix), 0);

describe('choiceMatrix cache', () => {
  const { set } = problemOf(3000, 5);
  const policies = choices(set, 6);
  const one = choiceFootprint(choiceMatrix(set, policies[0]!));

  it('keeps at most its byte cap, newest last, and always the newest choice', () => {
    for (const [cap, most] of [
      [2.5 * one, 2],
      [3.5 * one, 3],
      [0.5 * one, 1],
    ] as const) {
      const orders: OrderCache = { keptBytes: cap };
      for (const policy of policies) {
        const matrix = choiceMatrix(set, policy, orders);
        const kept = orders.choices!;
        expect(kept[kept.length - 1]!.matrix).toBe(matrix);
        expect(kept.length).toBeLessThanOrEqual(most);
        if (kept.length > 1) expect(keptBytes(orders)).toBeLessThanOrEqual(cap);
      }
      expect(orders.choices!.length).toBe(most);
    }
  });

  it('keeps four choices when the cap allows, and hands back a kept choice without rebuilding it', () => {
    const orders: OrderCache = { keptBytes: 100 * one };
    for (const policy of policies) choiceMatrix(set, policy, orders);
    expect(orders.choices!.length).toBe(4);
    const kept = orders.choices![1]!;
    expect(choiceMatrix(set, kept.policy, orders)).toBe(kept.matrix);
  });

  it('gives the same optimum whether the cache keeps one choice or four', () => {
    const problem = problemOf(3000, 11);
    const small = solveTechniqueChoice(problem, { orders: { keptBytes: 1 } });
    const large = solveTechniqueChoice(problem, { orders: {} });
    expect(small.status).toBe('optimal');
    expect(large.status).toBe('optimal');
    if (small.status !== 'optimal' || large.status !== 'optimal') return;
    expect(Math.abs(small.objective - large.objective)).toBeLessThanOrEqual(1e-9 * large.objective);
    expect(small.price).toBeGreaterThan(0);
  });
});
