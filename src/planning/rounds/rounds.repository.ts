// SQL for planning rounds: the series, its rounds (steps) and the units' proposals.
import type { Kysely, Selectable } from 'kysely';
import type { Database, PlanningRoundStepTable, PlanningRoundsTable } from '../../store/database';
import { inTransaction } from '../../store/transaction';

export type RoundsStatus = 'open' | 'converged' | 'round-limit';

export interface RoundsRow {
  id: string;
  economyId: string;
  economyVersion: number;
  name: string;
  status: RoundsStatus;
  tolerance: number;
  maxRounds: number;
  deadlineMinutes: number;
  automatic: string[];
  penalty: number;
  createdBy: string;
  createdAt: Date;
}

export interface PricedValue {
  kind: string;
  code: string;
  price: number;
}

export interface StepRow {
  round: number;
  prices: PricedValue[];
  deadline: Date;
  closedAt: Date | null;
  bound: number | null;
  bestBound: number | null;
  objective: number | null;
  bestObjective: number | null;
  shortfall: number | null;
  gap: number | null;
  combined: Record<string, number> | null;
}

export interface ProposalRow {
  round: number;
  unit: string;
  source: 'initial' | 'hand' | 'automatic';
  /** 'ray': any non-negative multiple of the levels (a unit whose answer at the prices has no limit). */
  kind: 'point' | 'ray';
  levels: number[];
  submittedBy: string;
  submittedAt: Date;
}

const toRounds = (r: Selectable<PlanningRoundsTable>): RoundsRow => ({
  id: r.id,
  economyId: r.economy_id,
  economyVersion: r.economy_version,
  name: r.name,
  status: r.status as RoundsStatus,
  tolerance: r.tolerance,
  maxRounds: r.max_rounds,
  deadlineMinutes: r.deadline_minutes,
  automatic: r.automatic,
  penalty: r.penalty,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const toStep = (r: Selectable<PlanningRoundStepTable>): StepRow => ({
  round: r.round,
  prices: r.prices,
  deadline: r.deadline,
  closedAt: r.closed_at,
  bound: r.bound,
  bestBound: r.best_bound,
  objective: r.objective,
  bestObjective: r.best_objective,
  shortfall: r.shortfall,
  gap: r.gap,
  combined: r.combined,
});

export interface StepClose {
  bound: number | null;
  bestBound: number | null;
  objective: number;
  bestObjective: number | null;
  shortfall: number;
  gap: number | null;
  combined: Record<string, number>;
}

export class RoundsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: RoundsRow, first: StepRow, proposals: ProposalRow[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .insertInto('planning_rounds')
        .values({
          id: row.id,
          economy_id: row.economyId,
          economy_version: row.economyVersion,
          name: row.name,
          status: row.status,
          tolerance: row.tolerance,
          max_rounds: row.maxRounds,
          deadline_minutes: row.deadlineMinutes,
          automatic: JSON.stringify(row.automatic),
          penalty: row.penalty,
          created_by: row.createdBy,
          created_at: row.createdAt,
        })
        .execute();
      await insertProposals(tx, row.id, proposals);
      await insertStep(tx, row.id, first);
    });
  }

  async byId(id: string): Promise<RoundsRow | null> {
    const r = await this.db.selectFrom('planning_rounds').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRounds(r) : null;
  }

  async economyOf(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('planning_rounds')
      .select('economy_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.economy_id ?? null;
  }

  async list(economyId: string): Promise<RoundsRow[]> {
    const rows = await this.db
      .selectFrom('planning_rounds')
      .selectAll()
      .where('economy_id', '=', economyId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toRounds);
  }

  async steps(id: string): Promise<StepRow[]> {
    const rows = await this.db
      .selectFrom('planning_round_steps')
      .selectAll()
      .where('rounds_id', '=', id)
      .orderBy('round')
      .execute();
    return rows.map(toStep);
  }

  async proposals(id: string): Promise<ProposalRow[]> {
    const rows = await this.db
      .selectFrom('planning_round_proposals')
      .selectAll()
      .where('rounds_id', '=', id)
      .orderBy('round')
      .orderBy('unit_code')
      .execute();
    return rows.map((r) => ({
      round: r.round,
      unit: r.unit_code,
      source: r.source as ProposalRow['source'],
      kind: r.kind === 'ray' ? 'ray' : 'point',
      levels: r.levels,
      submittedBy: r.submitted_by,
      submittedAt: r.submitted_at,
    }));
  }

  /** A hand proposal replaces the unit's earlier hand proposal of the same round. */
  async putProposal(id: string, p: ProposalRow): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .deleteFrom('planning_round_proposals')
        .where('rounds_id', '=', id)
        .where('round', '=', p.round)
        .where('unit_code', '=', p.unit)
        .execute();
      await insertProposals(tx, id, [p]);
    });
  }

  /**
   * Closes a round in one transaction: its automatic proposals, its results, the series' status and penalty,
   * and the next round when there is one. Refused (false) when the round was closed meanwhile.
   */
  async close(
    id: string,
    round: number,
    closedAt: Date,
    results: StepClose,
    automatic: ProposalRow[],
    series: { status: RoundsStatus; penalty: number },
    next: StepRow | null,
  ): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const updated = await tx
        .updateTable('planning_round_steps')
        .set({
          closed_at: closedAt,
          bound: results.bound,
          best_bound: results.bestBound,
          objective: results.objective,
          best_objective: results.bestObjective,
          shortfall: results.shortfall,
          gap: results.gap,
          combined: JSON.stringify(results.combined),
        })
        .where('rounds_id', '=', id)
        .where('round', '=', round)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      await insertProposals(tx, id, automatic);
      await tx
        .updateTable('planning_rounds')
        .set({ status: series.status, penalty: series.penalty })
        .where('id', '=', id)
        .execute();
      if (next) await insertStep(tx, id, next);
      return true;
    });
  }
}

async function insertProposals(tx: Kysely<Database>, id: string, proposals: ProposalRow[]): Promise<void> {
  if (proposals.length === 0) return;
  await tx
    .insertInto('planning_round_proposals')
    .values(
      proposals.map((p) => ({
        rounds_id: id,
        round: p.round,
        unit_code: p.unit,
        source: p.source,
        kind: p.kind,
        levels: JSON.stringify(p.levels),
        submitted_by: p.submittedBy,
        submitted_at: p.submittedAt,
      })),
    )
    .execute();
}

async function insertStep(tx: Kysely<Database>, id: string, s: StepRow): Promise<void> {
  await tx
    .insertInto('planning_round_steps')
    .values({
      rounds_id: id,
      round: s.round,
      prices: JSON.stringify(s.prices),
      deadline: s.deadline,
      closed_at: s.closedAt,
      bound: s.bound,
      best_bound: s.bestBound,
      objective: s.objective,
      best_objective: s.bestObjective,
      shortfall: s.shortfall,
      gap: s.gap,
      combined: s.combined === null ? null : JSON.stringify(s.combined),
    })
    .execute();
}
