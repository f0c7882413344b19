// A federation node at run time (the NATS edge of federation.service): the two JetStream streams, this node's
// durable consumers (children's reports up, its parent's targets down), the outbox sender, the report timer,
// alerts that reach the top, and the operations served over NATS.
//
// Nothing is lost: what this node sends goes first into its database (the outbox) and leaves it only once
// JetStream has confirmed it (with a message id, so a resend after a crash is dropped by the stream's
// duplicate window); what it receives is acknowledged only after it is stored, so a crash before that gets it
// delivered again. Nothing counts twice: reports and alerts are states at a revision, and a replay of an
// older or equal revision changes nothing.
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  connect,
  type JetStreamClient,
  type NatsConnection,
} from 'nats';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { natsAuth, type NodeSettings } from './node-settings';
import { serveOperationsOnNats } from './nats-operations';
import { downDurable, downFilter, senderOfUp, streamNames, upDurable, upFilter } from './subjects';

const DAY_NS = 24 * 3600 * 1e9;

export interface FederationNode {
  /** Resolves once the node has joined NATS and its consumers run. */
  joined: Promise<void>;
  close(): Promise<void>;
}

/** Creates the streams when missing and allowed (a node without the right finds them made by an admin). */
export async function ensureFederationStreams(nc: NatsConnection, prefix: string, log?: Logger) {
  const jsm = await nc.jetstreamManager();
  const names = streamNames(prefix);
  for (const [name, subject] of [
    [names.up, `${prefix}.up.>`],
    [names.down, `${prefix}.down.>`],
  ] as const) {
    try {
      await jsm.streams.info(name);
    } catch {
      try {
        await jsm.streams.add({
          name,
          subjects: [subject],
          retention: RetentionPolicy.Limits,
          storage: StorageType.File,
          // Long enough for a node offline for two weeks to catch up from the stream alone.
          max_age: 14 * DAY_NS,
          duplicate_window: 10 * 60 * 1e9,
        });
      } catch (e) {
        log?.error({ err: e, stream: name }, 'federation stream missing and could not be created');
        throw e;
      }
    }
  }
}

async function ensureConsumer(
  nc: NatsConnection,
  stream: string,
  durable: string,
  filter: string,
  apiPrefix?: string,
) {
  // Through a partner's link the API is reached under the link prefix, and the account API is not there.
  const jsm = await nc.jetstreamManager(apiPrefix === undefined ? {} : { apiPrefix, checkAPI: false });
  try {
    await jsm.consumers.info(stream, durable);
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: 30 * 1e9,
    });
  }
}

export interface NodeRuntimeOptions {
  /** Milliseconds between passes of the outbox sender (default 200). */
  sendEveryMs?: number;
  /** Serve the registry's operations on <opsPrefix>.<name> (default true). */
  operations?: boolean;
}

