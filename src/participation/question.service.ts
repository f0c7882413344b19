// Public questions: asked of a unit, upvoted once each, answered in public, climbing the holarchy when ignored.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { actorKey, holds, type Principal } from '../core/principal';
import { deadlineSeconds, type Deadlines } from '../cyberstride/alert';
import { climbDue } from '../cyberstride/climb-due';
import {
  climbs,
  DEFAULT_UPVOTE_THRESHOLD,
  type ModerationEntry,
  type QuestionEvent,
  type QuestionView,
} from './question';
import type { QuestionRepository, QuestionRow, QuestionTx } from './question.repository';

/** The escalation deadlines per holarchy depth are the alerts' own (`escalation.get` / `escalation.set`). */
export interface DeadlinePort {
  get(): Promise<Deadlines>;
}

export interface UnitPort {
  unit(id: string): Promise<{ id: string; path: string; depth: number; public: boolean }>;
}

function nameOf(p: Principal): string {
  return p.kind === 'person' ? p.name : p.kind === 'system' ? 'the operator' : 'a member of the public';
}

export class QuestionService {
  constructor(
    private readonly repo: QuestionRepository,
    private readonly units: UnitPort,
    private readonly deadlines: DeadlinePort,
    private readonly clock: Clock,
  ) {}

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  answerUnit(id: string): Promise<string | null> {
    return this.repo.answerUnit(id);
  }

  async threshold(): Promise<number> {
    return (await this.repo.threshold()) ?? DEFAULT_UPVOTE_THRESHOLD;
  }

  async setThreshold(n: number): Promise<number> {
    await this.repo.setThreshold(n);
    return this.threshold();
  }

