// No request stalls the server: heavy operations run in the compute pool, inside declared size limits and a
// per-principal concurrency limit; a stored target the planner cannot reach is refused, never a 500.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

/** A productive dense economy of order n as plain matrix JSON (about 9 characters per coefficient). */
function denseMatrixJson(n: number): string {
  const rows: string[] = [];
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    const row = new Array<string>(n);
    for (let j = 0; j < n; j++) row[j] = ((random() * 0.5) / n).toPrecision(3);
    rows.push(`[${row.join(',')}]`);
  }
  const ones = new Array<string>(n).fill('1').join(',');
  return `{"A":[${rows.join(',')}],"direct_labour_l":[${ones}],"gross_output_Q":[${ones}]}`;
}

const EXAMPLE = readFileSync(join(import.meta.dirname, '../economy/fixtures/example-economy.json'), 'utf8');

describe('heavy operations over HTTP', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let token: string;
  let economyId: string;

  beforeAll(async () => {
    app = await createTestApp();
    const tree = await smallTree(app);
    await app.person('planner@energy.test', [[tree.root.id, 'planner']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
    const login = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'planner@energy.test', password: 'correct horse battery' },
    });
    token = (login.json() as { token: string }).token;
    const imported = (await app.call('economy.import', {
      content: EXAMPLE,
      format: 'ogas-json',
      unitId: tree.root.id,
    })) as { economy: { id: string } };
    economyId = imported.economy.id;
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const post = (url: string, payload: unknown, signedIn = true) =>
    server.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        ...(signedIn ? { authorization: `Bearer ${token}` } : {}),
      },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('answers /api/health while a large analysis computes, and refuses a second heavy call of the same person', async () => {
    const order: string[] = [];
    const body = JSON.stringify({ content: denseMatrixJson(1500), format: 'matrix-json' });
    const analysis = post('/api/economy/analyze', body).then((r) => {
      order.push('analysis');
      return r;
    });
    // Wait until the analysis is computing (its body parsed, its task in a worker), then ask for health.
    while (app.services.compute.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
    const health = await server.inject({ method: 'GET', url: '/api/health' });
    order.push('health');
    expect(health.statusCode).toBe(200);
    const second = await post('/api/economy/analyze', { content: EXAMPLE, format: 'ogas-json' });
    order.push('second');
    expect(second.statusCode).toBe(429);
    expect(second.headers['content-type']).toContain('application/problem+json');
    const done = await analysis;
    expect(done.statusCode).toBe(200);
    expect((done.json() as { products: string[] }).products).toHaveLength(1500);
    expect(order).toEqual(['health', 'second', 'analysis']);
    // The slot is given back: the same person may analyse again.
    expect((await post('/api/economy/analyze', { content: EXAMPLE, format: 'ogas-json' })).statusCode).toBe(
      200,
    );
  }, 120_000);

  it('bounds anonymous callers: a file above the anonymous size asks to sign in, naming the field and the limit', async () => {
    const big = denseMatrixJson(400);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const r = await post('/api/economy/analyze', { content: big, format: 'matrix-json' }, false);
    expect(r.statusCode).toBe(401);
    const problem = r.json() as { issues: { field: string; message: string }[]; data: { limit: number } };
    expect(problem.issues[0]?.field).toBe('content');
    expect(problem.data.limit).toBe(1024 * 1024);
    // A small table is analysed for anyone.
    expect(
      (await post('/api/economy/analyze', { content: EXAMPLE, format: 'ogas-json' }, false)).statusCode,
    ).toBe(200);
  });

  it('bounds anonymous callers by matrix order too, however small the file', async () => {
    // 301 products, almost no coefficients: a small file, but a 301×301 inverse.
    const n = 301;
    const rows = Array.from(
      { length: n },
      (_, i) => `[${Array.from({ length: n }, (_, j) => (i === j ? '0.1' : '0')).join(',')}]`,
    );
    const ones = new Array<string>(n).fill('1').join(',');
    const content = `{"A":[${rows.join(',')}],"direct_labour_l":[${ones}],"gross_output_Q":[${ones}]}`;
    const r = await post('/api/economy/analyze', { content, format: 'matrix-json' }, false);
    expect(r.statusCode).toBe(401);
    expect((r.json() as { detail: string }).detail).toContain('at most 300');
    expect((await post('/api/economy/analyze', { content, format: 'matrix-json' })).statusCode).toBe(200);
  });

  it('refuses a target period beyond the planner’s limit, naming the field', async () => {
    const r = await post('/api/economy/targets/set', {
      id: economyId,
      targets: [{ product: 'bread', period: 1_000_000_000, quantity: 1 }],
    });
    expect(r.statusCode).toBe(400);
    const problem = r.json() as { issues: { field: string; message: string }[] };
    expect(problem.issues).toEqual([
      { field: 'targets[0].period', message: 'the planner plans at most 100 periods' },
    ]);
  });

  it('refuses to plan a model that already holds such a target with a 4xx problem, before allocating', async () => {
    // A row stored before the bound existed: written directly, as an old database may hold it.
    await sql`insert into targets (economy_id, product, period, quantity) values (${economyId}, 'bread', 1000000000, 1)`.execute(
      app.store.db,
    );
    const r = await post('/api/planning/compute', { economyId });
    expect(r.statusCode).toBe(400);
    const problem = r.json() as { detail: string; issues: { field: string }[] };
    expect(problem.detail).toContain('1000000000');
    expect(problem.issues.map((i) => i.field)).toContain('periods');
    // With a horizon the planner can reach, the same model plans.
    expect((await post('/api/planning/compute', { economyId, periods: 3 })).statusCode).toBe(200);
  });

  it('refuses a plan too large to formulate with a problem naming the limit', async () => {
    const r = await post('/api/planning/compute', { economyId, periods: 101 });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { issues: { field: string }[] }).issues[0]?.field).toBe('periods');
  });
});
