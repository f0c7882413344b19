// Test databases: a fresh in-memory PGlite (from a cached migrated snapshot), or a fresh PostgreSQL database.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openStore, type Store } from './connect';
import { MIGRATIONS } from './migrations/index';

export type Backend = 'pglite' | 'postgres';

/** The backends a storage suite should run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

// Creating a PGlite cluster (initdb) costs seconds; loading a dump of an empty, migrated one is much cheaper.
// The dump is cached on disk per set of migrations and per PGlite version.
async function snapshot(): Promise<Blob> {
  const key = createHash('sha256')
    .update(Object.keys(MIGRATIONS).join(','))
    .update(
      Object.values(MIGRATIONS)
        .map((m) => m.up.toString())
        .join('\n'),
    )
    .update(PGlite.name)
    .digest('hex')
    .slice(0, 16);
  const file = join(tmpdir(), `ogas-pglite-${key}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const store = await openStore({ home: 'memory://' });
  const dump = await store.pglite!.dumpDataDir('none');
  await store.close();
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return dump;
}

export async function openTestStore(backend: Backend = 'pglite'): Promise<Store> {
  if (backend === 'pglite') return openStore({ home: 'memory://', loadDataDir: await snapshot() });
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  // TEST_DATABASE_PREFIX keeps the databases of people sharing one server apart (and easy to find).
  const prefix = (process.env.TEST_DATABASE_PREFIX ?? 'ogas_t').replace(/[^a-z0-9_]/g, '_');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), home: 'memory://' });
  return {
    ...store,
    close: async () => {
      await store.close();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}
