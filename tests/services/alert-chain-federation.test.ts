// An alert climbs a chain of three nodes over real NATS (a nats-server of this test's own, one user per node):
// leaf → middle → top, each a full node (a PGlite app in this process) running the real federation runtime. Once
// the middle node has passed the leaf's plan-shortfall alert on to the top, every later revision of it (newer
// facts after a later short reading, the acknowledgement, the resolution, all made at the leaf) climbs the whole
// chain too, once per revision. At the middle node, the alert's state only moves forward: a late "open" revision
// from the leaf does not undo an acknowledgement made there, but brings its facts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logger';
import type { FederationStore } from '../../src/federation/federation-store';
import { natsConfig } from '../../src/federation/nats-config';
import type { FederationNode } from '../../src/federation/node-runtime';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';
import { createTestApp, type TestApp } from '../../src/testing/test-app';
import { startNodeChain } from '../../src/testing/test-nodes';
import { until } from '../../src/testing/until';

const log = createLogger('alert-chain-federation');
const ECONOMY = readFileSync('src/economy/fixtures/example-economy.json', 'utf8');
const NODES = [
  { id: 'ac-top', parent: null, password: 'ac-top-secret' },
  { id: 'ac-mid', parent: 'ac-top', password: 'ac-mid-secret' },
  { id: 'ac-leaf', parent: 'ac-mid', password: 'ac-leaf-secret' },
];

let nats: OwnNats;
let top: TestApp;
let mid: TestApp;
let leaf: TestApp;
const nodes: FederationNode[] = [];
let topRoot: { id: string };
let midRoot: { id: string };
let farm: { id: string };

const unit = (app: TestApp, parentId: string | null, name: string, code: string, kind = 'region') =>
  app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;

interface Landed {
  originAlertId: string;
  originNode: string;
  status: string;
  statusBy: string;
  kind: string | null;
  shortfall: { planId: string; target: number; actual: number; fulfilment: number } | null;
}
const landedAt = async (app: TestApp, unitId: string, id: string) =>
  ((await app.call('federation.alerts', { unitId }, undefined)) as { alerts: Landed[] }).alerts.find(
    (a) => a.originAlertId === id,
  );

type AlertMessage = { kind: string; rev: number; alert: { id: string; status: string } };
/** Each alert revision the middle node receives from the leaf, and each it puts in its outbox for the top. */
const atMiddle = { received: [] as AlertMessage[], queued: [] as AlertMessage[] };
const revsOf = (ms: AlertMessage[], id: string) =>
  ms.filter((m) => m.kind === 'alert' && m.alert.id === id).map((m) => [m.rev, m.alert.status] as const);

beforeAll(async () => {
  nats = await startOwnNats((port, store) => natsConfig({ nodes: NODES, port, storeDir: store }));
  [top, mid, leaf] = await Promise.all([createTestApp(), createTestApp(), createTestApp()]);
  topRoot = await unit(top, null, 'Federation', 'ac-fed', 'economy');
  const midAttach = await unit(top, topRoot.id, 'Middle region', 'ac-mid');
  await top.call('federation.child.add', { node: 'ac-mid', unitId: midAttach.id });
  midRoot = await unit(mid, null, 'Middle region', 'ac-mid-top');
  const leafAttach = await unit(mid, midRoot.id, 'Leaf district', 'ac-leaf');
  await mid.call('federation.child.add', { node: 'ac-leaf', unitId: leafAttach.id });
  // The leaf's top unit is the farm the example economy's grain field is planned on.
  farm = await unit(leaf, null, 'North farm', 'farm-north', 'co-op');
  await leaf.call('indicator.create', {
    unitId: farm.id,
    code: 'grain',
    name: 'Grain harvested',
    measure: 't/month',
    aggregation: 'sum',
    detector: 'spc',
    detectorSettings: { centre: 1_000_000, sigma: 1_000_000 },
    technologyCode: 'grain-field',
  });
  // Watched from the start: what reaches the middle node from the leaf, and what it queues for the top (every
  // attempt, so a revision queued twice would show twice even though the outbox keeps one row per message id).
  const federation = mid.services.federation;
  const receive = federation.receive.bind(federation);
  vi.spyOn(federation, 'receive').mockImplementation(async (subject, text, sender) => {
    atMiddle.received.push(JSON.parse(text) as AlertMessage);
    return receive(subject, text, sender);
  });
  // The outbox is the node's federation store (the pass that forwards alerts writes through it directly).
  const outbox = federation.outbox() as unknown as FederationStore;
  const enqueue = outbox.enqueue.bind(outbox);
  vi.spyOn(outbox, 'enqueue').mockImplementation(async (rows, at) => {
    for (const r of rows) atMiddle.queued.push(JSON.parse(r.body) as AlertMessage);
    return enqueue(rows, at);
  });
  await startNodeChain(
    nodes,
    {
      natsUrl: nats.url,
      nodes: [
        { app: top, id: 'ac-top', unitId: topRoot.id },
        { app: mid, id: 'ac-mid', unitId: midRoot.id },
        { app: leaf, id: 'ac-leaf', unitId: farm.id },
      ],
      settings: { lookbackSeconds: 400 * 86400, alertForwardSeconds: 1 },
    },
    log,
  );
}, 90_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.close();
  await Promise.all([top?.close(), mid?.close(), leaf?.close()]);
  await nats?.stop();
});

