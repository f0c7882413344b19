// The cache of choices (choiceMatrix) keeps within its byte cap: at 10⁷ products one cached choice takes about
// 4 GB, and four of them took the plan past this machine's memory. The cap is set small here so that small
// matrices hit it; the answer must not depend on how many choices the cache keeps.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { transpose } from '../sparse/csr';
import { solveTechniqueChoice } from './technique-choice';
import type { TechniqueChoiceProblem } from './technique-choice';
import type { TechniqueSet } from './technique-set';
import { techniquesByProduct } from './technique-set';
import { choiceFootprint, choiceMatrix } from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

/**
 * A generated economy with a second technique for every third product (its inputs scaled by 0.8–1.2, its
 * labour moved to the scarce skill), and the scarce skill limited to 96 % of the first techniques' need.
 */
function problemOf(n: number, seed: number): TechniqueChoiceProblem {
  const e = generateEconomy({ n, seed });
  const rows = transpose(e.A); // row j: the inputs of product j
  const alternatives = Array.from({ length: Math.ceil(n / 3) }, (_, k) => 3 * k);
  const nT = n + alternatives.length;
  const techProduct = new Int32Array(nT);
  const start = new Int32Array(nT + 1);
  const index: number[] = Array.from(rows.colIndex);
  const value: number[] = Array.from(rows.values);
  for (let j = 0; j < n; j++) {
    techProduct[j] = j;
    start[j + 1] = rows.rowStart[j + 1]!;
  }
  alternatives.forEach((p, k) => {
    techProduct[n + k] = p;
    const factor = 0.8 + (0.4 * ((p * 37) % 11)) / 10;
    for (let q = rows.rowStart[p]!; q < rows.rowStart[p + 1]!; q++) {
      index.push(rows.colIndex[q]!);
      value.push(factor * rows.values[q]!);
    }
    start[n + k + 1] = index.length;
  });
  const set: TechniqueSet = {
    products: n,
    techProduct,
    inputs: { start, index: Int32Array.from(index), value: Float64Array.from(value) },
  };
  const cost = new Float64Array(nT);
  const use = new Float64Array(nT);
  for (let j = 0; j < n; j++) {
    cost[j] = e.labour[j]!;
    use[j] = (j % 2) * e.labour[j]!;
  }
  alternatives.forEach((p, k) => {
    cost[n + k] = 0.7 * e.labour[p]!;
    use[n + k] = 0.7 * e.labour[p]!;
  });
  // The first techniques' need of the scarce skill, by x = A x + d summed to 60 terms.
  const x = Float64Array.from(e.finalDemand);
  let term = Float64Array.from(e.finalDemand);
  for (let k = 0; k < 60; k++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (let q = e.A.rowStart[i]!; q < e.A.rowStart[i + 1]!; q++)
        next[i]! += e.A.values[q]! * term[e.A.colIndex[q]!]!;
    for (let i = 0; i < n; i++) x[i]! += next[i]!;
    term = next;
  }
  let need = 0;
  for (let j = 0; j < n; j++) need += use[j]! * x[j]!;
  return { set, cost, demand: e.finalDemand, limit: { use, available: 0.96 * need } };
}

/** Six distinct choices: product p takes its last technique when (⌊p/3⌋ + k) mod 6 < 2. */
function choices(set: TechniqueSet, count: number): Int32Array[] {
  const by = techniquesByProduct(set);
  return Array.from({ length: count }, (_, k) => {
    const policy = new Int32Array(set.products);
    for (let p = 0; p < set.products; p++) {
      const options = by.start[p + 1]! - by.start[p]!;
      policy[p] = by.techs[by.start[p]! + ((Math.floor(p / 3) + k) % 6 < 2 ? options - 1 : 0)]!;
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
