// Federation between OGAS nodes: the child nodes a node hears from, what they reported (as mergeable partial
// aggregates, one row per child, indicator code and time bucket, kept at the child's latest revision), the
// unit codes each child serves (to route plan targets down), alerts that climbed in from below, plan targets
// received from above and their acknowledgements, the outbox of messages waiting for NATS, and the quarantine of
// messages that could not be applied.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_children')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_heard_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('federation_partials')
    .addColumn('child_node', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('bucket_seconds', 'integer', (c) => c.notNull())
    .addColumn('rev', 'float8', (c) => c.notNull())
    .addColumn('aggregation', 'text', (c) => c.notNull())
    .addColumn('sum', 'float8', (c) => c.notNull())
    .addColumn('n', 'float8', (c) => c.notNull())
    .addColumn('units', 'float8', (c) => c.notNull())
    .addColumn('sum_means', 'float8', (c) => c.notNull())
    .addColumn('weight_sum', 'float8', (c) => c.notNull())
    .addColumn('weighted_means', 'float8', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_partials_pk', ['child_node', 'code', 'bucket_start'])
    .execute();
  await db.schema
    .createTable('federation_child_units')
    .addColumn('child_node', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_child_units_pk', ['child_node', 'unit_code'])
    .execute();
  await db.schema
    .createTable('federation_alerts')
    .addColumn('origin_alert_id', 'text', (c) => c.primaryKey())
    .addColumn('child_node', 'text', (c) => c.notNull())
    .addColumn('origin_node', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('origin_unit_code', 'text')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rev', 'float8', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('forward_due_at', 'timestamptz')
    .addColumn('forwarded_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('federation_targets')
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('technology', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'float8', (c) => c.notNull())
    .addColumn('labour', 'float8', (c) => c.notNull())
    .addColumn('rev', 'float8', (c) => c.notNull())
    .addColumn('from_node', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_targets_pk', ['plan_id', 'unit_code', 'technology', 'period'])
    .execute();
  await db.schema
    .createTable('federation_target_acks')
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('child_node', 'text', (c) => c.notNull())
    .addColumn('rev', 'float8', (c) => c.notNull())
    .addColumn('stored', 'integer', (c) => c.notNull())
    .addColumn('quarantined', 'integer', (c) => c.notNull())
    .addColumn('acked_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_target_acks_pk', ['plan_id', 'child_node'])
    .execute();
  await db.schema
    .createTable('federation_outbox')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('msg_id', 'text', (c) => c.notNull().unique())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index federation_outbox_unsent on federation_outbox (id) where sent_at is null`.execute(
    db,
  );
  await db.schema
    .createTable('federation_quarantine')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('from_node', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'federation_quarantine',
    'federation_outbox',
    'federation_target_acks',
    'federation_targets',
    'federation_alerts',
    'federation_child_units',
    'federation_partials',
    'federation_children',
  ])
    await db.schema.dropTable(t).execute();
}
