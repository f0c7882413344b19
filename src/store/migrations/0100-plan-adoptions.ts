// Plan adoptions: the planners of a unit adopt one plan of its economy; every adoption is kept (history),
// and the newest one on a unit is the plan in force there (planning/plan.service.ts adoptedPlanFor).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plan_adoptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('economy_id', 'text', (c) => c.notNull().references('economies.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('adopted_by', 'text', (c) => c.notNull())
    .addColumn('adopted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('plan_adoptions_unit')
    .on('plan_adoptions')
    .columns(['unit_id', 'adopted_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_adoptions').execute();
}
