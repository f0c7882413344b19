// Every operation under hostile values on PostgreSQL (text the database cannot store, nesting 10,000 deep,
// huge numbers, big values): no 5xx, refusals write nothing. The HTTP API alone, on a node that does not
// subscribe to the shared brokers (bootHttpNode), so this file runs beside the ones that do; the hostile
// messages over MQTT and NATS are in hostile-input.test.ts. The data is what that file's node held when these
// ran there: a root, a shop with a code, an indicator and a machine's readings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { OPERATIONS } from '../../src/app/registry';
import { hostileBodies, hostileQueries } from '../../src/testing/hostile-values';
import { stateFingerprint } from '../../src/store/state-fingerprint';
import { bootHttpNode, seedTurbine, type Node } from './harness';
import { freshDatabase, requireServices } from './services';

const run = Math.random().toString(36).slice(2, 8);
const clock = new ManualClock('2026-03-01T08:00:00Z');
let db: { url: string; drop(): Promise<void> };
let node: Node;
let turbine: string;
let root: string;
const code = `H${run}`.toUpperCase();

const at = (minute: number) => new Date(Date.parse('2026-03-01T07:00:00Z') + minute * 60_000).toISOString();

beforeAll(async () => {
  const base = await requireServices();
  db = await freshDatabase(base);
  node = await bootHttpNode(db.url, clock);
  let token: string;
  ({ root, turbine, token } = await seedTurbine(node, code));
  const r = await fetch(`${node.baseUrl}/api/readings/submit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      unitId: turbine,
      readings: [20, 21, 22].map((value, i) => ({
        indicator: 'temp',
        value,
        at: at(i),
        sourceId: `ok-${i}`,
      })),
    }),
  });
  expect(r.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await node?.close();
  await db?.drop();
});

describe('every operation under hostile input on PostgreSQL', () => {
  let admin: string;
  beforeAll(async () => {
    const p = await node.app.services.auth.register({
      email: `hostile-${run}@x.org`,
      name: 'hostile',
      password: 'correct horse battery',
    });
    await node.app.services.auth.grant(p.id, root, 'admin');
    const r = await fetch(`${node.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `hostile-${run}@x.org`, password: 'correct horse battery' }),
    });
    admin = ((await r.json()) as { token: string }).token;
  });

  it.each(OPERATIONS.map((op) => [op.name, op] as const))(
    '%s never answers 5xx, refusals write nothing',
    async (_n, op) => {
      const url = `${node.baseUrl}/api/${op.name.replaceAll('.', '/')}`;
      const send = (body: string) =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body,
        });
      const before = await stateFingerprint(node.app);
      let allRefused = true;
      for (const [label, body] of hostileBodies(op, turbine)) {
        const r = await send(body);
        const text = await r.text();
        expect(r.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
        if (r.status < 400) allRefused = false;
      }
      if (allRefused) expect(await stateFingerprint(node.app)).toBe(before);
      else {
        for (const [label, body] of hostileBodies(op, turbine)) {
          const start = await stateFingerprint(node.app);
          const r = await send(body);
          await r.text();
          if (r.status >= 400) expect(await stateFingerprint(node.app), label).toBe(start);
        }
      }
      if (op.kind === 'query') {
        for (const query of hostileQueries(op)) {
          const r = await fetch(`${url}?${query}`, { headers: { authorization: `Bearer ${admin}` } });
          expect(r.status, `GET ?${query.slice(0, 60)}: ${(await r.text()).slice(0, 300)}`).toBeLessThan(500);
        }
      }
    },
  );
});
