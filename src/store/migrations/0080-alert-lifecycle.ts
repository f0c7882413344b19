// Alert lifecycle per series: readings without a critical signal since the last one (an alert closes itself
// after a quiet stretch), and a flag that restarts the detector's baseline once a change is acknowledged.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('series_state')
    .addColumn('quiet_readings', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('series_state')
    .addColumn('rebaseline', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('series_state').dropColumn('rebaseline').execute();
  await db.schema.alterTable('series_state').dropColumn('quiet_readings').execute();
}
