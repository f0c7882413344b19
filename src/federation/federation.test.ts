// Two nodes on PGlite with the transport played by hand (the outbox of one fed to the other's receive), so
// the rules are tested apart from NATS: reports up stored idempotently and aggregated above, plans routed down
// and acknowledged, alerts climbing, and what cannot be applied quarantined with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { nodeSettingsSchema } from './node-settings';
import { senderOfUp } from './subjects';

let parent: TestApp;
let child: TestApp;
let parentRoot: { id: string };
let attach: { id: string };
let childRoot: { id: string };
let shop: { id: string };
let adoptedPlan = '';
const sent: { subject: string; body: string }[] = [];

const unit = (app: TestApp, parentId: string | null, name: string, code: string, kind = 'region') =>
  app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;

/** Moves every queued message of `from` to `to`, as NATS would; returns how many moved. */
async function pump(from: TestApp, to: TestApp): Promise<number> {
  const box = from.services.federation.outbox();
  const rows = await box.unsent(1000);
  for (const r of rows) {
    sent.push({ subject: r.subject, body: r.body });
    const sender = r.subject.startsWith('ogas.fed.up.') ? senderOfUp('ogas.fed', r.subject) : null;
    await to.services.federation.receive(r.subject, r.body, sender ?? undefined);
  }
  await box.markSent(
    rows.map((r) => r.id),
    new Date(),
  );
  return rows.length;
}

const aggregate = async (app: TestApp, unitId: string, code: string) =>
  (await app.call('readings.aggregate', {
    unitId,
    code,
    bucketSeconds: 3600,
    from: '2026-03-01T00:00:00Z',
    to: '2026-03-02T00:00:00Z',
  })) as { points: { value: number; readings: number; units: number }[] };

beforeAll(async () => {
  [parent, child] = await Promise.all([createTestApp(), createTestApp()]);
  parentRoot = await unit(parent, null, 'Federation', 'fed', 'economy');
  attach = await unit(parent, parentRoot.id, 'North', 'north');
  childRoot = await unit(child, null, 'North region', 'north-local');
  shop = await unit(child, childRoot.id, 'Depot', 'depot', 'shop');
  await child.call('indicator.create', {
    unitId: shop.id,
    code: 'cars',
    name: 'Cars built',
    measure: 'cars',
    aggregation: 'sum',
    detector: 'spc',
  });
  const base = { natsUrl: 'nats://unused', bucketSeconds: 3600, lookbackSeconds: 86400 };
  parent.services.federation.configure(
    nodeSettingsSchema.parse({ ...base, nodeId: 'central', parent: null, unitId: parentRoot.id }),
  );
  child.services.federation.configure(
    nodeSettingsSchema.parse({ ...base, nodeId: 'north', parent: 'central', unitId: childRoot.id }),
  );
  await parent.call('federation.child.add', { node: 'north', unitId: attach.id });
});
afterAll(async () => {
  await Promise.all([parent.close(), child.close()]);
});

const submit = (values: number[], offset: number) =>
  child.call('readings.submit', {
    unitId: shop.id,
    readings: values.map((value, k) => ({
      indicator: 'cars',
      value,
      at: new Date(Date.parse('2026-03-01T07:00:00Z') + (offset + k) * 60_000).toISOString(),
      sourceId: `r-${offset + k}`,
    })),
  });

describe('reports up', () => {
  it('a reading at the child reaches the aggregate of the parent, once however often it is delivered', async () => {
    await submit([3, 4, 5], 0);
    await child.services.federation.queueReport();
    expect(await pump(child, parent)).toBeGreaterThan(0);
    const first = await aggregate(parent, parentRoot.id, 'cars');
    expect(first.points.map((p) => p.value)).toEqual([12]);
    expect(first.points[0]!.readings).toBe(3);
    // Every message delivered again (a redelivery after a crash, a replay after an outage): nothing doubles.
    for (const m of [...sent])
      await parent.services.federation.receive(
        m.subject,
        m.body,
        senderOfUp('ogas.fed', m.subject) ?? undefined,
      );
    expect((await aggregate(parent, parentRoot.id, 'cars')).points.map((p) => p.value)).toEqual([12]);
  });

  it('new readings replace the bucket (states, not deltas), and an older revision arriving late changes nothing', async () => {
    const before = sent.length;
    await submit([10], 3);
    await child.services.federation.queueReport();
    await pump(child, parent);
    expect((await aggregate(parent, parentRoot.id, 'cars')).points.map((p) => p.value)).toEqual([22]);
    const old = sent.slice(0, before).find((m) => m.subject.endsWith('.report'))!;
    await parent.services.federation.receive(old.subject, old.body, 'north');
    expect((await aggregate(parent, attach.id, 'cars')).points.map((p) => p.value)).toEqual([22]);
  });

  it('an unchanged subtree sends no report again', async () => {
    await child.services.federation.queueReport();
    expect(await pump(child, parent)).toBe(0);
  });
});

