// The proposals suite: the climb on the test clock (and after a restart), review and appeal, adoption that
// versions the technology, the saving checked against labour values solved by hand, spreading, credit,
// refusals of bad input and of roles outside their subtree.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { createLogger } from '../core/logger';
import { ANONYMOUS, SYSTEM, type Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { ProposalEvent, ProposalView } from './proposal';
import type { MeritEvent } from './merit';

const DAY = 86_400_000;

/** Two products: A[i][j] is product i used per unit of product j; one skill. */
const A = { aa: 0.1, ba: 0.2, ab: 0.3, bb: 0.1 };
const L = { a: 1, b: 2 };
const D = { a: 10, b: 5 };

function model(name: string) {
  return {
    name,
    products: [
      { code: 'a', name: 'Alpha', unit: 't', kind: 'means-of-production' },
      { code: 'b', name: 'Beta', unit: 't', kind: 'consumer' },
    ],
    skills: [{ code: 's', name: 'Work' }],
    resources: [{ code: 'land', name: 'Land', unit: 'ha', capacity: 1e9 }],
    technologies: [
      {
        code: 'ta',
        name: 'Alpha works',
        product: 'a',
        outputPerRun: 1,
        inputs: [
          { product: 'a', perUnit: A.aa },
          { product: 'b', perUnit: A.ba },
        ],
        labour: [{ skill: 's', perUnit: L.a }],
        resources: [],
      },
      {
        code: 'tb',
        name: 'Beta works',
        product: 'b',
        outputPerRun: 1,
        inputs: [
          { product: 'a', perUnit: A.ab },
          { product: 'b', perUnit: A.bb },
        ],
        labour: [{ skill: 's', perUnit: L.b }],
        resources: [{ resource: 'land', perUnit: 0.5 }],
      },
    ],
    targets: [
      { product: 'a', period: 1, quantity: D.a },
      { product: 'b', period: 1, quantity: D.b },
    ],
  };
}

/**
 * Total labour v·d by hand: v = v A + l for two products is two equations, solved by Cramer's rule —
 * (1 − aa) va − ba vb = la and −ab va + (1 − bb) vb = lb — written here independently of the library.
 */
function labourByHand(a: typeof A, l: typeof L, d: typeof D): number {
  const det = (1 - a.aa) * (1 - a.bb) - a.ba * a.ab;
  const va = (l.a * (1 - a.bb) + a.ba * l.b) / det;
  const vb = ((1 - a.aa) * l.b + a.ab * l.a) / det;
  return va * d.a + vb * d.b;
}

export function proposalsSuite(backend: Backend): void {
  describe(`rationalization proposals on ${backend}`, () => {
    let app: TestApp;
    let t: Awaited<ReturnType<typeof smallTree>>;
    let economyId: string;
    let alice: Principal;
    let bakeryManager: Principal;
    let plantManager: Principal;
    let foodManager: Principal;
    let outsider: Principal;
    let serial = 0;
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    beforeEach(async () => {
      t = await smallTree(app);
      const n = ++serial;
      const person = (name: string, grants: Parameters<TestApp['person']>[1]) =>
        app.person(`${name}-${n}-${Math.random().toString(36).slice(2, 7)}@improve.test`, grants);
      alice = await person('alice', [[t.bakery.id, 'member']]);
      bakeryManager = await person('baker', [[t.bakery.id, 'manager']]);
      plantManager = await person('plant', [[t.plant.id, 'manager']]);
      foodManager = await person('food', [[t.food.id, 'manager']]);
      outsider = await person('outsider', [[t.plant.id, 'member']]);
      const imported = (await app.call('economy.import', {
        content: JSON.stringify(model(`two products ${n}`)),
        format: 'json',
        unitId: t.root.id,
      })) as { economy: { id: string } };
      economyId = imported.economy.id;
      await app.call('improvement.technology-users.set', {
        economyId,
        technology: 'tb',
        users: [
          { unitId: t.bakery.id, share: 0.5 },
          { unitId: t.plant.id, share: 0.5 },
        ],
      });
      await app.call('improvement.deadlines.set', {
        acknowledge: { defaultSeconds: 5 * 86_400, byDepth: {} },
        decide: { defaultSeconds: 15 * 86_400, byDepth: {} },
      });
    });
    afterAll(() => app.close());

    const file = (as: Principal, extra: Record<string, unknown> = {}) =>
      app.call(
        'improvement.file',
        {
          unitId: t.bakery.id,
          economyId,
          technology: 'tb',
          title: 'Jig for the beta line',
          body: 'A jig halves the fitting time and wastes less alpha.',
          changes: [
            { kind: 'labour', item: 's', perUnit: 1 },
            { kind: 'input', item: 'a', perUnit: 0.2 },
          ],
          attachments: [{ name: 'drawing', ref: 'sha256:0f1e' }],
          ...extra,
        },
        as,
      ) as Promise<ProposalView>;
    const get = (id: string) => app.call('improvement.get', { id }) as Promise<ProposalView>;
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as {
          kind: string;
          message: string;
          issues: { field: string }[];
          data?: Record<string, unknown>;
        };
      }
      throw new Error('expected a refusal');
    };
    const tick = () => app.call('improvement.tick', {}) as Promise<{ escalated: number; steps: number }>;

    it('climbs a proposal left alone to the root, one level per deadline, even across a restart', async () => {
      const p = await file(alice);
      expect(p.status).toBe('filed');
      expect(p.level).toEqual({ unitId: t.bakery.id, depth: 2 });
      const filed = app.clock.now().getTime();
      expect(p.escalateDueAt?.getTime()).toBe(filed + 5 * DAY);
      app.clock.advance(5 * DAY - 1000);
      await tick();
      expect((await get(p.id)).level.depth).toBe(2);
      app.clock.advance(1000);
      await tick();
      expect((await get(p.id)).level).toEqual({ unitId: t.food.id, depth: 1 });
      // A rebuilt app over the same database (a restarted server) climbs the rest from the stored deadline.
      const restarted = buildApp(app.store, app.clock);
      app.clock.advance(5 * DAY);
      const op = findOperation('improvement.tick');
      if (!op) throw new Error('no improvement.tick');
      await invoke(restarted, op, {}, { principal: SYSTEM, log: createLogger('test') });
      const top = await get(p.id);
      expect(top.level).toEqual({ unitId: t.root.id, depth: 0 });
      expect(top.escalateDueAt).toBeNull();
      const events = ((await app.call('improvement.timeline', { id: p.id })) as { events: ProposalEvent[] })
        .events;
      expect(events.map((e) => `${e.kind}@${e.level.depth}`)).toEqual([
        'filed@2',
        'escalated@1',
        'escalated@0',
      ]);
      expect(events[1]?.at.getTime()).toBe(filed + 5 * DAY);
      expect(events[2]?.at.getTime()).toBe(filed + 10 * DAY);
      expect(events[1]?.reason).toMatch(/not acknowledged/);
    });

    it('stops an acknowledged proposal, until its decision deadline passes', async () => {
      const p = await file(alice);
      app.clock.advance(DAY);
      const acked = (await app.call(
        'improvement.acknowledge',
        { id: p.id, note: 'Seen; the foreman will look.' },
        bakeryManager,
      )) as ProposalView;
      expect(acked.status).toBe('acknowledged');
      expect(acked.escalateDueAt?.getTime()).toBe(app.clock.now().getTime() + 15 * DAY);
      app.clock.advance(10 * DAY);
      await tick();
      expect((await get(p.id)).level).toEqual({ unitId: t.bakery.id, depth: 2 });
      app.clock.advance(5 * DAY);
      await tick();
      const late = await get(p.id);
      expect(late.level).toEqual({ unitId: t.food.id, depth: 1 });
      expect(late.status).toBe('acknowledged');
      // Once it climbed, the unit above decides; the bakery's manager no longer may.
      expect(
        (
          await refusal(
            app.call('improvement.decide', { id: p.id, outcome: 'reject', reason: 'no' }, bakeryManager),
          )
        ).kind,
      ).toBe('forbidden');
    });

    it('adopts: a new dated version of the technology, the saving equal to the labour values by hand, credit', async () => {
      const p = await file(alice);
      await app.call('improvement.acknowledge', { id: p.id }, bakeryManager);
      await app.call('improvement.comment', { id: p.id, text: 'Tried it on one shift: works.' }, alice);
      const adopted = (await app.call(
        'improvement.decide',
        { id: p.id, outcome: 'adopt', reason: 'Trial on one shift confirmed it.' },
        bakeryManager,
      )) as ProposalView;
      expect(adopted.status).toBe('adopted');
      expect(adopted.adoptions).toHaveLength(1);
      // The bakery makes half of beta: the coefficients move half-way to the proposal.
      const half = { ...A, ab: A.ab + 0.5 * (0.2 - A.ab) };
      const expected = labourByHand(A, L, D) - labourByHand(half, { ...L, b: L.b + 0.5 * (1 - L.b) }, D);
      expect(expected).toBeGreaterThan(0);
      expect(adopted.adoptions[0]?.labourSaved).toBeCloseTo(expected, 9);
      expect(adopted.adoptions[0]?.demandSource).toBe('economy targets');

      const m = (await app.call('economy.model', { id: economyId })) as ReturnType<typeof model>;
      const tb = m.technologies.find((x) => x.code === 'tb');
      expect(tb?.labour).toEqual([{ skill: 's', perUnit: 1.5 }]);
      expect(tb?.inputs.find((x) => x.product === 'a')?.perUnit).toBeCloseTo(0.25, 12);
      expect(tb?.resources).toEqual([{ resource: 'land', perUnit: 0.5 }]);
      const versions = (
        (await app.call('improvement.technology-versions', { economyId, technology: 'tb' })) as {
          versions: {
            version: number;
            validTo: Date | null;
            proposalId: string | null;
            coefficients: { labour: unknown };
          }[];
        }
      ).versions;
      expect(versions.map((v) => [v.version, v.proposalId])).toEqual([
        [1, null],
        [2, p.id],
      ]);
      expect(versions[0]?.validTo?.getTime()).toBe(app.clock.now().getTime());
      expect(versions[0]?.coefficients.labour).toEqual([{ skill: 's', perUnit: 2 }]);
      expect(versions[1]?.validTo).toBeNull();

      const merit = ((await app.call('merit.events', { personId: p.authorId })) as { events: MeritEvent[] })
        .events;
      expect(merit).toHaveLength(1);
      expect(merit[0]).toMatchObject({ kind: 'improvement-adopted', proposalId: p.id, unitId: t.bakery.id });
      expect(merit[0]?.hoursSaved).toBeCloseTo(expected, 9);
      // The adopted proposal is now a public record of the library: the public finds it by its title.
      const pub = (await app.call('improvement.adoptions', { id: p.id })) as {
        publication: { status: string; recordId: string | null } | null;
      };
      expect(pub.publication?.status).toBe('published');
      const found = (await app.call('library.search', { q: p.title }, ANONYMOUS)) as {
        hits: { recordId: string; title: string }[];
      };
      expect(found.hits.map((h) => h.recordId)).toContain(pub.publication?.recordId);
    });

    it('spreads to a second unit with one action; a replan shows the hours, credited to the proposal', async () => {
      const before = (await app.call('planning.compute', { economyId, objective: 'min-labour' })) as {
        id: string;
        record: { skills: { used: number[] }[] };
      };
      const labourBefore = before.record.skills.reduce((s, k) => s + (k.used[0] ?? 0), 0);
      expect(labourBefore).toBeCloseTo(labourByHand(A, L, D), 6);
      app.clock.advance(1000);
      const p = await file(alice);
      await app.call(
        'improvement.decide',
        { id: p.id, outcome: 'adopt', reason: 'Clearly better.' },
        bakeryManager,
      );
      // The plant (another sector) runs the same technology: its manager adopts it in one action.
      const spread = (await app.call(
        'improvement.spread',
        { id: p.id, unitId: t.plant.id },
        plantManager,
      )) as ProposalView;
      expect(spread.adoptions.map((a) => a.unitId)).toEqual([t.bakery.id, t.plant.id]);
      const full = { ...A, ab: 0.2 };
      const fullSaving = labourByHand(A, L, D) - labourByHand(full, { ...L, b: 1 }, D);
      // The two halves add up to the whole change, each counted for its own unit.
      expect(spread.labourSaved).toBeCloseTo(fullSaving, 6);
      expect(spread.adoptions[1]?.labourSaved).toBeGreaterThan(0);
      expect(spread.adoptions[0]?.demandSource).toBe(`plan ${before.id}`);
      expect(
        (await refusal(app.call('improvement.spread', { id: p.id, unitId: t.plant.id }, plantManager))).kind,
      ).toBe('duplicate');

      app.clock.advance(1000);
      const after = (await app.call('planning.compute', { economyId, objective: 'min-labour' })) as {
        id: string;
        record: { skills: { used: number[] }[] };
      };
      const labourAfter = after.record.skills.reduce((s, k) => s + (k.used[0] ?? 0), 0);
      expect(labourBefore - labourAfter).toBeCloseTo(fullSaving, 6);
      const savings = (await app.call('improvement.plan-savings', { planId: after.id })) as {
        previousPlanId: string;
        labour: number;
        previousLabour: number;
        credited: { proposalId: string; unitId: string; hoursSaved: number }[];
        creditedHours: number;
      };
      expect(savings.previousPlanId).toBe(before.id);
      expect(savings.credited.map((c) => [c.proposalId, c.unitId])).toEqual([
        [p.id, t.bakery.id],
        [p.id, t.plant.id],
      ]);
      expect(savings.creditedHours).toBeCloseTo(savings.previousLabour - savings.labour, 6);
      const merit = ((await app.call('merit.events', { personId: p.authorId })) as { events: MeritEvent[] })
        .events;
      expect(merit.map((e) => e.unitId).sort()).toEqual([t.bakery.id, t.plant.id].sort());
    });

    it('rejects with reasons; the author appeals once to the parent unit, which decides', async () => {
      const p = await file(alice);
      await app.call(
        'improvement.decide',
        { id: p.id, outcome: 'reject', reason: 'Too costly a jig.' },
        bakeryManager,
      );
      expect(
        (
          await refusal(
            app.call('improvement.appeal', { id: p.id, reason: 'It pays back in a month.' }, bakeryManager),
          )
        ).kind,
      ).toBe('forbidden');
      const appealed = (await app.call(
        'improvement.appeal',
        { id: p.id, reason: 'It pays back in a month.' },
        alice,
      )) as ProposalView;
      expect(appealed.status).toBe('appealed');
      expect(appealed.level).toEqual({ unitId: t.food.id, depth: 1 });
      expect(
        (
          await refusal(
            app.call('improvement.decide', { id: p.id, outcome: 'adopt', reason: 'x' }, bakeryManager),
          )
        ).kind,
      ).toBe('forbidden');
      await app.call(
        'improvement.decide',
        { id: p.id, outcome: 'reject', reason: 'Still no budget.' },
        foodManager,
      );
      const again = await refusal(app.call('improvement.appeal', { id: p.id, reason: 'Please.' }, alice));
      expect(again.kind).toBe('conflict');
      const events = ((await app.call('improvement.timeline', { id: p.id })) as { events: ProposalEvent[] })
        .events;
      expect(events.map((e) => [e.kind, e.reason])).toEqual([
        ['filed', null],
        ['rejected', 'Too costly a jig.'],
        ['appealed', 'It pays back in a month.'],
        ['rejected', 'Still no budget.'],
      ]);
    });

    it('adopts in part: only the coefficients chosen, and a trial moves the decision deadline', async () => {
      const p = await file(alice);
      const until = new Date(app.clock.now().getTime() + 30 * DAY);
      const trial = (await app.call(
        'improvement.trial',
        { id: p.id, until: until.toISOString(), reason: 'Run it for a month.' },
        bakeryManager,
      )) as ProposalView;
      expect(trial.status).toBe('on-trial');
      expect(trial.escalateDueAt?.getTime()).toBe(until.getTime() + 15 * DAY);
      const part = (await app.call(
        'improvement.decide',
        {
          id: p.id,
          outcome: 'adopt-in-part',
          reason: 'The jig saves time; the alpha saving did not show.',
          changes: [{ kind: 'labour', item: 's', perUnit: 1.2 }],
        },
        bakeryManager,
      )) as ProposalView;
      expect(part.status).toBe('adopted-in-part');
      const m = (await app.call('economy.model', { id: economyId })) as ReturnType<typeof model>;
      const tb = m.technologies.find((x) => x.code === 'tb');
      expect(tb?.labour[0]?.perUnit).toBeCloseTo(2 + 0.5 * (1.2 - 2), 12);
      expect(tb?.inputs.find((x) => x.product === 'a')?.perUnit).toBe(A.ab);
    });

    it('refuses bad input with a clear 4xx and writes nothing', async () => {
      const count = async () =>
        ((await app.call('improvement.list', { unitId: t.bakery.id })) as { proposals: unknown[] }).proposals
          .length;
      const n = await count();
      const unknownTech = await refusal(file(alice, { technology: 'no-such' }));
      expect(unknownTech).toMatchObject({ kind: 'not-found' });
      expect(unknownTech.issues[0]?.field).toBe('technology');
      const unknownItem = await refusal(
        file(alice, { changes: [{ kind: 'input', item: 'zeta', perUnit: 1 }] }),
      );
      expect(unknownItem.kind).toBe('invalid');
      expect(unknownItem.issues[0]?.field).toBe('changes[0].item');
      // b needing 1.5 b per b: no surplus is possible; the eigenvalue is named.
      const unproductive = await refusal(
        file(alice, { changes: [{ kind: 'input', item: 'b', perUnit: 1.5 }] }),
      );
      expect(unproductive.kind).toBe('not-productive');
      expect(unproductive.data?.eigenvalueEstimate as number).toBeGreaterThan(1);
      const p = await file(alice);
      const badDate = await refusal(
        app.call('improvement.trial', { id: p.id, until: 'next tuesday', reason: 'x' }, bakeryManager),
      );
      expect(badDate.kind).toBe('invalid');
      expect(badDate.issues[0]?.field).toBe('until');
      expect(await count()).toBe(n + 1);
      expect((await get(p.id)).status).toBe('filed');
      const events = ((await app.call('improvement.timeline', { id: p.id })) as { events: ProposalEvent[] })
        .events;
      expect(events).toHaveLength(1);
    });

    it('refuses roles outside their subtree, and listings show only what the reader may see', async () => {
      // A member of the plant cannot file on the bakery, nor a unit that does not run the technology.
      expect((await refusal(file(outsider))).kind).toBe('forbidden');
      expect((await refusal(file(alice, { unitId: t.energy.id }))).kind).toBe('forbidden');
      const p = await file(alice);
      for (const [op, input] of [
        ['improvement.acknowledge', { id: p.id }],
        ['improvement.decide', { id: p.id, outcome: 'adopt', reason: 'x' }],
        ['improvement.trial', { id: p.id, until: '2030-01-01T00:00:00Z', reason: 'x' }],
      ] as const) {
        expect((await refusal(app.call(op, input, plantManager))).kind).toBe('forbidden');
        expect((await refusal(app.call(op, input, alice))).kind).toBe('forbidden');
      }
      expect((await refusal(app.call('improvement.comment', { id: p.id, text: 'hi' }, outsider))).kind).toBe(
        'forbidden',
      );
      // Adopted elsewhere only by a manager of the adopting unit.
      await app.call('improvement.decide', { id: p.id, outcome: 'adopt', reason: 'good' }, bakeryManager);
      expect(
        (await refusal(app.call('improvement.spread', { id: p.id, unitId: t.plant.id }, bakeryManager))).kind,
      ).toBe('forbidden');
      expect(
        (
          await refusal(
            app.call(
              'improvement.technology-users.set',
              { economyId, technology: 'tb', users: [] },
              plantManager,
            ),
          )
        ).kind,
      ).toBe('forbidden');
      const seen = ((await app.call('improvement.list', {}, outsider)) as { proposals: ProposalView[] })
        .proposals;
      expect(seen.some((x) => x.id === p.id)).toBe(false);
      const mine = ((await app.call('improvement.list', {}, alice)) as { proposals: ProposalView[] })
        .proposals;
      expect(mine.some((x) => x.id === p.id)).toBe(true);
      const merit = ((await app.call('merit.events', {}, outsider)) as { events: MeritEvent[] }).events;
      expect(merit.some((e) => e.proposalId === p.id)).toBe(false);
    });
  });
}
