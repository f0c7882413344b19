// Planning rounds as records: a series of rounds on an economy, each round's prices, bound, combined plan and
// gap, and every unit's proposal in every round (by hand, automatic, or kept from before).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('planning_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('economy_id', 'text', (c) => c.notNull().references('economies.id').onDelete('cascade'))
    .addColumn('economy_version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tolerance', 'double precision', (c) => c.notNull())
    .addColumn('max_rounds', 'integer', (c) => c.notNull())
    .addColumn('deadline_minutes', 'integer', (c) => c.notNull())
    .addColumn('automatic', 'jsonb', (c) => c.notNull())
    .addColumn('penalty', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('planning_rounds_economy')
    .on('planning_rounds')
    .columns(['economy_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('planning_round_steps')
    .addColumn('rounds_id', 'text', (c) => c.notNull().references('planning_rounds.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('prices', 'jsonb', (c) => c.notNull())
    .addColumn('deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('bound', 'double precision')
    .addColumn('best_bound', 'double precision')
    .addColumn('objective', 'double precision')
    .addColumn('best_objective', 'double precision')
    .addColumn('shortfall', 'double precision')
    .addColumn('gap', 'double precision')
    .addColumn('combined', 'jsonb')
    .addPrimaryKeyConstraint('planning_round_steps_pk', ['rounds_id', 'round'])
    .execute();
  await db.schema
    .createTable('planning_round_proposals')
    .addColumn('rounds_id', 'text', (c) => c.notNull().references('planning_rounds.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('point'))
    .addColumn('levels', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('planning_round_proposals_pk', ['rounds_id', 'round', 'unit_code'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('planning_round_proposals').execute();
  await db.schema.dropTable('planning_round_steps').execute();
  await db.schema.dropTable('planning_rounds').execute();
}
