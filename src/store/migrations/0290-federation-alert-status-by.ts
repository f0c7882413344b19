// Who moved an alert from below to its state at this node, and when: a person acknowledging it here, or the child
// node whose revision carried the state. A node now keeps an alert's state moving forward only (a child's later
// "open" revision no longer undoes an acknowledgement made here), so the state and its actor stand apart from
// the facts of the newest revision. Rows before this migration got their state from the child.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('federation_alerts')
    .addColumn('status_by', 'text')
    .addColumn('status_at', 'timestamptz')
    .execute();
  await sql`update federation_alerts set status_by = 'system:node:' || child_node, status_at = received_at`.execute(
    db,
  );
  await sql`alter table federation_alerts alter column status_by set not null, alter column status_at set not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_alerts').dropColumn('status_by').dropColumn('status_at').execute();
}
