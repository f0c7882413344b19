// The facts (target, actual, share of plan) a federation node last sent up of each of its plan-shortfall alerts,
// and when: a later short reading that changes them sends an update, at most once per alert-forward interval,
// so the node above sees the episode's newest facts rather than those of its last status change.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_alert_facts')
    .addColumn('alert_id', 'text', (c) => c.primaryKey())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_alert_facts').execute();
}