/** The farm's monthly grain target in the plan the first test adopts at the leaf. */
let farmTarget = 0;

const report = (value: number, at: string, tag: string) =>
  leaf.call('readings.submit', {
    unitId: farm.id,
    readings: [{ indicator: 'grain', value, at, sourceId: tag }],
  });

describe('an alert passed on climbs on with its later revisions', () => {
  it('brings newer facts, the acknowledgement and the resolution from the leaf to the top, once each', async () => {
    const eco = (await leaf.call('economy.import', {
      content: ECONOMY,
      format: 'json',
      unitId: farm.id,
    })) as {
      economy: { id: string };
    };
    const plan = (await leaf.call('planning.compute', { economyId: eco.economy.id })) as { id: string };
    await leaf.call('planning.adopt', { planId: plan.id });
    const record = (await leaf.call('planning.get', { id: plan.id })) as {
      record: { unitTargets: { unit: string; technology: string; period: number; quantity: number }[] };
    };
    const target =
      record.record.unitTargets
        .filter((t) => t.unit === 'farm-north' && t.technology === 'grain-field' && t.period === 1)
        .reduce((s, t) => s + t.quantity, 0) / 12;
    expect(target).toBeGreaterThan(0);
    farmTarget = target;

    await report(0.5 * target, '2026-03-01T07:30:00Z', 'chain-1');
    expect(await leaf.call('cyberstride.shortfalls.sweep', {})).toMatchObject({ opened: 1, failed: [] });
    const [own] = (
      (await leaf.call('alert.list', { unitId: farm.id, status: 'unresolved' })) as {
        alerts: { id: string; kind: string }[];
      }
    ).alerts.filter((a) => a.kind === 'plan-shortfall');
    const id = `ac-leaf:${own!.id}`;

    // At the middle node first; it passes the alert on once its forward interval (1 s, on its own clock) is up.
    await until(
      'the alert at the middle node',
      () => landedAt(mid, midRoot.id, id),
      (a) => a?.status === 'open',
    );
    mid.clock.advance(2000);
    const first = await until(
      'the alert at the top node',
      () => landedAt(top, topRoot.id, id),
      (a) => a !== undefined,
    );
    expect(first).toMatchObject({ kind: 'plan-shortfall', originNode: 'ac-leaf', status: 'open' });
    expect(first!.shortfall!.fulfilment).toBeCloseTo(0.5, 12);

    // A later short reading (the rule judges the newest): the leaf sends the newer facts (past its 1 s interval), and they
    // reach the top through the middle, which had already passed the alert on.
    leaf.clock.advance(2000);
    await report(0.1 * target, '2026-03-01T07:40:00Z', 'chain-2');
    await leaf.call('cyberstride.shortfalls.sweep', {});
    const newer = await until(
      'the newer facts at the top node',
      () => landedAt(top, topRoot.id, id),
      (a) => a !== undefined && Math.abs(a.shortfall!.fulfilment - 0.1) < 1e-9,
    );
    expect(newer!.shortfall!.actual).toBeCloseTo(0.1 * target, 9);
    expect(newer!.status).toBe('open');

    // Acknowledged, then resolved, at the leaf: each state reaches the top.
    await leaf.call('alert.acknowledge', { id: own!.id, note: 'on it' });
    await until(
      'the acknowledgement at the top node',
      () => landedAt(top, topRoot.id, id),
      (a) => a?.status === 'acknowledged',
    );
    await leaf.call('alert.resolve', { id: own!.id, note: 'harvest in' });
    await until(
      'the resolution at the top node',
      () => landedAt(top, topRoot.id, id),
      (a) => a?.status === 'resolved',
    );

    // Once per revision: the middle node queued for the top exactly the revisions the leaf sent it, in order,
    // each once (a redelivery from the stream, if any, is the same revision and is not passed on again).
    const fromLeaf = [...new Map(revsOf(atMiddle.received, id).map((r) => [r[0], r])).values()];
    expect(fromLeaf.map(([, status]) => status)).toEqual(['open', 'open', 'acknowledged', 'resolved']);
    expect(revsOf(atMiddle.queued, id)).toEqual(fromLeaf);
  }, 120_000);
});

