// SQL of votes: the vote rows, who took part, the ballots (kept apart from who cast them) and paper imports.
import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { Database, VoteTable } from '../store/database';
import { reachCondition } from '../store/reach-filter';
import { inTransaction } from '../store/transaction';
import type { Marks } from './ballot';
import type { ElectorateRule, Method, Quorum, ShareNeeded } from './participation';
import type { VoteRecord, VoteResult, VoteStatus } from './vote-record';

export type VoteTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

function toVote(r: Selectable<VoteTable>): VoteRecord {
  return {
    id: r.id,
    unitId: r.unit_id,
    title: r.title,
    description: r.description,
    method: r.method as unknown as Method,
    candidates: r.candidates,
    quorum: r.quorum as unknown as Quorum,
    shareNeeded: r.share_needed as unknown as ShareNeeded | null,
    hideResults: r.hide_results,
    anonymous: r.anonymous,
    allowChanges: r.allow_changes,
    electorateRule: r.electorate_rule as unknown as ElectorateRule,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    status: r.status as VoteStatus,
    electorateId: r.electorate_id,
    assemblyId: r.assembly_id,
    agendaItemId: r.agenda_item_id,
    decisionKind: r.decision_kind,
    decisionPayload: r.decision_payload,
    result: r.result as unknown as VoteResult | null,
    closedAt: r.closed_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export interface StoredBallot {
  id: string;
  receipt: string;
  marks: Marks;
  source: 'online' | 'paper';
  record: string | null;
  /** Named votes only. */
  signedBy: string | null;
}

export interface VoteFilter {
  /** Unit paths whose subtrees the reader may see, or everywhere. */
  paths: string[] | 'everywhere';
  /** Also votes on public units. */
  includePublic: boolean;
  /** Also votes whose electorate holds these ids. */
  electorates: string[];
  /** Only under this unit path. */
  under?: string;
  /** States at `now` (the stored status may lag the clock by one timer pass). */
  statuses: VoteStatus[];
  now: Date;
  limit: number;
}

export class VoteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: VoteTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async insert(tx: Db, v: VoteRecord): Promise<void> {
    await tx
      .insertInto('votes')
      .values({
        id: v.id,
        unit_id: v.unitId,
        title: v.title,
        description: v.description,
        method: JSON.stringify(v.method),
        candidates: JSON.stringify(v.candidates),
        quorum: JSON.stringify(v.quorum),
        share_needed: v.shareNeeded === null ? null : JSON.stringify(v.shareNeeded),
        hide_results: v.hideResults,
        anonymous: v.anonymous,
        allow_changes: v.allowChanges,
        electorate_rule: JSON.stringify(v.electorateRule),
        opens_at: v.opensAt,
        closes_at: v.closesAt,
        status: v.status,
        electorate_id: v.electorateId,
        assembly_id: v.assemblyId,
        agenda_item_id: v.agendaItemId,
        decision_kind: v.decisionKind,
        decision_payload: JSON.stringify(v.decisionPayload),
        result: null,
        closed_at: null,
        created_by: v.createdBy,
        created_at: v.createdAt,
      })
      .execute();
  }

  /** `lock` takes the row lock, so two closings (timer and reader) cannot both count. */
  async byId(id: string, db: Db = this.db, lock = false): Promise<VoteRecord | null> {
    let q = db.selectFrom('votes').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toVote(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('votes').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async list(f: VoteFilter): Promise<VoteRecord[]> {
    let q = this.db
      .selectFrom('votes')
      .innerJoin('units', 'units.id', 'votes.unit_id')
      .selectAll('votes')
      .where((eb) =>
        eb.or([
          ...(f.statuses.includes('closed')
            ? [eb.or([eb('votes.status', '=', 'closed'), eb('votes.closes_at', '<=', f.now)])]
            : []),
          ...(f.statuses.includes('open')
            ? [
                eb.and([
                  eb('votes.status', '<>', 'closed'),
                  eb('votes.closes_at', '>', f.now),
                  eb('votes.opens_at', '<=', f.now),
                ]),
              ]
            : []),
          ...(f.statuses.includes('scheduled')
            ? [eb.and([eb('votes.status', '<>', 'closed'), eb('votes.opens_at', '>', f.now)])]
            : []),
          eb.val(false),
        ]),
      );
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    // Voters see the votes they may cast, wherever those are.
    const electorates =
      f.electorates.length > 0 ? [sql<SqlBool>`votes.electorate_id in (${sql.join(f.electorates)})`] : [];
    const reach = reachCondition(f, electorates);
    if (reach) q = q.where(reach);
    const rows = await q.orderBy('votes.closes_at', 'desc').orderBy('votes.id').limit(f.limit).execute();
    return rows.map(toVote);
  }

  async setOpen(tx: Db, id: string, electorateId: string): Promise<boolean> {
    const r = await tx
      .updateTable('votes')
      .set({ status: 'open', electorate_id: electorateId })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async setClosed(tx: Db, id: string, result: VoteResult, at: Date): Promise<boolean> {
    const r = await tx
      .updateTable('votes')
      .set({ status: 'closed', result: JSON.stringify(result), closed_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Votes whose opening or closing time has passed by `now` but whose row does not say so yet. */
  async due(now: Date, limit: number): Promise<{ id: string; status: VoteStatus }[]> {
    const rows = await this.db
      .selectFrom('votes')
      .select(['id', 'status'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'scheduled'), eb('opens_at', '<=', now)]),
          eb.and([eb('status', '=', 'open'), eb('closes_at', '<=', now)]),
        ]),
      )
      .orderBy('closes_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, status: r.status as VoteStatus }));
  }

  /** The one-person-one-vote row; false when the person has already taken part (the primary key says so). */
  async participate(tx: Db, voteId: string, electorateId: string, personId: string): Promise<boolean> {
    const r = await tx
      .insertInto('vote_participation')
      .values({ vote_id: voteId, electorate_id: electorateId, person_id: personId })
      .onConflict((oc) => oc.columns(['vote_id', 'person_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async hasParticipated(voteId: string, personId: string, db: Db = this.db): Promise<boolean> {
    const r = await db
      .selectFrom('vote_participation')
      .select('person_id')
      .where('vote_id', '=', voteId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async participants(voteId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('vote_participation')
      .select('person_id')
      .where('vote_id', '=', voteId)
      .orderBy('person_id')
      .execute();
    return rows.map((r) => r.person_id);
  }

  async insertBallot(
    tx: Db,
    b: {
      id: string;
      voteId: string;
      receipt: string;
      marks: Marks;
      source: 'online' | 'paper';
      record: string | null;
    },
  ): Promise<void> {
    await tx
      .insertInto('ballots')
      .values({
        id: b.id,
        vote_id: b.voteId,
        receipt: b.receipt,
        marks: JSON.stringify(b.marks),
        source: b.source,
        record: b.record,
      })
      .execute();
  }

  async sign(tx: Db, ballotId: string, voteId: string, personId: string): Promise<void> {
    await tx
      .insertInto('ballot_signatures')
      .values({ ballot_id: ballotId, vote_id: voteId, person_id: personId })
      .execute();
  }

  async replaceByReceipt(tx: Db, voteId: string, receipt: string, marks: Marks): Promise<boolean> {
    const r = await tx
      .updateTable('ballots')
      .set({ marks: JSON.stringify(marks) })
      .where('vote_id', '=', voteId)
      .where('receipt', '=', receipt)
      .where('source', '=', 'online')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Named votes: the signer's ballot; returns its receipt, or null when the person signed none. */
  async replaceBySigner(tx: Db, voteId: string, personId: string, marks: Marks): Promise<string | null> {
    const { rows } = await sql<{ receipt: string }>`
      update ballots b set marks = ${JSON.stringify(marks)}::jsonb
      from ballot_signatures s
      where s.ballot_id = b.id and s.vote_id = ${voteId} and s.person_id = ${personId}
      returning b.receipt`.execute(tx);
    return rows[0]?.receipt ?? null;
  }

  async ballots(voteId: string, db: Db = this.db): Promise<StoredBallot[]> {
    const rows = await db
      .selectFrom('ballots as b')
      .leftJoin('ballot_signatures as s', 's.ballot_id', 'b.id')
      .select(['b.id', 'b.receipt', 'b.marks', 'b.source', 'b.record', 's.person_id'])
      .where('b.vote_id', '=', voteId)
      .orderBy('b.receipt')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      receipt: r.receipt,
      marks: r.marks as unknown as Marks,
      source: r.source as 'online' | 'paper',
      record: r.record,
      signedBy: r.person_id,
    }));
  }

  async counts(voteId: string, db: Db = this.db): Promise<{ ballots: number; paper: number }> {
    const r = await db
      .selectFrom('ballots')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.count<string>(eb.case().when('source', '=', 'paper').then(1).end()).as('paper'),
      ])
      .where('vote_id', '=', voteId)
      .executeTakeFirstOrThrow();
    return { ballots: Number(r.n), paper: Number(r.paper) };
  }

  async ballotCounts(voteIds: string[]): Promise<Map<string, number>> {
    if (voteIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('ballots')
      .select((eb) => ['vote_id', eb.fn.countAll<string>().as('n')])
      .where('vote_id', 'in', voteIds)
      .groupBy('vote_id')
      .execute();
    return new Map(rows.map((r) => [r.vote_id, Number(r.n)]));
  }

  /**
   * At closing, for an anonymous vote: rewrite the participation rows and the ballots in this one
   * transaction, ballots in receipt order (random), so the tables' physical order and transaction ids no
   * longer tell which ballot was written together with which participation row.
   */
  async seal(tx: Db, voteId: string): Promise<void> {
    await tx.updateTable('vote_participation').set({ sealed: true }).where('vote_id', '=', voteId).execute();
    await sql`
      with gone as (delete from ballots where vote_id = ${voteId} returning *)
      insert into ballots (id, vote_id, receipt, marks, source, record)
      select id, vote_id, receipt, marks, source, record from gone order by receipt`.execute(tx);
  }

  async insertPaperImport(
    tx: Db,
    p: {
      id: string;
      voteId: string;
      fileName: string;
      format: string;
      ballots: number;
      by: string;
      at: Date;
    },
  ): Promise<void> {
    await tx
      .insertInto('paper_imports')
      .values({
        id: p.id,
        vote_id: p.voteId,
        file_name: p.fileName,
        format: p.format,
        ballots: p.ballots,
        imported_by: p.by,
        imported_at: p.at,
      })
      .execute();
  }

  async paperImports(voteId: string) {
    const rows = await this.db
      .selectFrom('paper_imports')
      .selectAll()
      .where('vote_id', '=', voteId)
      .orderBy('imported_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      format: r.format,
      ballots: r.ballots,
      importedBy: r.imported_by,
      importedAt: r.imported_at,
    }));
  }
}