describe('quarantine', () => {
  it('keeps a message of a newer schema, from an unknown node or under another name, with the reason', async () => {
    const report = sent.find((m) => m.subject.endsWith('.report'))!;
    const newer = JSON.stringify({ ...JSON.parse(report.body), v: 2 });
    expect(await parent.services.federation.receive(report.subject, newer, 'north')).toEqual({
      applied: false,
      quarantined: 'schema-too-new',
    });
    const stranger = JSON.stringify({ ...JSON.parse(report.body), from: 'south' });
    await parent.services.federation.receive('ogas.fed.up.central.south.report', stranger, 'south');
    await parent.services.federation.receive(report.subject, stranger, 'north');
    const q = (await parent.call('federation.quarantine', {})) as {
      entries: { reason: string; message: string }[];
    };
    expect(q.entries.map((e) => e.reason).sort()).toEqual(['schema-too-new', 'unknown-node', 'wrong-sender']);
    expect(q.entries.find((e) => e.reason === 'schema-too-new')!.message).toMatch(/version 2 is newer/);
    expect((await aggregate(parent, parentRoot.id, 'cars')).points.map((p) => p.value)).toEqual([22]);
  });
});

describe('plans down', () => {
  it("routes a plan's targets to the child serving the unit, which stores them and acknowledges", async () => {
    const targets = [
      { unit: 'depot', technology: 'assembly', product: 'cars', period: 1, quantity: 40, labour: 80 },
      { unit: 'nowhere', technology: 'assembly', product: 'cars', period: 1, quantity: 5, labour: 10 },
    ];
    const r = await parent.services.federation.publishPlan('plan_1', targets);
    expect(r.forwarded).toEqual([{ node: 'north', targets: 1 }]);
    expect(r.unrouted.map((t) => t.unit)).toEqual(['nowhere']);
    expect(await pump(parent, child)).toBe(1);
    const seen = (await child.call('federation.targets', { unitId: shop.id })) as {
      targets: { quantity: number; indicators: string[] }[];
    };
    expect(seen.targets.map((t) => t.quantity)).toEqual([40]);
    expect(seen.targets[0]!.indicators).toEqual([]);
    await pump(child, parent);
    const status = (await parent.call('federation.status', {})) as {
      acks: { childNode: string; stored: number }[];
    };
    expect(status.acks).toEqual([expect.objectContaining({ childNode: 'north', stored: 1 })]);
  });

  it('sends an adopted plan down by itself: adoption at the parent reaches the unit at the child', async () => {
    const economy = {
      name: 'Depot cars',
      products: [{ code: 'cars', name: 'Cars', unit: 'cars', kind: 'consumer' }],
      skills: [{ code: 's', name: 'Work' }],
      resources: [],
      technologies: [
        {
          code: 'assembly',
          name: 'Assembly',
          product: 'cars',
          outputPerRun: 1,
          unit: 'depot',
          inputs: [],
          labour: [{ skill: 's', perUnit: 2 }],
          resources: [],
        },
      ],
      targets: [{ product: 'cars', period: 1, quantity: 37 }],
    };
    const imported = (await parent.call('economy.import', {
      content: JSON.stringify(economy),
      format: 'json',
      unitId: parentRoot.id,
    })) as { economy: { id: string } };
    const plan = (await parent.call('planning.compute', {
      economyId: imported.economy.id,
      objective: 'min-labour',
    })) as { id: string };
    adoptedPlan = plan.id;
    // Nothing goes down before adoption: a computed plan is only a proposal of the planners.
    expect(await pump(parent, child)).toBe(0);
    await parent.call('planning.adopt', { planId: plan.id });
    expect(await pump(parent, child)).toBe(1);
    const seen = (await child.call('federation.targets', { unitId: shop.id })) as {
      targets: { planId: string; quantity: number }[];
    };
    expect(seen.targets.filter((t) => t.planId === plan.id).map((t) => t.quantity)).toEqual([37]);
    await pump(child, parent);
  });

  it("the received targets are the child's expected values for an indicator linked to the technology", async () => {
    const linked = (await child.call('indicator.create', {
      unitId: shop.id,
      code: 'assembled',
      name: 'Cars assembled',
      measure: 'cars',
      aggregation: 'sum',
      detector: 'spc',
      technologyCode: 'assembly',
    })) as { id: string };
    const other = (await child.call('indicator.create', {
      unitId: shop.id,
      code: 'painted',
      name: 'Cars painted',
      measure: 'cars',
      aggregation: 'sum',
      detector: 'spc',
      technologyCode: 'painting',
    })) as { id: string };
    type Expected = { planId: string | null; basis: string; expected: { period: number; value: number }[] };
    // No plan was adopted on the child: the newest plan its parent sent (the adopted one, 37 cars) is in force.
    const r = (await child.call('planning.indicator-expected', { indicatorId: linked.id })) as Expected;
    expect(r.expected).toEqual([{ period: 1, value: 37 }]);
    expect(r.basis).toMatch(/technology 'assembly' asked of unit 'depot', received from node 'central'/);
    const none = (await child.call('planning.indicator-expected', { indicatorId: other.id })) as Expected;
    expect(none.expected).toEqual([]);
    expect(none.basis).toMatch(/ask nothing of the linked technology/);
  });

  it('quarantines targets for a unit the child does not serve, and refuses targets from a non-parent', async () => {
    const body = {
      v: 1,
      kind: 'targets',
      from: 'central',
      sentAt: new Date().toISOString(),
      planId: 'plan_2',
      rev: Date.now() * 1000,
      targets: [{ unit: 'ghost', technology: 't', product: 'p', period: 1, quantity: 1, labour: 0 }],
    };
    await child.services.federation.receive('ogas.fed.down.north.targets', JSON.stringify(body));
    await child.services.federation.receive(
      'ogas.fed.down.north.targets',
      JSON.stringify({ ...body, from: 'south' }),
    );
    const q = (await child.call('federation.quarantine', {})) as { entries: { reason: string }[] };
    expect(q.entries.map((e) => e.reason).sort()).toEqual(['unknown-unit', 'wrong-sender']);
  });
});

