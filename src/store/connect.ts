// Opens the database: PGlite in $OGAS_HOME by default, PostgreSQL when a URL is given; then migrates it.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type MigrationResult, type PostgresPool } from 'kysely';
import pg from 'pg';
import { DomainError } from '../core/errors';
import type { Database } from './database';
import { MIGRATIONS } from './migrations/index';
import { copyAwarePool } from './bulk-copy';
import { lockHome } from './home-lock';
import { pgliteDialect } from './pglite-serial-dialect';

export type StoreKind = 'pglite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: StoreKind;
  /** Name of the newest applied migration. */
  schemaVersion: string;
  /** The raw PGlite client, when the store is embedded (used for bulk loads). */
  pglite?: PGlite;
  /** The raw pg pool, when the store is PostgreSQL (used for COPY). */
  pgPool?: pg.Pool;
  /**
   * The folder of the library's files: $OGAS_HOME/library (beside the embedded database, or the home
   * folder of a server on PostgreSQL), or a temporary folder for an in-memory store.
   */
  filesDir: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… to use PostgreSQL; otherwise PGlite. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; "memory://" for an in-memory database. */
  home?: string | undefined;
  /** The port a server opening the store will listen on; recorded in the folder's lock for others. */
  port?: number;
  /** A PGlite data-directory dump to start from (tests use a migrated snapshot). */
  loadDataDir?: Blob;
}

// pg returns int8 and numeric as strings; our counts fit in doubles.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openStore(options: OpenOptions = {}): Promise<Store> {
  const url = options.databaseUrl;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection the server ends (restart, admin shutdown) must not crash the process: the pool
    // drops it and the next query opens a new one.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (e) {
      await pool.end();
      throw new DomainError(
        'unavailable',
        `cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`,
        {
          fix: 'start PostgreSQL, or unset DATABASE_URL to use the embedded database',
        },
      );
    }
    // Its clients also run COPY (bulk-copy.ts), inside the transaction that asks for it.
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: copyAwarePool(pool) as unknown as PostgresPool }),
    });
    const schemaVersion = await migrate(db);
    const filesDir = filesFolder(options.home ?? process.env.OGAS_HOME ?? '.ogas');
    return { db, kind: 'postgres', schemaVersion, pgPool: pool, filesDir, close: () => db.destroy() };
  }
  const home = options.home ?? process.env.OGAS_HOME ?? '.ogas';
  let dataDir = 'memory://';
  let unlock = () => {};
  if (home !== 'memory://') {
    mkdirSync(resolve(home), { recursive: true });
    unlock = lockHome(resolve(home), options.port === undefined ? {} : { port: options.port });
    dataDir = join(resolve(home), 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: pgliteDialect(client) });
  const schemaVersion = await migrate(db);
  const close = async () => {
    await db.destroy();
    unlock();
  };
  return { db, kind: 'pglite', schemaVersion, pglite: client, filesDir: filesFolder(home), close };
}

function filesFolder(home: string): string {
  if (home === 'memory://') return mkdtempSync(join(tmpdir(), 'ogas-library-'));
  return join(resolve(home), 'library');
}

async function migrate(db: Kysely<Database>): Promise<string> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  const names = Object.keys(MIGRATIONS).sort();
  return names[names.length - 1] ?? 'none';
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
