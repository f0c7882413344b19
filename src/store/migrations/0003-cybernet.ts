// Cybernet and Cyberstride schema: indicators, readings with their forecasts, quarantine, triple index,
// per-series detector state, alerts with their timeline, and escalation deadlines per holarchy depth.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('cadence_seconds', 'integer')
    .addColumn('good_direction', 'text', (c) => c.notNull())
    .addColumn('aggregation', 'text', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull().defaultTo(1))
    .addColumn('range_min', 'double precision')
    .addColumn('range_max', 'double precision')
    .addColumn('detector_kind', 'text', (c) => c.notNull())
    .addColumn('detector_settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('product_code', 'text')
    .addColumn('technology_code', 'text')
    .addColumn('expected', 'double precision')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('indicators_unit_code', ['unit_id', 'code'])
    .execute();

  // The primary key is the idempotence rule: a source id counts once per indicator, whatever the path.
  await db.schema
    .createTable('readings')
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('forecast_mean', 'double precision')
    .addColumn('forecast_lower', 'double precision')
    .addColumn('forecast_upper', 'double precision')
    .addColumn('score', 'double precision')
    .addColumn('change_point', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('readings_pk', ['indicator_id', 'source_id'])
    .execute();
  // A B-tree on (indicator_id, at) halved bulk-insert speed; readings arrive nearly in time order, so a BRIN
  // index on time is almost free to maintain and the primary key already narrows a query to one series.
  await sql`create index readings_at_brin on readings using brin (at)`.execute(db);

  await db.schema
    .createTable('quarantine')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('reporter_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quarantine_reporter')
    .on('quarantine')
    .columns(['reporter_unit_id', 'id'])
    .execute();

  await db.schema
    .createTable('triple_index')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('actuality', 'double precision', (c) => c.notNull())
    .addColumn('capability', 'double precision', (c) => c.notNull())
    .addColumn('potentiality', 'double precision', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('triple_index_pk', ['unit_id', 'period'])
    .execute();

  await db.schema
    .createTable('series_state')
    .addColumn('indicator_id', 'text', (c) => c.primaryKey().references('indicators.id'))
    .addColumn('detector_kind', 'text', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('readings', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_at', 'timestamptz')
    .addColumn('open_alert_id', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('level_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('level_depth', 'integer', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .addColumn('signal_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_signal_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalate_due_at', 'timestamptz')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('alerts_due').on('alerts').columns(['status', 'escalate_due_at']).execute();
  await db.schema.createIndex('alerts_unit').on('alerts').columns(['unit_id', 'status']).execute();

  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('level_unit_id', 'text', (c) => c.notNull())
    .addColumn('level_depth', 'integer', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_events_alert').on('alert_events').columns(['alert_id', 'id']).execute();

  await db.schema
    .createTable('escalation_deadlines')
    .addColumn('depth', 'integer', (c) => c.primaryKey())
    .addColumn('seconds', 'double precision', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'escalation_deadlines',
    'alert_events',
    'alerts',
    'series_state',
    'triple_index',
    'quarantine',
    'readings',
    'indicators',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
