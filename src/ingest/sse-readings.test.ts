// The event stream's `readings` event: which series grew, sent only to those who may read the series' unit.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { buildServer } from '../api/server';
import { createLogger } from '../core/logger';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { follow, type Stream } from '../testing/sse-follow';
import { mountEventStream } from './sse-events';

describe('the readings event on /api/events', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let address: string;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    await app.person('baker@food.test', [[tree.bakery.id, 'manager']]);
    await app.person('engineer@energy.test', [[tree.plant.id, 'member']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
      extend: (s, helpers) =>
        mountEventStream(s, helpers, app.services.notifications, {}, app.services.readingsBus),
    });
    address = await server.listen({ port: 0, host: '127.0.0.1' });
    for (const email of ['baker@food.test', 'engineer@energy.test']) {
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

  it('tells each subscriber which of its series grew, and nothing about series it may not read', async () => {
    const indicator = async (unitId: string, code: string) =>
      app.services.cybernet.createIndicator({
        unitId,
        code,
        name: code,
        measure: 'kg',
        goodDirection: 'up',
        aggregation: 'sum',
        weight: 1,
        detector: 'spc',
        detectorSettings: { centre: 10, sigma: 1 },
      });
    const bread = await indicator(tree.bakery.id, 'bread');
    const steam = await indicator(tree.turbine.id, 'steam');
    const baker = await follow(address, tokens['baker@food.test'] ?? '');
    const engineer = await follow(address, tokens['engineer@energy.test'] ?? '');
    try {
      await baker.until((e) => e.some((x) => x.event === 'ready'));
      await engineer.until((e) => e.some((x) => x.event === 'ready'));
      const now = app.clock.now().getTime();
      const send = (unitId: string, code: string, n: number) =>
        app.services.ingest.ingest(
          Array.from({ length: n }, (_, i) => ({
            indicator: code,
            value: 10,
            at: now - (n - i) * 1000,
            sourceId: `${code}-${i}`,
          })),
          { reporterUnitId: unitId, channel: 'http', actor: 'test' },
        );
      await send(tree.turbine.id, 'steam', 2);
      await send(tree.bakery.id, 'bread', 3);
      const grew = (s: Stream) =>
        s.events
          .filter((e) => e.event === 'readings')
          .flatMap((e) => (e.data as { readings: { indicatorId: string; count: number }[] }).readings);
      await baker.until(() => grew(baker).length > 0);
      await engineer.until(() => grew(engineer).length > 0);
      expect(grew(baker)).toEqual([expect.objectContaining({ indicatorId: bread.id, count: 3 })]);
      expect(grew(engineer)).toEqual([expect.objectContaining({ indicatorId: steam.id, count: 2 })]);
      // A batch of duplicates stores nothing: no event.
      await send(tree.bakery.id, 'bread', 3);
      await send(tree.bakery.id, 'bread', 4);
      await baker.until(() => grew(baker).length > 1);
      expect(grew(baker).map((g) => g.count)).toEqual([3, 1]);
    } finally {
      baker.stop();
      engineer.stop();
    }
  });
});
