// An alert that climbed in from a child node keeps its kind and, for a plan-shortfall alert, the facts its
// origin judged it by (plan, target, actual, share of plan): the node above shows it as a shortfall rather than
// as plain text. Rows from before, and messages from older nodes, have neither (null: a detector's alert).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('federation_alerts')
    .addColumn('kind', 'text')
    .addColumn('shortfall', 'jsonb')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_alerts').dropColumn('shortfall').dropColumn('kind').execute();
}
