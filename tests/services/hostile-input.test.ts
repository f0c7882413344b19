// Hostile input on PostgreSQL through HTTP, MQTT and NATS: text the database cannot store, nesting 10,000
// deep, huge numbers. No 5xx, refusals write nothing, a bad reading is quarantined and its batch stored, and
// a message that keeps failing is delivered a bounded number of times, then quarantined. (Every operation
// under the hostile values is in hostile-operations.test.ts, on a node of its own.)
import mqtt, { type MqttClient } from 'mqtt';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { MAX_DELIVERIES } from '../../src/ingest/submit-readings';
import { stateFingerprint } from '../../src/store/state-fingerprint';
import { bootNode, seedTurbine, type Node } from './harness';
import {
  eventually,
  freshDatabase,
  holdSharedBrokers,
  MQTT_URL,
  NATS_URL,
  requireServices,
} from './services';

const run = Math.random().toString(36).slice(2, 8);
const names = { mqttClientId: `ogas-hostile-${run}`, natsDurable: `ogas-hostile-${run}` };
const clock = new ManualClock('2026-03-01T08:00:00Z');
let db: { url: string; drop(): Promise<void> };
let node: Node;
let publisher: MqttClient;
let nc: NatsConnection;
let sql: pg.Client;
let token: string;
let turbine: string;
let root: string;
let temp: string;
const code = `H${run}`.toUpperCase();

const at = (minute: number) => new Date(Date.parse('2026-03-01T07:00:00Z') + minute * 60_000).toISOString();

async function stored(sourceId: string): Promise<boolean | undefined> {
  const r = (await node.call('readings.list', { id: temp, limit: 10_000 })) as {
    points: { sourceId: string }[];
  };
  return r.points.some((p) => p.sourceId === sourceId) ? true : undefined;
}

interface Entry {
  reason: string;
  channel: string;
  message: string;
  sourceId: string | null;
  raw: unknown;
}
async function quarantined(where: (e: Entry) => boolean): Promise<Entry | undefined> {
  const r = (await node.call('readings.quarantine', { unitId: root, limit: 10_000 })) as { entries: Entry[] };
  return r.entries.find(where);
}

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
  node = await bootNode(db.url, clock, names, { retryDelayMs: 100 });
  ({ root, turbine, temp, token } = await seedTurbine(node, code));
  publisher = await mqtt.connectAsync(MQTT_URL, { clientId: `ogas-hostile-pub-${run}` });
  nc = await connect({ servers: NATS_URL });
  // A reading the database refuses every time, whatever the adapter does: a real persistent failure. The
  // sequences count the attempts, since they are not rolled back with the failed transaction.
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(`
    create sequence poison_nats; create sequence poison_mqtt;
    create function poison() returns trigger language plpgsql as $$
    begin
      if new.source_id = 'poison-nats' then perform nextval('poison_nats'); raise exception 'poisoned reading'; end if;
      if new.source_id = 'poison-mqtt' then perform nextval('poison_mqtt'); raise exception 'poisoned reading'; end if;
      return new;
    end $$;
    create trigger poison before insert on readings for each row execute function poison();`);
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await node?.close();
  await (
    await nc?.jetstreamManager()
  )?.consumers
    .delete('OGAS_READINGS', names.natsDurable)
    .catch(() => false);
  await nc?.drain();
  await sql?.end();
  await db?.drop();
});

const post = (path: string, body: string) =>
  fetch(`${node.baseUrl}/api/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });

describe('over HTTP on PostgreSQL', () => {
  it('refuses NUL, lone surrogates, deep nesting and huge numbers with a 400 naming the field, writing nothing', async () => {
    const unit = (extra: string) => `{"parentId":"${root}","name":"Mill","kind":"enterprise"${extra}}`;
    const cases: [string, string, string][] = [
      ['holarchy/unit/create', unit(',"name":"Mi\\u0000ll"'), 'name'],
      ['holarchy/unit/create', unit(',"attributes":{"a":"\\ud800"}'), 'attributes.a'],
      [
        'holarchy/unit/create',
        unit(`,"attributes":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
        'attributes.a',
      ],
      ['holarchy/unit/search', '{"q":"\\udfff"}', 'q'],
      [
        'triple-index/set',
        `{"unitId":"${turbine}","period":"2026-03","actuality":1e308,"capability":1,"potentiality":1}`,
        'actuality',
      ],
      [
        'triple-index/set',
        `{"unitId":"${turbine}","period":"2026-03","actuality":1e999,"capability":1,"potentiality":1}`,
        'actuality',
      ],
    ];
    for (const [path, body, field] of cases) {
      const before = await stateFingerprint(node.app);
      const r = await post(path, body);
      const text = await r.text();
      expect(r.status, `${path}: ${text.slice(0, 300)}`).toBe(400);
      const issues = (JSON.parse(text) as { issues?: { field: string }[] }).issues ?? [];
      expect(issues.map((i) => i.field.replace(/(\[0\])+$/, ''))).toContain(field);
      expect(await stateFingerprint(node.app)).toBe(before);
    }
  });

  it('stores the good readings of a batch and quarantines the one with a NUL', async () => {
    const body = JSON.stringify({
      unitId: turbine,
      readings: [
        { indicator: 'temp', value: 20, at: at(0), sourceId: 'http-ok-1' },
        { indicator: 'temp', value: 21, at: at(1), sourceId: 'http-bad-\u0000' },
        { indicator: 'temp', value: 22, at: at(2), sourceId: 'http-ok-2', unit: 'x\ud800' },
        { indicator: 'temp', value: 23, at: at(3), sourceId: 'http-ok-3' },
      ],
    });
    const r = await post('readings/submit', body);
    expect(r.status).toBe(200);
    const result = (await r.json()) as { accepted: number; quarantined: { index: number; reason: string }[] };
    expect(result.accepted).toBe(2);
    expect(result.quarantined.map((q) => q.index)).toEqual([1, 2]);
    expect(await quarantined((e) => e.sourceId === 'http-bad-\uFFFD')).toMatchObject({ reason: 'malformed' });
  });
});

