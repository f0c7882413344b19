// SQL for plans: inserted once, never updated.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { inTransaction } from '../store/transaction';
import type { Database, PlanTable } from '../store/database';
import type { PlanRecord } from './plan-record';

/** A transaction other capabilities' writes join (an adoption's consequences). */
export type PlanTx = Transaction<Database>;

export interface PlanRow {
  id: string;
  economyId: string;
  economyVersion: number;
  name: string;
  basePlanId: string | null;
  objective: string;
  status: string;
  objectiveValue: number | null;
  spec: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
}

function toRow(r: Selectable<PlanTable>): PlanRow {
  return {
    id: r.id,
    economyId: r.economy_id,
    economyVersion: r.economy_version,
    name: r.name,
    basePlanId: r.base_plan_id,
    objective: r.objective,
    status: r.status,
    objectiveValue: r.objective_value,
    spec: r.spec,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** One adoption of a plan by the planners of the unit that owns its economy. */
export interface AdoptionRow {
  id: string;
  planId: string;
  economyId: string;
  unitId: string;
  adoptedBy: string;
  adoptedAt: Date;
  note: string | null;
}

export class PlanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Omit<PlanRow, 'createdAt'>, record: PlanRecord, at: Date): Promise<void> {
    await this.db
      .insertInto('plans')
      .values({
        id: row.id,
        economy_id: row.economyId,
        economy_version: row.economyVersion,
        name: row.name,
        base_plan_id: row.basePlanId,
        objective: row.objective,
        status: row.status,
        objective_value: row.objectiveValue,
        spec: JSON.stringify(row.spec),
        result: JSON.stringify(record),
        created_by: row.createdBy,
        created_at: at,
      })
      .execute();
  }

  async list(economyId: string): Promise<PlanRow[]> {
    const rows = await this.db
      .selectFrom('plans')
      .select([
        'id',
        'economy_id',
        'economy_version',
        'name',
        'base_plan_id',
        'objective',
        'status',
        'objective_value',
        'spec',
        'created_by',
        'created_at',
      ])
      .where('economy_id', '=', economyId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => toRow({ ...r, result: {} }));
  }

  async byId(id: string): Promise<{ row: PlanRow; record: PlanRecord } | null> {
    const r = await this.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { row: toRow(r), record: r.result as unknown as PlanRecord } : null;
  }

  async economyOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('plans').select('economy_id').where('id', '=', id).executeTakeFirst();
    return r?.economy_id ?? null;
  }

  /** `also` runs in the adoption's transaction: what must follow an adoption commits with it or not at all. */
  async insertAdoption(a: AdoptionRow, also?: (tx: Transaction<Database>) => Promise<void>): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .insertInto('plan_adoptions')
        .values({
          id: a.id,
          plan_id: a.planId,
          economy_id: a.economyId,
          unit_id: a.unitId,
          adopted_by: a.adoptedBy,
          adopted_at: a.adoptedAt,
          note: a.note,
        })
        .execute();
      if (also) await also(tx);
    });
  }

  /** The newest adoption on each of the given units (at most one per unit). */
  async latestAdoptions(unitIds: string[]): Promise<AdoptionRow[]> {
    if (unitIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('plan_adoptions')
      .selectAll()
      .where('unit_id', 'in', unitIds)
      .orderBy('adopted_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const seen = new Set<string>();
    const out: AdoptionRow[] = [];
    for (const r of rows) {
      if (seen.has(r.unit_id)) continue;
      seen.add(r.unit_id);
      out.push({
        id: r.id,
        planId: r.plan_id,
        economyId: r.economy_id,
        unitId: r.unit_id,
        adoptedBy: r.adopted_by,
        adoptedAt: r.adopted_at,
        note: r.note,
      });
    }
    return out;
  }
}
