// SQL of decisions: written when a vote closes or an assembly records one, read by any capability.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DecisionTable } from '../store/database';
import type { Decision } from './decision';
import { reachCondition } from '../store/reach-filter';

type Db = Kysely<Database> | Transaction<Database>;

function toDecision(r: Selectable<DecisionTable>): Decision {
  return {
    id: r.id,
    unitId: r.unit_id,
    kind: r.kind,
    title: r.title,
    outcome: r.outcome,
    payload: r.payload,
    result: r.result,
    voteId: r.vote_id,
    assemblyId: r.assembly_id,
    agendaItemId: r.agenda_item_id,
    decidedAt: r.decided_at,
    recordedBy: r.recorded_by,
  };
}

export class DecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tx: Db, d: Decision): Promise<void> {
    await tx
      .insertInto('decisions')
      .values({
        id: d.id,
        unit_id: d.unitId,
        kind: d.kind,
        title: d.title,
        outcome: d.outcome,
        payload: JSON.stringify(d.payload),
        result: d.result === null ? null : JSON.stringify(d.result),
        vote_id: d.voteId,
        assembly_id: d.assemblyId,
        agenda_item_id: d.agendaItemId,
        decided_at: d.decidedAt,
        recorded_by: d.recordedBy,
      })
      .execute();
  }

  async byId(id: string): Promise<Decision | null> {
    const r = await this.db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDecision(r) : null;
  }

  async byVote(voteId: string, db: Db = this.db): Promise<Decision | null> {
    const r = await db.selectFrom('decisions').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
    return r ? toDecision(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('decisions').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  /** Decisions on units under one of `paths` (or everywhere, or public units), newest first. */
  async list(f: {
    paths: string[] | 'everywhere';
    includePublic: boolean;
    under?: string;
    kind?: string;
    assemblyId?: string;
    limit: number;
  }): Promise<Decision[]> {
    let q = this.db
      .selectFrom('decisions')
      .innerJoin('units', 'units.id', 'decisions.unit_id')
      .selectAll('decisions');
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    if (f.kind !== undefined) q = q.where('decisions.kind', '=', f.kind);
    if (f.assemblyId !== undefined) q = q.where('decisions.assembly_id', '=', f.assemblyId);
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    const rows = await q
      .orderBy('decisions.decided_at', 'desc')
      .orderBy('decisions.id')
      .limit(f.limit)
      .execute();
    return rows.map(toDecision);
  }
}