describe('at the middle node, the state only moves forward', () => {
  it('keeps an acknowledgement made there when a late open revision arrives, takes its facts, and then the resolution', async () => {
    const ana = await mid.person('ana@mid.test', [[midRoot.id, 'manager']]);
    await report(0.2 * farmTarget, '2026-03-01T07:50:00Z', 'chain-3');
    expect(await leaf.call('cyberstride.shortfalls.sweep', {})).toMatchObject({ opened: 1, failed: [] });
    const own = (
      (await leaf.call('alert.list', { unitId: farm.id, status: 'unresolved' })) as {
        alerts: { id: string; kind: string }[];
      }
    ).alerts.find((a) => a.kind === 'plan-shortfall')!;
    const id = `ac-leaf:${own.id}`;
    await until(
      'the new alert at the middle node',
      () => landedAt(mid, midRoot.id, id),
      (a) => a?.status === 'open',
    );
    await mid.call('federation.alert.acknowledge', { originAlertId: id, note: 'seen here' }, ana);
    // A revision the leaf sent before the acknowledgement reached it: newer than what the middle holds, still
    // open, with a later actual. Delivered as the middle's consumer would, before the leaf's own acknowledged
    // state can come back (that takes a round trip through both outboxes).
    const sent = atMiddle.received.filter((m) => m.kind === 'alert' && m.alert.id === id).at(-1)!;
    const late = structuredClone(sent) as AlertMessage & { alert: { shortfall: { actual: number } } };
    late.rev = sent.rev + 1;
    late.alert.shortfall.actual = 12345;
    expect(
      await mid.services.federation.receive(
        'ogas.fed.up.ac-mid.ac-leaf.alert',
        JSON.stringify(late),
        'ac-leaf',
      ),
    ).toEqual({ applied: true });
    const held = await landedAt(mid, midRoot.id, id);
    expect(held).toMatchObject({
      status: 'acknowledged',
      statusBy: `person:${ana.kind === 'person' ? ana.personId : ''}`,
    });
    expect(held!.shortfall!.actual).toBe(12345);

    // The acknowledgement reaches the leaf and its acknowledged state comes back: the middle keeps who acted
    // there. The resolution at the leaf moves it on, and says it came from the leaf.
    await until(
      'the acknowledgement at the leaf',
      async () =>
        (
          (await leaf.call('alert.list', { unitId: farm.id, status: 'all' })) as {
            alerts: { id: string; status: string }[];
          }
        ).alerts.find((a) => a.id === own.id),
      (a) => a?.status === 'acknowledged',
    );
    leaf.clock.advance(2000);
    await leaf.call('alert.resolve', { id: own.id, note: 'harvest in' });
    const resolved = await until(
      'the resolution at the middle node',
      () => landedAt(mid, midRoot.id, id),
      (a) => a?.status === 'resolved',
    );
    expect(resolved!.statusBy).toBe('system:node:ac-leaf');
  }, 120_000);
});
