// What `ogas serve` starts for monitoring: the SSE route, the escalation timer (which sweeps the plan-shortfall
// checks first), and the MQTT and NATS adapters when OGAS_MQTT_URL / OGAS_NATS_URL are set.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import type { Principal } from '../core/principal';
import { startMqttIngest } from './mqtt-ingest';
import { startNatsAlerts } from './nats-alerts';
import { startNatsIngest } from './nats-ingest';
import { mountEventStream } from './sse-events';

export interface MonitoringEdges {
  /** Pass as `ServerOptions.extend`: mounts GET /api/events. */
  extend: (
    server: FastifyInstance,
    helpers: { principalOf: (req: FastifyRequest) => Promise<Principal> },
  ) => void;
  close(): Promise<void>;
}

export interface MonitoringEnv {
  OGAS_MQTT_URL?: string | undefined;
  OGAS_MQTT_TRUST_TOPIC_UNIT?: string | undefined;
  OGAS_NATS_URL?: string | undefined;
  /** Seconds between escalation passes and plan-shortfall sweeps (default 15). */
  OGAS_ESCALATE_EVERY?: string | undefined;
}

export async function startMonitoringEdges(
  app: App,
  log: Logger,
  env: MonitoringEnv = process.env,
): Promise<MonitoringEdges> {
  const closers: (() => Promise<void>)[] = [];
  // The timer calls the escalation use case directly: every climb is in the alert's timeline, and a pass
  // every few seconds through the operation layer would fill the audit trail with empty runs.
  const every = Number(env.OGAS_ESCALATE_EVERY ?? 15) * 1000;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    // Queued plan-shortfall checks are judged first, so an alert they open is on the clock at once.
    app.services.shortfalls
      .sweep()
      .then((s) => {
        if (s.opened + s.resolved > 0 || s.failed.length > 0) log.info(s, 'plan-shortfall checks swept');
        return app.services.alerts.escalate();
      })
      .then((r) => {
        if (r.steps > 0) log.info(r, 'alerts escalated');
      })
      .catch((e: unknown) => log.error({ err: e }, 'escalation pass failed'))
      .finally(() => (running = false));
  }, every);
  closers.push(async () => clearInterval(timer));

  if (env.OGAS_MQTT_URL) {
    const mqtt = await startMqttIngest(app, log, {
      url: env.OGAS_MQTT_URL,
      trustTopicUnit: env.OGAS_MQTT_TRUST_TOPIC_UNIT === '1',
    });
    closers.push(() => mqtt.close());
    log.info(`MQTT ingest on ${env.OGAS_MQTT_URL}: topics ogas/<unit>/<indicator>[/<sourceId>]`);
  } else {
    log.info('MQTT ingest is off (set OGAS_MQTT_URL, e.g. mqtt://127.0.0.1:1883, to turn it on)');
  }
  if (env.OGAS_NATS_URL) {
    const nats = await startNatsIngest(app, log, { url: env.OGAS_NATS_URL });
    const alerts = await startNatsAlerts(env.OGAS_NATS_URL, app.services.notifications);
    closers.push(
      () => nats.close(),
      () => alerts.close(),
    );
    log.info(
      `NATS ingest on ${env.OGAS_NATS_URL}: stream OGAS_READINGS (ogas.readings.<unit>), alerts on ogas.alerts.<unit>`,
    );
  } else {
    log.info('NATS ingest and alert publishing are off (set OGAS_NATS_URL, e.g. nats://127.0.0.1:4222)');
  }
  return {
    extend: (server, helpers) =>
      mountEventStream(
        server,
        helpers,
        app.services.notifications,
        {},
        app.services.readingsBus,
        app.services.federation,
      ),
    close: async () => {
      for (const c of closers.reverse()) await c();
    },
  };
}
