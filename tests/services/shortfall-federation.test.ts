// A plan-shortfall alert climbs across nodes over real NATS (a nats-server of this test's own, one user per
// node): two full nodes (PGlite apps in this process) run the real federation runtime. The child node's unit
// falls below the plan in force; its alert reaches the parent node with its kind and the facts it was judged
// by (plan, target, actual, share of plan), and only the parent's people over that subtree may read it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger';
import { isDomainError } from '../../src/core/errors';
import type { Principal } from '../../src/core/principal';
import { natsConfig } from '../../src/federation/nats-config';
import type { FederationNode } from '../../src/federation/node-runtime';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';
import { createTestApp, type TestApp } from '../../src/testing/test-app';
import { startNodePair } from '../../src/testing/test-nodes';
import { until } from '../../src/testing/until';

const log = createLogger('shortfall-federation');
const ECONOMY = readFileSync('src/economy/fixtures/example-economy.json', 'utf8');
const NODES = [
  { id: 'sf-central', parent: null, password: 'sf-central-secret' },
  { id: 'sf-north', parent: 'sf-central', password: 'sf-north-secret' },
];

let nats: OwnNats;
let central: TestApp;
let north: TestApp;
const nodes: FederationNode[] = [];
let centralRoot: { id: string };
let attach: { id: string };
let south: { id: string };
let farm: { id: string };
let stranger: Principal;
let overseer: Principal;

const unit = (app: TestApp, parentId: string | null, name: string, code: string, kind = 'region') =>
  app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    return isDomainError(e) ? e.kind : String(e);
  }
};

interface Landed {
  originAlertId: string;
  originNode: string;
  unitId: string;
  status: string;
  message: string;
  originUnitCode: string | null;
  kind: string | null;
  shortfall: {
    planId: string;
    planName?: string;
    target: number;
    actual: number;
    fulfilment: number;
    measure?: string;
    receivedFrom?: string;
  } | null;
}
const landed = async (as?: Principal, unitId = centralRoot.id) =>
  ((await central.call('federation.alerts', { unitId }, as)) as { alerts: Landed[] }).alerts;

beforeAll(async () => {
  nats = await startOwnNats((port, store) => natsConfig({ nodes: NODES, port, storeDir: store }));
  [central, north] = await Promise.all([createTestApp(), createTestApp()]);
  centralRoot = await unit(central, null, 'Federation', 'sf-fed', 'economy');
  attach = await unit(central, centralRoot.id, 'North region', 'sf-north');
  south = await unit(central, centralRoot.id, 'South region', 'sf-south');
  await central.call('federation.child.add', { node: 'sf-north', unitId: attach.id });
  stranger = await central.person('south@sf.test', [[south.id, 'manager']]);
  overseer = await central.person('north@sf.test', [[attach.id, 'manager']]);
  // The child node's top unit is the farm the example economy's grain field is planned on.
  farm = await unit(north, null, 'North farm', 'farm-north', 'co-op');
  await north.call('indicator.create', {
    unitId: farm.id,
    code: 'grain',
    name: 'Grain harvested',
    measure: 't/month',
    aggregation: 'sum',
    detector: 'spc',
    detectorSettings: { centre: 1_000_000, sigma: 1_000_000 },
    technologyCode: 'grain-field',
  });
  await startNodePair(
    nodes,
    {
      natsUrl: nats.url,
      parent: { app: central, id: 'sf-central', unitId: centralRoot.id },
      child: { app: north, id: 'sf-north', unitId: farm.id },
      settings: { lookbackSeconds: 400 * 86400, alertForwardSeconds: 1 },
    },
    log,
  );
}, 90_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.close();
  await Promise.all([central?.close(), north?.close()]);
  await nats?.stop();
});

/** The month's grain target the plan sets the farm: its yearly quantity for the field, a twelfth of it. */
async function monthlyTarget(app: TestApp, planId: string): Promise<number> {
  const plan = (await app.call('planning.get', { id: planId })) as {
    record: { unitTargets: { unit: string; technology: string; period: number; quantity: number }[] };
  };
  const yearly = plan.record.unitTargets
    .filter((t) => t.unit === 'farm-north' && t.technology === 'grain-field' && t.period === 1)
    .reduce((s, t) => s + t.quantity, 0);
  expect(yearly).toBeGreaterThan(0);
  return yearly / 12;
}

const report = (value: number, at: string, tag: string) =>
  north.call('readings.submit', {
    unitId: farm.id,
    readings: [{ indicator: 'grain', value, at, sourceId: tag }],
  });

