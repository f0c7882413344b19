// SQL of rationalization proposals: proposals and their events, adoptions, deadlines, publications, merit events.
import { type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, ProposalTable } from '../store/database';
import { reachCondition } from '../store/reach-filter';
import { inTransaction } from '../store/transaction';
import type {
  Adoption,
  Decision,
  DeadlinePhase,
  FiledChange,
  ProposalEvent,
  ProposalEventKind,
  ProposalStatus,
} from './proposal';
import type { MeritEvent } from './merit';

export type ProposalTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export interface ProposalRow {
  id: string;
  unitId: string;
  unitPath: string;
  economyId: string;
  technology: string;
  title: string;
  body: string;
  changes: FiledChange[];
  attachments: { name: string; ref: string }[];
  authorId: string;
  authorName: string;
  status: ProposalStatus;
  levelUnitId: string;
  levelDepth: number;
  phase: DeadlinePhase | null;
  escalateDueAt: Date | null;
  filedAt: Date;
  acknowledgedAt: Date | null;
  decidedAt: Date | null;
  decision: Decision | null;
  appealedAt: Date | null;
}

function toRow(r: Selectable<ProposalTable> & { unit_path: string }): ProposalRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    economyId: r.economy_id,
    technology: r.technology,
    title: r.title,
    body: r.body,
    changes: r.changes as unknown as FiledChange[],
    attachments: r.attachments as unknown as { name: string; ref: string }[],
    authorId: r.author_id,
    authorName: r.author_name,
    status: r.status as ProposalStatus,
    levelUnitId: r.level_unit_id,
    levelDepth: r.level_depth,
    phase: r.phase as DeadlinePhase | null,
    escalateDueAt: r.escalate_due_at,
    filedAt: r.filed_at,
    acknowledgedAt: r.acknowledged_at,
    decidedAt: r.decided_at,
    decision: r.decision as unknown as Decision | null,
    appealedAt: r.appealed_at,
  };
}

export interface NewProposalEvent {
  proposalId: string;
  at: Date;
  kind: ProposalEventKind;
  actor: string;
  actorName: string;
  levelUnitId: string;
  levelDepth: number;
  reason: string | null;
  detail: Record<string, unknown>;
}

export interface ProposalPatch {
  status?: ProposalStatus;
  level_unit_id?: string;
  level_depth?: number;
  phase?: DeadlinePhase | null;
  escalate_due_at?: Date | null;
  acknowledged_at?: Date;
  decided_at?: Date | null;
  decision?: Decision | null;
  appealed_at?: Date;
}

