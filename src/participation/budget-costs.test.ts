// Project costs use the technology the least-labour plan would use, not the first one listed: checked on a
// two-product economy whose values are derived by hand (and against the old first-technology answer).
import { describe, expect, it } from 'vitest';
import type { EconomyModel } from '../economy/economy';
import { labourValues } from './budget-scenario';

function economy(order: 'costly-first' | 'cheap-first'): EconomyModel {
  const costly = {
    code: 'a-hand',
    name: 'Apples by hand',
    product: 'apples',
    outputPerRun: 1,
    inputs: [],
    labour: [{ skill: 'work', perUnit: 4 }],
    resources: [],
  };
  const cheap = {
    code: 'a-tools',
    name: 'Apples with tools',
    product: 'apples',
    outputPerRun: 1,
    inputs: [{ product: 'tools', perUnit: 0.5 }],
    labour: [{ skill: 'work', perUnit: 1 }],
    resources: [],
  };
  return {
    name: 'two products',
    products: [
      { code: 'apples', name: 'Apples', unit: 't', kind: 'consumer' },
      { code: 'tools', name: 'Tools', unit: 'piece', kind: 'means-of-production' },
    ],
    skills: [{ code: 'work', name: 'Work', available: null }],
    resources: [],
    technologies: [
      ...(order === 'costly-first' ? [costly, cheap] : [cheap, costly]),
      {
        code: 'forge',
        name: 'Forge',
        product: 'tools',
        outputPerRun: 1,
        inputs: [{ product: 'apples', perUnit: 0.2 }],
        labour: [{ skill: 'work', perUnit: 1 }],
        resources: [],
      },
    ],
    targets: [],
  };
}

describe('labour values for project costs', () => {
  it('choose the least-labour technology whatever its place in the list', () => {
    // By hand: tools = 1 + 0.2·apples; apples = min(4, 1 + 0.5·tools) = 1 + 0.5 + 0.1·apples → 1.5 / 0.9.
    // (With the first technology only, apples would cost 4 and tools 1.8.)
    for (const order of ['costly-first', 'cheap-first'] as const) {
      const v = labourValues(economy(order));
      expect(v.get('apples')).toBeCloseTo(1.5 / 0.9, 12);
      expect(v.get('tools')).toBeCloseTo(1 + (0.2 * 1.5) / 0.9, 12);
    }
  });
});
