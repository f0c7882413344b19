// What a node below needs to set received targets against its indicators: the unit the plan counts each
// product in (for `compareTargetToIndicator`), and the plan's name for the Opsroom. Both are optional fields
// of the targets message, so rows from an older parent keep them null (and the comparison says why not).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_targets').addColumn('product_unit', 'text').execute();
  await db.schema.alterTable('federation_targets').addColumn('plan_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('federation_targets').dropColumn('plan_name').execute();
  await db.schema.alterTable('federation_targets').dropColumn('product_unit').execute();
}
