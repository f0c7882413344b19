// A fingerprint of everything stored: row counts and content hashes per table, to prove a refusal wrote nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from './connect';

export async function stateFingerprint(app: { store: Store }): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(app.store.db);
  const hash = createHash('sha256');
  for (const { table_name } of tables.rows) {
    // Sessions are written by sign-in, which is not a refusal; failed sign-ins are counted on purpose (the
    // lockout); everything else must stay put.
    if (table_name === 'sessions' || table_name === 'sign_in_failures') continue;
    const rows = await sql<{
      row: unknown;
    }>`select to_jsonb(t) as row from ${sql.table(table_name)} t`.execute(app.store.db);
    const lines = rows.rows.map((r) => JSON.stringify(r.row)).sort();
    hash.update(`${table_name}:${lines.length}:${lines.join('\n')}`);
  }
  return hash.digest('hex');
}