type Progress = {
  adopted: unknown;
  received: { fromNode: string; planId: string; planName: string | null; receivedAt: Date } | null;
  rows: {
    unitCode: string;
    planned: number;
    plannedMeasure: string;
    comparable: boolean;
    reason: string | null;
    target: number | null;
    actual: number | null;
    fulfilment: number | null;
  }[];
};

describe('received targets against actuals', () => {
  it('with no plan adopted at the child, sets the targets received from the parent against its readings', async () => {
    await child.call('indicator.create', {
      unitId: shop.id,
      code: 'assembled-daily',
      name: 'Cars assembled a day',
      measure: 'cars/day',
      aggregation: 'sum',
      detector: 'spc',
      technologyCode: 'assembly',
    });
    await child.call('readings.submit', {
      unitId: shop.id,
      readings: [{ indicator: 'assembled-daily', value: 0.05, at: '2026-03-01T08:00:00Z', sourceId: 'ad-1' }],
    });
    const r = (await child.call('planning.unit-progress', { unitId: childRoot.id })) as Progress;
    expect(r.adopted).toBeNull();
    const name = ((await parent.call('planning.get', { id: adoptedPlan })) as { name: string }).name;
    expect(r.received).toEqual(
      expect.objectContaining({ fromNode: 'central', planId: adoptedPlan, planName: name }),
    );
    expect(new Date(r.received!.receivedAt).getTime()).not.toBeNaN();
    expect(r.rows).toHaveLength(1);
    const [row] = r.rows;
    // 37 cars a year (the economy's product unit, sent down with the target) spread evenly: 37 / 365.25 a day.
    expect(row!.plannedMeasure).toBe('cars a year');
    expect(row!.comparable).toBe(true);
    expect(row!.target).toBeCloseTo(37 / 365.25, 12);
    expect(row!.actual).toBe(0.05);
    expect(row!.fulfilment).toBeCloseTo(0.05 / (37 / 365.25), 12);
  });

  it('targets from an older parent, without the product unit, are shown but not compared, with the reason', async () => {
    const body = {
      v: 1,
      kind: 'targets',
      from: 'central',
      sentAt: new Date().toISOString(),
      planId: 'plan_old',
      rev: Date.now() * 1000 + 1e9,
      targets: [
        { unit: 'depot', technology: 'assembly', product: 'cars', period: 1, quantity: 50, labour: 0 },
      ],
    };
    expect(
      await child.services.federation.receive('ogas.fed.down.north.targets', JSON.stringify(body)),
    ).toEqual({ applied: true });
    const r = (await child.call('planning.unit-progress', { unitId: shop.id })) as Progress;
    expect(r.received).toEqual(expect.objectContaining({ planId: 'plan_old', planName: null }));
    expect(r.rows.map((x) => [x.planned, x.comparable, x.target])).toEqual([[50, false, null]]);
    expect(r.rows[0]!.reason).toMatch(/node 'central' sent this target without the unit/);
    await pump(child, parent);
  });

  it('a unit under a plan adopted on its own node reads that plan, not received targets', async () => {
    const r = (await parent.call('planning.unit-progress', { unitId: attach.id })) as Progress;
    expect(r.adopted).toEqual(expect.objectContaining({ planId: adoptedPlan }));
    expect(r.received).toBeNull();
  });
});

