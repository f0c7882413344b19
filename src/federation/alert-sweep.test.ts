// An alert that reached a node's top unit must reach the parent node even when the process died between the
// alert's transaction and the notice: the report pass's sweep queues every state not queued yet, and a state
// queued both by the notice and by the sweep is one message. A plan-shortfall alert's changed facts go up as
// updates, no more often than the alert-forward interval.
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../core/clock';
import { MemoryFederationStore } from './federation-memory-store';
import { FederationService, type TopAlert } from './federation.service';
import { parseFederationMessage } from './messages';
import { nodeSettingsSchema } from './node-settings';
import { NORTH_TOP, northNode, northShortfall } from '../testing/alert-node';

const top = NORTH_TOP;

function node(alerts: TopAlert[]) {
  const store = new MemoryFederationStore();
  const service = northNode(store, systemClock, () => alerts);
  const alertMessages = async () =>
    (await store.unsent(100))
      .filter((r) => r.subject.endsWith('.alert'))
      .map((r) => JSON.parse(r.body) as { alert: { id: string; status: string } });
  return { store, service, alertMessages };
}

const alert = (status: TopAlert['status'], levelUnitId = top.id): TopAlert => ({
  id: 'al_1',
  status,
  severity: 'critical',
  message: 'Cars built fell to zero',
  openedAt: new Date('2026-03-01T08:00:00Z'),
  level: { unitId: levelUnitId },
});

describe('alerts up, with nothing lost between the alert and the outbox', () => {
  it('the sweep queues a top-level alert whose notice was never handled, once', async () => {
    const alerts = [alert('open'), { ...alert('open', 'u-shop'), id: 'al_2' }];
    const { service, alertMessages } = node(alerts);
    // No notice was handled (the process died after the alert's transaction): the sweep finds it.
    expect(await service.sweepAlerts()).toBe(1);
    expect((await alertMessages()).map((m) => [m.alert.id, m.alert.status])).toEqual([
      ['north:al_1', 'open'],
    ]);
    expect(await service.sweepAlerts()).toBe(0);
    expect(await alertMessages()).toHaveLength(1);
  });

  it('a state queued by the notice is not queued again by the sweep; a new state is', async () => {
    const alerts = [alert('open')];
    const { service, alertMessages } = node(alerts);
    const notice = { type: 'alert' as const, change: 'escalated' as const, alert: alert('open') };
    expect(await service.onAlert(notice as never, 'depot')).toBe(true);
    expect(await service.onAlert(notice as never, 'depot')).toBe(false);
    expect(await service.sweepAlerts()).toBe(0);
    alerts[0] = alert('acknowledged');
    expect(await service.sweepAlerts()).toBe(1);
    expect((await alertMessages()).map((m) => m.alert.status)).toEqual(['open', 'acknowledged']);
  });
});

