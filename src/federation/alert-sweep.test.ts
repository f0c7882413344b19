// An alert that reached a node's top unit must reach the parent node even when the process died between the
// alert's transaction and the notice: the report pass's sweep queues every state not queued yet, and a state
// queued both by the notice and by the sweep is one message.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { MemoryFederationStore } from './federation-memory-store';
import { FederationService, type TopAlert } from './federation.service';
import { nodeSettingsSchema } from './node-settings';

const top = { id: 'u-top', path: '/u-top/', code: 'north' };

function node(alerts: TopAlert[]) {
  const store = new MemoryFederationStore();
  const service = new FederationService(
    store,
    {
      unit: async () => top,
      subtreeCodes: async () => ['north'],
      indicatorsUnder: async () => [],
      buckets: async () => [],
      topAlerts: async () => alerts.map((alert) => ({ alert, unitCode: 'depot' })),
    },
    systemClock,
  );
  service.configure(
    nodeSettingsSchema.parse({
      nodeId: 'north',
      parent: 'central',
      unitId: top.id,
      natsUrl: 'nats://unused',
    }),
  );
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
