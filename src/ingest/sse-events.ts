// GET /api/events: a server-sent-events stream of alert changes (this node's own, and those of alerts that
// climbed in from federation nodes below), filtered to the subtrees the subscriber may read, with a heartbeat so
// proxies keep the connection open and clients notice a dead one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { holds, type Principal } from '../core/principal';
import type { AlertNotice } from '../cyberstride/alert';
import type { NotificationBus } from '../cyberstride/notifications';
import type { ReadingsBus } from '../cybernet/readings-bus';
import type { RemoteAlertListener } from '../federation/federation.service';
import { problemOf } from '../api/problem';
import { DomainError, isDomainError } from '../core/errors';

export interface EventStreamOptions {
  heartbeatMs?: number;
}

/** A subscriber sees an alert when it may read the owning unit or the unit the alert has climbed to. */
export function visibleTo(principal: Principal, notice: AlertNotice): boolean {
  return holds(principal, 'read', notice.alert.unitPath) || holds(principal, 'read', notice.alert.level.path);
}

/** Where alerts from federation nodes below are announced (FederationService). */
export interface RemoteAlertSource {
  subscribeRemoteAlerts(listener: RemoteAlertListener): () => void;
}

export function mountEventStream(
  server: FastifyInstance,
  helpers: { principalOf: (req: FastifyRequest) => Promise<Principal> },
  bus: NotificationBus,
  options: EventStreamOptions = {},
  readings?: ReadingsBus,
  remoteAlerts?: RemoteAlertSource,
): void {
  server.get('/api/events', async (req, reply) => {
    let principal: Principal;
    try {
      principal = await helpers.principalOf(req);
      if (principal.kind === 'anonymous') {
        throw new DomainError('unauthenticated', 'sign in to follow alerts', { fix: 'send a bearer token' });
      }
    } catch (e) {
      if (!isDomainError(e)) throw e;
      const p = problemOf(e);
      return reply.status(p.status).type('application/problem+json').send(p);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('ready', { at: new Date().toISOString() });
    const unsubscribe = bus.subscribe((notice) => {
      if (visibleTo(principal, notice)) send('alert', notice);
    });
    // Which series grew, so open charts fetch their new readings; only series on units the subscriber reads.
    const unsubscribeReadings = readings?.subscribe((notices) => {
      const mine = notices.filter((n) => holds(principal, 'read', n.unitPath));
      if (mine.length > 0) send('readings', { readings: mine });
    });
    // An alert from a node below landed or changed: readers of the unit it landed on reload their list.
    const unsubscribeRemote = remoteAlerts?.subscribeRemoteAlerts((notice) => {
      if (holds(principal, 'read', notice.unitPath)) send('federation-alert', notice);
    });
    const beat = setInterval(
      () => send('heartbeat', { at: new Date().toISOString() }),
      options.heartbeatMs ?? 15_000,
    );
    req.raw.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      unsubscribeReadings?.();
      unsubscribeRemote?.();
    });
  });
}
