// Planning rounds end to end through the operations, on PGlite (rounds.operations.test.ts) and on PostgreSQL
// (tests/services/planning-rounds.test.ts): open, hand proposals and their refusals, deadlines
// (a unit that misses one keeps its last proposal), automatic rounds to the central plan's optimum, and access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/errors';
import type { Principal } from '../../core/principal';
import { createTestApp, type TestApp } from '../../testing/test-app';
import type { Backend } from '../../store/test-store';
import { roundsEconomy } from './rounds-fixture';

interface RoundsOut {
  id: string;
  status: string;
  current: number | null;
  units: string[];
  rounds: {
    round: number;
    prices: { kind: string; code: string; price: number }[];
    bound: number | null;
    bestObjective: number | null;
    gap: number | null;
    combined: Record<string, number> | null;
    proposals: {
      unit: string;
      source: string;
      madeIn: number;
      levels: Record<string, number>;
      labour: Record<string, number>;
    }[];
  }[];
}

async function refusal(p: Promise<unknown>): Promise<{ kind: string; message: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return {
      kind: e.kind,
      message: e.message,
      fields: (e.issues ?? []).map((i) => `${i.field}: ${i.message}`),
    };
  }
  throw new Error('expected a refusal');
}

export function roundsSuite(backend: Backend): void {
  describe(`planning rounds operations on ${backend}`, () => {
    let app: TestApp;
    let economyId: string;
    let planner: Principal;
    let bakeryManager: Principal;
    let bakeryMember: Principal;
    let farmMember: Principal;
    let auditor: Principal;
    let outsider: Principal;

    beforeAll(async () => {
      app = await createTestApp(backend);
      const root = (await app.call('holarchy.unit.create', {
        parentId: null,
        name: 'Valley',
        kind: 'economy',
      })) as {
        id: string;
      };
      const unit = (code: string) =>
        app.call('holarchy.unit.create', { parentId: root.id, name: code, kind: 'co-op', code }) as Promise<{
          id: string;
        }>;
      const farm = await unit('farm');
      const bakery = await unit('bakery');
      await unit('smithy');
      const other = (await app
        .call('holarchy.unit.create', { parentId: null, name: 'Elsewhere', kind: 'economy' })
        .catch(() => unit('elsewhere'))) as { id: string };
      const imported = (await app.call('economy.import', {
        content: JSON.stringify(roundsEconomy()),
        format: 'json',
        unitId: root.id,
      })) as { economy: { id: string } };
      economyId = imported.economy.id;
      planner = await app.person('planner@x', [[root.id, 'planner']]);
      bakeryManager = await app.person('baker@x', [[bakery.id, 'manager']]);
      bakeryMember = await app.person('member@x', [[bakery.id, 'member']]);
      farmMember = await app.person('farmer@x', [[farm.id, 'member']]);
      auditor = await app.person('auditor@x', [[root.id, 'auditor']]);
      outsider = await app.person('outsider@x', [[other.id, 'manager']]);
    });
    afterAll(() => app.close());

    const open = (extra: Record<string, unknown> = {}) =>
      app.call(
        'planning.rounds.open',
        { economyId, deadlineMinutes: 60, ...extra },
        planner,
      ) as Promise<RoundsOut>;

    it('opens rounds with prices for the products that link units', async () => {
      const r = await open();
      expect(r.status).toBe('open');
      expect(r.current).toBe(1);
      expect(r.units).toEqual(['bakery', 'farm', 'smithy']);
      const products = r.rounds[0]!.prices.filter((p) => p.kind === 'product').map((p) => p.code);
      // Bread is made and used by the bakery alone: its target is the bakery's own affair, not a published price.
      expect(products.sort()).toEqual(['grain', 'tools']);
      // The opening proposals are every unit's plan at zero prices: nothing made.
      const opening = (
        (await app.call('planning.rounds.get', { roundsId: r.id, round: 1 }, planner)) as RoundsOut
      ).rounds[0]!.proposals;
      expect(opening.map((p) => p.source)).toEqual(['kept', 'kept', 'kept']);
      expect(opening.every((p) => p.madeIn === 0)).toBe(true);
    });

    it('refuses bad proposals naming the field: over capacity (by how much), unknown, another unit’s, negative', async () => {
      const r = await open();
      const propose = (levels: unknown, as = bakeryManager) =>
        app.call('planning.rounds.propose', { roundsId: r.id, unit: 'bakery', levels }, as);
      const over = await refusal(propose([{ technology: 'oven', quantity: 1300 }]));
      expect(over.kind).toBe('invalid');
      expect(over.fields).toEqual(['levels[0].quantity: exceeds the capacity of oven (1000) by 300']);
      const unknown = await refusal(propose([{ technology: 'teleporter', quantity: 1 }]));
      expect(unknown.fields[0]).toBe(
        'levels[0].technology: "teleporter" is not a technology of this economy',
      );
      const foreign = await refusal(propose([{ technology: 'field', quantity: 1 }]));
      expect(foreign.fields[0]).toBe('levels[0].technology: "field" is operated by another unit, not bakery');
      const negative = await refusal(propose([{ technology: 'oven', quantity: -5 }]));
      expect(negative.kind).toBe('invalid');
      expect(negative.fields.join(' ')).toContain('levels[0].quantity');
      // The bakery's own pool of bakers (a skill only it uses): 9 hours per unit, 7200 hours available.
      const ownPool = await refusal(propose([{ technology: 'oven', quantity: 900 }]));
      expect(ownPool.fields[0]).toBe("levels: labour of skill baking is 8100, above the unit's 7200 by 900");
      // Bread is the bakery's alone: its target (700) is the bakery's own limit.
      const short = await refusal(propose([{ technology: 'oven', quantity: 650 }]));
      expect(short.fields[0]).toBe(
        'levels: net output of bread (its target) is 650, below the required 700 by 50',
      );
    });

    it('lets only members and managers of the unit propose for it', async () => {
      const r = await open();
      const levels = [{ technology: 'oven', quantity: 750 }];
      const by = (as: Principal) =>
        app.call('planning.rounds.propose', { roundsId: r.id, unit: 'bakery', levels }, as);
      const ok = (await by(bakeryMember)) as { source: string; labour: Record<string, number> };
      expect(ok.source).toBe('hand');
      expect(ok.labour.baking).toBeCloseTo(6750, 9);
      await by(bakeryManager);
      expect((await refusal(by(farmMember))).kind).toBe('forbidden');
      expect((await refusal(by(auditor))).kind).toBe('forbidden');
      expect((await refusal(by(planner))).kind).toBe('forbidden');
      expect((await refusal(by(outsider))).kind).toBe('forbidden');
      // An outsider proposing for its own unit, which runs nothing of this economy, is told so.
      const probe = await refusal(
        app.call('planning.rounds.propose', { roundsId: r.id, unit: 'elsewhere', levels }, outsider),
      );
      expect(probe.fields[0]).toContain('unit: choose one of bakery, farm, smithy');
      // Only the office opens and closes rounds.
      expect((await refusal(app.call('planning.rounds.close', { roundsId: r.id }, bakeryManager))).kind).toBe(
        'forbidden',
      );
      expect((await refusal(app.call('planning.rounds.open', { economyId }, bakeryManager))).kind).toBe(
        'forbidden',
      );
      // Outsiders neither read nor list the rounds.
      expect((await refusal(app.call('planning.rounds.get', { roundsId: r.id }, outsider))).kind).toBe(
        'forbidden',
      );
      expect((await refusal(app.call('planning.rounds.list', { economyId }, outsider))).kind).toBe(
        'forbidden',
      );
    });

    it('after the deadline refuses a proposal, and a unit without one keeps its last', async () => {
      const r = await open({ automatic: ['farm', 'smithy'] });
      await app.call(
        'planning.rounds.propose',
        { roundsId: r.id, unit: 'bakery', levels: [{ technology: 'oven', quantity: 720 }] },
        bakeryManager,
      );
      await app.call('planning.rounds.close', { roundsId: r.id }, planner);
      app.clock.advance(61 * 60_000);
      const late = await refusal(
        app.call(
          'planning.rounds.propose',
          { roundsId: r.id, unit: 'bakery', levels: [{ technology: 'oven', quantity: 790 }] },
          bakeryManager,
        ),
      );
      expect(late.kind).toBe('conflict');
      expect(late.message).toContain('round 2 closed for proposals');
      await app.call('planning.rounds.close', { roundsId: r.id }, planner);
      const round2 = (
        (await app.call('planning.rounds.get', { roundsId: r.id, round: 2 }, planner)) as RoundsOut
      ).rounds[1]!;
      const bakery = round2.proposals.find((p) => p.unit === 'bakery')!;
      expect(bakery.source).toBe('kept');
      expect(bakery.madeIn).toBe(1);
      expect(bakery.levels.oven).toBe(720);
      expect(round2.proposals.find((p) => p.unit === 'farm')!.source).toBe('automatic');
    });

    it(
      'run with automatic responders converges to the central plan’s optimum, every round recorded',
      { timeout: 300_000 },
      async () => {
        const r = await open({ tolerance: 1e-9 });
        const done = (await app.call('planning.rounds.run', { roundsId: r.id, rounds: 100 }, planner)) as {
          status: string;
          objective: number;
          gap: number;
        };
        expect(done.status).toBe('converged');
        const central = (await app.call(
          'planning.compute',
          { economyId, periods: 1, solver: 'highs' },
          planner,
        )) as {
          objectiveValue: number;
        };
        expect(Math.abs(done.objective - central.objectiveValue) / central.objectiveValue).toBeLessThan(1e-6);
        const record = (await app.call('planning.rounds.get', { roundsId: r.id }, planner)) as RoundsOut;
        expect(record.status).toBe('converged');
        expect(record.current).toBeNull();
        for (const step of record.rounds) {
          expect(step.gap === null || step.gap >= 0).toBe(true);
          if (step.bound !== null)
            expect(step.bound).toBeLessThanOrEqual(central.objectiveValue * (1 + 1e-9));
        }
        const last = (
          (await app.call(
            'planning.rounds.get',
            { roundsId: r.id, round: record.rounds.length },
            planner,
          )) as RoundsOut
        ).rounds.at(-1)!;
        expect(last.combined).not.toBeNull();
        expect(last.prices.length).toBeGreaterThan(0);
        const list = (await app.call('planning.rounds.list', { economyId }, auditor)) as {
          rounds: { id: string }[];
        };
        expect(list.rounds.map((x) => x.id)).toContain(r.id);
        // A unit's member sees its own view: prices, its technologies, its own proposals only.
        const view = (await app.call(
          'planning.rounds.unit-view',
          { roundsId: r.id, unit: 'bakery' },
          bakeryMember,
        )) as {
          technologies: { code: string; capacity: number | null }[];
          proposals: { unit: string }[];
          prices: unknown[];
        };
        expect(view.technologies).toEqual([{ code: 'oven', product: 'bread', capacity: 1000 }]);
        expect(view.proposals.length).toBeGreaterThan(1);
        expect(view.proposals.every((p) => p.unit === 'bakery')).toBe(true);
        expect(view.prices.length).toBeGreaterThan(0);
        // …but not the whole record, nor another unit's view.
        expect((await refusal(app.call('planning.rounds.get', { roundsId: r.id }, bakeryMember))).kind).toBe(
          'forbidden',
        );
        expect(
          (
            await refusal(
              app.call('planning.rounds.unit-view', { roundsId: r.id, unit: 'farm' }, bakeryMember),
            )
          ).kind,
        ).toBe('forbidden');
      },
    );
  });
}
