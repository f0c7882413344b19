// The services the suite drives: fails loudly (never skips) when PostgreSQL, NATS or Mosquitto is down.
import { Socket } from 'node:net';
import pg from 'pg';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => (s.destroy(), resolve(false)));
    s.connect(port, host);
  });
}

export const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Throws an error that names the missing service and how to start it. */
export async function requireServices(): Promise<string> {
  const problems: string[] = [];
  const db = process.env.TEST_DATABASE_URL;
  if (!db) problems.push('TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
  else {
    const c = new pg.Client({ connectionString: db });
    try {
      await c.connect();
      await c.end();
    } catch (e) {
      problems.push(`PostgreSQL at ${db} refuses connections: ${(e as Error).message}`);
    }
  }
  for (const [name, url] of [
    ['Mosquitto (MQTT)', MQTT_URL],
    ['NATS with JetStream', NATS_URL],
  ] as const) {
    const u = new URL(url);
    if (!(await reachable(u.hostname, Number(u.port)))) problems.push(`${name} is not reachable at ${url}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `the service suite needs PostgreSQL, NATS and Mosquitto running:\n  - ${problems.join('\n  - ')}\nstart them (see the env notes) and run again`,
    );
  }
  return db as string;
}

/** A new, empty PostgreSQL database; `drop` removes it. The URL survives an app restart. */
export async function freshDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ogas_svc_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

// Any two 32-bit keys shared by the files that take the lock: "ogas", "brk".
const SHARED_BROKERS_LOCK = [0x6f676173, 0x62726b];

/**
 * Holds the shared brokers (Mosquitto and NATS JetStream on their usual ports) for one file, until the
 * returned function releases them. The suite runs two files at once; a file whose node subscribes to every
 * reading topic there (`bootNode`: monitoring, hostile-input) would otherwise receive the other's readings
 * and quarantine or store them in the middle of its own checks ("a refusal writes nothing" included). A
 * PostgreSQL advisory lock on its own connection: it also serialises runs from other checkouts on this
 * machine, and ends with the process if a file dies holding it.
 */
export async function holdSharedBrokers(base: string): Promise<() => Promise<void>> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query('select pg_advisory_lock($1, $2)', SHARED_BROKERS_LOCK);
  return async () => {
    await c.query('select pg_advisory_unlock($1, $2)', SHARED_BROKERS_LOCK);
    await c.end();
  };
}

/** Polls until `check` returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