describe('alerts across nodes', () => {
  it("an alert at the child's top unit climbs to the parent, under the unit the child counts in", async () => {
    const now = new Date();
    const notice = {
      type: 'alert' as const,
      change: 'escalated' as const,
      alert: {
        id: 'al_1',
        unitId: shop.id,
        unitPath: '',
        indicatorId: 'ind_x',
        kind: 'statistical' as const,
        status: 'open' as const,
        level: { unitId: childRoot.id, path: '', depth: 0 },
        severity: 'critical',
        rule: 'level-change',
        message: 'Cars built fell to zero',
        statistics: null,
        evidence: {},
        signalCount: 1,
        openedAt: now,
        lastSignalAt: now,
        escalateDueAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolvedBy: null,
      },
    };
    expect(
      await child.services.federation.onAlert(
        { ...notice, alert: { ...notice.alert, level: { unitId: shop.id, path: '', depth: 1 } } },
        'depot',
      ),
    ).toBe(false);
    expect(await child.services.federation.onAlert(notice, 'depot')).toBe(true);
    await pump(child, parent);
    const r = (await parent.call('federation.alerts', { unitId: parentRoot.id })) as {
      alerts: { originNode: string; unitId: string; message: string }[];
    };
    expect(r.alerts).toEqual([
      expect.objectContaining({ originNode: 'north', unitId: attach.id, message: 'Cars built fell to zero' }),
    ]);
  });

  it("a plan-shortfall alert's later facts reach the parent, once the alert-forward interval has passed", async () => {
    const now = child.clock.now();
    const facts = (actual: number) => ({
      planId: 'pl_1',
      planName: 'P',
      target: 100,
      actual,
      fulfilment: actual / 100,
      tolerance: 0.05,
      indicator: { name: 'Cars built', measure: 'cars' },
    });
    const notice = (actual: number) => ({
      type: 'alert' as const,
      change: 'updated' as const,
      alert: {
        id: 'al_sf',
        unitId: shop.id,
        unitPath: '',
        indicatorId: 'ind_x',
        kind: 'plan-shortfall' as const,
        status: 'open' as const,
        level: { unitId: childRoot.id, path: '', depth: 0 },
        severity: 'warning',
        rule: 'plan-shortfall',
        message: `Cars built is at ${actual} % of plan "P"`,
        statistics: null,
        evidence: facts(actual),
        signalCount: 1,
        openedAt: now,
        lastSignalAt: now,
        escalateDueAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolvedBy: null,
      },
    });
    const atParent = async () =>
      (
        (await parent.call('federation.alerts', { unitId: parentRoot.id })) as {
          alerts: { originAlertId: string; shortfall: { actual: number } | null }[];
        }
      ).alerts.find((a) => a.originAlertId === 'north:al_sf')?.shortfall?.actual;
    expect(await child.services.federation.onAlert(notice(90), 'depot')).toBe(true);
    await pump(child, parent);
    expect(await atParent()).toBe(90);
    // Five minutes on, a shorter month: held back (the default interval is 15 minutes) until it has passed.
    child.clock.advance(300_000);
    expect(await child.services.federation.onAlert(notice(80), 'depot')).toBe(false);
    await pump(child, parent);
    expect(await atParent()).toBe(90);
    child.clock.advance(600_000);
    expect(await child.services.federation.onAlert(notice(80), 'depot')).toBe(true);
    await pump(child, parent);
    expect(await atParent()).toBe(80);
  });
});

