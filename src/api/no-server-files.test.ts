// Over HTTP an operation takes uploaded content, never a server path: no operation module touches the file
// system, and a path sent in place of content reads nothing on the server.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { signedInServer } from '../testing/signed-in-server';

const SRC = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('no server file through the API', () => {
  it('only the CLI, the store, the demo loader and the static web root touch the file system', () => {
    // Each entry says why it may: none is reachable from an operation's input.
    const allowed = new Set([
      'api/server.ts', // serves the built Opsroom from its fixed folder
      'app/demo.ts', // loads the bundled demo and writes the admin password under OGAS_HOME
      'cybernet/demo-monitoring.ts', // the bundled NAB fixture for the demo
      'cli/local-files.ts', // the CLI's own machine
      'cli/main.ts',
      'cli/openapi-check.ts', // `ogas openapi --check FILE`, local
      'core/project-path.ts', // finds the project's own root (existsSync of package.json)
      // From the sources only: bundles a worker's own source files into node_modules/.cache, named by their
      // hash; the path comes from the code, never from an input.
      'core/worker-url.ts',
      // The library's file store: paths are built from a SHA-256 checked to be 64 hex digits, under its
      // own folder; an input never names a path.
      'library/blob-store.ts',
      // Reads the highs package's own highs.wasm, resolved from the package, to compile it once per process.
      'numeric/lp/highs-instance.ts',
      'store/connect.ts',
      'store/home-lock.ts',
      'store/test-store.ts',
      'federation/node-settings.ts', // the node's own settings in OGAS_HOME (ogas node init, ogas serve)
      'testing/own-nats.ts', // a test's own nats-server configuration in a temporary folder
    ]);
    const touching = sources(SRC)
      .filter((f) => !/\.(test|suite)\.ts$/.test(f))
      .filter((f) => /from 'node:fs|from 'fs|require\('(node:)?fs/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(touching.filter((f) => !allowed.has(f))).toEqual([]);
  });

  describe('over HTTP', () => {
    let app: TestApp;
    let server: FastifyInstance;
    let token: string;
    beforeAll(async () => {
      app = await createTestApp();
      const tree = await smallTree(app);
      await app.person('files@x.test', [[tree.root.id, 'admin']]);
      ({ server, token } = await signedInServer(app, 'files@x.test'));
    });
    afterAll(async () => {
      await server.close();
      await app.close();
    });

    const call = (name: string, payload: unknown) =>
      server.inject({
        method: 'POST',
        url: `/api/${name.replaceAll('.', '/')}`,
        headers: { authorization: `Bearer ${token}` },
        payload: payload as Record<string, unknown>,
      });

    it('monitor.nab refuses a server path and never reads it', async () => {
      const r = await call('monitor.nab', {
        files: [{ path: '../../../etc/passwd', csv: '/etc/passwd' }],
        windows: { '../../../etc/passwd': [] },
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).not.toMatch(/root:x?:0/);
    });

    it('monitor.evaluate treats a path as the uploaded content it is', async () => {
      for (const path of ['/etc/passwd', '/proc/self/environ', 'annotations.json']) {
        const r = await call('monitor.evaluate', { files: [{ path, content: '/etc/passwd' }] });
        expect(r.statusCode, r.body).toBeLessThan(500);
        expect(r.body).not.toMatch(/root:x?:0|PATH=|HOME=/);
      }
    });

    it('no operation takes a --nab, --tcpd or --rctab folder over HTTP', () => {
      for (const op of OPERATIONS) {
        const fields = Object.keys((op.input as { shape?: Record<string, unknown> }).shape ?? {});
        for (const local of op.cli?.local?.options ?? []) expect(fields, op.name).not.toContain(local.name);
      }
    });
  });
});