  async ask(
    principal: Principal,
    input: { unitId: string; title: string; body: string; askerName?: string | undefined },
  ) {
    const unit = await this.units.unit(input.unitId);
    const now = this.clock.now();
    const id = newId('q');
    const askerName = principal.kind === 'person' ? principal.name : (input.askerName ?? nameOf(principal));
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, {
        id,
        unitId: unit.id,
        levelUnitId: unit.id,
        levelDepth: unit.depth,
        title: input.title,
        body: input.body,
        askedBy: principal.kind === 'person' ? principal.personId : null,
        askerName,
        askedAt: now,
        upvotes: 0,
        thresholdReachedAt: null,
        escalateDueAt: null,
        answeredAt: null,
        hidden: false,
        hiddenReason: null,
      });
      await this.repo.events(tx, [
        {
          questionId: id,
          at: now,
          kind: 'asked',
          actor: actorKey(principal),
          levelUnitId: unit.id,
          levelDepth: unit.depth,
          detail: {},
        },
      ]);
    });
    return this.get(principal, id);
  }

  private async row(id: string, tx?: QuestionTx, lock = false): Promise<QuestionRow> {
    const q = await this.repo.byId(id, tx, lock);
    if (!q) throw notFound('question', id);
    return q;
  }

  /** Starts the deadline when the question first stands above the threshold and nobody has answered it. */
  /** `deadlines` are read before the transaction: PGlite has one connection, and the transaction holds it. */
  private async startClockIfDue(
    tx: QuestionTx,
    q: QuestionRow,
    now: Date,
    actor: string,
    deadlines: Deadlines,
  ): Promise<void> {
    const threshold = (await this.repo.threshold(tx)) ?? DEFAULT_UPVOTE_THRESHOLD;
    if (!climbs(q, threshold) || q.escalateDueAt !== null) return;
    const due = new Date(now.getTime() + deadlineSeconds(deadlines, q.levelDepth) * 1000);
    await this.repo.update(tx, q.id, {
      threshold_reached_at: q.thresholdReachedAt ?? now,
      escalate_due_at: due,
    });
    await this.repo.events(tx, [
      {
        questionId: q.id,
        at: now,
        kind: 'threshold',
        actor,
        levelUnitId: q.levelUnitId,
        levelDepth: q.levelDepth,
        detail: { upvotes: q.upvotes, threshold, escalateDueAt: due.toISOString() },
      },
    ]);
  }

  async upvote(principal: Principal, id: string): Promise<QuestionView> {
    if (principal.kind !== 'person') {
      throw new DomainError('unauthenticated', 'sign in to upvote: each person upvotes a question once', {
        fix: 'sign in with your email and password (a program calls auth.login and sends the token it gets)',
      });
    }
    const now = this.clock.now();
    const deadlines = await this.deadlines.get();
    await this.repo.transaction(async (tx) => {
      const q = await this.row(id, tx, true);
      if (q.hidden)
        throw new DomainError(
          'conflict',
          `question "${id}" is hidden by moderation: ${q.hiddenReason ?? ''}`,
        );
      const upvotes = await this.repo.upvote(tx, id, principal.personId, now);
      if (upvotes === null) {
        throw new DomainError('duplicate', 'you have already upvoted this question', {
          fix: 'each person upvotes once',
        });
      }
      await this.startClockIfDue(tx, { ...q, upvotes }, now, actorKey(principal), deadlines);
    });
    return this.get(principal, id);
  }

  /** An answer stops the climb where the question stands. */
  async answer(principal: Principal, id: string, body: string): Promise<QuestionView> {
    if (principal.kind !== 'person') throw new DomainError('forbidden', 'answers are signed by a person');
    const now = this.clock.now();
    await this.repo.transaction(async (tx) => {
      const q = await this.row(id, tx, true);
      const answerId = newId('qa');
      await this.repo.insertAnswer(tx, {
        id: answerId,
        questionId: id,
        authorId: principal.personId,
        authorName: principal.name,
        body,
        at: now,
      });
      if (q.answeredAt === null) await this.repo.update(tx, id, { answered_at: now, escalate_due_at: null });
      await this.repo.events(tx, [
        {
          questionId: id,
          at: now,
          kind: 'answered',
          actor: actorKey(principal),
          levelUnitId: q.levelUnitId,
          levelDepth: q.levelDepth,
          detail: { answerId },
        },
      ]);
    });
    return this.get(principal, id);
  }

  async editAnswer(principal: Principal, answerId: string, body: string): Promise<QuestionView> {
    const now = this.clock.now();
    const questionId = await this.repo.transaction((tx) =>
      this.repo.editAnswer(tx, answerId, body, nameOf(principal), now),
    );
    if (questionId === null) throw notFound('answer', answerId);
    return this.get(principal, questionId);
  }

  /** Moderation: hidden with a public reason (the log is public); a hidden question does not climb. */
  async moderate(
    principal: Principal,
    id: string,
    action: 'hidden' | 'shown',
    reason: string,
  ): Promise<QuestionView> {
    const now = this.clock.now();
    const deadlines = await this.deadlines.get();
    await this.repo.transaction(async (tx) => {
      const q = await this.row(id, tx, true);
      if (q.hidden === (action === 'hidden')) {
        throw new DomainError('conflict', `question "${id}" is already ${action}`);
      }
      await this.repo.update(tx, id, {
        hidden: action === 'hidden',
        hidden_reason: action === 'hidden' ? reason : null,
        ...(action === 'hidden' ? { escalate_due_at: null } : {}),
      });
      await this.repo.logModeration(tx, {
        questionId: id,
        unitId: q.unitId,
        at: now,
        action,
        reason,
        moderator: actorKey(principal),
        moderatorName: nameOf(principal),
      });
      await this.repo.events(tx, [
        {
          questionId: id,
          at: now,
          kind: action,
          actor: actorKey(principal),
          levelUnitId: q.levelUnitId,
          levelDepth: q.levelDepth,
          detail: { reason },
        },
      ]);
      if (action === 'shown')
        await this.startClockIfDue(
          tx,
          { ...q, hidden: false, escalateDueAt: null },
          now,
          actorKey(principal),
          deadlines,
        );
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string): Promise<QuestionView> {
    const [view] = await this.views(principal, [await this.row(id)]);
    return view as QuestionView;
  }

  async timeline(id: string): Promise<QuestionEvent[]> {
    await this.row(id);
    return this.repo.timeline(id);
  }

  async list(principal: Principal, f: Parameters<QuestionRepository['list']>[0]): Promise<QuestionView[]> {
    return this.views(principal, await this.repo.list(f));
  }

  /** Hidden questions keep their place and their reason; only moderators of the unit still read the text. */
  private async views(principal: Principal, rows: QuestionRow[]): Promise<QuestionView[]> {
    const answers = await this.repo.answers(rows.map((r) => r.id));
    const mine =
      principal.kind === 'person'
        ? await this.repo.upvotedBy(
            principal.personId,
            rows.map((r) => r.id),
          )
        : new Set<string>();
    return rows.map((r) => {
      const readable = !r.hidden || holds(principal, 'manage', r.unitPath);
      return {
        id: r.id,
        unitId: r.unitId,
        level: { unitId: r.levelUnitId, depth: r.levelDepth },
        title: readable ? r.title : null,
        body: readable ? r.body : null,
        askerName: r.askerName,
        askedAt: r.askedAt,
        upvotes: r.upvotes,
        upvotedByMe: mine.has(r.id),
        thresholdReachedAt: r.thresholdReachedAt,
        escalateDueAt: r.escalateDueAt,
        answeredAt: r.answeredAt,
        hidden: r.hidden,
        hiddenReason: r.hiddenReason,
        answers: answers.get(r.id) ?? [],
      };
    });
  }

  moderationLog(f: Parameters<QuestionRepository['moderationLog']>[0]): Promise<ModerationEntry[]> {
    return this.repo.moderationLog(f);
  }

  /**
   * Climbs every unanswered question whose deadline has passed, one level per deadline, timed from the
   * deadline itself (the alerts' rule), so a server that was down catches up exactly.
   */
  async escalate(): Promise<{ escalated: number; steps: number }> {
    const now = this.clock.now();
    const deadlines = await this.deadlines.get();
    return climbDue(
      this.repo,
      now,
      () => deadlines,
      async (tx, q, climb) => {
        await this.repo.events(
          tx,
          climb.map((s) => ({
            questionId: q.id,
            at: s.at,
            kind: 'escalated' as const,
            actor: 'system:escalation',
            levelUnitId: s.toUnitId,
            levelDepth: s.toDepth,
            detail: { nextDue: s.nextDue?.toISOString() ?? null, reachedRoot: s.toDepth === 0 },
          })),
        );
      },
    );
  }
}
