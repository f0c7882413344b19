// The event stream's `federation-alert` event: an alert that climbed in from a federation node below, or its
// change, is announced to those who may read the unit it landed on (the Opsroom's "From nodes below" reloads on
// it), never to a reader of another subtree; a redelivered message changes nothing and announces nothing.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { buildServer } from '../api/server';
import { createLogger } from '../core/logger';
import { nodeSettingsSchema } from '../federation/node-settings';
import { follow, type Stream } from '../testing/sse-follow';
import { createTestApp, type TestApp } from '../testing/test-app';
import { mountEventStream } from './sse-events';

const alertBody = (id: string, status: string, rev: number) =>
  JSON.stringify({
    v: 1,
    kind: 'alert',
    from: 'north',
    sentAt: new Date().toISOString(),
    rev,
    alert: {
      id,
      originNode: 'north',
      unitCode: 'depot',
      status,
      severity: 'critical',
      message: 'Cars built is at 50 % of plan "P"',
      openedAt: '2026-03-01T07:00:00Z',
      kind: 'plan-shortfall',
      shortfall: { planId: 'pl_1', planName: 'P', target: 10, actual: 5, fulfilment: 0.5, measure: 'cars' },
    },
  });

describe('the federation-alert event on /api/events', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let address: string;
  let attach: { id: string };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    const unit = (parentId: string | null, name: string, code: string) =>
      app.call('holarchy.unit.create', { parentId, name, code, kind: 'region' }) as Promise<{ id: string }>;
    const root = await unit(null, 'Federation', 'fed');
    attach = await unit(root.id, 'North', 'north');
    const south = await unit(root.id, 'South', 'south');
    app.services.federation.configure(
      nodeSettingsSchema.parse({
        natsUrl: 'nats://unused',
        nodeId: 'central',
        parent: null,
        unitId: root.id,
      }),
    );
    await app.call('federation.child.add', { node: 'north', unitId: attach.id });
    await app.person('north@fed.test', [[attach.id, 'manager']]);
    await app.person('south@fed.test', [[south.id, 'manager']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
      extend: (s, helpers) =>
        mountEventStream(
          s,
          helpers,
          app.services.notifications,
          { heartbeatMs: 100 },
          app.services.readingsBus,
          app.services.federation,
        ),
    });
    address = await server.listen({ port: 0, host: '127.0.0.1' });
    for (const email of ['north@fed.test', 'south@fed.test']) {
      const r = await server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'correct horse battery' },
      });
      tokens[email] = r.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const remote = (s: Stream) =>
    s.events
      .filter((e) => e.event === 'federation-alert')
      .map((e) => e.data as { change: string; originAlertId: string; unitId: string; status: string });
  const beats = (s: Stream) => s.events.filter((e) => e.event === 'heartbeat').length;

  it('tells the readers of the unit it landed on when it lands and when it changes, and nobody else', async () => {
    const north = await follow(address, tokens['north@fed.test'] ?? '');
    const south = await follow(address, tokens['south@fed.test'] ?? '');
    try {
      await north.until((e) => e.some((x) => x.event === 'ready'));
      await south.until((e) => e.some((x) => x.event === 'ready'));
      const fed = app.services.federation;
      const rev = Date.now() * 1000;
      expect(await fed.receive('ogas.fed.up.north.alert', alertBody('north:al_1', 'open', rev))).toEqual({
        applied: true,
      });
      await north.until(() => remote(north).length === 1);
      expect(remote(north)[0]).toEqual({
        change: 'received',
        originAlertId: 'north:al_1',
        unitId: attach.id,
        unitPath: expect.any(String),
        status: 'open',
      });
      // The same message again (a redelivery) stores nothing and announces nothing; a newer state does.
      await fed.receive('ogas.fed.up.north.alert', alertBody('north:al_1', 'open', rev));
      await fed.receive('ogas.fed.up.north.alert', alertBody('north:al_1', 'open', rev + 1));
      await north.until(() => remote(north).length >= 2);
      // Acknowledged here: announced too.
      await app.call('federation.alert.acknowledge', { originAlertId: 'north:al_1' });
      await north.until(() => remote(north).length >= 3);
      expect(remote(north).map((n) => [n.change, n.status])).toEqual([
        ['received', 'open'],
        ['received', 'open'],
        ['acknowledged', 'acknowledged'],
      ]);
      // What was written to the south manager's stream before a later heartbeat has arrived by then: nothing.
      const seen = beats(south);
      await south.until(() => beats(south) > seen);
      expect(remote(south)).toEqual([]);
    } finally {
      north.stop();
      south.stop();
    }
  });
});
