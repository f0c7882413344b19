// Which state of each of its own alerts a federation node has queued for its parent node. The notice of an
// alert reaching the node's top is handled after the alert's own transaction; a process that dies in between
// would lose it. The report pass therefore compares the node's top-level alerts with this table and queues
// every state not yet queued, writing the row in the same transaction as the outbox message.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_alert_states')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_alert_states_pk', ['alert_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_alert_states').execute();
}
