// Economic model schema: economies, products, skills, resources, technologies, coefficients, targets.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('economies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .execute();

  const keyed = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('economy_id', 'text', (c) => c.notNull().references('economies.id').onDelete('cascade'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull());

  await keyed('products')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('products_pk', ['economy_id', 'code'])
    .execute();
  await keyed('skills')
    .addColumn('available', 'double precision')
    .addPrimaryKeyConstraint('skills_pk', ['economy_id', 'code'])
    .execute();
  await keyed('resources')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('capacity', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('resources_pk', ['economy_id', 'code'])
    .execute();
  await keyed('technologies')
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('output_per_run', 'double precision', (c) => c.notNull())
    .addColumn('capacity', 'double precision')
    .addColumn('value_added_per_unit', 'double precision')
    .addColumn('unit_code', 'text')
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('technologies_pk', ['economy_id', 'code'])
    .execute();

  await db.schema
    .createTable('coefficients')
    .addColumn('economy_id', 'text', (c) => c.notNull().references('economies.id').onDelete('cascade'))
    .addColumn('technology', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('per_unit', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('coefficients_pk', ['economy_id', 'technology', 'kind', 'item'])
    .execute();

  await db.schema
    .createTable('targets')
    .addColumn('economy_id', 'text', (c) => c.notNull().references('economies.id').onDelete('cascade'))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('targets_pk', ['economy_id', 'product', 'period'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'targets',
    'coefficients',
    'technologies',
    'resources',
    'skills',
    'products',
    'economies',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
