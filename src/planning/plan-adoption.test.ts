// Adopting a plan: who may, what may not be adopted, which plan a unit's targets come from, and the targets
// put in the indicator's own measure and period.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import type { Principal } from '../core/principal';
import { createTestApp, type TestApp } from '../testing/test-app';
import { PLAN_PERIOD } from './target-comparison';

const EXAMPLE = readFileSync(new URL('../economy/fixtures/example-economy.json', import.meta.url), 'utf8');

interface PlanOut {
  id: string;
  name: string;
  status: string;
  record: { technologies: { code: string; activity: number[] }[] };
}
interface Adopted {
  planId: string;
  planName: string;
  adoptedBy: string;
  adoptedOn: { id: string; name: string };
}
interface Progress {
  adopted: Adopted | null;
  periodInForce: number | null;
  period: number | null;
  periods: { period: number; from: Date; to: Date }[];
  rows: {
    unitCode: string;
    technology: string;
    period: number;
    planned: number;
    comparable: boolean;
    reason: string | null;
    target: number | null;
    actual: number | null;
    fulfilment: number | null;
  }[];
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('plan adoption', () => {
  let app: TestApp;
  let economyId: string;
  let root: { id: string };
  let farm: { id: string };
  let other: { id: string };
  let planner: Principal;
  let farmPlanner: Principal;
  let farmManager: Principal;
  let member: Principal;

  beforeAll(async () => {
    app = await createTestApp();
    root = (await app.call('holarchy.unit.create', { parentId: null, name: 'Valley', kind: 'economy' })) as {
      id: string;
    };
    farm = (await app.call('holarchy.unit.create', {
      parentId: root.id,
      name: 'North farm',
      kind: 'co-op',
      code: 'farm-north',
    })) as { id: string };
    other = (await app.call('holarchy.unit.create', {
      parentId: root.id,
      name: 'South mill',
      kind: 'co-op',
    })) as { id: string };
    const imported = (await app.call('economy.import', { content: EXAMPLE, format: 'json' })) as {
      economy: { id: string };
    };
    economyId = imported.economy.id;
    planner = await app.person('pat@valley.test', [[root.id, 'planner']]);
    farmPlanner = await app.person('fay@valley.test', [[farm.id, 'planner']]);
    farmManager = await app.person('mo@valley.test', [[farm.id, 'manager']]);
    member = await app.person('max@valley.test', [[root.id, 'member']]);
  });
  afterAll(() => app.close());

  it('has no adopted plan, hence no targets, until the planners adopt one, however many are computed', async () => {
    await app.call('planning.compute', { economyId, name: 'a test run' });
    const progress = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
    expect(progress.adopted).toBeNull();
    expect(progress.rows).toEqual([]);
  });

  it('refuses to adopt a plan that did not finish, and a what-if scenario, saying why', async () => {
    const infeasible = (await app.call('planning.compute', {
      economyId,
      skillsAvailable: [{ skill: 'farming', available: 1 }],
    })) as PlanOut;
    expect(infeasible.status).toBe('infeasible');
    const e1 = await failure(app.call('planning.adopt', { planId: infeasible.id }, planner));
    expect(isDomainError(e1) && e1.kind).toBe('conflict');
    expect(isDomainError(e1) && e1.message).toMatch(/did not finish.*infeasible/);
    const base = (await app.call('planning.compute', { economyId })) as PlanOut;
    const scenario = (await app.call('planning.compute', {
      economyId,
      basePlanId: base.id,
      changes: [{ kind: 'target', product: 'bread', period: 1, quantity: 1000 }],
    })) as PlanOut;
    expect(scenario.status).toBe('optimal');
    const e2 = await failure(app.call('planning.adopt', { planId: scenario.id }, planner));
    expect(isDomainError(e2) && e2.message).toMatch(/what-if scenario/);
    const why = (await app.call('planning.adoptable', { planId: scenario.id }, member)) as {
      adoptable: boolean;
      reason: string | null;
    };
    expect(why.adoptable).toBe(false);
    expect(why.reason).toMatch(/scenario/);
  });

  it('lets only planners of the economy’s unit adopt: not a member, a manager, or a planner of a unit below', async () => {
    const plan = (await app.call('planning.compute', { economyId })) as PlanOut;
    for (const who of [member, farmManager, farmPlanner]) {
      const e = await failure(app.call('planning.adopt', { planId: plan.id }, who));
      expect(isDomainError(e) && e.kind).toBe('forbidden');
    }
    const anonymous = await failure(app.call('planning.adopt', { planId: plan.id }, { kind: 'anonymous' }));
    expect(isDomainError(anonymous) && anonymous.kind).toBe('unauthenticated');
    expect(isDomainError(anonymous) && `${anonymous.message} ${anonymous.fix ?? ''}`).toMatch(/sign in/);
    // The refusal names the unit and the roles that would do, in words, never an id.
    const refused = await failure(app.call('planning.adopt', { planId: plan.id }, member));
    expect(isDomainError(refused) && refused.message).toMatch(/signed in.*plan for “Valley”.*a planner's/);
    expect(isDomainError(refused) && refused.message).not.toMatch(/\bu_[0-9a-z]/);
  });

  it('records the adoption in the audit trail, and a unit below works to the plan adopted above it', async () => {
    const plan = (await app.call('planning.compute', { economyId, name: 'Plan 2027' })) as PlanOut;
    const adopted = (await app.call(
      'planning.adopt',
      { planId: plan.id, note: 'assembly of 3 May' },
      planner,
    )) as Adopted;
    expect(adopted.planId).toBe(plan.id);
    expect(adopted.adoptedBy).toBe('pat');
    expect(adopted.adoptedOn.id).toBe(root.id);
    const trail = (await app.call('audit.list', {})) as { entries: { operation: string; detail: unknown }[] };
    const entry = trail.entries.find((e) => e.operation === 'planning.adopt');
    expect(entry?.detail).toMatchObject({ planId: plan.id });
    // A plan computed afterwards (a test run) changes nothing until it is adopted.
    await app.call('planning.compute', { economyId, name: 'later test run' });
    const forFarm = (await app.call('planning.adopted', { unitId: farm.id }, member)) as { adopted: Adopted };
    expect(forFarm.adopted.planId).toBe(plan.id);
    expect((await app.services.planning.adoptedPlanFor(other.id))?.plan.id).toBe(plan.id);
  });

  it("puts the yearly target in the indicator's own measure and period when they are comparable", async () => {
    const adopted = (await app.call('planning.adopted', { unitId: farm.id })) as { adopted: Adopted };
    const plan = (await app.call('planning.get', { id: adopted.adopted.planId })) as PlanOut;
    const yearly = plan.record.technologies.find((t) => t.code === 'grain-field')?.activity[0] ?? NaN;
    expect(yearly).toBeGreaterThan(0);
    const weekly = (yearly * 7 * 86_400) / PLAN_PERIOD.seconds;
    await app.call('indicator.create', {
      unitId: farm.id,
      code: 'grain-week',
      name: 'Grain harvested',
      measure: 't/week',
      technologyCode: 'grain-field',
    });
    await app.call('readings.submit', {
      unitId: farm.id,
      readings: [{ indicator: 'grain-week', value: weekly / 2 }],
    });
    const progress = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
    const row = progress.rows.find((r) => r.technology === 'grain-field' && r.period === 1);
    expect(row?.comparable).toBe(true);
    expect(row?.target).toBeCloseTo(weekly, 9);
    expect(row?.actual).toBeCloseTo(weekly / 2, 9);
    expect(row?.fulfilment).toBeCloseTo(0.5, 9);
  });

  it('shows the plan period in force now, a year after the adoption the second, and the first when asked', async () => {
    const adopted = (await app.call('planning.adopted', { unitId: farm.id })) as {
      adopted: Adopted & { adoptedAt: Date };
    };
    const plan = (await app.call('planning.get', { id: adopted.adopted.planId })) as PlanOut & {
      record: { unitTargets: { unit: string; technology: string; period: number; quantity: number }[] };
    };
    // The weekly target of each period, worked out here from the plan's yearly targets.
    const weeklyOf = (period: number) =>
      (plan.record.unitTargets
        .filter((t) => t.unit === 'farm-north' && t.technology === 'grain-field' && t.period === period)
        .reduce((s, t) => s + t.quantity, 0) *
        7 *
        86_400) /
      PLAN_PERIOD.seconds;
    const [w1, w2] = [weeklyOf(1), weeklyOf(2)];
    expect(w1).toBeGreaterThan(0);
    expect(Math.abs(w2 - w1)).toBeGreaterThan(1e-6 * w1);
    const grain = (p: Progress) => p.rows.find((r) => r.technology === 'grain-field');
    const now = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
    expect([now.periodInForce, now.period]).toEqual([1, 1]);
    expect(now.periods.map((p) => p.period)).toEqual([1, 2]);
    expect(new Date(now.periods[1]!.from).getTime()).toBe(
      new Date(adopted.adopted.adoptedAt).getTime() + PLAN_PERIOD.seconds * 1000,
    );
    expect(now.rows.every((r) => r.period === 1)).toBe(true);
    const before = app.clock.now();
    try {
      // A year and a day after the adoption: period 2 is in force, with its own target and the reading in it.
      app.clock.advance((PLAN_PERIOD.seconds + 86_400) * 1000);
      await app.call('readings.submit', {
        unitId: farm.id,
        readings: [{ indicator: 'grain-week', value: w2 / 4, at: app.clock.now().toISOString() }],
      });
      const second = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
      expect([second.periodInForce, second.period]).toEqual([2, 2]);
      expect(second.rows.length).toBeGreaterThan(0);
      expect(second.rows.every((r) => r.period === 2)).toBe(true);
      expect(grain(second)?.target).toBeCloseTo(w2, 9);
      expect(grain(second)?.actual).toBeCloseTo(w2 / 4, 9);
      expect(grain(second)?.fulfilment).toBeCloseTo(0.25, 9);
      // The first period stays reachable, with its own target and the latest reading that fell in it.
      const first = (await app.call('planning.unit-progress', { unitId: farm.id, period: 1 })) as Progress;
      expect([first.periodInForce, first.period]).toEqual([2, 1]);
      expect(grain(first)?.target).toBeCloseTo(w1, 9);
      expect(grain(first)?.actual).toBeCloseTo(w1 / 2, 9);
      // Past the plan's last period: no targets, and the periods that have some.
      const third = (await app.call('planning.unit-progress', { unitId: farm.id, period: 3 })) as Progress;
      expect(third.rows).toEqual([]);
      expect(third.periods.map((p) => p.period)).toEqual([1, 2]);
    } finally {
      app.clock.set(before);
    }
  });

  it('refuses the unit’s progress to a reader outside its subtree, and a period that is not one', async () => {
    const elsewhere = await app.person('sal@valley.test', [[other.id, 'manager']]);
    const e = await failure(app.call('planning.unit-progress', { unitId: farm.id }, elsewhere));
    expect(isDomainError(e) && e.kind).toBe('forbidden');
    // The farm's own members and those of the units above read it.
    const own = (await app.call('planning.unit-progress', { unitId: farm.id }, farmManager)) as Progress;
    expect(own.period).toBe(1);
    expect(((await app.call('planning.unit-progress', { unitId: farm.id }, member)) as Progress).period).toBe(
      1,
    );
    const zero = await failure(app.call('planning.unit-progress', { unitId: farm.id, period: 0 }));
    expect(isDomainError(zero) && zero.kind).toBe('invalid');
    expect(isDomainError(zero) && zero.issues.map((x) => x.field)).toEqual(['period']);
  });

  it('compares only the indicators in the plan’s terms, and never adds up two different measures', async () => {
    // Trucks per hour cannot be put in tonnes: the row keeps comparing the tonnes and leaves the trucks out.
    await app.call('indicator.create', {
      unitId: farm.id,
      code: 'loads',
      name: 'Grain loads',
      measure: 'trucks/h',
      technologyCode: 'grain-field',
    });
    await app.call('readings.submit', { unitId: farm.id, readings: [{ indicator: 'loads', value: 12 }] });
    let progress = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
    let row = progress.rows.find((r) => r.technology === 'grain-field' && r.period === 1);
    expect(row?.comparable).toBe(true);
    expect(row?.fulfilment).toBeCloseTo(0.5, 9);
    // Tonnes a day and tonnes a week are both in the plan's terms, but summing them would mean nothing.
    await app.call('indicator.create', {
      unitId: farm.id,
      code: 'grain-day',
      name: 'Grain harvested today',
      measure: 't/day',
      technologyCode: 'grain-field',
    });
    progress = (await app.call('planning.unit-progress', { unitId: farm.id })) as Progress;
    row = progress.rows.find((r) => r.technology === 'grain-field' && r.period === 1);
    expect(row?.comparable).toBe(false);
    expect(row?.reason).toMatch(/different indicators or measures/);
    expect(row?.fulfilment).toBeNull();
  });

  it('adopts the plan a closed budget vote set the targets of, but not one with a what-if on top', async () => {
    const { services } = app;
    const budgetTargets = {
      targets: [
        {
          product: 'bread',
          period: 1,
          base: 100,
          total: 150,
          budgetId: 'b-1',
          budgetName: 'Bakery budget',
          voteId: null,
          projects: [{ id: 'p-1', name: 'School lunches', quantity: 50 }],
        },
      ],
      weights: null,
    };
    const voted = await services.planning.compute(
      {
        economyId,
        name: 'voted',
        objective: 'min-labour',
        changes: [{ kind: 'target', product: 'bread', period: 1, quantity: 150 }],
        provenance: budgetTargets,
      },
      { actor: 'test' },
    );
    expect(voted.status).toBe('optimal');
    const ok = (await app.call('planning.adoptable', { planId: voted.id }, member)) as { adoptable: boolean };
    expect(ok.adoptable).toBe(true);
    const mixed = await services.planning.compute(
      {
        economyId,
        name: 'voted plus a what-if',
        objective: 'min-labour',
        changes: [
          { kind: 'target', product: 'bread', period: 1, quantity: 150 },
          { kind: 'target', product: 'bread', period: 2, quantity: 999 },
        ],
        provenance: budgetTargets,
      },
      { actor: 'test' },
    );
    const why = (await app.call('planning.adoptable', { planId: mixed.id }, member)) as {
      adoptable: boolean;
      reason: string | null;
    };
    expect(why.adoptable).toBe(false);
    expect(why.reason).toMatch(/what-if scenario/);
  });
});

describe('access.abilities', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('answers from the central check: managers may acknowledge, planners compute, members neither', async () => {
    const root = (await app.call('holarchy.unit.create', {
      parentId: null,
      name: 'Fed',
      kind: 'economy',
    })) as {
      id: string;
    };
    const a = (await app.call('holarchy.unit.create', { parentId: root.id, name: 'A', kind: 'co-op' })) as {
      id: string;
    };
    const b = (await app.call('holarchy.unit.create', { parentId: root.id, name: 'B', kind: 'co-op' })) as {
      id: string;
    };
    const manager = await app.person('m@fed.test', [[a.id, 'manager']]);
    const planner = await app.person('p@fed.test', [[root.id, 'planner']]);
    const memberOfA = await app.person('x@fed.test', [[a.id, 'member']]);
    const ask = async (who: Principal) =>
      (
        (await app.call('access.abilities', { unitIds: [root.id, a.id, b.id] }, who)) as {
          units: { unitId: string; may: string[]; alertsVisible: boolean }[];
        }
      ).units;
    const m = await ask(manager);
    expect(m.find((u) => u.unitId === a.id)?.may).toEqual(
      expect.arrayContaining([
        'alert.acknowledge',
        'alert.resolve',
        'indicator.create',
        'alert.shortfall-settings.set',
        'vote.open',
        'question.answer',
        'question.hide',
        'assembly.open',
        'improvement.decide',
        'library.record.publish',
        'improvement.spread',
      ]),
    );
    expect(m.find((u) => u.unitId === a.id)?.may).not.toContain('planning.compute');
    expect(m.find((u) => u.unitId === a.id)?.may).not.toContain('budget.plan');
    expect(m.find((u) => u.unitId === b.id)?.may).toEqual([]);
    expect(m.map((u) => u.alertsVisible)).toEqual([false, true, false]);
    const p = await ask(planner);
    // Planners govern too (votes, questions, assemblies) and run the budget office, but do not moderate; a
    // member does none of these.
    expect(p.find((u) => u.unitId === a.id)?.may).toEqual([
      'planning.compute',
      'planning.adopt',
      'vote.open',
      'question.answer',
      'assembly.open',
      'assembly.close',
      'assembly.minutes.set',
      'assembly.item.vote',
      'budget.close',
      'budget.plan',
      'priorities.close',
    ]);
    expect(p.every((u) => u.alertsVisible)).toBe(true);
    const x = await ask(memberOfA);
    expect(x.flatMap((u) => u.may)).toEqual([]);
    const anon = await ask({ kind: 'anonymous' });
    expect(anon.every((u) => u.may.length === 0 && !u.alertsVisible)).toBe(true);
  });
});
