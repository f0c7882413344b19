// What a skill's labour is counted in ("h", "persons", or "USD million" when wage costs stand in for labour),
// so that limits and the planner's explanations speak the same unit as the form that asks for them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('skills').addColumn('unit', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('skills').dropColumn('unit').execute();
}
