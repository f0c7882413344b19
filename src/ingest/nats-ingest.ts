// NATS JetStream adapter: a durable pull consumer on the OGAS_READINGS stream (subjects ogas.readings.<unit>)
// feeds readings.submit; each message is acknowledged after its readings are committed, so nothing is lost.
import { AckPolicy, DeliverPolicy, connect, type JsMsg, type NatsConnection } from 'nats';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { parseReadingMessage } from './reading-message';
import { MAX_DELIVERIES, quarantineUndeliverable, submitMessage } from './submit-readings';

export const READINGS_STREAM = 'OGAS_READINGS';
export const READINGS_SUBJECT_PREFIX = 'ogas.readings.';

export interface NatsIngestOptions {
  url: string;
  /** Durable consumer name: the stream remembers what it has delivered to it across restarts. */
  durable?: string;
  /** Messages fetched per pull. */
  batch?: number;
  /** A new durable starts from the stream's first message ('all', the default) or from now on ('new'). */
  deliverPolicy?: 'all' | 'new';
  /** Deliveries of a message that keeps failing before it is quarantined (default MAX_DELIVERIES). */
  maxDeliver?: number;
  /** Milliseconds before a failed message is delivered again (default 1000). */
  retryDelayMs?: number;
}

export interface NatsIngest {
  connection: NatsConnection;
  close(): Promise<void>;
}

/** Creates the stream and the durable consumer when they do not exist yet (idempotent). */
export async function ensureReadingsStream(
  nc: NatsConnection,
  durable: string,
  deliverPolicy: 'all' | 'new' = 'all',
  maxDeliver = MAX_DELIVERIES,
): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(READINGS_STREAM);
  } catch {
    await jsm.streams.add({ name: READINGS_STREAM, subjects: [`${READINGS_SUBJECT_PREFIX}>`] });
  }
  let existing: { config: { max_deliver?: number } } | null = null;
  try {
    existing = await jsm.consumers.info(READINGS_STREAM, durable);
  } catch {
    await jsm.consumers.add(READINGS_STREAM, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      filter_subject: `${READINGS_SUBJECT_PREFIX}>`,
      ack_wait: 30_000_000_000,
      max_deliver: maxDeliver,
    });
  }
  // A durable made by an older version redelivers without end: bound it too.
  if (existing !== null && existing.config.max_deliver !== maxDeliver) {
    await jsm.consumers.update(READINGS_STREAM, durable, { max_deliver: maxDeliver });
  }
}

export async function startNatsIngest(
  app: App,
  log: Logger,
  options: NatsIngestOptions,
): Promise<NatsIngest> {
  const durable = options.durable ?? 'ogas-ingest';
  const nc = await connect({ servers: options.url, name: 'ogas-ingest' });
  const maxDeliver = options.maxDeliver ?? MAX_DELIVERIES;
  await ensureReadingsStream(nc, durable, options.deliverPolicy, maxDeliver);
  const consumer = await nc.jetstream().consumers.get(READINGS_STREAM, durable);
  const ctx = { app, log, channel: 'nats' as const, trustTopicUnit: false };
  let stopped = false;
  // The consumer's max_deliver stops redelivery; the last failed delivery moves the message to the
  // quarantine with the reason and terminates it, so a poisoned message is neither lost nor looped.
  const failed = async (m: JsMsg, unit: string, e: unknown) => {
    const attempts = m.info.deliveryCount;
    if (attempts < maxDeliver) {
      log.error({ err: e, subject: m.subject, attempts }, 'NATS reading not stored; it will be redelivered');
      m.nak(options.retryDelayMs ?? 1000);
      return;
    }
    try {
      await quarantineUndeliverable(ctx, unit, m.string(), attempts, e);
      log.error(
        { err: e, subject: m.subject, attempts },
        'NATS reading kept failing; moved to the quarantine',
      );
      m.term();
    } catch (q) {
      // The database is down too: the stream keeps the message (unacknowledged), the log says where.
      log.error(
        { err: q, subject: m.subject, seq: m.seq, attempts },
        'NATS reading kept failing and could not be quarantined; it stays in the stream',
      );
      m.nak(options.retryDelayMs ?? 1000);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        const messages = await consumer.fetch({ max_messages: options.batch ?? 500, expires: 1000 });
        for await (const m of messages) {
          const unit = m.subject.slice(READINGS_SUBJECT_PREFIX.length);
          try {
            await submitMessage(ctx, unit, parseReadingMessage(m.string(), { unit }));
            m.ack();
          } catch (e) {
            await failed(m, unit, e);
          }
        }
      } catch (e) {
        // The server went away or the pull failed: unacknowledged messages stay in the stream; try again.
        if (stopped) return;
        log.error({ err: e }, 'NATS pull failed; retrying in a second');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    connection: nc,
    close: async () => {
      stopped = true;
      await loop;
      await nc.drain();
    },
  };
}
