// The participatory-budget suite: open, propose, vote (over the votes of Participation I), close into targets,
// plan with provenance, infeasible bundles named by project, priorities weights, access and bad input.
// Runs on PGlite (npm test) and PostgreSQL (tests/services).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../core/principal';
import { tinyEconomy } from '../planning/formulation/plan-fixtures';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { refusal } from './votes.suite';
import { readPabulib, pabulibInstance } from './cvr/pabulib';

// Labour values by hand: bread 2 h/t; steel 4; housing 10 + 0.5·4 = 12 h/m²; equipment 5 + 1·4 = 9 h/piece.
const ECONOMY = tinyEconomy({
  products: ['bread', 'housing', 'equipment', 'steel'],
  skills: { baking: null, building: 1000, machining: null },
  technologies: [
    { code: 'bake', product: 'bread', labour: { baking: 2 } },
    { code: 'build', product: 'housing', inputs: { steel: 0.5 }, labour: { building: 10 } },
    { code: 'assemble', product: 'equipment', inputs: { steel: 1 }, labour: { machining: 5 } },
    { code: 'smelt', product: 'steel', labour: { machining: 4 } },
  ],
  targets: { bread: [100] },
});

let serial = 0;

interface Budget {
  id: string;
  status: string;
  voteId: string | null;
  projects: { id: string; name: string; cost: number; status: string }[];
  result: {
    selected: string[];
    cost: number;
    scenario: {
      product: string;
      base: number;
      total: number;
      projects: { id: string; quantity: number }[];
    }[];
    groups?: { id: string; weight: number; points: number }[];
  } | null;
}