describe('a plan-shortfall alert across nodes', () => {
  it("judges the child node's readings against the targets its parent node sent, and climbs back up", async () => {
    // A reading before any plan: nothing to judge it by.
    await report(1, '2026-03-01T07:00:00Z', 'before-plan');
    expect(await north.call('cyberstride.shortfalls.sweep', {})).toMatchObject({ opened: 0, failed: [] });
    // The parent routes targets only to codes its child has reported: wait for the child's unit codes.
    await until(
      "the child's unit codes at the parent",
      () => central.store.db.selectFrom('federation_child_units').select('unit_code').execute(),
      (rows) => rows.some((r) => r.unit_code === 'farm-north'),
    );
    const eco = (await central.call('economy.import', {
      content: ECONOMY,
      format: 'json',
      unitId: centralRoot.id,
    })) as { economy: { id: string } };
    const plan = (await central.call('planning.compute', { economyId: eco.economy.id })) as {
      id: string;
      name: string;
    };
    await central.call('planning.adopt', { planId: plan.id });
    const target = await monthlyTarget(central, plan.id);
    // The targets' arrival queues the child's indicators, so the reading already there is judged by them.
    await until(
      'the checks queued by the targets at the child',
      () => north.store.db.selectFrom('plan_shortfall_checks').select('reason').execute(),
      (rows) => rows.some((r) => r.reason === 'targets received'),
    );
    expect(await north.call('cyberstride.shortfalls.sweep', {})).toMatchObject({ opened: 1, failed: [] });
    const [own] = (
      (await north.call('alert.list', { unitId: farm.id, status: 'unresolved' })) as {
        alerts: { kind: string; evidence: Record<string, unknown> }[];
      }
    ).alerts.filter((x) => x.kind === 'plan-shortfall');
    expect(own!.evidence).toMatchObject({ planId: plan.id, receivedFrom: 'sf-central', actual: 1 });
    expect(own!.evidence.target as number).toBeCloseTo(target, 9);

    const at = await until(
      'the shortfall alert back at the parent node',
      () => landed(),
      (v) => v.some((x) => x.shortfall?.planId === plan.id),
    );
    const a = at.find((x) => x.shortfall?.planId === plan.id)!;
    expect(a).toMatchObject({ kind: 'plan-shortfall', originNode: 'sf-north', status: 'open' });
    expect(a.shortfall).toMatchObject({ planName: plan.name, receivedFrom: 'sf-central', actual: 1 });
    expect(a.shortfall!.fulfilment).toBeCloseTo(1 / target, 12);
  }, 120_000);

  it("climbs from the child node's own plan to the parent node as a shortfall, with its facts", async () => {
    const eco = (await north.call('economy.import', {
      content: ECONOMY,
      format: 'json',
      unitId: farm.id,
    })) as { economy: { id: string } };
    const plan = (await north.call('planning.compute', { economyId: eco.economy.id })) as {
      id: string;
      name: string;
    };
    await north.call('planning.adopt', { planId: plan.id });
    const target = await monthlyTarget(north, plan.id);
    await report(0.5 * target, '2026-03-01T07:30:00Z', 'own-plan-1');
    expect(await north.call('cyberstride.shortfalls.sweep', {})).toMatchObject({
      opened: 1,
      resolved: 1,
      failed: [],
    });

    // The child's own plan now rules its unit: the episode measured by the parent's targets is replaced.
    const a = (
      await until(
        'the shortfall alert at the parent node',
        () => landed(),
        (v) => v.some((x) => x.kind === 'plan-shortfall' && x.shortfall?.planId === plan.id),
      )
    ).find((x) => x.shortfall?.planId === plan.id);
    expect(a).toMatchObject({
      originNode: 'sf-north',
      unitId: attach.id,
      status: 'open',
      originUnitCode: 'farm-north',
    });
    expect(a!.message).toMatch(/^Grain harvested is at 50 % of plan "/);
    expect(a!.shortfall).toMatchObject({ planId: plan.id, planName: plan.name, measure: 't/month' });
    // Against the target worked out here from the plan itself, to rounding.
    expect(a!.shortfall!.target).toBeCloseTo(target, 9);
    expect(a!.shortfall!.actual).toBeCloseTo(0.5 * target, 9);
    expect(a!.shortfall!.fulfilment).toBeCloseTo(0.5, 12);
  }, 120_000);

  it("is read by the parent node's people over that subtree only", async () => {
    const all = await landed();
    expect(all.length).toBeGreaterThan(0);
    expect(await landed(overseer, attach.id)).toEqual(all);
    expect(await refusal(landed(overseer))).toBe('forbidden');
    expect(await refusal(landed(stranger))).toBe('forbidden');
    expect(await refusal(landed(stranger, attach.id))).toBe('forbidden');
    expect(await landed(stranger, south.id)).toEqual([]);
  });
});