export async function startFederationNode(
  app: App,
  settings: NodeSettings,
  log: Logger,
  options: NodeRuntimeOptions = {},
): Promise<FederationNode> {
  const federation = app.services.federation;
  federation.configure(settings);
  let stopped = false;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The node serves its own users whether NATS is there or not: it joins in the background, retrying, and
  // meanwhile what it has to send waits in its outbox.
  let nc: NatsConnection | null = null;
  const loops: Promise<void>[] = [];
  let unsubscribe = () => {};
  let ops: { unsubscribe(): void } | null = null;
  let linkConn: NatsConnection | null = null;
  const joined = (async () => {
    while (!stopped && nc === null) {
      try {
        nc = await connect({
          servers: settings.natsUrl,
          name: `ogas-node-${settings.nodeId}`,
          ...natsAuth(settings),
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          // Each node's replies come on its own inbox prefix, which the NATS permissions give to it alone.
          inboxPrefix: `_INBOX.${settings.nodeId}`,
        });
      } catch (e) {
        log.warn({ err: e }, `NATS at ${settings.natsUrl} not reachable; retrying`);
        await sleep(1000);
      }
    }
    if (stopped || nc === null) return;
    const conn: NatsConnection = nc;
    const names = streamNames(settings.prefix);
    // The streams are made by the central node (or an admin); a node below waits until they exist.
    for (;;) {
      if (stopped) return;
      try {
        await ensureFederationStreams(conn, settings.prefix);
        await ensureConsumer(
          conn,
          names.up,
          upDurable(settings.nodeId),
          upFilter(settings.prefix, settings.nodeId),
        );
        if (settings.parent !== null)
          await ensureConsumer(
            conn,
            names.down,
            downDurable(settings.nodeId),
            downFilter(settings.prefix, settings.nodeId),
          );
        break;
      } catch (e) {
        log.warn({ err: e }, 'federation streams not ready; retrying');
        await sleep(1000);
      }
    }
    const js = conn.jetstream();
    const consume = (
      stream: string,
      durable: string,
      senderOf: (subject: string) => string | undefined,
      from: JetStreamClient = js,
    ) =>
      (async () => {
        const consumer = await from.consumers.get(stream, durable);
        while (!stopped) {
          try {
            const batch = await consumer.fetch({ max_messages: 200, expires: 1000 });
            for await (const m of batch) {
              try {
                await federation.receive(m.subject, m.string(), senderOf(m.subject));
                m.ack();
              } catch (e) {
                // The database failed: the stream keeps the message and delivers it again.
                log.error({ err: e, subject: m.subject }, 'federation message not stored; redelivering');
                m.nak(1000);
              }
            }
          } catch (e) {
            if (stopped) return;
            log.warn({ err: e, durable }, 'federation pull failed; retrying');
            await sleep(1000);
          }
        }
      })();
    loops.push(
      consume(names.up, upDurable(settings.nodeId), (s) => senderOfUp(settings.prefix, s) ?? undefined),
    );
    if (settings.parent !== null)
      loops.push(consume(names.down, downDurable(settings.nodeId), () => undefined));
    const link = settings.parentLink;
    let linkJs: JetStreamClient | null = null;
    if (link) {
      // A partner federation's central joins the other federation through its own account's imports.
      const linkNc = await joinLink(settings, () => stopped, log);
      if (linkNc) {
        linkConn = linkNc;
        const apiPrefix = `${link.linkPrefix}.API`;
        const down = streamNames(link.prefix).down;
        for (;;) {
          if (stopped) return;
          try {
            await ensureConsumer(
              linkNc,
              down,
              downDurable(link.as),
              downFilter(link.prefix, link.as),
              apiPrefix,
            );
            break;
          } catch (e) {
            log.warn({ err: e }, 'the link into the other federation is not ready; retrying');
            await sleep(1000);
          }
        }
        linkJs = linkNc.jetstream({ apiPrefix });
        loops.push(consume(down, downDurable(link.as), () => undefined, linkJs));
      }
    }
    const linkJsNow = linkJs;
    loops.push(
      sendOutbox(
        app,
        (subject) => (link !== undefined && subject.startsWith(`${link.linkPrefix}.`) ? linkJsNow : js),
        () => stopped,
        log,
        options.sendEveryMs ?? 200,
      ),
    );
    ops = options.operations === false ? null : serveOperationsOnNats(app, conn, settings.opsPrefix, log);
    log.info(
      `federation node ${settings.nodeId} (parent ${settings.parent ?? 'none'}) joined ${settings.natsUrl}; operations on ${settings.opsPrefix}.<name>`,
    );
  })();

  // Reports and alerts are queued in the database whether NATS is reachable or not.
  loops.push(
    (async () => {
      while (!stopped) {
        try {
          await federation.queueReport();
          await federation.sweepAlerts();
          await federation.forwardDueAlerts();
        } catch (e) {
          log.error({ err: e }, 'federation report pass failed');
        }
        await sleep(settings.reportEverySeconds * 1000);
      }
    })(),
  );
  unsubscribe = app.services.notifications.subscribe((notice) => {
    void (async () => {
      const unit = await app.services.holarchy.get(notice.alert.unitId);
      await federation.onAlert(notice, unit.code);
    })().catch((e: unknown) => log.error({ err: e }, 'alert not queued for the parent node'));
  });

  return {
    joined,
    close: async () => {
      stopped = true;
      unsubscribe();
      await joined;
      ops?.unsubscribe();
      await Promise.all(loops);
      const conn = nc as NatsConnection | null;
      if (conn) await conn.drain();
      const lc = linkConn as NatsConnection | null;
      if (lc) await lc.drain();
      federation.configure(null);
    },
  };
}

/** Connects a partner's central to the federation it joined (retrying until it can, or it stops). */
async function joinLink(
  settings: NodeSettings,
  stopped: () => boolean,
  log: Logger,
): Promise<NatsConnection | null> {
  const link = settings.parentLink!;
  while (!stopped()) {
    try {
      return await connect({
        servers: link.natsUrl,
        name: `ogas-link-${settings.nodeId}-as-${link.as}`,
        ...natsAuth(link),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        inboxPrefix: `_INBOX.${settings.nodeId}`,
      });
    } catch (e) {
      log.warn({ err: e }, `the federation joined at ${link.natsUrl} is not reachable; retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return null;
}

/** Publishes the outbox in order; a row leaves it only when JetStream confirmed the message. */
async function sendOutbox(
  app: App,
  jsFor: (subject: string) => JetStreamClient | null,
  stopped: () => boolean,
  log: Logger,
  everyMs: number,
): Promise<void> {
  const store = app.services.federation.outbox();
  while (!stopped()) {
    try {
      const rows = await store.unsent(500);
      const sent: number[] = [];
      try {
        // Confirmations are awaited together: one round trip per batch, not per message.
        const acks = await Promise.allSettled(
          rows.map((r) => {
            const js = jsFor(r.subject);
            return js === null
              ? Promise.reject(new Error(`no connection for ${r.subject}`))
              : js.publish(r.subject, r.body, { msgID: r.msgId, timeout: 10_000 });
          }),
        );
        acks.forEach((a, k) => {
          if (a.status === 'fulfilled') sent.push(rows[k]!.id);
        });
        const failed = acks.find((a) => a.status === 'rejected');
        if (failed) log.warn({ err: failed.reason }, 'federation messages not confirmed; they stay queued');
      } finally {
        await store.markSent(sent, new Date());
      }
      if (rows.length === 500 && sent.length === rows.length) continue;
    } catch (e) {
      log.error({ err: e }, 'federation outbox pass failed');
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
