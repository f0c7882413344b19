// Text the database cannot store, values nested too deep and numbers no computation can use, over HTTP on
// PGlite: a 400 naming the field, nothing written; a batch of readings keeps its good readings.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { stateFingerprint } from '../store/state-fingerprint';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

let app: TestApp;
let server: FastifyInstance;
let tree: Awaited<ReturnType<typeof smallTree>>;
let machineToken: string;
let adminToken: string;

beforeAll(async () => {
  app = await createTestApp();
  tree = await smallTree(app);
  await app.call('indicator.create', {
    unitId: tree.turbine.id,
    code: 'temp',
    name: 'Turbine hall temperature',
    measure: '°C',
    aggregation: 'mean',
    detector: 'spc',
  });
  ({ token: machineToken } = (await app.call('auth.machine-token.issue', {
    unitId: tree.turbine.id,
    name: 'sensor',
  })) as { token: string });
  await app.person('admin@root.test', [[tree.root.id, 'admin']]);
  server = await buildServer(app, {
    operations: OPERATIONS,
    log: createLogger('test'),
    webRoot: '/nonexistent',
  });
});
beforeAll(async () => {
  const r = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'admin@root.test', password: 'correct horse battery' },
  });
  adminToken = (r.json() as { token: string }).token;
});
afterAll(async () => {
  await server.close();
  await app.close();
});

const post = (url: string, payload: string, token?: string) =>
  server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload,
  });

interface Problem {
  status: number;
  detail: string;
  issues?: { field: string; message: string }[];
  fix?: string;
}

async function expectRefused(r: Awaited<ReturnType<typeof post>>, field: string, before: string) {
  expect(r.statusCode, r.body).toBe(400);
  const p = r.json() as Problem;
  expect(p.issues?.map((i) => i.field)).toContain(field);
  expect(p.fix).toBeTruthy();
  expect(await stateFingerprint(app)).toBe(before);
}

