// Series whose stored detector state could not be continued (another kind, an older shape): when their warm-up
// restarted and why, so a restart is recorded rather than failing the ingest or passing in silence.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('series_state').addColumn('restarted_at', 'timestamptz').execute();
  await db.schema.alterTable('series_state').addColumn('restart_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('series_state').dropColumn('restart_reason').execute();
  await db.schema.alterTable('series_state').dropColumn('restarted_at').execute();
}
