// Planning rounds of a node above, as a node below received them: the open round's prices for the units of
// its subtree that take part. A unit here answers them (`federation.rounds.propose`), and the proposal goes up
// to be recorded in the round at the node that opened it. One row per series: the newest round replaces it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_rounds')
    .addColumn('rounds_id', 'text', (c) => c.primaryKey())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('prices', 'jsonb', (c) => c.notNull())
    .addColumn('units', 'jsonb', (c) => c.notNull())
    .addColumn('rev', 'float8', (c) => c.notNull())
    .addColumn('from_node', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_rounds').execute();
}