describe('hostile input over HTTP', () => {
  const unitCreate = (extra: Record<string, unknown>) =>
    JSON.stringify({ parentId: tree.root.id, name: 'Mill', kind: 'enterprise', ...extra });

  it('refuses a NUL in a unit name, naming the field', async () => {
    const before = await stateFingerprint(app);
    await expectRefused(
      await post('/api/holarchy/unit/create', unitCreate({ name: 'Mi\u0000ll' })),
      'name',
      before,
    );
  });

  it('refuses a lone surrogate in an attribute, naming the field', async () => {
    const before = await stateFingerprint(app);
    const body = unitCreate({ attributes: { note: 'x' } }).replace('"x"', '"\\ud800"');
    await expectRefused(await post('/api/holarchy/unit/create', body), 'attributes.note', before);
  });

  it('refuses a lone surrogate written as a JSON escape in a key', async () => {
    const before = await stateFingerprint(app);
    const body = unitCreate({ attributes: { k: 'x' } }).replace('"k"', '"\\udc00"');
    await expectRefused(await post('/api/holarchy/unit/create', body), 'attributes', before);
  });

  it('refuses a NUL in a search query sent with GET and with POST', async () => {
    const get = await server.inject({ method: 'GET', url: '/api/holarchy/unit/search?q=a%00b' });
    expect(get.statusCode, get.body).toBe(400);
    expect((get.json() as Problem).issues?.[0]?.field).toBe('q');
    const p = await post('/api/holarchy/unit/search', JSON.stringify({ q: 'a\ud800' }));
    expect(p.statusCode, p.body).toBe(400);
  });

  it('refuses a body nested 10,000 and 1,000,000 deep before anything recursive runs', async () => {
    for (const n of [10_000, 1_000_000]) {
      const before = await stateFingerprint(app);
      const deep = '['.repeat(n) + ']'.repeat(n);
      const r = await post(
        '/api/holarchy/unit/create',
        unitCreate({ attributes: { a: 0 } }).replace('"a":0', `"a":${deep}`),
      );
      expect(r.statusCode, r.body.slice(0, 500)).toBe(400);
      expect((r.json() as Problem).detail).toMatch(/nested deeper than 64/);
      expect(await stateFingerprint(app)).toBe(before);
    }
  });

  it('refuses numbers beyond ±1e300 and JSON numbers that overflow to Infinity', async () => {
    const before = await stateFingerprint(app);
    const body = JSON.stringify({ unitId: tree.turbine.id, period: '2026-03', actuality: 1, capability: 2 });
    for (const n of ['1e308', '1e400', '-1e400']) {
      const r = await post('/api/triple-index/set', body.replace('}', `,"potentiality":${n}}`));
      await expectRefused(r, 'potentiality', before);
    }
  });

  it('refuses bad items after a good thousand, and a nested 1000 × 1000, with a short answer, signed in or not', async () => {
    // Each of these took zod 11–14 s (an issue built per bad value) before the item-by-item check; the answer
    // names the first bad items and stays small. Not timed: the size of the answer is what is asserted.
    const good = JSON.stringify({ skill: 'weld', available: 1 });
    const afterGood = `{"economyId":"e","skillsAvailable":[${new Array(1000).fill(good).join(',')},${new Array(200_000).fill('"x"').join(',')}]}`;
    const row = `[${new Array(1000).fill('"x"').join(',')}]`;
    const nested = `{"economyId":"e","skillsAvailable":[${new Array(1000).fill(row).join(',')}]}`;
    for (const [body, first] of [
      [afterGood, 'skillsAvailable[1000]'],
      [nested, 'skillsAvailable[0]'],
    ] as const) {
      for (const token of [undefined, adminToken]) {
        const r = await post('/api/planning/compute', body, token);
        expect(r.statusCode, r.body.slice(0, 300)).toBe(400);
        const p = r.json() as Problem;
        expect(p.issues?.[0]?.field).toBe(first);
        expect(p.issues?.length).toBe(20);
        expect(p.detail).toMatch(/checked item by item/);
        expect(r.body.length).toBeLessThan(10_000);
      }
    }
  });

  it('answers a broken JSON body with a 400 that does not quote the body', async () => {
    const r = await post('/api/holarchy/unit/search', '{"q": "secret-value-42" oops}');
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain('secret-value-42');
  });

  it('stores the good readings of a batch and quarantines the one with bad text', async () => {
    const readings = [
      { indicator: 'temp', value: 20, at: '2026-03-01T07:00:00Z', sourceId: 'ok-1' },
      { indicator: 'temp', value: 21, at: '2026-03-01T07:01:00Z', sourceId: 'bad-\u0000' },
      { indicator: 'te\ud800mp', value: 22, at: '2026-03-01T07:02:00Z', sourceId: 'bad-2' },
      { indicator: 'temp', value: 23, at: '2026-03-01T07:03:00Z', sourceId: 'ok-2' },
    ];
    const r = await post(
      '/api/readings/submit',
      JSON.stringify({ unitId: tree.turbine.id, readings }),
      machineToken,
    );
    expect(r.statusCode, r.body).toBe(200);
    const result = r.json() as {
      accepted: number;
      quarantined: { index: number; reason: string; message: string }[];
    };
    expect(result.accepted).toBe(2);
    expect(result.quarantined.map((q) => [q.index, q.reason])).toEqual([
      [1, 'malformed'],
      [2, 'malformed'],
    ]);
    expect(result.quarantined[0]?.message).toMatch(/sourceId contains a NUL/);
    const q = (await app.call('readings.quarantine', { unitId: tree.turbine.id, reason: 'malformed' })) as {
      entries: { sourceId: string | null; raw: { indicator?: string } }[];
    };
    expect(q.entries.map((e) => e.sourceId).sort()).toEqual(['bad-2', 'bad-\uFFFD']);
    expect(q.entries.map((e) => e.raw.indicator)).toContain('te\uFFFDmp');
  });

  it('refuses an economy file whose decoded text holds a NUL, naming the field, writing nothing', async () => {
    const json = readFileSync(new URL('../economy/fixtures/example-economy.json', import.meta.url), 'utf8');
    const model = JSON.parse(json) as { products: { name: string }[] };
    (model.products[0] as { name: string }).name = 'Bread\u0000';
    const content = Buffer.from(JSON.stringify(model)).toString('base64');
    const before = await stateFingerprint(app);
    const r = await post(
      '/api/economy/import',
      JSON.stringify({ format: 'ogas-json', encoding: 'base64', content, unitId: tree.root.id }),
      adminToken,
    );
    await expectRefused(r, '(file).products[0].name', before);
  });

  it('refuses a batch of readings whose reporting unit id holds a NUL, writing nothing', async () => {
    const before = await stateFingerprint(app);
    const r = await post(
      '/api/readings/submit',
      JSON.stringify({ unitId: `${tree.turbine.id}\u0000`, readings: [{ indicator: 'temp', value: 1 }] }),
      machineToken,
    );
    await expectRefused(r, 'unitId', before);
  });
});