export function budgetsSuite(backend: Backend): void {
  describe(`participatory budgets on ${backend}`, () => {
    let app: TestApp;
    let economyId: string;
    let t: {
      planner: Principal;
      alice: Principal;
      bob: Principal;
      carol: Principal;
      outsider: Principal;
    };
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    beforeEach(async () => {
      const tree = await smallTree(app);
      const n = ++serial;
      const person = (name: string, grants: Parameters<TestApp['person']>[1]) =>
        app.person(`${name}-${n}-${Math.random().toString(36).slice(2, 7)}@budgets.test`, grants);
      t = {
        planner: await person('planner', [[tree.bakery.id, 'planner']]),
        alice: await person('alice', [[tree.bakery.id, 'member']]),
        bob: await person('bob', [[tree.bakery.id, 'member']]),
        carol: await person('carol', [[tree.bakery.id, 'member']]),
        outsider: await person('outsider', [[tree.plant.id, 'member']]),
      };
      const imported = (await app.call('economy.import', {
        content: JSON.stringify(ECONOMY),
        format: 'json',
        unitId: tree.bakery.id,
      })) as { economy: { id: string } };
      economyId = imported.economy.id;
    });
    afterAll(() => app.close());

    const closesAt = () => new Date(app.clock.now().getTime() + 86_400_000).toISOString();
    const open = (extra: Record<string, unknown> = {}, as?: Principal) =>
      app.call(
        'budget.open',
        {
          economyId,
          name: 'Neighbourhood budget',
          pool: { kind: 'labour-hours', amount: 1000 },
          ballot: 'approval',
          rule: 'equal-shares',
          projects: [
            { name: 'Bakery extension', items: [{ product: 'bread', quantity: 50 }] },
            { name: 'Housing block', items: [{ product: 'housing', quantity: 60 }] },
            {
              name: 'Clinic',
              items: [
                { product: 'equipment', quantity: 40 },
                { product: 'housing', quantity: 20 },
              ],
            },
          ],
          ...extra,
        },
        as ?? t.planner,
      ) as Promise<Budget>;
    const startVote = (id: string) =>
      app.call(
        'budget.start-vote',
        { id, closesAt: closesAt(), electorateRule: { roles: ['member'] } },
        t.planner,
      ) as Promise<Budget>;

    it('prices projects by labour values, votes, closes into targets and plans them with their provenance', async () => {
      const b = await open();
      expect(b.projects.map((p) => p.cost)).toEqual([100, 720, 600].map((x) => expect.closeTo(x, 9)));
      const voting = await startVote(b.id);
      expect(voting.status).toBe('voting');
      await app.call('budget.vote', { id: b.id, approve: ['p1', 'p2'] }, t.alice);
      await app.call('budget.vote', { id: b.id, approve: ['p2'] }, t.bob);
      const over = await refusal(app.call('budget.vote', { id: b.id, approve: ['p2', 'p3'] }, t.carol));
      expect(over.kind).toBe('invalid');
      expect(over.fields).toEqual(['ballot.approve']);
      expect(over.message).toMatch(/1320.*over the budget of 1000/);
      // The same limit holds through the plain vote operation, so no edge skips it.
      const direct = await refusal(
        app.call('vote.cast', { id: voting.voteId, ballot: { approve: ['p2', 'p3'] } }, t.carol),
      );
      expect(direct.fields).toEqual(['ballot.approve']);
      // Paper ballots keep the same limit: a file with one sheet over the pool is refused, naming that sheet.
      const paper = await refusal(
        app.call(
          'vote.import',
          {
            id: voting.voteId,
            fileName: 'hall.json',
            format: 'ogas-json',
            content: JSON.stringify([{ approve: ['p1'] }, { approve: ['p2', 'p3'] }]),
          },
          t.planner,
        ),
      );
      expect(paper.kind).toBe('invalid');
      expect(paper.fields).toEqual(['hall.json ballot 2: ballot.approve']);
      expect(paper.message).toMatch(/hall\.json ballot 2.*1320.*over the budget of 1000/);
      await app.call('budget.vote', { id: b.id, approve: ['p3'] }, t.carol);

      const closed = (await app.call('budget.close', { id: b.id }, t.planner)) as Budget;
      expect(closed.status).toBe('closed');
      // Shares of 333⅓: the bakery (ρ = 100) first; add1 raises the shares until alice and bob afford the
      // housing (s ≥ 410); the clinic (600 for carol alone) would overspend, so it stays out.
      expect(closed.result!.selected).toEqual(['p1', 'p2']);
      expect(closed.result!.cost).toBeCloseTo(820, 9);
      const bread = closed.result!.scenario.find((s) => s.product === 'bread')!;
      expect(bread).toMatchObject({ base: 100, total: 150, projects: [{ id: 'p1', quantity: 50 }] });

      const planned = (await app.call('budget.plan', { id: b.id }, t.planner)) as {
        plan: { id: string; status: string };
        targets: { product: string; total: number; voteId: string; projects: { name: string }[] }[];
        conflict: unknown;
      };
      expect(planned.plan.status).toBe('optimal');
      expect(planned.conflict).toBeNull();
      const plan = (await app.call('planning.get', { id: planned.plan.id }, t.alice)) as {
        record: { products: { code: string; target: number[]; net: number[] }[] };
        provenance: { targets: { product: string; voteId: string; projects: { name: string }[] }[] };
      };
      const target = (code: string) => plan.record.products.find((p) => p.code === code)!;
      expect(target('bread').target[0]).toBeCloseTo(150, 9);
      expect(target('housing').target[0]).toBeCloseTo(60, 9);
      expect(target('housing').net[0]).toBeGreaterThanOrEqual(60 - 1e-6);
      const housing = plan.provenance.targets.find((x) => x.product === 'housing')!;
      expect(housing.voteId).toBe(voting.voteId);
      expect(housing.projects.map((p) => p.name)).toEqual(['Housing block']);

      // Pabulib out: the ballots recount to the same selection by another reader.
      const pb = (await app.call('budget.pabulib', { id: b.id }, t.alice)) as { content: string };
      const inst = pabulibInstance(readPabulib(pb.content));
      expect(inst.ballots).toHaveLength(3);
      const counted = (await app.call('budget.count-pabulib', {
        content: pb.content,
        rule: 'equal-shares',
      })) as {
        outcome: { selected: string[] };
      };
      expect(counted.outcome.selected).toEqual(['p1', 'p2']);
    });

    it('names the projects that cannot be met together when the chosen bundle is infeasible', async () => {
      const b = await open({
        pool: { kind: 'labour-hours', amount: 3000 },
        rule: 'greedy',
        projects: [
          { name: 'Housing block', items: [{ product: 'housing', quantity: 60 }] },
          {
            name: 'Clinic',
            items: [
              { product: 'housing', quantity: 50 },
              { product: 'equipment', quantity: 10 },
            ],
          },
          { name: 'Bakery extension', items: [{ product: 'bread', quantity: 10 }] },
        ],
      });
      await startVote(b.id);
      for (const who of [t.alice, t.bob])
        await app.call('budget.vote', { id: b.id, approve: ['p1', 'p2', 'p3'] }, who);
      const closed = (await app.call('budget.close', { id: b.id }, t.planner)) as Budget;
      expect(closed.result!.selected.sort()).toEqual(['p1', 'p2', 'p3']);
      // 110 m² of housing need 1100 h of building; 1000 h are available.
      const planned = (await app.call('budget.plan', { id: b.id }, t.planner)) as {
        plan: { status: string };
        conflict: { projects: { name: string }[]; limits: string[]; summary: string };
      };
      expect(planned.plan.status).toBe('infeasible');
      expect(planned.conflict.projects.map((p) => p.name).sort()).toEqual(['Clinic', 'Housing block']);
      expect(planned.conflict.summary).toMatch(/"Housing block".*"Clinic".*cannot be met together.*building/);
    });

    it('lets members propose, the office review, and refuses unknown products and negative quantities by field', async () => {
      const b = await open();
      const proposed = (await app.call(
        'budget.propose',
        { budgetId: b.id, name: 'Tool library', items: [{ product: 'equipment', quantity: 2 }] },
        t.alice,
      )) as { id: string; cost: number; status: string };
      expect(proposed).toMatchObject({ id: 'p4', status: 'proposed' });
      expect(proposed.cost).toBeCloseTo(18, 9);
      const unknown = await refusal(
        app.call(
          'budget.propose',
          { budgetId: b.id, name: 'X', items: [{ product: 'gold', quantity: 1 }] },
          t.alice,
        ),
      );
      expect(unknown).toMatchObject({ kind: 'invalid', fields: ['items[0].product'] });
      const negative = await refusal(
        app.call(
          'budget.propose',
          { budgetId: b.id, name: 'X', items: [{ product: 'bread', quantity: -3 }] },
          t.bob,
        ),
      );
      expect(negative).toMatchObject({ kind: 'invalid', fields: ['items[0].quantity'] });
      const atOpen = await refusal(
        open({
          projects: [
            {
              name: 'Y',
              items: [
                { product: 'bread', quantity: 1 },
                { product: 'tea', quantity: 1 },
              ],
            },
          ],
        }),
      );
      expect(atOpen.fields).toEqual(['projects[0].items[1].product']);
      // Nothing half-written: the refused budget left no row behind.
      const listed = (await app.call('budget.list', { economyId }, t.planner)) as {
        budgets: { id: string }[];
      };
      expect(listed.budgets.map((x) => x.id)).toEqual([b.id]);
      const reviewed = (await app.call(
        'budget.review',
        { budgetId: b.id, projectId: 'p4', accept: false, reason: 'the workshop already lends tools' },
        t.planner,
      )) as { status: string };
      expect(reviewed.status).toBe('rejected');
    });

    it('refuses each role outside its subtree and never lists a budget to those who may not read it', async () => {
      const b = await open();
      expect((await refusal(open({}, t.outsider))).kind).toBe('forbidden');
      expect((await refusal(open({}, t.alice))).kind).toBe('forbidden');
      expect((await refusal(app.call('budget.close', { id: b.id }, t.alice))).kind).toBe('forbidden');
      expect(
        (await refusal(app.call('budget.start-vote', { id: b.id, closesAt: closesAt() }, t.outsider))).kind,
      ).toBe('forbidden');
      expect(
        (
          await refusal(
            app.call(
              'budget.propose',
              { budgetId: b.id, name: 'Z', items: [{ product: 'bread', quantity: 1 }] },
              t.outsider,
            ),
          )
        ).kind,
      ).toBe('forbidden');
      const seen = (as: Principal) =>
        (app.call('budget.list', {}, as) as Promise<{ budgets: { id: string }[] }>).then((r) =>
          r.budgets.map((x) => x.id),
        );
      expect(await seen(t.alice)).toContain(b.id);
      expect(await seen(t.outsider)).not.toContain(b.id);
    });

    it('weighs consumption groups by a priorities vote and plans harmony with those weights', async () => {
      const pr = (await app.call(
        'priorities.open',
        {
          economyId,
          name: 'What matters most',
          groups: [
            { id: 'food', name: 'Food', products: ['bread'] },
            { id: 'housing', name: 'Housing', products: ['housing'] },
          ],
          points: 10,
          closesAt: closesAt(),
          electorateRule: { roles: ['member'] },
        },
        t.planner,
      )) as Budget;
      await app.call('budget.vote', { id: pr.id, points: { food: 8, housing: 2 } }, t.alice);
      await app.call('budget.vote', { id: pr.id, points: { food: 6, housing: 4 } }, t.bob);
      const over = await refusal(
        app.call('budget.vote', { id: pr.id, points: { food: 6, housing: 5 } }, t.carol),
      );
      expect(over.fields).toEqual(['ballot.scores']);
      await app.call('budget.vote', { id: pr.id, points: { housing: 10 } }, t.carol);
      const closed = (await app.call('priorities.close', { id: pr.id }, t.planner)) as Budget;
      // food 14 of 30 points, housing 16: weights 2·14/30 and 2·16/30.
      const w = Object.fromEntries(closed.result!.groups!.map((g) => [g.id, g.weight]));
      expect(w.food).toBeCloseTo((2 * 14) / 30, 12);
      expect(w.housing).toBeCloseTo((2 * 16) / 30, 12);

      const b = await open();
      await startVote(b.id);
      await app.call('budget.vote', { id: b.id, approve: ['p2'] }, t.alice);
      await app.call('budget.close', { id: b.id }, t.planner);
      const planned = (await app.call(
        'budget.plan',
        { id: b.id, objective: 'harmony', prioritiesId: pr.id },
        t.planner,
      )) as { plan: { id: string; status: string } };
      expect(planned.plan.status).toBe('optimal');
      const plan = (await app.call('planning.get', { id: planned.plan.id }, t.planner)) as {
        spec: { harmonyWeights: { product: string; weight: number }[] };
        provenance: { weights: { prioritiesId: string; voteId: string } };
      };
      expect(plan.provenance.weights.prioritiesId).toBe(pr.id);
      expect(plan.provenance.weights.voteId).toBe(closed.voteId);
      expect(plan.spec.harmonyWeights.find((x) => x.product === 'bread')!.weight).toBeCloseTo(w.food!, 12);
    });
  });
}
