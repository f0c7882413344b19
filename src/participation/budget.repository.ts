// SQL of participatory budgets and priorities votes: the budget rows and their projects.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { BudgetProjectTable, BudgetTable, Database } from '../store/database';
import { reachCondition, type Reach } from '../store/reach-filter';
import { inTransaction } from '../store/transaction';
import type {
  BudgetProject,
  BudgetRecord,
  BudgetResult,
  BudgetSettings,
  BudgetStatus,
  PrioritiesResult,
  PriorityGroup,
  ProjectItem,
} from './budget';

export type BudgetTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

function toBudget(r: Selectable<BudgetTable>): BudgetRecord {
  return {
    id: r.id,
    kind: r.kind as BudgetRecord['kind'],
    unitId: r.unit_id,
    economyId: r.economy_id,
    name: r.name,
    status: r.status as BudgetStatus,
    settings: r.settings as unknown as BudgetSettings,
    groups: r.groups as unknown as PriorityGroup[],
    voteId: r.vote_id,
    result: r.result as unknown as BudgetResult | PrioritiesResult | null,
    planId: r.plan_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

function toProject(r: Selectable<BudgetProjectTable>): BudgetProject {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    items: r.items as unknown as ProjectItem[],
    cost: r.cost,
    status: r.status as BudgetProject['status'],
    proposedBy: r.proposed_by,
    review: r.review,
    createdAt: r.created_at,
  };
}

export class BudgetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: BudgetTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async insert(tx: Db, b: BudgetRecord): Promise<void> {
    await tx
      .insertInto('budgets')
      .values({
        id: b.id,
        kind: b.kind,
        unit_id: b.unitId,
        economy_id: b.economyId,
        name: b.name,
        status: b.status,
        settings: JSON.stringify(b.settings),
        groups: JSON.stringify(b.groups),
        vote_id: b.voteId,
        result: b.result === null ? null : JSON.stringify(b.result),
        plan_id: b.planId,
        created_by: b.createdBy,
        created_at: b.createdAt,
        closed_at: b.closedAt,
      })
      .execute();
  }

  async byId(id: string, db: Db = this.db, lock = false): Promise<BudgetRecord | null> {
    let q = db.selectFrom('budgets').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toBudget(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('budgets').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  /** Budgets of an economy, or everywhere the reader reaches, newest first. */
  async list(reach: Reach, economyId?: string): Promise<BudgetRecord[]> {
    let q = db(this.db);
    if (economyId !== undefined) q = q.where('budgets.economy_id', '=', economyId);
    const cond = reachCondition(reach);
    if (cond !== null) q = q.where(cond);
    const rows = await q.orderBy('budgets.created_at', 'desc').limit(500).execute();
    return rows.map(toBudget);
  }

  async setVote(tx: Db, id: string, voteId: string): Promise<void> {
    await tx.updateTable('budgets').set({ vote_id: voteId, status: 'voting' }).where('id', '=', id).execute();
  }

  async setClosed(tx: Db, id: string, result: BudgetResult | PrioritiesResult, at: Date): Promise<void> {
    await tx
      .updateTable('budgets')
      .set({ status: 'closed', result: JSON.stringify(result), closed_at: at })
      .where('id', '=', id)
      .execute();
  }

  async setPlan(id: string, planId: string): Promise<void> {
    await this.db.updateTable('budgets').set({ plan_id: planId }).where('id', '=', id).execute();
  }

  async insertProject(tx: Db, budgetId: string, p: BudgetProject): Promise<void> {
    const last = await tx
      .selectFrom('budget_projects')
      .select((eb) => eb.fn.max('position').as('m'))
      .where('budget_id', '=', budgetId)
      .executeTakeFirst();
    await tx
      .insertInto('budget_projects')
      .values({
        budget_id: budgetId,
        id: p.id,
        position: Number(last?.m ?? 0) + 1,
        name: p.name,
        description: p.description,
        items: JSON.stringify(p.items),
        cost: p.cost,
        status: p.status,
        proposed_by: p.proposedBy,
        review: p.review,
        created_at: p.createdAt,
      })
      .execute();
  }

  async projectCount(tx: Db, budgetId: string): Promise<number> {
    const r = await tx
      .selectFrom('budget_projects')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('budget_id', '=', budgetId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async review(
    tx: Db,
    budgetId: string,
    id: string,
    change: { status: BudgetProject['status']; review: string | null; items?: ProjectItem[]; cost?: number },
  ): Promise<boolean> {
    const r = await tx
      .updateTable('budget_projects')
      .set({
        status: change.status,
        review: change.review,
        ...(change.items ? { items: JSON.stringify(change.items) } : {}),
        ...(change.cost === undefined ? {} : { cost: change.cost }),
      })
      .where('budget_id', '=', budgetId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async projects(budgetId: string, db: Db = this.db): Promise<BudgetProject[]> {
    const rows = await db
      .selectFrom('budget_projects')
      .selectAll()
      .where('budget_id', '=', budgetId)
      .orderBy('position')
      .execute();
    return rows.map(toProject);
  }
}

function db(k: Kysely<Database>) {
  return k.selectFrom('budgets').innerJoin('units', 'units.id', 'budgets.unit_id').selectAll('budgets');
}
