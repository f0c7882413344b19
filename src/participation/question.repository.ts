// SQL of public questions: questions, upvotes once each, answers and their revisions, events, the moderation log.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, QuestionTable } from '../store/database';
import { inTransaction } from '../store/transaction';
import type { Answer, ModerationEntry, QuestionEvent, QuestionEventKind } from './question';
import { reachCondition } from '../store/reach-filter';

export type QuestionTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export interface QuestionRow {
  id: string;
  unitId: string;
  unitPath: string;
  levelUnitId: string;
  levelDepth: number;
  title: string;
  body: string;
  askedBy: string | null;
  askerName: string;
  askedAt: Date;
  upvotes: number;
  thresholdReachedAt: Date | null;
  escalateDueAt: Date | null;
  answeredAt: Date | null;
  hidden: boolean;
  hiddenReason: string | null;
}

function toRow(r: Selectable<QuestionTable> & { unit_path: string }): QuestionRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    levelUnitId: r.level_unit_id,
    levelDepth: r.level_depth,
    title: r.title,
    body: r.body,
    askedBy: r.asked_by,
    askerName: r.asker_name,
    askedAt: r.asked_at,
    upvotes: r.upvotes,
    thresholdReachedAt: r.threshold_reached_at,
    escalateDueAt: r.escalate_due_at,
    answeredAt: r.answered_at,
    hidden: r.hidden,
    hiddenReason: r.hidden_reason,
  };
}

export interface NewEvent {
  questionId: string;
  at: Date;
  kind: QuestionEventKind;
  actor: string;
  levelUnitId: string;
  levelDepth: number;
  detail: Record<string, unknown>;
}

