// Starting the HTTP edge prints no deprecation warning (Fastify 5 moved request-log settings to logController).
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { createTestApp, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

describe('HTTP server start', () => {
  let app: TestApp | undefined;
  afterAll(async () => app?.close());

  it('emits no process warning while it is built and answers', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      app = await createTestApp();
      const server = await buildServer(app, {
        operations: OPERATIONS,
        log: createLogger('test'),
        webRoot: '/nonexistent',
      });
      expect((await server.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      await server.close();
      // Node emits warnings on the next tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => `${w.name} ${(w as { code?: string }).code ?? ''}: ${w.message}`)).toEqual([]);
  });
});
