// SQL for economies and their models: the whole model is written in one transaction, in chunks.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database';
import type { EconomyModel, ProductKind } from './economy';
import { inTransaction } from '../store/transaction';

export interface EconomyRow {
  id: string;
  unitId: string;
  name: string;
  source: string | null;
  version: number;
  createdAt: Date;
}

const CHUNK = 2000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export class EconomyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(unitIds: string[] | 'everywhere'): Promise<EconomyRow[]> {
    let q = this.db.selectFrom('economies').selectAll().orderBy('created_at');
    if (unitIds !== 'everywhere') {
      if (unitIds.length === 0) return [];
      q = q.where('unit_id', 'in', unitIds);
    }
    return (await q.execute()).map(toRow);
  }

  async byId(id: string): Promise<EconomyRow | null> {
    const r = await this.db.selectFrom('economies').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  /** Writes a new economy, or replaces an existing one's model (bumping its version), atomically. */
  async save(
    economy: { id: string; unitId: string; name: string; source: string | null },
    model: EconomyModel,
    replace: boolean,
  ): Promise<EconomyRow> {
    return inTransaction(this.db, async (tx) => {
      if (replace) {
        for (const t of [
          'targets',
          'coefficients',
          'technologies',
          'resources',
          'skills',
          'products',
        ] as const) {
          await tx.deleteFrom(t).where('economy_id', '=', economy.id).execute();
        }
        await tx
          .updateTable('economies')
          .set((eb) => ({ version: eb('version', '+', 1), name: economy.name, source: economy.source }))
          .where('id', '=', economy.id)
          .execute();
      } else {
        await tx
          .insertInto('economies')
          .values({
            id: economy.id,
            unit_id: economy.unitId,
            name: economy.name,
            source: economy.source,
            version: 1,
          })
          .execute();
      }
      await writeModel(tx, economy.id, model);
      const row = await tx
        .selectFrom('economies')
        .selectAll()
        .where('id', '=', economy.id)
        .executeTakeFirstOrThrow();
      return toRow(row);
    });
  }

  async setTargets(economyId: string, targets: EconomyModel['targets']): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      for (const t of targets) {
        await tx
          .insertInto('targets')
          .values({ economy_id: economyId, product: t.product, period: t.period, quantity: t.quantity })
          .onConflict((oc) =>
            oc.columns(['economy_id', 'product', 'period']).doUpdateSet({ quantity: t.quantity }),
          )
          .execute();
      }
      const r = await tx
        .updateTable('economies')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', economyId)
        .returning('version')
        .executeTakeFirstOrThrow();
      return r.version;
    });
  }

  async load(economyId: string): Promise<EconomyModel | null> {
    const e = await this.byId(economyId);
    if (!e) return null;
    const [products, skills, resources, technologies, coefficients, targets] = await Promise.all([
      this.db.selectFrom('products').selectAll().where('economy_id', '=', economyId).orderBy('ord').execute(),
      this.db.selectFrom('skills').selectAll().where('economy_id', '=', economyId).orderBy('code').execute(),
      this.db
        .selectFrom('resources')
        .selectAll()
        .where('economy_id', '=', economyId)
        .orderBy('code')
        .execute(),
      this.db
        .selectFrom('technologies')
        .selectAll()
        .where('economy_id', '=', economyId)
        .orderBy('ord')
        .execute(),
      this.db.selectFrom('coefficients').selectAll().where('economy_id', '=', economyId).execute(),
      this.db
        .selectFrom('targets')
        .selectAll()
        .where('economy_id', '=', economyId)
        .orderBy('period')
        .orderBy('product')
        .execute(),
    ]);
    const byTech = new Map<string, typeof coefficients>();
    for (const c of coefficients) {
      const list = byTech.get(c.technology) ?? [];
      list.push(c);
      byTech.set(c.technology, list);
    }
    return {
      name: e.name,
      source: e.source,
      products: products.map((p) => ({
        code: p.code,
        name: p.name,
        unit: p.unit,
        kind: p.kind as ProductKind,
      })),
      skills: skills.map((s) => ({ code: s.code, name: s.name, available: s.available })),
      resources: resources.map((r) => ({ code: r.code, name: r.name, unit: r.unit, capacity: r.capacity })),
      technologies: technologies.map((t) => {
        const cs = byTech.get(t.code) ?? [];
        return {
          code: t.code,
          name: t.name,
          product: t.product,
          outputPerRun: t.output_per_run,
          inputs: cs.filter((c) => c.kind === 'input').map((c) => ({ product: c.item, perUnit: c.per_unit })),
          labour: cs.filter((c) => c.kind === 'labour').map((c) => ({ skill: c.item, perUnit: c.per_unit })),
          resources: cs
            .filter((c) => c.kind === 'resource')
            .map((c) => ({ resource: c.item, perUnit: c.per_unit })),
          capacity: t.capacity,
          valueAddedPerUnit: t.value_added_per_unit,
          unit: t.unit_code,
        };
      }),
      targets: targets.map((t) => ({ product: t.product, period: t.period, quantity: t.quantity })),
    };
  }
}

async function writeModel(tx: Transaction<Database>, economyId: string, model: EconomyModel): Promise<void> {
  const e = economyId;
  await insertChunked(
    model.products.map((p, ord) => ({
      economy_id: e,
      code: p.code,
      name: p.name,
      unit: p.unit,
      kind: p.kind,
      ord,
    })),
    (rows) => tx.insertInto('products').values(rows).execute(),
  );
  await insertChunked(
    model.skills.map((s) => ({ economy_id: e, code: s.code, name: s.name, available: s.available ?? null })),
    (rows) => tx.insertInto('skills').values(rows).execute(),
  );
  await insertChunked(
    model.resources.map((r) => ({
      economy_id: e,
      code: r.code,
      name: r.name,
      unit: r.unit,
      capacity: r.capacity,
    })),
    (rows) => tx.insertInto('resources').values(rows).execute(),
  );
  await insertChunked(
    model.technologies.map((t, ord) => ({
      economy_id: e,
      code: t.code,
      name: t.name,
      product: t.product,
      output_per_run: t.outputPerRun,
      capacity: t.capacity ?? null,
      value_added_per_unit: t.valueAddedPerUnit ?? null,
      unit_code: t.unit ?? null,
      ord,
    })),
    (rows) => tx.insertInto('technologies').values(rows).execute(),
  );
  const coefficients = model.technologies.flatMap((t) => [
    ...t.inputs.map((c) => ({
      economy_id: e,
      technology: t.code,
      kind: 'input',
      item: c.product,
      per_unit: c.perUnit,
    })),
    ...t.labour.map((c) => ({
      economy_id: e,
      technology: t.code,
      kind: 'labour',
      item: c.skill,
      per_unit: c.perUnit,
    })),
    ...t.resources.map((c) => ({
      economy_id: e,
      technology: t.code,
      kind: 'resource',
      item: c.resource,
      per_unit: c.perUnit,
    })),
  ]);
  await insertChunked(coefficients, (rows) => tx.insertInto('coefficients').values(rows).execute());
  await insertChunked(
    model.targets.map((t) => ({ economy_id: e, product: t.product, period: t.period, quantity: t.quantity })),
    (rows) => tx.insertInto('targets').values(rows).execute(),
  );
}

function toRow(r: {
  id: string;
  unit_id: string;
  name: string;
  source: string | null;
  version: number;
  created_at: Date;
}): EconomyRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    name: r.name,
    source: r.source,
    version: r.version,
    createdAt: r.created_at,
  };
}
