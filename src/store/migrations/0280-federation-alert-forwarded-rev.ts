// The revision of an alert from below that this node last passed on to its parent node. An alert that already
// climbed on must keep climbing with its later revisions (acknowledged, resolved, newer facts), each once; one
// that never climbed on waits for its forward interval as before. Rows forwarded before this migration count as
// forwarded at the revision they hold, so nothing is sent again for them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_alerts').addColumn('forwarded_rev', 'float8').execute();
  await sql`update federation_alerts set forwarded_rev = rev where forwarded_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_alerts').dropColumn('forwarded_rev').execute();
}
