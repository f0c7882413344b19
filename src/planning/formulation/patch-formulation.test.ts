import { describe, expect, it } from 'vitest';
import { compilePlanSpec } from './compile-spec';
import { patchFormulation } from './patch-formulation';
import { tinyEconomy } from './plan-fixtures';
import { buildPlanLp } from './plan-lp';
import type { PlanSpec } from './plan-spec';
import { applyScenario } from './scenario';
import type { ScenarioChange } from './scenario';

const economy = tinyEconomy({
  products: ['steel', 'coal'],
  skills: { machining: 50, general: null },
  resources: { land: 40 },
  technologies: [
    { code: 'T1', product: 'steel', labour: { machining: 2 }, resources: { land: 1 } },
    {
      code: 'T2',
      product: 'steel',
      labour: { general: 1, machining: 0.5 },
      inputs: { coal: 0.5, steel: 0.1 },
      capacity: 30,
    },
    { code: 'C', product: 'coal', labour: { general: 1 }, inputs: { coal: 0.05 } },
  ],
  targets: { steel: [10, 12], coal: [2, 3] },
});

const lpArrays = (spec: PlanSpec) => {
  const { lp } = buildPlanLp(compilePlanSpec(spec));
  return lp;
};

describe('patchFormulation', () => {
  const cases: [string, PlanSpec['objective'], ScenarioChange[]][] = [
    ['a min-labour target', 'min-labour', [{ kind: 'target', product: 'coal', period: 2, quantity: 7 }]],
    ['an assortment target', 'assortment', [{ kind: 'target', product: 'steel', period: 1, quantity: 4 }]],
    [
      'an input coefficient, including the own product',
      'min-labour',
      [
        { kind: 'coefficient', technology: 'T2', input: 'steel', perUnit: 0.2 },
        { kind: 'coefficient', technology: 'C', input: 'coal', perUnit: 0.01 },
      ],
    ],
    [
      'a labour coefficient of a limited and an unlimited skill',
      'min-labour',
      [
        { kind: 'coefficient', technology: 'T2', skill: 'machining', perUnit: 0.3 },
        { kind: 'coefficient', technology: 'C', skill: 'general', perUnit: 0.7 },
      ],
    ],
    [
      'a resource coefficient',
      'assortment',
      [{ kind: 'coefficient', technology: 'T1', resource: 'land', perUnit: 2 }],
    ],
    [
      'limits in one period and in all',
      'min-labour',
      [
        { kind: 'skill-available', skill: 'machining', period: 2, available: 60 },
        { kind: 'resource-capacity', resource: 'land', capacity: 35 },
        { kind: 'technology-capacity', technology: 'T2', period: 1, capacity: 25 },
      ],
    ],
  ];
  for (const [what, objective, changes] of cases) {
    it(`gives the same programme as a rebuild after changing ${what}`, () => {
      const spec: PlanSpec = { economy, periods: 2, objective };
      const base = buildPlanLp(compilePlanSpec(spec));
      const patched = patchFormulation(base, changes);
      expect(patched).not.toBeNull();
      const rebuilt = lpArrays(applyScenario(spec, changes));
      const p = patched!.lp;
      expect(Array.from(p.matrix.colStart)).toEqual(Array.from(rebuilt.matrix.colStart));
      expect(Array.from(p.matrix.rowIndex)).toEqual(Array.from(rebuilt.matrix.rowIndex));
      expect(Array.from(p.matrix.values)).toEqual(
        Array.from(rebuilt.matrix.values).map((v) => expect.closeTo(v, 14)),
      );
      for (const key of ['objective', 'rowLower', 'rowUpper', 'colLower', 'colUpper'] as const)
        expect(Array.from(p[key])).toEqual(Array.from(rebuilt[key]));
      // The base formulation is left as it was.
      expect(Array.from(base.lp.matrix.values)).toEqual(
        Array.from(buildPlanLp(compilePlanSpec(spec)).lp.matrix.values),
      );
    });
  }

  it('refuses a change that adds an entry, so the caller rebuilds', () => {
    const base = buildPlanLp(compilePlanSpec({ economy, periods: 2, objective: 'min-labour' }));
    expect(
      patchFormulation(base, [{ kind: 'coefficient', technology: 'T1', input: 'coal', perUnit: 0.1 }]),
    ).toBeNull();
    expect(patchFormulation(base, [{ kind: 'skill-available', skill: 'general', available: 5 }])).toBeNull();
  });
});
