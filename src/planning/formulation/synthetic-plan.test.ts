import { createHash } from 'node:crypto';
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

  it('makes the same plan as before its set-up was made proportional (hash of its arrays at 2·10⁴ products)', () => {
    // The hash and the skill's limit were computed with the code before the transpose went straight into the
    // plan's arrays and the Neumann series was blocked: the plan at 10⁶ products (objective 34238058.87423486)
    // must stay the same plan.
    const p = syntheticPlan(generateEconomy({ n: 20_000, seed: 42 }), { seed: 7 });
    const hash = createHash('sha256');
    for (const a of [
      p.techProduct,
      p.inputs.start,
      p.inputs.index,
      p.inputs.value,
      p.labour.start,
      p.labour.index,
      p.labour.value,
      p.skillAvailable,
      p.targets,
    ])
      hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    expect(hash.digest('hex')).toBe('542a6f28fa030350d7b9f652d7e3ed5f71147bd48c6c4bc559447bfa3440301a');
    expect(p.skillAvailable[0]).toBe(160266.79985410572);
    expect(p.technologyCodes.length).toBe(22_961);
  });
});