describe('over MQTT and NATS', () => {
  it('MQTT: quarantines a reading with a NUL and stores the next one', async () => {
    await publisher.publishAsync(
      `ogas/${code}/temp`,
      `{"token":"${token}","value":30,"at":"${at(10)}","sourceId":"mqtt-bad-\\u0000"}`,
      { qos: 1 },
    );
    await publisher.publishAsync(
      `ogas/${code}/temp`,
      JSON.stringify({ token, value: 31, at: at(11), sourceId: 'mqtt-ok' }),
      { qos: 1 },
    );
    await eventually('the good MQTT reading', () => stored('mqtt-ok'));
    await eventually('the bad MQTT reading in the quarantine', () =>
      quarantined((e) => e.sourceId === 'mqtt-bad-\uFFFD' && e.channel === 'mqtt'),
    );
  });

  it('NATS: a batch with a lone surrogate stores the others; nesting 10,000 deep is quarantined, not looped', async () => {
    const js = nc.jetstream();
    await js.publish(
      `ogas.readings.${code}`,
      `{"token":"${token}","readings":[{"indicator":"temp","value":40,"at":"${at(20)}","sourceId":"nats-ok-1"},` +
        `{"indicator":"temp","value":41,"at":"${at(21)}","sourceId":"nats-bad-\\udc00"},` +
        `{"indicator":"temp","value":42,"at":"${at(22)}","sourceId":"nats-ok-2"}]}`,
    );
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    await js.publish(`ogas.readings.${code}`, `{"token":"${token}","value":${deep},"sourceId":"nats-deep"}`);
    await eventually(
      'the good NATS readings',
      async () => ((await stored('nats-ok-1')) && (await stored('nats-ok-2'))) || undefined,
    );
    await eventually('the bad NATS reading in the quarantine', () =>
      quarantined((e) => e.sourceId === 'nats-bad-\uFFFD' && e.reason === 'malformed'),
    );
    await eventually('the deep NATS message in the quarantine', () =>
      quarantined((e) => e.channel === 'nats' && e.reason === 'malformed' && /nested deeper/.test(e.message)),
    );
  });

  it('NATS: a reading the database keeps refusing is delivered at most MAX_DELIVERIES times, then quarantined', async () => {
    await nc
      .jetstream()
      .publish(
        `ogas.readings.${code}`,
        JSON.stringify({ token, indicator: 'temp', value: 1, at: at(30), sourceId: 'poison-nats' }),
      );
    const entry = await eventually('the poisoned NATS message in the quarantine', () =>
      quarantined((e) => e.reason === 'undeliverable' && e.channel === 'nats'),
    );
    expect(entry.message).toMatch(`after ${MAX_DELIVERIES} attempts`);
    expect(entry.raw).toContain('poison-nats');
    await new Promise((r) => setTimeout(r, 2000));
    const { rows } = await sql.query<{ last_value: string }>('select last_value from poison_nats');
    expect(Number(rows[0]?.last_value)).toBe(MAX_DELIVERIES);
  });

  it('MQTT: a reading the database keeps refusing is tried at most MAX_DELIVERIES times, then quarantined', async () => {
    await publisher.publishAsync(
      `ogas/${code}/temp`,
      JSON.stringify({ token, value: 1, at: at(31), sourceId: 'poison-mqtt' }),
      { qos: 1 },
    );
    const entry = await eventually('the poisoned MQTT message in the quarantine', () =>
      quarantined((e) => e.reason === 'undeliverable' && e.channel === 'mqtt'),
    );
    expect(entry.message).toMatch(`after ${MAX_DELIVERIES} attempts`);
    await publisher.publishAsync(
      `ogas/${code}/temp`,
      JSON.stringify({ token, value: 2, at: at(32), sourceId: 'mqtt-after-poison' }),
      {
        qos: 1,
      },
    );
    await eventually('the reading after the poisoned one', () => stored('mqtt-after-poison'));
    const { rows } = await sql.query<{ last_value: string }>('select last_value from poison_mqtt');
    expect(Number(rows[0]?.last_value)).toBe(MAX_DELIVERIES);
  });
});
