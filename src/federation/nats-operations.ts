// Operations over NATS: every operation of the registry answers requests on <prefix>.<operation name>, through
// the same path as HTTP (app/invoke.ts: input guard, zod, the central access check, the audit trail). The
// caller's token travels in an `Authorization: Bearer <token>` header; the reply is the result as JSON with
// header `Ogas-Status: 200`, or the same problem document HTTP sends, with its status in that header.
import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { INTERNAL_PROBLEM, problemOf, type Problem } from '../api/problem';
import { isDomainError } from '../core/errors';
import { ANONYMOUS, type Principal } from '../core/principal';

export const STATUS_HEADER = 'Ogas-Status';

function bearer(msg: Msg): string | undefined {
  const value = msg.headers?.get('authorization') ?? '';
  return /^bearer[ \t]+(\S+)[ \t]*$/i.exec(value)?.[1];
}

function problem(status: number, detail: string, fix?: string): Problem {
  return {
    type: `https://ogas.dev/problems/${status === 404 ? 'not-found' : 'invalid'}`,
    title: status === 404 ? 'Not found' : 'Invalid request',
    status,
    detail,
    ...(fix === undefined ? {} : { fix }),
  };
}

export function serveOperationsOnNats(
  app: App,
  nc: NatsConnection,
  prefix: string,
  log: Logger,
): Subscription {
  const reply = (msg: Msg, status: number, body: unknown) => {
    const h = natsHeaders();
    h.set(STATUS_HEADER, String(status));
    msg.respond(JSON.stringify(body), { headers: h });
  };
  const handle = async (msg: Msg) => {
    const name = msg.subject.slice(prefix.length + 1);
    const op = findOperation(name);
    if (!op) return reply(msg, 404, problem(404, `no operation "${name}"`, 'see `ogas --help` for the list'));
    let input: unknown = {};
    if (msg.data.length > 0) {
      try {
        input = JSON.parse(msg.string());
      } catch {
        return reply(msg, 400, problem(400, 'the request body is not JSON', 'send a JSON object'));
      }
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return reply(msg, 400, problem(400, 'the request body must be a JSON object', 'send a JSON object'));
    const token = bearer(msg);
    try {
      const principal: Principal = token ? await app.services.auth.principalFor(token) : ANONYMOUS;
      const result = await invoke(app, op, input, { principal, token, log });
      reply(msg, 200, result ?? null);
    } catch (e) {
      if (isDomainError(e)) {
        const p = problemOf(e);
        return reply(msg, p.status, p);
      }
      log.error({ err: e, operation: name }, 'operation over NATS failed');
      reply(msg, 500, INTERNAL_PROBLEM);
    }
  };
  // A queue group: several processes of one node may serve the same subjects, each request answered once.
  return nc.subscribe(`${prefix}.>`, {
    queue: `ogas-ops`,
    callback: (err, msg) => {
      if (err) return log.error({ err }, 'NATS operations subscription failed');
      void handle(msg);
    },
  });
}
