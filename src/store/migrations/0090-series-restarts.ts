// Series whose stored detector state could not be continued (another kind, an older shape): when their warm-up
// restarted and why, so a restart is recorded rather than failing the ingest or passing in silence. The quiet
// stretch that closes an alert becomes a span of time: readings counted so far become seconds at five minutes
// a reading (the interval the count assumed).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('series_state').addColumn('restarted_at', 'timestamptz').execute();
  await db.schema.alterTable('series_state').addColumn('restart_reason', 'text').execute();
  await db.schema.alterTable('series_state').renameColumn('quiet_readings', 'quiet_seconds').execute();
  await sql`update series_state set quiet_seconds = quiet_seconds * 300`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update series_state set quiet_seconds = quiet_seconds / 300`.execute(db);
  await db.schema.alterTable('series_state').renameColumn('quiet_seconds', 'quiet_readings').execute();
  await db.schema.alterTable('series_state').dropColumn('restart_reason').execute();
  await db.schema.alterTable('series_state').dropColumn('restarted_at').execute();
}
