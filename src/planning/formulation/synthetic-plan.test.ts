import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import { solveCompiledPlan } from './solve-plan';
import { syntheticPlan } from './synthetic-plan';

describe('syntheticPlan', () => {
  it('gives a feasible plan in which the scarce skill binds and some alternative techniques run', async () => {
    const plan = syntheticPlan(generateEconomy({ n: 300, seed: 3 }), { seed: 4 });
    expect(plan.technologyCodes.length).toBeGreaterThan(300);
    const { result } = await solveCompiledPlan(plan, highsSolver);
    expect(result.status).toBe('optimal');
    expect(result.binding.some((b) => b.kind === 'skill' && b.code === 'skill0')).toBe(true);
    expect(result.prices.skill[0]).toBeGreaterThan(0);
    const altRunning = plan.technologyCodes.filter(
      (c, j) => c.endsWith('-alt') && result.activity[j]! > 1e-9,
    );
    expect(altRunning.length).toBeGreaterThan(0);
    for (let p = 0; p < 300; p++)
      expect(result.netOutput[p]!).toBeGreaterThanOrEqual(
        plan.targets[p]! - 1e-6 * Math.max(1, plan.targets[p]!),
      );
  });

  it('is reproducible from its seeds', () => {
    const a = syntheticPlan(generateEconomy({ n: 100, seed: 3 }), { seed: 4 });
    const b = syntheticPlan(generateEconomy({ n: 100, seed: 3 }), { seed: 4 });
    expect(Array.from(b.inputs.value)).toEqual(Array.from(a.inputs.value));
    expect(b.skillAvailable[0]).toBe(a.skillAvailable[0]);
  });
});
