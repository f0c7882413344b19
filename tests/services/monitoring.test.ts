// Cybernet and Cyberstride against real PostgreSQL, Mosquitto and NATS JetStream: idempotence across the
// three ways in, quarantine, escalation to the root, SSE filtering, NATS alerts, and a restart that loses nothing.
import mqtt, { type MqttClient } from 'mqtt';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import type { Principal } from '../../src/core/principal';
import type { Alert } from '../../src/cyberstride/alert';
import { createDetector } from '../../src/cyberstride/detectors/registry';
import { follow, type Stream } from '../../src/testing/sse-follow';
import { bootNode, type Node } from './harness';
import {
  eventually,
  freshDatabase,
  holdSharedBrokers,
  MQTT_URL,
  NATS_URL,
  requireServices,
} from './services';

const run = Math.random().toString(36).slice(2, 8);
const names = { mqttClientId: `ogas-test-${run}`, natsDurable: `ogas-test-${run}` };
const clock = new ManualClock('2026-03-01T08:00:00Z');
let db: { url: string; drop(): Promise<void> };
let node: Node;
let publisher: MqttClient;
let nc: NatsConnection;
let token: string;
const units: Record<string, string> = {};
let temp: string;
let turbineManager: Principal;
let bakeryManager: Principal;

const at = (minute: number) => new Date(Date.parse('2026-03-01T07:00:00Z') + minute * 60_000).toISOString();

async function createUnits() {
  const make = async (key: string, parent: string | null, kind: string) => {
    const u = (await node.call('holarchy.unit.create', {
      parentId: parent === null ? null : units[parent],
      name: key,
      kind,
      code: key,
    })) as { id: string };
    units[key] = u.id;
  };
  await make('T-ROOT', null, 'economy');
  await make('T-ENERGY', 'T-ROOT', 'sector');
  await make('T-FOOD', 'T-ROOT', 'sector');
  await make('T-PLANT', 'T-ENERGY', 'enterprise');
  await make('T-BAKE', 'T-FOOD', 'co-op');
  await make('T-TURB', 'T-PLANT', 'shop');
}

async function readings(indicatorId = temp) {
  const r = (await node.call('readings.list', { id: indicatorId, limit: 10_000 })) as {
    points: { sourceId: string; value: number; forecast: { mean: number } | null }[];
  };
  return r.points;
}
const has = (sourceId: string) => async () =>
  (await readings()).some((p) => p.sourceId === sourceId) ? true : undefined;

// Taken before the node subscribes and released after everything else closed (hooks run as a stack); the
// wait is as long as the other broker file takes, hence the timeout.
let releaseBrokers: (() => Promise<void>) | undefined;
beforeAll(async () => {
  releaseBrokers = await holdSharedBrokers(await requireServices());
}, 600_000);
afterAll(() => releaseBrokers?.());
beforeAll(async () => {
  const base = await requireServices();
  db = await freshDatabase(base);
  node = await bootNode(db.url, clock, names);
  await createUnits();
  const ind = (await node.call('indicator.create', {
    unitId: units['T-TURB'],
    code: 'temp',
    name: 'Turbine hall temperature',
    measure: '°C',
    min: -40,
    max: 200,
    aggregation: 'mean',
    detector: 'spc',
    detectorSettings: { centre: 50, sigma: 1 },
  })) as { id: string };
  temp = ind.id;
  await node.call('escalation.set', { defaultSeconds: 600, byDepth: {} });
  ({ token } = (await node.call('auth.machine-token.issue', { unitId: units['T-TURB'], name: 'plc' })) as {
    token: string;
  });
  const person = async (email: string, unit: string) => {
    const p = await node.app.services.auth.register({
      email,
      name: email,
      password: 'correct horse battery',
    });
    await node.app.services.auth.grant(p.id, units[unit] as string, 'manager');
    return node.app.services.auth.principalOf(p.id);
  };
  turbineManager = await person(`turbine-${run}@x.org`, 'T-PLANT');
  bakeryManager = await person(`bakery-${run}@x.org`, 'T-BAKE');
  publisher = await mqtt.connectAsync(MQTT_URL, { clientId: `ogas-test-pub-${run}` });
  nc = await connect({ servers: NATS_URL });
});