describe('the kind of an alert from below', () => {
  const body = (alert: Record<string, unknown>) =>
    JSON.stringify({
      v: 1,
      kind: 'alert',
      from: 'north',
      sentAt: new Date().toISOString(),
      rev: Date.now() * 1000,
      alert: {
        originNode: 'north',
        unitCode: 'depot',
        status: 'open',
        severity: 'critical',
        message: 'Cars built is at 50 % of plan "P"',
        openedAt: new Date().toISOString(),
        ...alert,
      },
    });
  const landed = async (id: string) =>
    (
      (await parent.call('federation.alerts', { unitId: parentRoot.id })) as {
        alerts: { originAlertId: string; kind: string | null; shortfall: unknown }[];
      }
    ).alerts.find((a) => a.originAlertId === id);

  it("an older node's message (no kind) is read as before: a detector's alert, no facts", async () => {
    expect(
      await parent.services.federation.receive('ogas.fed.up.north.alert', body({ id: 'north:old' })),
    ).toEqual({ applied: true });
    expect(await landed('north:old')).toMatchObject({ kind: null, shortfall: null });
  });

  it("a plan-shortfall alert's facts are kept with it; facts that do not parse quarantine the message", async () => {
    const shortfall = {
      planId: 'pl_1',
      planName: 'P',
      target: 10,
      actual: 5,
      fulfilment: 0.5,
      measure: 'cars',
    };
    await parent.services.federation.receive(
      'ogas.fed.up.north.alert',
      body({ id: 'north:sf', kind: 'plan-shortfall', shortfall }),
    );
    expect(await landed('north:sf')).toMatchObject({ kind: 'plan-shortfall', shortfall });
    const bad = await parent.services.federation.receive(
      'ogas.fed.up.north.alert',
      body({ id: 'north:bad', kind: 'plan-shortfall', shortfall: { ...shortfall, target: 'ten' } }),
    );
    expect(bad).toEqual({ applied: false, quarantined: 'malformed' });
    expect(await landed('north:bad')).toBeUndefined();
  });
});

describe('an alert acknowledged above', () => {
  it('stops at the node that acknowledges it, and the acknowledgement reaches the alert at its origin', async () => {
    await child.call('indicator.create', {
      unitId: childRoot.id,
      code: 'load',
      name: 'Trucks loaded per hour',
      measure: 'trucks',
      detector: 'spc',
      detectorSettings: { centre: 43, sigma: 1 },
    });
    await child.call('readings.submit', {
      unitId: childRoot.id,
      readings: [43, 43.2, 42.8, 0].map((value, k) => ({
        indicator: 'load',
        value,
        at: new Date(Date.parse('2026-03-01T06:00:00Z') + k * 300_000).toISOString(),
        sourceId: `load-${k}`,
      })),
    });
    type Alert = { id: string; status: string; acknowledgedBy: string | null };
    const [own] = (
      (await child.call('alert.list', { unitId: childRoot.id, status: 'all' })) as { alerts: Alert[] }
    ).alerts;
    expect(own?.status).toBe('open');
    // No runtime handled the notice here: the report pass's sweep queues the alert at the child's top.
    expect(await child.services.federation.sweepAlerts()).toBe(1);
    await pump(child, parent);
    const id = `north:${own!.id}`;
    const landed = (await parent.call('federation.alerts', { unitId: parentRoot.id })) as {
      alerts: { originAlertId: string; status: string; forwardDueAt: Date | null }[];
    };
    expect(landed.alerts.find((a) => a.originAlertId === id)?.status).toBe('open');
    const acked = await parent.call('federation.alert.acknowledge', { originAlertId: id, note: 'crew sent' });
    expect(acked).toEqual({ originAlertId: id, status: 'acknowledged', childNode: 'north' });
    await expect(parent.call('federation.alert.acknowledge', { originAlertId: id })).rejects.toThrow(
      /only open alerts can be acknowledged/,
    );
    expect(await pump(parent, child)).toBe(1);
    const after = (await child.call('alert.get', { id: own!.id })) as Alert & {
      timeline: { kind: string; detail: { note?: string } }[];
    };
    expect(after.status).toBe('acknowledged');
    expect(after.timeline.find((e) => e.kind === 'acknowledged')?.detail.note).toMatch(
      /acknowledged at node central by .*: crew sent/,
    );
    // The acknowledged state goes back up; delivered again, the acknowledgement changes nothing.
    expect(await child.services.federation.sweepAlerts()).toBe(1);
    await pump(child, parent);
    const again = sent.filter((m) => m.subject === 'ogas.fed.down.north.alert-ack').at(-1)!;
    expect(await child.services.federation.receive(again.subject, again.body)).toEqual({ applied: true });
    expect(((await child.call('alert.get', { id: own!.id })) as Alert).status).toBe('acknowledged');
  });
});
