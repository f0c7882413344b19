// MQTT adapter: subscribes to ogas/<unit>/<indicator>[/<sourceId>] on the broker and feeds readings.submit.
// QoS 1 messages are acknowledged only after their readings are committed, so a crash loses none.
import mqtt, { type MqttClient } from 'mqtt';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { parseReadingMessage } from './reading-message';
import { MAX_DELIVERIES, quarantineUndeliverable, submitMessage } from './submit-readings';

export interface MqttIngestOptions {
  url: string;
  /** Topic prefix (default "ogas"). */
  prefix?: string;
  /** Broker session id: with a persistent session the broker keeps QoS 1 messages while we are away. */
  clientId?: string;
  trustTopicUnit?: boolean;
  username?: string;
  password?: string;
  /** Attempts at a message that keeps failing before it is quarantined (default MAX_DELIVERIES). */
  maxAttempts?: number;
  /** Milliseconds between attempts (default 1000). */
  retryDelayMs?: number;
}

export interface MqttIngest {
  client: MqttClient;
  close(): Promise<void>;
}

/** Splits "ogas/<unit>/<indicator>[/<sourceId>]"; null for any other topic. */
export function parseTopic(
  topic: string,
  prefix = 'ogas',
): { unit: string; indicator: string; sourceId?: string } | null {
  const parts = topic.split('/');
  if (parts[0] !== prefix || parts.length < 3 || parts.length > 4) return null;
  const [, unit = '', indicator = '', sourceId] = parts;
  if (unit === '' || indicator === '') return null;
  return sourceId ? { unit, indicator, sourceId } : { unit, indicator };
}

export async function startMqttIngest(
  app: App,
  log: Logger,
  options: MqttIngestOptions,
): Promise<MqttIngest> {
  const prefix = options.prefix ?? 'ogas';
  const ctx = { app, log, channel: 'mqtt' as const, trustTopicUnit: options.trustTopicUnit ?? false };
  // One message at a time, in arrival order: the readings of a series reach its detector in order.
  let chain: Promise<void> = Promise.resolve();
  const maxAttempts = options.maxAttempts ?? MAX_DELIVERIES;
  // MQTT 5 brokers redeliver an unacknowledged message only on reconnect, so retries happen here: a message
  // that keeps failing is tried `maxAttempts` times, then moved to the quarantine with the reason and
  // acknowledged. Only when even that fails (the database is down) is it left to the broker.
  const handle = (topic: string, payload: Buffer, done: (ok: boolean) => void) => {
    chain = chain.then(async () => {
      const where = parseTopic(topic, prefix);
      if (!where) return done(true);
      const { unit, ...defaults } = where;
      const text = payload.toString('utf8');
      for (let attempt = 1; ; attempt++) {
        try {
          await submitMessage(ctx, unit, parseReadingMessage(text, { unit, ...defaults }));
          return done(true);
        } catch (e) {
          if (attempt < maxAttempts) {
            log.error({ err: e, topic, attempt }, 'MQTT reading not stored; trying again');
            await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 1000));
            continue;
          }
          try {
            await quarantineUndeliverable(ctx, unit, text, attempt, e);
            log.error({ err: e, topic, attempt }, 'MQTT reading kept failing; moved to the quarantine');
            return done(true);
          } catch (q) {
            log.error(
              { err: q, topic },
              'MQTT reading not stored nor quarantined; the broker will redeliver it',
            );
            return done(false);
          }
        }
      }
    });
  };
  const client = await mqtt.connectAsync(options.url, {
    clientId: options.clientId ?? 'ogas-ingest',
    // MQTT 5: acknowledgements we control, and a session the broker keeps for a week while we are away.
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 86_400 },
    reconnectPeriod: 1000,
    ...(options.username === undefined ? {} : { username: options.username, password: options.password }),
    customHandleAcks: (topic, message, _packet, cb) =>
      handle(topic, message, (ok) => (ok ? cb(0) : cb(new Error('not stored; left unacknowledged')))),
  });
  client.on('message', (topic, message, packet) => {
    if (packet.qos === 0) handle(topic, message, () => {});
  });
  client.on('error', (e) => log.error({ err: e }, 'MQTT ingest error'));
  await client.subscribeAsync([`${prefix}/+/+`, `${prefix}/+/+/+`], { qos: 1 });
  return {
    client,
    close: async () => {
      await client.endAsync();
      await chain;
    },
  };
}