export class QuestionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: QuestionTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  private questions(db: Db) {
    return db
      .selectFrom('questions')
      .innerJoin('units', 'units.id', 'questions.unit_id')
      .selectAll('questions')
      .select('units.path as unit_path');
  }

  async insert(tx: Db, q: Omit<QuestionRow, 'unitPath'>): Promise<void> {
    await tx
      .insertInto('questions')
      .values({
        id: q.id,
        unit_id: q.unitId,
        level_unit_id: q.levelUnitId,
        level_depth: q.levelDepth,
        title: q.title,
        body: q.body,
        asked_by: q.askedBy,
        asker_name: q.askerName,
        asked_at: q.askedAt,
      })
      .execute();
  }

  async byId(id: string, db: Db = this.db, lock = false): Promise<QuestionRow | null> {
    let q = this.questions(db).where('questions.id', '=', id);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('questions').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async answerUnit(answerId: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('question_answers as a')
      .innerJoin('questions as q', 'q.id', 'a.question_id')
      .select('q.unit_id')
      .where('a.id', '=', answerId)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async list(f: {
    paths: string[] | 'everywhere';
    includePublic: boolean;
    under?: string;
    levelUnitId?: string;
    answered?: boolean;
    order: 'top' | 'new';
    limit: number;
  }): Promise<QuestionRow[]> {
    let q = this.questions(this.db);
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    if (f.levelUnitId !== undefined) q = q.where('questions.level_unit_id', '=', f.levelUnitId);
    if (f.answered !== undefined) {
      q = q.where('questions.answered_at', f.answered ? 'is not' : 'is', null);
    }
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    q =
      f.order === 'top'
        ? q.orderBy('questions.upvotes', 'desc').orderBy('questions.asked_at', 'desc')
        : q.orderBy('questions.asked_at', 'desc');
    const rows = await q.orderBy('questions.id').limit(f.limit).execute();
    return rows.map(toRow);
  }

  /** Once each: the primary key refuses a second upvote; the count moves only with a new row. */
  async upvote(tx: Db, questionId: string, personId: string, at: Date): Promise<number | null> {
    const r = await tx
      .insertInto('question_upvotes')
      .values({ question_id: questionId, person_id: personId, at })
      .onConflict((oc) => oc.columns(['question_id', 'person_id']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return null;
    const u = await tx
      .updateTable('questions')
      .set((eb) => ({ upvotes: eb('upvotes', '+', 1) }))
      .where('id', '=', questionId)
      .returning('upvotes')
      .executeTakeFirstOrThrow();
    return u.upvotes;
  }

  async upvotedBy(personId: string, questionIds: string[]): Promise<Set<string>> {
    if (questionIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('question_upvotes')
      .select('question_id')
      .where('person_id', '=', personId)
      .where('question_id', 'in', questionIds)
      .execute();
    return new Set(rows.map((r) => r.question_id));
  }

  async update(
    tx: Db,
    id: string,
    patch: Partial<{
      level_unit_id: string;
      level_depth: number;
      threshold_reached_at: Date | null;
      escalate_due_at: Date | null;
      answered_at: Date | null;
      hidden: boolean;
      hidden_reason: string | null;
    }>,
  ): Promise<void> {
    await tx.updateTable('questions').set(patch).where('id', '=', id).execute();
  }

  async events(tx: Db, events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx
      .insertInto('question_events')
      .values(
        events.map((e) => ({
          question_id: e.questionId,
          at: e.at,
          kind: e.kind,
          actor: e.actor,
          level_unit_id: e.levelUnitId,
          level_depth: e.levelDepth,
          detail: JSON.stringify(e.detail),
        })),
      )
      .execute();
  }

  async timeline(questionId: string): Promise<QuestionEvent[]> {
    const rows = await this.db
      .selectFrom('question_events')
      .selectAll()
      .where('question_id', '=', questionId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      at: r.at,
      kind: r.kind as QuestionEventKind,
      actor: r.actor,
      level: { unitId: r.level_unit_id, depth: r.level_depth },
      detail: r.detail,
    }));
  }

  /** Open questions whose deadline has passed, locked so two passes never climb one twice. */
  async due(tx: Db, now: Date, limit: number): Promise<QuestionRow[]> {
    const { rows } = await sql<{ id: string }>`
      select id from questions
      where escalate_due_at <= ${now}::timestamptz and answered_at is null and not hidden
      order by escalate_due_at limit ${limit} for update skip locked`.execute(tx);
    const out: QuestionRow[] = [];
    for (const r of rows) {
      const q = await this.byId(r.id, tx);
      if (q) out.push(q);
    }
    return out;
  }

  async insertAnswer(
    tx: Db,
    a: { id: string; questionId: string; authorId: string; authorName: string; body: string; at: Date },
  ): Promise<void> {
    await tx
      .insertInto('question_answers')
      .values({
        id: a.id,
        question_id: a.questionId,
        author_id: a.authorId,
        author_name: a.authorName,
        body: a.body,
        version: 1,
        created_at: a.at,
        updated_at: a.at,
      })
      .execute();
    await tx
      .insertInto('answer_revisions')
      .values({ answer_id: a.id, version: 1, body: a.body, edited_by: a.authorName, edited_at: a.at })
      .execute();
  }

  /** A new version: the text changes, and the revision table keeps every earlier one. */
  async editAnswer(tx: Db, answerId: string, body: string, editor: string, at: Date): Promise<string | null> {
    const r = await tx
      .updateTable('question_answers')
      .set((eb) => ({ body, version: eb('version', '+', 1), updated_at: at }))
      .where('id', '=', answerId)
      .returning(['version', 'question_id'])
      .executeTakeFirst();
    if (!r) return null;
    await tx
      .insertInto('answer_revisions')
      .values({ answer_id: answerId, version: r.version, body, edited_by: editor, edited_at: at })
      .execute();
    return r.question_id;
  }

  async answers(questionIds: string[]): Promise<Map<string, Answer[]>> {
    const out = new Map<string, Answer[]>();
    if (questionIds.length === 0) return out;
    const answers = await this.db
      .selectFrom('question_answers')
      .selectAll()
      .where('question_id', 'in', questionIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const revisions =
      answers.length === 0
        ? []
        : await this.db
            .selectFrom('answer_revisions')
            .selectAll()
            .where(
              'answer_id',
              'in',
              answers.map((a) => a.id),
            )
            .orderBy('version')
            .execute();
    for (const a of answers) {
      const list = out.get(a.question_id) ?? [];
      list.push({
        id: a.id,
        authorName: a.author_name,
        body: a.body,
        version: a.version,
        createdAt: a.created_at,
        updatedAt: a.updated_at,
        revisions: revisions
          .filter((r) => r.answer_id === a.id)
          .map((r) => ({ version: r.version, body: r.body, editedBy: r.edited_by, editedAt: r.edited_at })),
      });
      out.set(a.question_id, list);
    }
    return out;
  }

  async logModeration(tx: Db, e: Omit<ModerationEntry, 'id'> & { moderator: string }): Promise<void> {
    await tx
      .insertInto('moderation_log')
      .values({
        question_id: e.questionId,
        unit_id: e.unitId,
        at: e.at,
        action: e.action,
        reason: e.reason,
        moderator: e.moderator,
        moderator_name: e.moderatorName,
      })
      .execute();
  }

  async moderationLog(f: {
    paths: string[] | 'everywhere';
    includePublic: boolean;
    under?: string;
    limit: number;
  }): Promise<ModerationEntry[]> {
    let q = this.db
      .selectFrom('moderation_log as m')
      .innerJoin('units', 'units.id', 'm.unit_id')
      .select(['m.id', 'm.question_id', 'm.unit_id', 'm.at', 'm.action', 'm.reason', 'm.moderator_name']);
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    const rows = await q.orderBy('m.id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      questionId: r.question_id,
      unitId: r.unit_id,
      at: r.at,
      action: r.action as 'hidden' | 'shown',
      reason: r.reason,
      moderatorName: r.moderator_name,
    }));
  }

  async threshold(db: Db = this.db): Promise<number | null> {
    const r = await db
      .selectFrom('question_settings')
      .select('upvote_threshold')
      .where('id', '=', 1)
      .executeTakeFirst();
    return r?.upvote_threshold ?? null;
  }

  async setThreshold(threshold: number): Promise<void> {
    await this.db
      .insertInto('question_settings')
      .values({ id: 1, upvote_threshold: threshold })
      .onConflict((oc) => oc.column('id').doUpdateSet({ upvote_threshold: threshold }))
      .execute();
  }
}
