// MQTT adapter: subscribes to ogas/<unit>/<indicator>[/<sourceId>] on the broker and feeds readings.submit.
// QoS 1 messages are acknowledged only after their readings are committed, so a crash loses none.
import mqtt, { type MqttClient } from 'mqtt';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { parseReadingMessage } from './reading-message';
import { submitMessage } from './submit-readings';

export interface MqttIngestOptions {
  url: string;
  /** Topic prefix (default "ogas"). */
  prefix?: string;
  /** Broker session id: with a persistent session the broker keeps QoS 1 messages while we are away. */
  clientId?: string;
  trustTopicUnit?: boolean;
  username?: string;
  password?: string;
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
  const handle = (topic: string, payload: Buffer, done: (ok: boolean) => void) => {
    chain = chain.then(async () => {
      const where = parseTopic(topic, prefix);
      try {
        if (where) {
          const { unit, ...defaults } = where;
          await submitMessage(
            ctx,
            unit,
            parseReadingMessage(payload.toString('utf8'), { unit, ...defaults }),
          );
        }
        done(true);
      } catch (e) {
        log.error({ err: e, topic }, 'MQTT reading not stored; the broker will redeliver it');
        done(false);
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
