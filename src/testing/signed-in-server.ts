// The API server over a test app with every operation, and one person's token from signing in over HTTP: the
// set-up of the tests that send requests to every operation (fuzz, hostile input, no server files).
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../api/server';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { TEST_PASSWORD, type TestApp } from './test-app';

export async function signedInServer(
  app: TestApp,
  email: string,
): Promise<{ server: FastifyInstance; token: string }> {
  const server = await buildServer(app, {
    operations: OPERATIONS,
    log: createLogger('test'),
    webRoot: '/nonexistent',
  });
  const r = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: TEST_PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(`signing in ${email} answered ${r.statusCode}: ${r.body}`);
  return { server, token: (r.json() as { token: string }).token };
}
