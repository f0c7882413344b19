// The HTTP edge against an attacker: Bearer in any case, foreign origins refused with the cookie, security headers, sign-in limits.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { mountEventStream } from '../ingest/sse-events';
import { buildServer } from './server';

const PASSWORD = 'correct horse battery';
const HOST = 'ogas.test:8080';

describe('the HTTP edge', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let tree: Awaited<ReturnType<typeof smallTree>>;

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    await app.person('member@food.test', [[tree.food.id, 'member']]);
    await app.person('root@fed.test', [[tree.root.id, 'admin']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
      guessLimits: { perAddress: { max: 6, windowMs: 60_000 }, perAccount: { max: 3, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  /** Each sign-in from its own address, so the per-address limit stays out of tests of other things. */
  let nextAddress = 10;
  const login = async (email: string, password = PASSWORD) => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
      remoteAddress: `10.0.0.${(nextAddress += 1)}`,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ token: string }>().token;
  };

  it('accepts the Bearer scheme in any letter case (RFC 7235)', async () => {
    const token = await login('member@food.test');
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const r = await server.inject({
        method: 'GET',
        url: '/api/auth/whoami',
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(r.json(), scheme).toMatchObject({ kind: 'person', person: { email: 'member@food.test' } });
    }
  });

  it('refuses a state-changing request that comes with the session cookie from another origin', async () => {
    const token = await login('member@food.test');
    const foreign = await server.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: {},
      headers: { host: HOST, origin: 'https://evil.example' },
      cookies: { ogas_session: token },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    expect(foreign.json()).toMatchObject({ status: 403, detail: expect.stringContaining('evil.example') });
    const opaque = await server.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: {},
      headers: { host: HOST, origin: 'null' },
      cookies: { ogas_session: token },
    });
    expect(opaque.statusCode).toBe(403);
    const fromReferer = await server.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: {},
      headers: { host: HOST, referer: 'https://evil.example/page' },
      cookies: { ogas_session: token },
    });
    expect(fromReferer.statusCode).toBe(403);
    // The session survived all three.
    const who = await server.inject({
      method: 'GET',
      url: '/api/auth/whoami',
      cookies: { ogas_session: token },
    });
    expect(who.json()).toMatchObject({ kind: 'person' });
  });

  it('lets the same request through from its own origin, and a bearer-header request from anywhere', async () => {
    const token = await login('member@food.test');
    const ownOrigin = await server.inject({
      method: 'POST',
      url: '/api/holarchy/unit/get',
      payload: { id: tree.bakery.id },
      headers: { host: HOST, origin: `http://${HOST}` },
      cookies: { ogas_session: token },
    });
    expect(ownOrigin.statusCode).toBe(200);
    const bearer = await server.inject({
      method: 'POST',
      url: '/api/holarchy/unit/get',
      payload: { id: tree.bakery.id },
      headers: { host: HOST, origin: 'https://tools.example', authorization: `Bearer ${token}` },
    });
    expect(bearer.statusCode).toBe(200);
    const read = await server.inject({
      method: 'GET',
      url: `/api/holarchy/unit/get?id=${tree.bakery.id}`,
      headers: { host: HOST, origin: 'https://evil.example' },
      cookies: { ogas_session: token },
    });
    expect(read.statusCode).toBe(200);
  });

  it('sends the usual security headers, with a Content-Security-Policy that allows only our own origin', async () => {
    const r = await server.inject({ method: 'GET', url: '/api/health' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('sends the same security headers on the alert event stream, which writes its own head', async () => {
    await app.person('watcher@food.test', [[tree.food.id, 'member']]);
    const token = await login('watcher@food.test');
    const streaming = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
      extend: (s, helpers) => mountEventStream(s, helpers, app.services.notifications),
    });
    const address = await streaming.listen({ port: 0, host: '127.0.0.1' });
    const stop = new AbortController();
    try {
      const r = await fetch(`${address}/api/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: stop.signal,
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/event-stream');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      stop.abort();
      await streaming.close();
    }
  });

  it('limits sign-in attempts per client address with a 429 problem and Retry-After', async () => {
    const attempt = (i: number) =>
      server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `guess-${i}@nowhere.test`, password: 'guess' },
        remoteAddress: '192.0.2.7',
      });
    for (let i = 0; i < 6; i += 1) expect((await attempt(i)).statusCode).toBe(401);
    const limited = await attempt(6);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not held back by this one.
    const other = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'guess@nowhere.test', password: 'guess' },
      remoteAddress: '192.0.2.8',
    });
    expect(other.statusCode).toBe(401);
  });

  it('limits sign-in attempts per account, whatever the address', async () => {
    const attempt = (i: number, email = 'spray@nowhere.test') =>
      server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'guess' },
        remoteAddress: `198.51.100.${i}`,
      });
    for (let i = 0; i < 3; i += 1) expect((await attempt(i)).statusCode).toBe(401);
    const limited = await attempt(3, ' SPRAY@nowhere.test');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ detail: string }>().detail).toMatch(/for this account/);
    expect((await attempt(4, 'someone-else@nowhere.test')).statusCode).toBe(401);
  });

  it('answers a locked account with 429 and Retry-After', async () => {
    await app.person('locked@food.test', []);
    // The failures go straight to the service, so that the per-account HTTP limit (3 here) stays out of it.
    for (let i = 0; i < 5; i += 1) {
      await app.services.auth.login('locked@food.test', `wrong ${i}`).catch(() => undefined);
    }
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'locked@food.test', password: PASSWORD },
      remoteAddress: '203.0.113.1',
    });
    expect(r.statusCode).toBe(429);
    expect(r.json<{ detail: string }>().detail).toMatch(/too many failed sign-ins/);
    expect(Number(r.headers['retry-after'])).toBe(60);
  });

  it('changes a password over HTTP, keeping the session that asked', async () => {
    await app.person('changer@food.test', []);
    const token = await login('changer@food.test');
    const other = await login('changer@food.test');
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/password/change',
      payload: { currentPassword: PASSWORD, newPassword: 'a new passphrase' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.json()).toEqual({ endedSessions: 1 });
    const mine = await server.inject({
      method: 'GET',
      url: '/api/auth/whoami',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(mine.statusCode).toBe(200);
    const theirs = await server.inject({
      method: 'GET',
      url: '/api/auth/whoami',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(theirs.statusCode).toBe(401);
  });

  it('refuses to remove the last admin of the root with 409 and the reason', async () => {
    const token = await login('root@fed.test');
    const who = (
      await server.inject({
        method: 'GET',
        url: '/api/auth/whoami',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json<{ person: { id: string } }>();
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/grant/remove',
      payload: { personId: who.person.id, unitId: tree.root.id, role: 'admin' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string }>().detail).toMatch(/no admin/);
  });
});
