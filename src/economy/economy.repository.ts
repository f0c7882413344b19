// SQL for economies and their models: the whole model is written in one transaction, in chunks.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database';
import {
  sameCoefficients,
  type EconomyModel,
  type ProductKind,
  type TechnologyCoefficients,
  type TechnologyUser,
  type TechnologyVersion,
} from './economy';
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

  /** Every version of a technology, oldest first (empty while it was never revised). */
  async technologyVersions(economyId: string, technology: string): Promise<TechnologyVersion[]> {
    const rows = await this.db
      .selectFrom('technology_versions')
      .selectAll()
      .where('economy_id', '=', economyId)
      .where('technology', '=', technology)
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  /**
   * Makes `coefficients` the technology's current version: the version it replaces is kept, dated up to `at`
   * (the imported coefficients become version 1 on the first revision), the live coefficients are rewritten
   * and the economy's version rises, all in one transaction.
   */
  async reviseTechnology(
    economyId: string,
    technology: string,
    coefficients: TechnologyCoefficients,
    at: Date,
    reason: string,
    proposalId: string | null,
    expected?: TechnologyCoefficients,
  ): Promise<Revision | null> {
    return inTransaction(this.db, async (tx) => {
      const economy = await tx
        .selectFrom('economies')
        .select(['version', 'created_at'])
        .where('id', '=', economyId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const live = await liveCoefficients(tx, economyId, technology);
      // The caller computed the change from coefficients it read earlier: refuse if they moved meanwhile.
      if (expected && !sameCoefficients(expected, live)) return null;
      const versions = await tx
        .selectFrom('technology_versions')
        .selectAll()
        .where('economy_id', '=', economyId)
        .where('technology', '=', technology)
        .orderBy('version', 'desc')
        .execute();
      let current = versions[0] ? toVersion(versions[0]) : null;
      // A model imported again since the last revision: its coefficients are a version of their own.
      if (!current || !sameCoefficients(current.coefficients, live)) {
        if (current) await closeVersion(tx, economyId, technology, current.version, at);
        const version = (current?.version ?? 0) + 1;
        await tx
          .insertInto('technology_versions')
          .values({
            economy_id: economyId,
            technology,
            version,
            valid_from: current ? at : economy.created_at,
            valid_to: null,
            coefficients: JSON.stringify(live),
            reason: current ? 'as imported again' : 'as imported',
            proposal_id: null,
            economy_version: economy.version,
          })
          .execute();
        current = { ...(current as TechnologyVersion), version, coefficients: live };
      }
      await closeVersion(tx, economyId, technology, current.version, at);
      const bumped = await tx
        .updateTable('economies')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', economyId)
        .returning('version')
        .executeTakeFirstOrThrow();
      const toVersionNumber = current.version + 1;
      await tx
        .insertInto('technology_versions')
        .values({
          economy_id: economyId,
          technology,
          version: toVersionNumber,
          valid_from: at,
          valid_to: null,
          coefficients: JSON.stringify(coefficients),
          reason,
          proposal_id: proposalId,
          economy_version: bumped.version,
        })
        .execute();
      await tx
        .deleteFrom('coefficients')
        .where('economy_id', '=', economyId)
        .where('technology', '=', technology)
        .execute();
      const rows = coefficientRows(economyId, technology, coefficients);
      if (rows.length > 0) await tx.insertInto('coefficients').values(rows).execute();
      return { fromVersion: current.version, toVersion: toVersionNumber, economyVersion: bumped.version };
    });
  }

  async technologyUsers(economyId: string, technology: string): Promise<TechnologyUser[]> {
    const rows = await this.db
      .selectFrom('technology_users')
      .select(['unit_id', 'share'])
      .where('economy_id', '=', economyId)
      .where('technology', '=', technology)
      .orderBy('unit_id')
      .execute();
    return rows.map((r) => ({ unitId: r.unit_id, share: r.share }));
  }

  /** Replaces the list of a technology's users. */
  async setTechnologyUsers(economyId: string, technology: string, users: TechnologyUser[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .deleteFrom('technology_users')
        .where('economy_id', '=', economyId)
        .where('technology', '=', technology)
        .execute();
      if (users.length > 0)
        await tx
          .insertInto('technology_users')
          .values(
            users.map((u) => ({
              economy_id: economyId,
              technology,
              unit_id: u.unitId,
              share: u.share,
            })),
          )
          .execute();
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
      skills: skills.map((s) => ({
        code: s.code,
        name: s.name,
        available: s.available,
        ...(s.unit === null ? {} : { unit: s.unit }),
      })),
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

async function liveCoefficients(
  tx: Transaction<Database>,
  economyId: string,
  technology: string,
): Promise<TechnologyCoefficients> {
  const cs = await tx
    .selectFrom('coefficients')
    .selectAll()
    .where('economy_id', '=', economyId)
    .where('technology', '=', technology)
    .orderBy('kind')
    .orderBy('item')
    .execute();
  return {
    inputs: cs.filter((c) => c.kind === 'input').map((c) => ({ product: c.item, perUnit: c.per_unit })),
    labour: cs.filter((c) => c.kind === 'labour').map((c) => ({ skill: c.item, perUnit: c.per_unit })),
    resources: cs
      .filter((c) => c.kind === 'resource')
      .map((c) => ({ resource: c.item, perUnit: c.per_unit })),
  };
}

async function closeVersion(
  tx: Transaction<Database>,
  economyId: string,
  technology: string,
  version: number,
  at: Date,
): Promise<void> {
  await tx
    .updateTable('technology_versions')
    .set({ valid_to: at })
    .where('economy_id', '=', economyId)
    .where('technology', '=', technology)
    .where('version', '=', version)
    .execute();
}

function coefficientRows(economyId: string, technology: string, t: TechnologyCoefficients) {
  return [
    ...t.inputs.map((c) => ({ kind: 'input', item: c.product, per_unit: c.perUnit })),
    ...t.labour.map((c) => ({ kind: 'labour', item: c.skill, per_unit: c.perUnit })),
    ...t.resources.map((c) => ({ kind: 'resource', item: c.resource, per_unit: c.perUnit })),
  ].map((c) => ({ economy_id: economyId, technology, ...c }));
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
    model.skills.map((s) => ({
      economy_id: e,
      code: s.code,
      name: s.name,
      available: s.available ?? null,
      unit: s.unit ?? null,
    })),
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

export interface Revision {
  fromVersion: number;
  toVersion: number;
  economyVersion: number;
}

function toVersion(r: {
  technology: string;
  version: number;
  valid_from: Date;
  valid_to: Date | null;
  coefficients: Record<string, unknown>;
  reason: string;
  proposal_id: string | null;
  economy_version: number;
}): TechnologyVersion {
  return {
    technology: r.technology,
    version: r.version,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    coefficients: r.coefficients as unknown as TechnologyCoefficients,
    reason: r.reason,
    proposalId: r.proposal_id,
    economyVersion: r.economy_version,
  };
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
