// GET /api/runs/<runId>/events: a long run's progress as server-sent events, for whoever may follow that run.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../app/container';
import type { RunEvent } from '../app/runs';
import type { Principal } from '../core/principal';
import { problemOf } from './problem';

/**
 * A follower is refused with a problem document before any stream starts when the run exists and is not
 * theirs. One that comes first (the Opsroom opens the stream before it starts the run) is bound to its
 * identity and checked when the run starts: refused then, it gets a `refused` event with the problem.
 */
export function mountRunEvents(
  server: FastifyInstance,
  app: App,
  principalOf: (req: FastifyRequest) => Promise<Principal>,
): void {
  server.get<{ Params: { runId: string } }>('/api/runs/:runId/events', async (req, reply) => {
    const principal = await principalOf(req);
    const res = reply.raw;
    const write = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const follower = app.services.runs.follow(req.params.runId, principal, {
      onEvent: (e: RunEvent) => {
        write(e.type, e);
        if (e.type !== 'progress') res.end();
      },
      onRefused: (reason) => {
        write('refused', problemOf(reason));
        res.end();
      },
    });
    reply.hijack();
    // The security headers set for this reply so far (CSP, nosniff, …) go out with the stream too.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    for (const e of follower.history) write(e.type, e);
    const last = follower.history[follower.history.length - 1];
    if (last && last.type !== 'progress') {
      follower.stop();
      res.end();
      return;
    }
    req.raw.on('close', () => follower.stop());
  });
}
