// The library's streaming routes over HTTP: an upload streams in and answers its SHA-256; one over the limit
// is a 400 problem naming the field, and leaves nothing; uploads need `manage` on the unit; a download is
// served to those who may read the record and answers 404 to everyone else.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

describe('library files over HTTP', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  const saved = process.env.OGAS_LIBRARY_MAX_FILE_MB;

  beforeAll(async () => {
    process.env.OGAS_LIBRARY_MAX_FILE_MB = '0.01'; // 10,485 bytes
    app = await createTestApp();
    tree = await smallTree(app);
    await app.person('lib-manager@http.test', [[tree.plant.id, 'manager']]);
    await app.person('lib-baker@http.test', [[tree.bakery.id, 'member']]);
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.OGAS_LIBRARY_MAX_FILE_MB;
    else process.env.OGAS_LIBRARY_MAX_FILE_MB = saved;
    await server.close();
    await app.close();
  });

  const login = async (email: string) => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    return (r.json() as { token: string }).token;
  };
  const put = (unitId: string, body: Buffer, token?: string) =>
    server.inject({
      method: 'PUT',
      url: `/api/library/upload?unitId=${unitId}`,
      headers: { 'content-type': 'application/pdf', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });

  it('streams an upload in, and serves the file only to readers of the record', async () => {
    const manager = await login('lib-manager@http.test');
    const body = Buffer.from('Coupling alignment tolerances: 0.05 mm radial, 0.02 mm axial.\n');
    const up = await put(tree.plant.id, body, manager);
    expect(up.statusCode).toBe(200);
    const { sha256, size } = up.json() as { sha256: string; size: number };
    expect(size).toBe(body.length);
    const published = await server.inject({
      method: 'POST',
      url: '/api/library/record/publish',
      headers: { authorization: `Bearer ${manager}` },
      payload: {
        unitId: tree.plant.id,
        type: 'procedure',
        title: 'Coupling alignment',
        files: [{ sha256, name: 'alignment.txt', mediaType: 'text/plain' }],
        access: { level: 'subtree', unitId: tree.plant.id },
      },
    });
    expect(published.statusCode).toBe(200);
    const { versionId } = published.json() as { versionId: string };
    const url = `/api/library/download/${versionId}/alignment.txt`;
    const ok = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${manager}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.rawPayload.equals(body)).toBe(true);
    expect(ok.headers['content-disposition']).toContain('attachment');
    const baker = await login('lib-baker@http.test');
    for (const headers of [{}, { authorization: `Bearer ${baker}` }]) {
      const refused = await server.inject({ method: 'GET', url, headers });
      expect(refused.statusCode).toBe(404);
      expect(refused.body).not.toContain('Coupling');
    }
  });

  it('refuses an upload over the limit, or without the right, with a problem document and nothing kept', async () => {
    const manager = await login('lib-manager@http.test');
    const tmp = join(app.services.library.blobs.root, 'tmp');
    const big = await put(tree.plant.id, Buffer.alloc(20_000, 1), manager);
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({ issues: [{ field: 'file' }] });
    expect(await readdir(tmp).catch(() => [])).toEqual([]);
    const baker = await login('lib-baker@http.test');
    expect((await put(tree.plant.id, Buffer.from('x'), baker)).statusCode).toBe(403);
    expect((await put(tree.plant.id, Buffer.from('x'))).statusCode).toBe(401);
    expect((await put('u_nowhere', Buffer.from('x'), manager)).statusCode).toBe(404);
    const noUnit = await server.inject({
      method: 'PUT',
      url: '/api/library/upload',
      payload: Buffer.from('x'),
    });
    expect(noUnit.statusCode).toBe(400);
  });
});
