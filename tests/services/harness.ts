// One OGAS node on a PostgreSQL database with the real MQTT and NATS adapters, a listening HTTP server
// and a manual clock; closing and booting again on the same database is a server restart. `bootHttpNode` is
// the same node without the broker adapters, for tests of the HTTP API alone.
import type { FastifyInstance } from 'fastify';
import { buildApp, type App } from '../../src/app/container';
import { invoke } from '../../src/app/invoke';
import { findOperation, OPERATIONS } from '../../src/app/registry';
import { buildServer } from '../../src/api/server';
import type { ManualClock } from '../../src/core/clock';
import { createLogger } from '../../src/core/logger';
import { SYSTEM, type Principal } from '../../src/core/principal';
import { startMqttIngest } from '../../src/ingest/mqtt-ingest';
import { startNatsAlerts } from '../../src/ingest/nats-alerts';
import { startNatsIngest } from '../../src/ingest/nats-ingest';
import { mountEventStream } from '../../src/ingest/sse-events';
import { openStore } from '../../src/store/connect';
import { MQTT_URL, NATS_URL } from './services';

export const log = createLogger('services-test');

export interface Node {
  app: App;
  server: FastifyInstance;
  baseUrl: string;
  call(name: string, input: unknown, as?: Principal): Promise<unknown>;
  close(): Promise<void>;
}

/** `names` keep the broker session and the durable consumer across a restart of the node. */
export async function bootNode(
  databaseUrl: string,
  clock: ManualClock,
  names: { mqttClientId: string; natsDurable: string },
  /** Retry pacing of the adapters (tests of poisoned messages use a short delay). */
  ingest: { retryDelayMs?: number } = {},
): Promise<Node> {
  const store = await openStore({ databaseUrl });
  const app = buildApp(store, clock);
  const mqtt = await startMqttIngest(app, log, {
    url: MQTT_URL,
    clientId: names.mqttClientId,
    ...ingest,
  });
  const nats = await startNatsIngest(app, log, {
    url: NATS_URL,
    durable: names.natsDurable,
    deliverPolicy: 'new',
    ...ingest,
  });
  const alerts = await startNatsAlerts(NATS_URL, app.services.notifications);
  return listen(app, async () => {
    await mqtt.close();
    await nats.close();
    await alerts.close();
  });
}

/**
 * A node on PostgreSQL with the HTTP server only: no subscription to the shared brokers, so that a file using
 * it runs beside the files that do (see holdSharedBrokers in services.ts).
 */
export async function bootHttpNode(databaseUrl: string, clock: ManualClock): Promise<Node> {
  const store = await openStore({ databaseUrl });
  return listen(buildApp(store, clock), async () => undefined);
}

async function listen(app: App, closeAdapters: () => Promise<void>): Promise<Node> {
  const server = await buildServer(app, {
    operations: OPERATIONS,
    log,
    extend: (s, helpers) => mountEventStream(s, helpers, app.services.notifications, { heartbeatMs: 200 }),
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.addresses()[0] as { port: number } | undefined;
  return {
    app,
    server,
    baseUrl: `http://127.0.0.1:${address?.port ?? 0}`,
    call: (name, input, as = SYSTEM) => {
      const op = findOperation(name);
      if (!op) throw new Error(`no operation ${name}`);
      return invoke(app, op, input, { principal: as, log });
    },
    close: async () => {
      await server.close();
      await closeAdapters();
      await app.close();
    },
  };
}

/**
 * The hostile-input files' data: a root, a shop "Turbine" with `code`, its SPC indicator `temp` and a
 * machine token for the shop.
 */
export async function seedTurbine(
  node: Node,
  code: string,
): Promise<{ root: string; turbine: string; temp: string; token: string }> {
  const id = async (name: string, input: Record<string, unknown>) =>
    ((await node.call(name, input)) as { id: string }).id;
  const root = await id('holarchy.unit.create', { parentId: null, name: 'Root', kind: 'economy' });
  const turbine = await id('holarchy.unit.create', { parentId: root, name: 'Turbine', kind: 'shop', code });
  const temp = await id('indicator.create', {
    unitId: turbine,
    code: 'temp',
    name: 'Temperature',
    measure: '°C',
    aggregation: 'mean',
    detector: 'spc',
  });
  const { token } = (await node.call('auth.machine-token.issue', { unitId: turbine, name: 'plc' })) as {
    token: string;
  };
  return { root, turbine, temp, token };
}
