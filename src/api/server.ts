// The HTTP edge: mounts every operation as a route, maps errors to problem documents, serves the Opsroom.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { App } from '../app/container';
import { invoke } from '../app/invoke';
import { isDomainError } from '../core/errors';
import type { AnyOperation } from '../core/operation';
import { ANONYMOUS, type Principal } from '../core/principal';
import { requestToken, SESSION_COOKIE } from './credentials';
import { registerJsonBody } from './json-body';
import { registerGuessLimits, type GuessLimits } from './guess-limits';
import { openApiDocument, routeOf } from './openapi';
import { refuseForeignOrigin } from './origin-check';
import { clientProblem, INTERNAL_PROBLEM, problemOf } from './problem';
import { mountLibraryFiles } from './library-files';
import { mountRunEvents } from './run-events';
import { registerSecurityHeaders } from './security-headers';
import { queryInput } from './query-input';

export interface ServerOptions {
  operations: readonly AnyOperation[];
  log: Logger;
  /** Folder of the built Opsroom; served at / when it exists. */
  webRoot?: string;
  version?: string;
  /** Limits on sign-in and other guessable operations (defaults: GUESS_LIMITS). */
  guessLimits?: GuessLimits;
  /** Extra routes (event streams) mounted by other edges. */
  extend?: (
    server: FastifyInstance,
    helpers: { principalOf: (req: FastifyRequest) => Promise<Principal> },
  ) => void;
}

export async function buildServer(app: App, options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    bodyLimit: 64 * 1024 * 1024,
    // Operations log what matters themselves; Fastify 5 takes this through logController (FSTDEP023).
    logController: new LogController({ disableRequestLogging: true }),
    // Event streams stay open; closing must not wait for them, or SIGTERM never ends the process.
    forceCloseConnections: true,
  });
  await server.register(cookie);
  registerJsonBody(server);
  await registerSecurityHeaders(server);
  server.addHook('onRequest', async (req) => refuseForeignOrigin(req));
  const guardOf = await registerGuessLimits(server, options.guessLimits);

  const principalOf = async (req: FastifyRequest): Promise<Principal> => {
    const token = requestToken(req);
    return token ? app.services.auth.principalFor(token) : ANONYMOUS;
  };

  server.setErrorHandler((error: unknown, req, reply) => {
    if (isDomainError(error)) {
      const p = problemOf(error);
      const wait = error.kind === 'rate-limited' ? error.data?.retryAfterSeconds : undefined;
      if (typeof wait === 'number') reply.header('retry-after', String(wait));
      return reply.status(p.status).type('application/problem+json').send(p);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const p = clientProblem(status, (error as Error).message);
      return reply.status(status).type('application/problem+json').send(p);
    }
    req.log.error({ err: error, url: req.url }, 'internal error');
    return reply.status(500).type('application/problem+json').send(INTERNAL_PROBLEM);
  });

  const handle = (op: AnyOperation) => async (req: FastifyRequest, reply: FastifyReply) => {
    const token = requestToken(req);
    const principal = await principalOf(req);
    const input = req.method === 'GET' ? queryInput(op, req.query) : req.body;
    if (req.method !== 'GET' && (typeof input !== 'object' || input === null || Array.isArray(input))) {
      const p = clientProblem(400, 'the request body must be a JSON object');
      return reply.status(400).type('application/problem+json').send(p);
    }
    const abort = new AbortController();
    req.raw.on('close', () => {
      if (!reply.sent) abort.abort();
    });
    const result = await invoke(app, op, input, { principal, token, log: options.log, signal: abort.signal });
    if (op.name === 'auth.login') {
      const { token: secret, expiresAt } = result as { token: string; expiresAt: Date };
      reply.setCookie(SESSION_COOKIE, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        expires: expiresAt,
      });
    }
    if (op.name === 'auth.logout') reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.send(result);
  };

  for (const op of options.operations) {
    const guard = guardOf(op);
    const route = guard ? { preHandler: guard } : {};
    server.post(routeOf(op), route, handle(op));
    if (op.kind === 'query') server.get(routeOf(op), route, handle(op));
    if (op.httpGet) server.get(op.httpGet, route, handle(op));
  }

  mountRunEvents(server, app, principalOf);
  mountLibraryFiles(server, app, principalOf);

  const doc = openApiDocument(options.operations, options.version ?? '0.1.0');
  server.get('/api/openapi.json', async () => doc);
  options.extend?.(server, { principalOf });

  const webRoot = options.webRoot ?? resolve('web/dist');
  if (existsSync(webRoot)) {
    await server.register(fastifyStatic, { root: webRoot, wildcard: false });
    server.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) {
        return reply
          .status(404)
          .type('application/problem+json')
          .send({
            ...clientProblem(404, `no route ${req.method} ${req.url}`),
            title: 'Not found',
            fix: 'see /api/openapi.json',
          });
      }
      return reply.sendFile('index.html');
    });
  } else {
    server.setNotFoundHandler((req, reply) =>
      reply
        .status(404)
        .type('application/problem+json')
        .send({
          ...clientProblem(404, `no route ${req.method} ${req.url}`),
          title: 'Not found',
          fix: 'see /api/openapi.json',
        }),
    );
  }
  return server;
}
