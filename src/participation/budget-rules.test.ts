import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { tinyEconomy } from '../planning/formulation/plan-fixtures';
import { assertSettings, groupWeights, priceProject, unitCosts } from './budget';
import { checkBallotLimit, utilitiesOf } from './budget-ballot';
import { labourValues, projectsInConflict, scenarioTargets } from './budget-scenario';
import { greedy } from './counting/pb-rules';

const economy = tinyEconomy({
  products: ['bread', 'flour'],
  technologies: [
    { code: 'bake', product: 'bread', inputs: { flour: 0.5 }, labour: { general: 1 } },
    { code: 'mill', product: 'flour', labour: { general: 2 } },
  ],
  targets: { bread: [10] },
});

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e.issues.map((i) => i.field);
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('pricing projects', () => {
  it('prices by labour values (bread = 1 + 0.5 × 2 = 2 h) and by money at the hour’s price', () => {
    const v = labourValues(economy);
    expect(v.get('flour')).toBeCloseTo(2, 12);
    expect(v.get('bread')).toBeCloseTo(2, 12);
    const hours = unitCosts(v, { kind: 'labour-hours', amount: 100 });
    expect(priceProject(economy, hours, [{ product: 'bread', quantity: 3 }])).toBeCloseTo(6, 12);
    const money = unitCosts(v, { kind: 'money', amount: 100, moneyPerHour: 25 });
    expect(priceProject(economy, money, [{ product: 'flour', quantity: 1 }])).toBeCloseTo(50, 12);
  });

  it('names every bad item: unknown product, non-positive quantity, a product listed twice', () => {
    const costs = unitCosts(labourValues(economy), { kind: 'labour-hours', amount: 1 });
    expect(
      fieldsOf(() =>
        priceProject(economy, costs, [
          { product: 'gold', quantity: 1 },
          { product: 'bread', quantity: 0 },
          { product: 'bread', quantity: 2 },
        ]),
      ),
    ).toEqual(['items[0].product', 'items[1].quantity', 'items[2].product']);
  });

  it('refuses settings that do not fit together', () => {
    const base = { period: 1, rule: 'greedy' as const };
    expect(
      fieldsOf(() =>
        assertSettings({
          ...base,
          pool: { kind: 'labour-hours', amount: 1 },
          ballot: 'cumulative',
          points: null,
        }),
      ),
    ).toEqual(['points']);
    expect(
      fieldsOf(() =>
        assertSettings({ ...base, pool: { kind: 'money', amount: 1 }, ballot: 'approval', points: null }),
      ),
    ).toEqual(['pool.moneyPerHour']);
  });
});

describe('ballots of budgets', () => {
  it('counts approval as 1, points as given, ranks as Borda; a doubly marked rank counts for none', () => {
    expect(utilitiesOf({ approve: ['a', 'b'] }, 3)).toEqual({ a: 1, b: 1 });
    expect(utilitiesOf({ scores: { a: 3, b: 0, c: 2 } }, 3)).toEqual({ a: 3, c: 2 });
    expect(utilitiesOf({ ranking: [['c'], ['a']] }, 3)).toEqual({ c: 3, a: 2 });
    expect(utilitiesOf({ ranking: [['c', 'a'], ['b']] }, 3)).toEqual({ b: 2 });
  });

  it('counts ranks as pabutools does (the k-th of L ranked scores L − k), and the choice can change the outcome', () => {
    // pabutools' Additive_Borda_Sat: len(ballot) − index − 1.
    expect(utilitiesOf({ ranking: [['c'], ['a'], ['b']] }, 3, 'pabutools')).toEqual({ c: 2, a: 1 });
    expect(utilitiesOf({ ranking: [['c'], ['a']] }, 3, 'pabutools')).toEqual({ c: 1 });
    expect(utilitiesOf({ ranking: [['c']] }, 3, 'pabutools')).toEqual({});
    expect(utilitiesOf({ ranking: [['c', 'a'], ['b'], ['d']] }, 4, 'pabutools')).toEqual({ b: 1 });
    // The guide's worked example: three projects of cost 1, a pool of 1. Two voters rank the clinic alone;
    // one ranks the bakery, then the school. Borda over the ballot: clinic 3 + 3 = 6, bakery 3, school 2, so
    // greedy funds the clinic. pabutools: a project ranked alone scores 0, the bakery 1, so it funds the bakery.
    const ballots = [[['clinic']], [['clinic']], [['bakery'], ['school']]];
    const instance = (ranked: 'borda' | 'pabutools') => ({
      budget: 1,
      projects: ['clinic', 'bakery', 'school'].map((id) => ({ id, cost: 1 })),
      ballots: ballots.map((ranking) => utilitiesOf({ ranking }, 3, ranked)),
    });
    expect(greedy(instance('borda')).selected).toEqual(['clinic']);
    expect(greedy(instance('pabutools')).selected).toEqual(['bakery']);
  });

  it('refuses a ballot over the pool or over the points, and accepts one exactly at the limit', () => {
    const limit = { kind: 'cost' as const, max: 10, costs: { a: 6, b: 4, c: 1 }, unit: 'h' };
    expect(() => checkBallotLimit(limit, { approve: ['a', 'b'] })).not.toThrow();
    expect(fieldsOf(() => checkBallotLimit(limit, { approve: ['a', 'b', 'c'] }))).toEqual(['ballot.approve']);
    const points = { kind: 'points' as const, max: 5 };
    expect(() => checkBallotLimit(points, { scores: { a: 5 } })).not.toThrow();
    expect(fieldsOf(() => checkBallotLimit(points, { scores: { a: 4, b: 2 } }))).toEqual(['ballot.scores']);
  });

  it('weighs groups by their share of the points, averaging 1', () => {
    const groups = [
      { id: 'food', name: 'Food', products: ['bread'] },
      { id: 'rest', name: 'Rest', products: ['flour'] },
    ];
    const w = groupWeights(groups, new Map([['food', 3]]));
    expect(w.map((g) => g.weight)).toEqual([2, 0]);
    expect(groupWeights(groups, new Map()).map((g) => g.weight)).toEqual([1, 1]);
  });
});

describe('from projects to targets and back', () => {
  const project = (id: string, items: { product: string; quantity: number }[]) => ({
    id,
    name: id,
    description: '',
    items,
    cost: 0,
    status: 'accepted' as const,
    proposedBy: 'x',
    review: null,
    createdAt: new Date(0),
  });

  it('adds the projects to the economy’s own target and lists them', () => {
    const t = scenarioTargets(
      economy,
      [
        project('p1', [{ product: 'bread', quantity: 5 }]),
        project('p2', [{ product: 'bread', quantity: 2 }]),
      ],
      1,
    );
    expect(t).toEqual([
      {
        product: 'bread',
        period: 1,
        base: 10,
        total: 17,
        projects: [
          { id: 'p1', name: 'p1', quantity: 5 },
          { id: 'p2', name: 'p2', quantity: 2 },
        ],
      },
    ]);
  });

  it('names the projects that need a short limit through their inputs', () => {
    const chosen = [project('bread', [{ product: 'bread', quantity: 1 }]), project('none', [])];
    const r = projectsInConflict(economy, chosen, [
      { kind: 'capacity', code: 'mill', description: 'technology mill short' },
    ]);
    expect(r.projects.map((p) => p.id)).toEqual(['bread']);
  });
});
