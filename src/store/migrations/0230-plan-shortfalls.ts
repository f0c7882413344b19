// Plan-shortfall alerts: the outbox of indicators whose standing against the plan must be looked at again (a
// reading arrived, a plan was adopted), the one open shortfall episode of each indicator, and the tolerances
// units set for how far below the plan an actual may fall before an alert opens.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plan_shortfall_checks')
    .addColumn('indicator_id', 'text', (c) => c.primaryKey().references('indicators.id'))
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('plan_shortfalls')
    .addColumn('indicator_id', 'text', (c) => c.primaryKey().references('indicators.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull().unique().references('alerts.id'))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // indicator_id '' is the unit's own setting for all its indicators (and those of the units below it).
  await db.schema
    .createTable('plan_shortfall_settings')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tolerance', 'double precision', (c) => c.notNull())
    .addColumn('window_readings', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('plan_shortfall_settings_pk', ['unit_id', 'indicator_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_shortfall_settings').execute();
  await db.schema.dropTable('plan_shortfalls').execute();
  await db.schema.dropTable('plan_shortfall_checks').execute();
}
