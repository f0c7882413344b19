// Planning as records, end to end through the operations: compute, scenario, diff, unit targets, infeasibility.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { SYSTEM } from '../core/principal';
import { createTestApp, type TestApp } from '../testing/test-app';

const EXAMPLE = readFileSync(new URL('../economy/fixtures/example-economy.json', import.meta.url), 'utf8');

interface PlanOut {
  id: string;
  status: string;
  objectiveValue: number | null;
  basePlanId: string | null;
  record: {
    products: { code: string; net: number[]; target: number[] }[];
    technologies: { code: string; activity: number[] }[];
    infeasibility: { summary: string; relaxations: { code: string; amount: number }[] } | null;
    unitTargets: { unit: string; technology: string; quantity: number }[];
  };
}

describe('planning operations', () => {
  let app: TestApp;
  let economyId: string;
  let farm: { id: string };

  beforeAll(async () => {
    app = await createTestApp();
    const root = (await app.call('holarchy.unit.create', {
      parentId: null,
      name: 'Valley',
      kind: 'economy',
    })) as { id: string };
    farm = (await app.call('holarchy.unit.create', {
      parentId: root.id,
      name: 'North farm',
      kind: 'co-op',
      code: 'farm-north',
    })) as {
      id: string;
    };
    const imported = (await app.call('economy.import', { content: EXAMPLE, format: 'json' })) as {
      economy: { id: string };
    };
    economyId = imported.economy.id;
  });
  afterAll(() => app.close());

  it('computes a min-labour plan whose net outputs meet every target', async () => {
    const plan = (await app.call('planning.compute', { economyId })) as PlanOut;
    expect(plan.status).toBe('optimal');
    for (const p of plan.record.products) {
      p.net.forEach((net, t) => expect(net).toBeGreaterThanOrEqual((p.target[t] ?? 0) - 1e-6));
    }
    expect(plan.objectiveValue).toBeGreaterThan(0);
  });

  it('reports the progress of a run started with a runId, ending with done', async () => {
    const events: { type: string; message: string }[] = [];
    const follower = app.services.runs.follow('run-progress', SYSTEM, {
      onEvent: (e) => events.push(e),
      onRefused: (r) => {
        throw r;
      },
    });
    const plan = (await app.call('planning.compute', {
      economyId,
      solver: 'pdlp',
      runId: 'run-progress',
    })) as PlanOut;
    follower.stop();
    expect(plan.status).toBe('optimal');
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(1);
    expect(events[events.length - 1]?.type).toBe('done');
  });

  it('stops a plan run that is cancelled while it goes: it ends cancelled and stores no plan', async () => {
    const before = (await app.call('planning.list', { economyId })) as { plans: unknown[] };
    const events: { type: string }[] = [];
    const follower = app.services.runs.follow('run-cancel', SYSTEM, {
      onEvent: (e) => {
        events.push(e);
        if (events.length === 1) app.services.runs.cancel('run-cancel', SYSTEM);
      },
      onRefused: (r) => {
        throw r;
      },
    });
    const outcome = await app
      .call('planning.compute', { economyId, solver: 'pdlp', runId: 'run-cancel' })
      .catch((e: unknown) => e);
    follower.stop();
    expect(isDomainError(outcome) && outcome.kind).toBe('cancelled');
    expect(events[events.length - 1]?.type).toBe('cancelled');
    const after = (await app.call('planning.list', { economyId })) as { plans: unknown[] };
    expect(after.plans.length).toBe(before.plans.length);
  });

  it('keeps every plan as its own record, never overwriting', async () => {
    const a = (await app.call('planning.compute', { economyId, name: 'first' })) as PlanOut;
    const b = (await app.call('planning.compute', { economyId, name: 'second' })) as PlanOut;
    expect(a.id).not.toBe(b.id);
    const list = (await app.call('planning.list', { economyId })) as { plans: { id: string }[] };
    expect(list.plans.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('computes a scenario from a base plan and diffs it by product', async () => {
    const base = (await app.call('planning.compute', { economyId })) as PlanOut;
    const bread = base.record.products.find((p) => p.code === 'bread');
    const target = bread?.target[0] ?? 0;
    const scenario = (await app.call('planning.compute', {
      economyId,
      basePlanId: base.id,
      changes: [{ kind: 'target', product: 'bread', period: 1, quantity: target * 2 }],
    })) as PlanOut;
    expect(scenario.basePlanId).toBe(base.id);
    expect(scenario.objectiveValue).toBeGreaterThan(base.objectiveValue ?? Infinity);
    const diff = (await app.call('planning.diff', { a: base.id, b: scenario.id })) as {
      byProduct: { product: string; delta: number }[];
    };
    const breadDiff = diff.byProduct.find((d) => d.product === 'bread');
    expect(breadDiff?.delta).toBeCloseTo(target, 6);
  });

  it('explains an infeasible plan with the smallest relaxation, in words', async () => {
    const plan = (await app.call('planning.compute', {
      economyId,
      skillsAvailable: [{ skill: 'farming', available: 1 }],
    })) as PlanOut;
    expect(plan.status).toBe('infeasible');
    expect(plan.record.infeasibility?.summary).toMatch(/farming/);
    const farming = plan.record.infeasibility?.relaxations.find((r) => r.code === 'farming');
    expect(farming?.amount).toBeGreaterThan(0);
  });

  it("gives a unit only its own share of the plan's activity", async () => {
    const plan = (await app.call('planning.compute', { economyId })) as PlanOut;
    const mine = (await app.call('planning.unit-targets', { planId: plan.id, unitId: farm.id })) as {
      targets: { technology: string; period: number; quantity: number }[];
    };
    const field = plan.record.technologies.find((t) => t.code === 'grain-field');
    expect(new Set(mine.targets.map((t) => t.technology))).toEqual(new Set(['grain-field']));
    const first = mine.targets.find((t) => t.period === 1);
    expect(first?.quantity).toBeCloseTo(field?.activity[0] ?? -1, 6);
  });

  it("gives an indicator linked to a technology its unit's planned output as the expected value", async () => {
    const plan = (await app.call('planning.compute', { economyId, name: 'for indicators' })) as PlanOut;
    const indicator = (await app.call('indicator.create', {
      unitId: farm.id,
      code: 'grain-out',
      name: 'Grain harvested',
      measure: 't',
      technologyCode: 'grain-field',
    })) as { id: string };
    const expected = (await app.call('planning.indicator-expected', {
      indicatorId: indicator.id,
      planId: plan.id,
    })) as {
      planId: string;
      expected: { period: number; value: number }[];
    };
    const field = plan.record.technologies.find((t) => t.code === 'grain-field');
    expect(expected.planId).toBe(plan.id);
    expect(expected.expected[0]?.value).toBeCloseTo(field?.activity[0] ?? -1, 6);
  });

  it('offers solver harmony-pdhg and refuses it, naming the field and the reason, where it does not apply', async () => {
    // The example economy has no capital stocks: harmony is exact by the Leontief dual there.
    const err = await app
      .call('planning.compute', { economyId, objective: 'harmony', solver: 'harmony-pdhg' })
      .catch((e: unknown) => e);
    expect(isDomainError(err) && err.kind).toBe('invalid');
    expect(isDomainError(err) && err.issues[0]?.field).toBe('solver');
    // Not the schema's "invalid enum value": the solver is offered and says why it does not apply.
    expect(isDomainError(err) && err.message).toContain('harmony-pdhg does not apply to this plan');
    expect(isDomainError(err) && err.issues[0]?.message).toContain('no capital stocks');
  });

  it('refuses a scenario change naming an unknown product, naming the field', async () => {
    const base = (await app.call('planning.compute', { economyId })) as PlanOut;
    const err = await app
      .call('planning.compute', {
        economyId,
        basePlanId: base.id,
        changes: [{ kind: 'target', product: 'cake', period: 1, quantity: 5 }],
      })
      .catch((e: unknown) => e);
    expect(isDomainError(err) && err.kind).toBe('invalid');
    expect(isDomainError(err) && err.issues[0]?.field).toMatch(/changes\[0\]/);
  });
});