afterAll(async () => {
  await publisher?.endAsync();
  await node?.close();
  // The durable consumer of this run is not needed again; other runs and servers keep theirs.
  await (
    await nc?.jetstreamManager()
  )?.consumers
    .delete('OGAS_READINGS', names.natsDurable)
    .catch(() => false);
  await nc?.drain();
  await db?.drop();
});

describe('the three ways in', () => {
  it('counts a reading sent over HTTP, MQTT and NATS with one source id once', async () => {
    const reading = { indicator: 'temp', value: 50.5, at: at(0), sourceId: 'dup-1' };
    const res = await fetch(`${node.baseUrl}/api/readings/submit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unitId: units['T-TURB'], readings: [reading] }),
    });
    expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
    await publisher.publishAsync('ogas/T-TURB/temp', JSON.stringify({ ...reading, token }), { qos: 1 });
    await publisher.publishAsync(
      'ogas/T-TURB/temp/mqtt-after',
      JSON.stringify({ value: 50.1, at: at(1), token }),
      {
        qos: 1,
      },
    );
    await eventually('the MQTT reading after the duplicate', has('mqtt-after'));
    const js = nc.jetstream();
    await js.publish('ogas.readings.T-TURB', JSON.stringify({ token, readings: [reading] }));
    await js.publish(
      'ogas.readings.T-TURB',
      JSON.stringify({ token, indicator: 'temp', value: 49.8, at: at(2), sourceId: 'nats-after' }),
    );
    await eventually('the NATS reading after the duplicate', has('nats-after'));
    expect((await readings()).filter((p) => p.sourceId === 'dup-1')).toHaveLength(1);
  });

  it('quarantines a malformed MQTT message and processes the next good one', async () => {
    await publisher.publishAsync('ogas/T-TURB/temp/bad-1', JSON.stringify({ value: 'overheated!', token }), {
      qos: 1,
    });
    await publisher.publishAsync(
      'ogas/T-TURB/temp/good-1',
      JSON.stringify({ value: 50.3, at: at(3), token }),
      {
        qos: 1,
      },
    );
    await eventually('the good MQTT reading', has('good-1'));
    const q = (await node.call('readings.quarantine', { unitId: units['T-TURB'] })) as {
      entries: { reason: string; channel: string; sourceId: string | null }[];
    };
    expect(q.entries).toContainEqual(
      expect.objectContaining({ reason: 'non-numeric', channel: 'mqtt', sourceId: 'bad-1' }),
    );
  });

  it('quarantines NATS messages that are not JSON, carry no token or no number (never keeping the token), then goes on', async () => {
    const js = nc.jetstream();
    await js.publish('ogas.readings.T-TURB', '{"token": "' + token + '", "value": ');
    await js.publish(
      'ogas.readings.T-TURB',
      JSON.stringify({ indicator: 'temp', value: 50, sourceId: 'anon' }),
    );
    await js.publish(
      'ogas.readings.T-TURB',
      JSON.stringify({ token, indicator: 'temp', value: 'n/a', sourceId: 'na' }),
    );
    await js.publish(
      'ogas.readings.T-TURB',
      JSON.stringify({ token, indicator: 'temp', value: 50.2, at: at(4), sourceId: 'good-2' }),
    );
    await eventually('the good NATS reading', has('good-2'));
    const q = (await node.call('readings.quarantine', { unitId: units['T-TURB'] })) as {
      entries: { reason: string; channel: string }[];
    };
    const nats = q.entries
      .filter((e) => e.channel === 'nats')
      .map((e) => e.reason)
      .sort();
    expect(JSON.stringify(q.entries)).not.toContain(token);
    expect(nats).toEqual(['non-numeric', 'unauthenticated', 'unauthenticated']);
  });
});

describe('alerts', () => {
  let alertId: string;

  it('publishes an alert to SSE subscribers of the subtree and on NATS, and to no one else', async () => {
    // The shared test reader of GET /api/events (src/testing/sse-follow.ts), signed in as `who`.
    const followAs = async (who: Principal) => follow(node.baseUrl, (await loginAs(who)).token);
    const sub = nc.subscribe('ogas.alerts.>');
    const onNats = (async () => {
      for await (const m of sub) return JSON.parse(m.string()) as { alert: Alert };
      return null;
    })();
    const near = await followAs(turbineManager);
    const far = await followAs(bakeryManager);
    await node.call('readings.submit', {
      unitId: units['T-TURB'],
      readings: [{ indicator: 'temp', value: 58, at: at(5), sourceId: 'spike-1' }],
    });
    const names = (s: Stream) => s.events.map((e) => e.event);
    await eventually('the alert on the SSE stream', async () =>
      names(near).includes('alert') ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
    near.stop();
    far.stop();
    expect(names(far)).toContain('heartbeat');
    expect(names(far)).not.toContain('alert');
    const published = await onNats;
    expect(published?.alert.unitId).toBe(units['T-TURB']);
    alertId = published?.alert.id ?? '';
  });

  it('keeps state, detector state and the pending escalation across a restart', async () => {
    const before = await node.app.services.monitor.seriesState(temp);
    const alertBefore = (await node.call('alert.get', { id: alertId })) as Alert;
    expect(alertBefore.escalateDueAt).not.toBeNull();
    await node.close();
    node = await bootNode(db.url, clock, names);
    const after = await node.app.services.monitor.seriesState(temp);
    expect(after?.state).toEqual(before?.state);
    expect(after?.readings).toBe(before?.readings);
    expect(((await node.call('alert.get', { id: alertId })) as Alert).escalateDueAt).toEqual(
      alertBefore.escalateDueAt,
    );
    // A reading sent while the node was down (MQTT persistent session) is processed after the restart.
    await publisher.publishAsync(
      'ogas/T-TURB/temp/after-restart',
      JSON.stringify({ value: 50.4, at: at(6), token }),
      {
        qos: 1,
      },
    );
    await eventually('the reading after the restart', has('after-restart'));
    // The detector continues where it was: its forecast equals one that never stopped.
    const series = await readings();
    const d = createDetector('spc', { centre: 50, sigma: 1 });
    let s = d.initialState();
    let forecast: unknown = null;
    for (const p of series)
      ({
        state: s,
        output: { forecast },
      } = d.update(s, p.value, 0) as { state: unknown; output: { forecast: unknown } });
    expect((series[series.length - 1]?.forecast as { mean: number }).mean).toBe(
      (forecast as { mean: number }).mean,
    );
  });

  it('climbs to the root when left alone, and an acknowledged alert stops', async () => {
    clock.advance(600_000);
    await node.call('cyberstride.escalate', {});
    let a = (await node.call('alert.get', { id: alertId })) as Alert;
    expect(a.level.unitId).toBe(units['T-PLANT']);
    clock.advance(2 * 600_000);
    await node.call('cyberstride.escalate', {});
    a = (await node.call('alert.get', { id: alertId })) as Alert;
    expect(a.level).toMatchObject({ unitId: units['T-ROOT'], depth: 0 });
    await node.call('alert.resolve', { id: alertId }, turbineManager);

    await node.call('readings.submit', {
      unitId: units['T-TURB'],
      readings: [{ indicator: 'temp', value: 40, at: at(7), sourceId: 'drop-1' }],
    });
    const second = (
      (await node.call('alert.list', { unitId: units['T-TURB'] }, turbineManager)) as { alerts: Alert[] }
    ).alerts[0] as Alert;
    expect(second.id).not.toBe(alertId);
    await node.call('alert.acknowledge', { id: second.id }, turbineManager);
    clock.advance(10 * 600_000);
    await node.call('cyberstride.escalate', {});
    const stopped = (await node.call('alert.get', { id: second.id })) as Alert;
    expect(stopped).toMatchObject({ status: 'acknowledged', level: { unitId: units['T-TURB'] } });
  });
});

/** A session token for a test person (the SSE stream authenticates like every route). */
async function loginAs(p: Principal): Promise<{ token: string }> {
  if (p.kind !== 'person') throw new Error('people only');
  return (await node.call('auth.login', { email: p.email, password: 'correct horse battery' })) as {
    token: string;
  };
}