export class ProposalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: ProposalTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  private proposals(db: Db) {
    return db
      .selectFrom('proposals')
      .innerJoin('units', 'units.id', 'proposals.unit_id')
      .selectAll('proposals')
      .select('units.path as unit_path');
  }

  async insert(tx: Db, p: Omit<ProposalRow, 'unitPath'>): Promise<void> {
    await tx
      .insertInto('proposals')
      .values({
        id: p.id,
        unit_id: p.unitId,
        economy_id: p.economyId,
        technology: p.technology,
        title: p.title,
        body: p.body,
        changes: JSON.stringify(p.changes),
        attachments: JSON.stringify(p.attachments),
        author_id: p.authorId,
        author_name: p.authorName,
        status: p.status,
        level_unit_id: p.levelUnitId,
        level_depth: p.levelDepth,
        phase: p.phase,
        escalate_due_at: p.escalateDueAt,
        filed_at: p.filedAt,
        acknowledged_at: p.acknowledgedAt,
        decided_at: p.decidedAt,
        decision: p.decision === null ? null : JSON.stringify(p.decision),
        appealed_at: p.appealedAt,
      })
      .execute();
  }

  async update(tx: Db, id: string, patch: ProposalPatch): Promise<void> {
    const { decision, ...rest } = patch;
    await tx
      .updateTable('proposals')
      .set({
        ...rest,
        ...(decision === undefined ? {} : { decision: decision === null ? null : JSON.stringify(decision) }),
      })
      .where('id', '=', id)
      .execute();
  }

  async byId(id: string, tx?: Db, lock = false): Promise<ProposalRow | null> {
    let q = this.proposals(tx ?? this.db).where('proposals.id', '=', id);
    if (lock) q = q.forUpdate('proposals');
    const r = await q.executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('proposals').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async levelOf(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('proposals')
      .select('level_unit_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.level_unit_id ?? null;
  }

  async list(f: {
    paths: string[] | 'everywhere';
    includePublic: boolean;
    under?: string;
    levelUnitId?: string;
    statuses?: ProposalStatus[];
    technology?: string;
    limit: number;
  }): Promise<ProposalRow[]> {
    let q = this.proposals(this.db);
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    if (f.levelUnitId !== undefined) q = q.where('proposals.level_unit_id', '=', f.levelUnitId);
    if (f.statuses !== undefined) q = q.where('proposals.status', 'in', f.statuses);
    if (f.technology !== undefined) q = q.where('proposals.technology', '=', f.technology);
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    const rows = await q
      .orderBy('proposals.filed_at', 'desc')
      .orderBy('proposals.id')
      .limit(f.limit)
      .execute();
    return rows.map(toRow);
  }

  async events(tx: Db, events: NewProposalEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx
      .insertInto('proposal_events')
      .values(
        events.map((e) => ({
          proposal_id: e.proposalId,
          at: e.at,
          kind: e.kind,
          actor: e.actor,
          actor_name: e.actorName,
          level_unit_id: e.levelUnitId,
          level_depth: e.levelDepth,
          reason: e.reason,
          detail: JSON.stringify(e.detail),
        })),
      )
      .execute();
  }

  async timeline(id: string): Promise<ProposalEvent[]> {
    const rows = await this.db
      .selectFrom('proposal_events')
      .selectAll()
      .where('proposal_id', '=', id)
      .orderBy('at')
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      at: r.at,
      kind: r.kind as ProposalEventKind,
      actor: r.actor,
      actorName: r.actor_name,
      level: { unitId: r.level_unit_id, depth: r.level_depth },
      reason: r.reason,
      detail: r.detail,
    }));
  }

  /** Proposals whose deadline has passed, with the path of the unit they were filed on, locked. */
  async due(tx: Db, now: Date, limit: number): Promise<ProposalRow[]> {
    const rows = await this.proposals(tx)
      .where('proposals.escalate_due_at', '<=', now)
      .orderBy('proposals.escalate_due_at')
      .limit(limit)
      .forUpdate('proposals')
      .execute();
    return rows.map(toRow);
  }

  async insertAdoption(tx: Db, a: Adoption): Promise<void> {
    await tx
      .insertInto('proposal_adoptions')
      .values({
        id: a.id,
        proposal_id: a.proposalId,
        unit_id: a.unitId,
        share: a.share,
        economy_id: a.economyId,
        technology: a.technology,
        from_version: a.fromVersion,
        to_version: a.toVersion,
        economy_version: a.economyVersion,
        labour_saved: a.labourSaved,
        demand_source: a.demandSource,
        adopted_at: a.adoptedAt,
        adopted_by: a.adoptedBy,
      })
      .execute();
  }

  /** Adoptions of these proposals, or of one economy's versions in (afterVersion, upToVersion]. */
  async adoptions(f: {
    proposalIds?: string[];
    economyId?: string;
    afterVersion?: number;
    upToVersion?: number;
  }): Promise<Adoption[]> {
    let q = this.db.selectFrom('proposal_adoptions').selectAll();
    if (f.proposalIds !== undefined) {
      if (f.proposalIds.length === 0) return [];
      q = q.where('proposal_id', 'in', f.proposalIds);
    }
    if (f.economyId !== undefined) q = q.where('economy_id', '=', f.economyId);
    if (f.afterVersion !== undefined) q = q.where('economy_version', '>', f.afterVersion);
    if (f.upToVersion !== undefined) q = q.where('economy_version', '<=', f.upToVersion);
    const rows = await q.orderBy('adopted_at').orderBy('economy_version').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      proposalId: r.proposal_id,
      unitId: r.unit_id,
      share: r.share,
      economyId: r.economy_id,
      technology: r.technology,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      economyVersion: r.economy_version,
      labourSaved: r.labour_saved,
      demandSource: r.demand_source,
      adoptedAt: r.adopted_at,
      adoptedBy: r.adopted_by,
    }));
  }

  async deadlines(tx?: Db): Promise<{ phase: string; depth: number; seconds: number }[]> {
    return (tx ?? this.db).selectFrom('proposal_deadlines').selectAll().execute();
  }

  async setDeadlines(rows: { phase: DeadlinePhase; depth: number; seconds: number }[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('proposal_deadlines').execute();
      if (rows.length > 0) await tx.insertInto('proposal_deadlines').values(rows).execute();
    });
  }

  async requestPublication(tx: Db, proposalId: string, at: Date): Promise<void> {
    await tx
      .insertInto('proposal_publications')
      .values({ proposal_id: proposalId, requested_at: at, status: 'awaiting', record_id: null })
      .onConflict((oc) => oc.column('proposal_id').doNothing())
      .execute();
  }

  async markPublished(proposalId: string, recordId: string): Promise<void> {
    await this.db
      .updateTable('proposal_publications')
      .set({ status: 'published', record_id: recordId })
      .where('proposal_id', '=', proposalId)
      .execute();
  }

  async publication(
    proposalId: string,
  ): Promise<{ requestedAt: Date; status: string; recordId: string | null } | null> {
    const r = await this.db
      .selectFrom('proposal_publications')
      .selectAll()
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
    return r ? { requestedAt: r.requested_at, status: r.status, recordId: r.record_id } : null;
  }

  async insertMerit(tx: Db, e: MeritEvent): Promise<void> {
    await tx
      .insertInto('merit_events')
      .values({
        id: e.id,
        person_id: e.personId,
        kind: e.kind,
        at: e.at,
        unit_id: e.unitId,
        proposal_id: e.proposalId,
        adoption_id: e.adoptionId,
        hours_saved: e.hoursSaved,
        detail: JSON.stringify(e.detail),
      })
      .execute();
  }

  /** Merit events of one person, or of every person on units the reader reaches. */
  async meritEvents(f: {
    personId?: string;
    paths: string[] | 'everywhere';
    includePublic: boolean;
    limit: number;
  }): Promise<MeritEvent[]> {
    let q = this.db
      .selectFrom('merit_events')
      .innerJoin('units', 'units.id', 'merit_events.unit_id')
      .selectAll('merit_events');
    if (f.personId !== undefined) q = q.where('merit_events.person_id', '=', f.personId);
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    const rows = await q
      .orderBy('merit_events.at', 'desc')
      .orderBy('merit_events.id')
      .limit(f.limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      kind: r.kind as MeritEvent['kind'],
      at: r.at,
      unitId: r.unit_id,
      proposalId: r.proposal_id,
      adoptionId: r.adoption_id,
      hoursSaved: r.hours_saved,
      detail: r.detail,
    }));
  }
}