describe('the facts of a plan-shortfall alert after its state was sent', () => {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const store = new MemoryFederationStore();
  let current: TopAlert;
  const service = northNode(store, clock, () => [current]);
  const shortfall = (actual: number, status: TopAlert['status'] = 'open'): TopAlert =>
    northShortfall('al_sf', actual, status, {
      indicator: { name: 'Cars built', measure: 'cars' },
      readingAt: clock.now().toISOString(),
    });
  const notice = (a: TopAlert) => ({ type: 'alert' as const, change: 'updated' as const, alert: a }) as never;
  const messages = async () =>
    (await store.unsent(100))
      .filter((r) => r.subject.endsWith('.alert'))
      .map((r) => ({ msgId: r.msgId, body: r.body }));
  const sentActuals = async () =>
    (await messages()).map(
      (m) => (JSON.parse(m.body) as { alert: { shortfall: { actual: number } } }).alert.shortfall.actual,
    );

  it('sends a changed actual at most once per alert-forward interval, by the notice or the sweep', async () => {
    current = shortfall(90);
    expect(await service.onAlert(notice(current), 'depot')).toBe(true);
    // A later short reading 10 minutes on: too soon to tell the parent again (900 s).
    clock.advance(600_000);
    current = shortfall(85);
    expect(await service.onAlert(notice(current), 'depot')).toBe(false);
    expect(await service.sweepAlerts()).toBe(0);
    expect(await sentActuals()).toEqual([90]);
    // Once the interval has passed since the last send, the report pass's sweep sends the held-back facts.
    clock.advance(300_000);
    expect(await service.sweepAlerts()).toBe(1);
    expect(await sentActuals()).toEqual([90, 85]);
    // Unchanged facts (a new reading at the same actual) send nothing, however long after.
    clock.advance(3_600_000);
    current = shortfall(85);
    expect(await service.onAlert(notice(current), 'depot')).toBe(false);
    expect(await service.sweepAlerts()).toBe(0);
    // Changed again past the interval: the notice sends it at once.
    current = shortfall(80);
    expect(await service.onAlert(notice(current), 'depot')).toBe(true);
    expect(await sentActuals()).toEqual([90, 85, 80]);
    // A new state is not held back by the interval: resolved goes up at once, and no update follows it.
    clock.advance(1000);
    current = shortfall(70, 'resolved');
    expect(await service.onAlert(notice(current), 'depot')).toBe(true);
    clock.advance(3_600_000);
    current = shortfall(60, 'resolved');
    expect(await service.sweepAlerts()).toBe(0);
    const all = await messages();
    expect(all).toHaveLength(4);
    expect(new Set(all.map((m) => m.msgId)).size).toBe(4);
  });

  it('is an alert message of version 1 at a newer revision: the parent keeps the newest facts, whatever the order', async () => {
    const all = await messages();
    for (const m of all) expect(parseFederationMessage(m.body).ok).toBe(true);
    const revs = all.map((m) => (JSON.parse(m.body) as { rev: number }).rev);
    expect([...revs].sort((a, b) => a - b)).toEqual(revs);
    const parentStore = new MemoryFederationStore();
    const parent = new FederationService(
      parentStore,
      {
        unit: async () => ({ id: 'u-attach', path: '/u-root/u-attach/', code: 'north' }),
        subtreeCodes: async () => [],
        indicatorsUnder: async () => [],
        buckets: async () => [],
      },
      clock,
    );
    parent.configure(
      nodeSettingsSchema.parse({
        nodeId: 'central',
        parent: null,
        unitId: 'u-root',
        natsUrl: 'nats://unused',
      }),
    );
    await parentStore.addChild('north', 'u-attach', clock.now());
    const [opened, first, second] = all.map((m) => m.body);
    // Redelivered out of order: the older revision changes nothing.
    for (const body of [opened!, second!, first!])
      expect(await parent.receive('ogas.fed.up.north.alert', body, 'north')).toEqual({ applied: true });
    const landed = await parentStore.remoteAlert('north:al_sf');
    expect(landed?.shortfall).toMatchObject({ actual: 80, fulfilment: 0.8 });
    expect(landed?.message).toBe('Cars built is at 80 % of plan "P"');
  });
});

describe('a partner that does not share alerts', () => {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const depot = { id: 'u-depot', path: '/u-top/u-depot/', code: 'depot' };
  const store = new MemoryFederationStore();
  let current: TopAlert;
  const service = new FederationService(
    store,
    {
      unit: async (id) => (id === depot.id ? depot : top),
      unitByCode: async (code) => (code === depot.code ? { id: depot.id } : null),
      subtreeCodes: async () => ['depot'],
      indicatorsUnder: async () => [],
      buckets: async () => [],
      topAlerts: async () => [{ alert: current, unitCode: 'depot' }],
    },
    clock,
  );
  // Its central node, linked into another federation as "acme"; `kinds` says what it shares.
  const partner = (kinds: string[]) =>
    nodeSettingsSchema.parse({
      nodeId: 'north',
      parent: null,
      unitId: top.id,
      natsUrl: 'nats://unused',
      alertForwardSeconds: 900,
      parentLink: {
        natsUrl: 'nats://unused',
        as: 'acme',
        parent: 'central',
        share: { units: ['depot'], kinds },
      },
    });
  const shortfall = (actual: number): TopAlert => northShortfall('al_p', actual);
  const sentActuals = async () =>
    (await store.unsent(100))
      .filter((r) => r.subject === 'ogas.link.up.alert')
      .map(
        (r) => (JSON.parse(r.body) as { alert: { shortfall: { actual: number } } }).alert.shortfall.actual,
      );

  it('claims no facts update it does not queue, so the update goes up once alerts are shared', async () => {
    service.configure(partner(['report', 'units', 'alert']));
    current = shortfall(90);
    expect(await service.onAlert({ alert: current } as never, 'depot')).toBe(true);
    expect(await sentActuals()).toEqual([90]);
    // The partner stops sharing alerts; a later short reading past the interval changes the facts.
    service.configure(partner(['report', 'units']));
    clock.advance(1000_000);
    current = shortfall(80);
    expect(await service.onAlert({ alert: current } as never, 'depot')).toBe(false);
    expect(await service.sweepAlerts()).toBe(0);
    expect(await sentActuals()).toEqual([90]);
    // Nothing was marked sent: the facts on record are still those that went up.
    expect((await store.sentAlertFacts(['al_p'])).get('al_p')?.facts).toBe(
      JSON.stringify(['pl_1', 100, 90, 0.9]),
    );
    // Shared again, the report pass sends the update it held back.
    service.configure(partner(['report', 'units', 'alert']));
    expect(await service.sweepAlerts()).toBe(1);
    expect(await sentActuals()).toEqual([90, 80]);
  });
});
