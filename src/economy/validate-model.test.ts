// validateModel lists every integrity problem of a model with its path.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors';
import type { EconomyModel } from './economy';
import { modelIssues, validateModel } from './validate-model';

function sound(): EconomyModel {
  return {
    name: 'two goods',
    products: [
      { code: 'corn', name: 'Corn', unit: 't', kind: 'consumer' },
      { code: 'iron', name: 'Iron', unit: 't', kind: 'means-of-production' },
    ],
    skills: [{ code: 'work', name: 'Work' }],
    resources: [{ code: 'land', name: 'Land', unit: 'ha', capacity: 10 }],
    technologies: [
      {
        code: 'farm',
        name: 'Farm',
        product: 'corn',
        outputPerRun: 1,
        inputs: [{ product: 'iron', perUnit: 0.1 }],
        labour: [{ skill: 'work', perUnit: 2 }],
        resources: [{ resource: 'land', perUnit: 0.5 }],
      },
      {
        code: 'mine',
        name: 'Mine',
        product: 'iron',
        outputPerRun: 1,
        inputs: [],
        labour: [{ skill: 'work', perUnit: 1 }],
        resources: [],
      },
    ],
    targets: [{ product: 'corn', period: 1, quantity: 5 }],
  };
}

describe('validateModel', () => {
  it('accepts a sound model', () => {
    expect(() => validateModel(sound())).not.toThrow();
  });

  it("refuses a target beyond the planner's horizon, which no plan could reach", () => {
    const model = sound();
    model.targets.push({ product: 'corn', period: 1_000_000_000, quantity: 1 });
    expect(modelIssues(model)).toEqual([
      {
        field: 'targets[1].period',
        message: "must be at most 100, the planner's horizon (got 1000000000)",
      },
    ]);
  });

  it('lists every broken reference and value with its path', () => {
    const model = sound();
    const mine = model.technologies[1];
    if (!mine) throw new Error('fixture');
    model.products.push({ code: 'corn', name: 'Corn again', unit: 't', kind: 'consumer' });
    mine.product = 'gold';
    mine.outputPerRun = 0;
    mine.inputs.push({ product: 'corn', perUnit: Number.NaN }, { product: 'coal', perUnit: 1 });
    mine.labour[0] = { skill: 'dig', perUnit: -1 };
    mine.resources.push({ resource: 'water', perUnit: 1 });
    model.targets.push({ product: 'tea', period: 0, quantity: 1 });
    expect(modelIssues(model).map((i) => i.field)).toEqual([
      'products[2].code',
      'technologies[1].product',
      'technologies[1].outputPerRun',
      'technologies[1].inputs[0].perUnit',
      'technologies[1].inputs[1].product',
      'technologies[1].labour[0].skill',
      'technologies[1].labour[0].perUnit',
      'technologies[1].resources[0].resource',
      'targets[1].product',
      'targets[1].period',
    ]);
    let thrown: unknown;
    try {
      validateModel(model);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).kind).toBe('invalid');
    expect((thrown as DomainError).issues).toHaveLength(10);
  });

  it('refuses duplicate technology codes', () => {
    const model = sound();
    model.technologies.push({ ...(model.technologies[0] as EconomyModel['technologies'][number]) });
    expect(modelIssues(model)).toEqual([{ field: 'technologies[2].code', message: 'duplicate code "farm"' }]);
  });
});
