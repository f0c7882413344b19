// A fingerprint of everything stored: row counts and content hashes per table, to prove a refusal wrote nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from './connect';

// Sessions are written by sign-in, which is not a refusal; failed sign-ins are counted on purpose (the lockout);
// everything else must stay put.
const IGNORED = new Set(['sessions', 'sign_in_failures']);

// The fuzz tests (api/fuzz-*.test.ts) take a fingerprint around every request (thousands per run). One
// statement that hashes every table inside the database costs one round trip instead of one per table, which
// made the fuzz suite 3 minutes on PGlite. The table list is read once per database: tests do not create
// tables after migrating.
const statements = new WeakMap<object, Promise<string | null>>();

// A table's content changes only in a transaction that was given an id, and every such transaction moves the
// snapshot's xmax on when it ends (commit or rollback). So while xmax stands still the last fingerprint still
// holds, and most calls (around refusals that wrote nothing) cost one tiny query.
const lastSeen = new WeakMap<object, { xmax: string; fingerprint: string }>();

async function fingerprintStatement(store: Store): Promise<string | null> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(store.db);
  const names = tables.rows.map((r) => r.table_name).filter((n) => !IGNORED.has(n));
  if (names.length === 0) return null;
  // Each table: its name, row count and the md5 of its rows as JSON text in a fixed order. Quoting by
  // format('%I') is not available here, so the names (from the catalogue, lower-case identifiers) are quoted
  // by doubling any double quote.
  return names
    .map((n) => {
      const ident = `"${n.replaceAll('"', '""')}"`;
      const literal = `'${n.replaceAll("'", "''")}'`;
      return (
        `select ${literal} as t, count(*)::text as n, ` +
        `coalesce(md5(string_agg(to_jsonb(x)::text, E'\\n' order by to_jsonb(x)::text)), '') as h ` +
        `from ${ident} x`
      );
    })
    .join(' union all ');
}

export async function stateFingerprint(app: { store: Store }): Promise<string> {
  const key = app.store.db as object;
  const xmax = (
    await sql<{ x: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as x`.execute(app.store.db)
  ).rows[0]?.x;
  const last = lastSeen.get(key);
  if (xmax !== undefined && last?.xmax === xmax) return last.fingerprint;
  const fingerprint = await hashTables(app.store, key);
  if (xmax !== undefined) lastSeen.set(key, { xmax, fingerprint });
  return fingerprint;
}

async function hashTables(store: Store, key: object): Promise<string> {
  let statement = statements.get(key);
  if (!statement) {
    statement = fingerprintStatement(store);
    statements.set(key, statement);
  }
  const text = await statement;
  const hash = createHash('sha256');
  if (text === null) return hash.digest('hex');
  const rows = await sql<{ t: string; n: string; h: string }>`${sql.raw(text)}`.execute(store.db);
  for (const r of [...rows.rows].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)))
    hash.update(`${r.t}:${r.n}:${r.h}\n`);
  return hash.digest('hex');
}
