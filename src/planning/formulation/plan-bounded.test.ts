import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/errors';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { compilePlanSpec } from './compile-spec';
import { tinyEconomy } from './plan-fixtures';
import type { PlanObjective } from './plan-spec';
import { solvePlan } from './solve-plan';

// Steel needs coal; coal needs labour. Without a labour limit nothing bounds either.
const economy = (labour: number | null, coalCapacity?: number) =>
  tinyEconomy({
    products: ['steel', 'coal'],
    skills: { general: labour },
    technologies: [
      { code: 'S', product: 'steel', inputs: { coal: 0.5 } },
      {
        code: 'C',
        product: 'coal',
        labour: { general: 1 },
        ...(coalCapacity === undefined ? {} : { capacity: coalCapacity }),
      },
    ],
    targets: { steel: [10, 10] },
  });

function refusal(objective: PlanObjective, e = economy(null)) {
  try {
    compilePlanSpec({ economy: e, periods: 2, objective });
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  return null;
}

describe('plans that cannot be bounded', () => {
  it('refuses assortment and harmony without a limit, before solving, naming the labour limit', () => {
    for (const objective of ['assortment', 'harmony'] as const) {
      const e = refusal(objective);
      expect(e?.kind).toBe('invalid');
      expect(e?.issues.map((i) => i.field)).toEqual(['skillsAvailable']);
      expect(e?.message).toContain(`${objective} cannot be bounded`);
    }
  });

  it('accepts min-labour without limits: its objective is bounded below by zero', () => {
    expect(refusal('min-labour')).toBeNull();
  });

  it('accepts a limit that reaches the target through an input (steel needs coal, coal needs labour)', async () => {
    expect(refusal('assortment', economy(30))).toBeNull();
    // A capacity on coal bounds steel too.
    expect(refusal('assortment', economy(null, 8))).toBeNull();
    const { result } = await solvePlan(
      { economy: economy(30), periods: 2, objective: 'assortment' },
      highsSolver,
    );
    // 30 h make 30 t of coal per period, enough for 60 t of steel: λ = 6.
    expect(result.status).toBe('optimal');
    expect(result.objectiveValue).toBeCloseTo(6, 6);
  });

  it('refuses a limit that reaches no product with a target', () => {
    const e = tinyEconomy({
      products: ['steel', 'coal'],
      skills: { general: null, miner: 5 },
      technologies: [
        { code: 'S', product: 'steel', labour: { general: 1 } },
        { code: 'C', product: 'coal', labour: { miner: 1 } },
      ],
      targets: { steel: [10] },
    });
    const error = (() => {
      try {
        compilePlanSpec({ economy: e, periods: 1, objective: 'assortment' });
        return null;
      } catch (x) {
        return isDomainError(x) ? x : null;
      }
    })();
    expect(error?.issues[0]?.field).toBe('skillsAvailable');
    expect(error?.message).toContain('assortment cannot be bounded');
  });
});
