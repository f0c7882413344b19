// The HTTP edge: problem documents with the field and the fix, right statuses, cookies, and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

describe('HTTP API', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let tree: Awaited<ReturnType<typeof smallTree>>;

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    await app.person('member@food.test', [[tree.food.id, 'member']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const login = async (email: string) => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    expect(r.statusCode).toBe(200);
    return (r.json() as { token: string }).token;
  };

  it('answers health with the database kind and schema version', async () => {
    const r = await server.inject({ method: 'GET', url: '/api/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', database: 'pglite' });
    expect((r.json() as { schemaVersion: string }).schemaVersion).toMatch(/^\d{4}-/);
  });

  it('serves an OpenAPI document with a path for every operation', async () => {
    const doc = (await server.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    for (const op of OPERATIONS) expect(doc.paths[`/api/${op.name.replaceAll('.', '/')}`]).toBeDefined();
  });

  it('refuses an invalid body with 400 and a problem naming the field', async () => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/holarchy/unit/create',
      payload: { parentId: tree.root.id, kind: 'planet' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const body = r.json() as { issues: { field: string }[]; fix: string };
    expect(body.issues.map((i) => i.field).sort()).toEqual(['kind', 'name']);
    expect(body.fix).toBeTruthy();
  });

  it('refuses malformed JSON with 400, not 500', async () => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/holarchy/unit/get',
      headers: { 'content-type': 'application/json' },
      payload: '{"id": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ status: 400 });
  });

  it('answers 401 to the public on a private unit, 403 to a member of another subtree, 404 for an unknown one', async () => {
    expect(
      (await server.inject({ method: 'GET', url: `/api/holarchy/unit/get?id=${tree.energy.id}` })).statusCode,
    ).toBe(401);
    const token = await login('member@food.test');
    const auth = { authorization: `Bearer ${token}` };
    expect(
      (
        await server.inject({
          method: 'GET',
          url: `/api/holarchy/unit/get?id=${tree.energy.id}`,
          headers: auth,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await server.inject({
          method: 'GET',
          url: `/api/holarchy/unit/get?id=${tree.bakery.id}`,
          headers: auth,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await server.inject({ method: 'GET', url: '/api/holarchy/unit/get?id=u_missing', headers: auth }))
        .statusCode,
    ).toBe(404);
  });

  it('signs in with a cookie that later requests carry, and signs out', async () => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'member@food.test', password: 'correct horse battery' },
    });
    const cookie = r.cookies.find((c) => c.name === 'ogas_session');
    expect(cookie?.httpOnly).toBe(true);
    const who = await server.inject({
      method: 'GET',
      url: '/api/auth/whoami',
      cookies: { ogas_session: cookie?.value ?? '' },
    });
    expect(who.json()).toMatchObject({ kind: 'person', person: { email: 'member@food.test' } });
    const out = await server.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: {},
      cookies: { ogas_session: cookie?.value ?? '' },
    });
    expect(out.statusCode).toBe(200);
    const after = await server.inject({
      method: 'GET',
      url: '/api/auth/whoami',
      cookies: { ogas_session: cookie?.value ?? '' },
    });
    expect(after.statusCode).toBe(401);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const r = await server.inject({ method: 'GET', url: '/api/nothing/here' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ status: 404 });
  });
});
