// Votes: opening on a unit with a frozen electorate, casting (one person, one ballot), closing with a recorded result.
import { randomInt } from 'node:crypto';
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { actorKey, ROLES, type Principal, type Role } from '../core/principal';
import { marksOf, type BallotInput, type Marks } from './ballot';
import { ballotLimitOf, checkBallotLimit, checkPaperBallotLimits } from './budget-ballot';
import { readPaperBallots, type PaperFile } from './paper-ballots';
import type { DecisionRepository } from './decision.repository';
import type { ElectorateRepository, ElectorMember, ElectorView } from './electorate.repository';
import {
  assertConsistentVote,
  type Candidate,
  type ElectorateRule,
  type Method,
  type Quorum,
  type ShareNeeded,
} from './participation';
import { publishedBallots, type PublishedBallots } from './published-ballots';
import { newReceiptCode, normaliseReceipt } from './receipt';
import { outcomeOf, type Counter } from './vote-outcome';
import { statusAt, type VoteRecord, type VoteResult, type VoteStatus, type VoteView } from './vote-record';
import type { VoteFilter, VoteRepository, VoteTx } from './vote.repository';

/** What votes need of the holarchy and of people, given by the composition root. */
export interface DirectoryPort {
  unit(id: string): Promise<{ id: string; path: string; name: string; public: boolean }>;
  grantsOnSubtree(path: string): Promise<{ personId: string; unitId: string; role: Role }[]>;
}

export interface NewVote {
  unitId: string;
  title: string;
  description: string;
  method: Method;
  candidates: Candidate[];
  quorum: Quorum;
  shareNeeded: ShareNeeded | null;
  hideResults: boolean;
  anonymous: boolean;
  allowChanges: boolean;
  electorateRule: ElectorateRule;
  opensAt?: Date | undefined;
  closesAt: Date;
  decisionKind: string;
  decisionPayload: Record<string, unknown>;
  assemblyId?: string;
  agendaItemId?: string;
  /** An assembly's electorate (all its members, or those present) instead of the unit's subtree. */
  electorate?: ElectorMember[];
}

const DUE_BATCH = 100;

/** A tie-break that may draw lots gets its seed now, so the published ballots recount to the same result. */
function withSeed(m: Method): Method {
  if (
    (m.type !== 'irv' && m.type !== 'stv') ||
    m.tieBreak === 'candidate-order' ||
    m.randomSeed !== undefined
  ) {
    return m;
  }
  return { ...m, randomSeed: String(randomInt(1, 2 ** 47)) };
}

export class VoteService {
  constructor(
    private readonly repo: VoteRepository,
    private readonly electorates: ElectorateRepository,
    private readonly decisions: DecisionRepository,
    private readonly directory: DirectoryPort,
    private readonly counter: Counter,
    private readonly clock: Clock,
  ) {}

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  /** Opens a vote (or schedules it, when it opens later); the electorate is frozen when it opens. */
  /**
   * `within` runs inside the transaction that writes the vote (an assembly links its agenda item there), so
   * a refusal there leaves no vote behind.
   */
  async open(
    principal: Principal,
    input: NewVote,
    within?: (tx: VoteTx, voteId: string) => Promise<void>,
  ): Promise<VoteView> {
    const now = this.clock.now();
    const opensAt = input.opensAt ?? now;
    assertConsistentVote({ ...input, opensAt });
    if (input.closesAt.getTime() <= now.getTime()) {
      throw new DomainError('invalid', 'closesAt: the closing time has already passed', {
        issues: [{ field: 'closesAt', message: `later than now (${now.toISOString()})` }],
      });
    }
    const unit = await this.directory.unit(input.unitId);
    const vote: VoteRecord = {
      ...input,
      method: withSeed(input.method),
      id: newId('v'),
      opensAt,
      status: 'scheduled',
      electorateId: null,
      assemblyId: input.assemblyId ?? null,
      agendaItemId: input.agendaItemId ?? null,
      result: null,
      closedAt: null,
      createdBy: actorKey(principal),
      createdAt: now,
    };
    const members = opensAt.getTime() <= now.getTime() ? await this.electorateFor(unit, input) : null;
    if (members !== null && members.length === 0) {
      throw new DomainError(
        'conflict',
        `the electorate is empty: nobody holds a role on "${unit.name}" or below`,
        {
          fix: 'grant roles on the unit or its subtree, or widen electorateRule.roles',
        },
      );
    }
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, vote);
      if (members !== null) await this.openWith(tx, vote, members, now);
      await within?.(tx, vote.id);
    });
    return this.get(vote.id);
  }

  /** The people of a unit's subtree under an electorate rule, each once with their highest role. */
  async membersFor(unitId: string, rule: ElectorateRule): Promise<ElectorMember[]> {
    return this.electorateFor(await this.directory.unit(unitId), { electorateRule: rule });
  }

  private async electorateFor(
    unit: { id: string; path: string },
    input: Pick<NewVote, 'electorateRule' | 'electorate'>,
  ): Promise<ElectorMember[]> {
    if (input.electorate) return input.electorate;
    const grants = await this.directory.grantsOnSubtree(unit.path);
    const rank = (r: Role) => ROLES.indexOf(r);
    const best = new Map<string, ElectorMember & { rank: number }>();
    for (const g of grants) {
      if (!input.electorateRule.roles.includes(g.role)) continue;
      const current = best.get(g.personId);
      if (!current || rank(g.role) > current.rank) {
        best.set(g.personId, { personId: g.personId, role: g.role, viaUnitId: g.unitId, rank: rank(g.role) });
      }
    }
    const listed = input.electorateRule.people;
    if (listed !== undefined) {
      listed.forEach((id, i) => {
        if (!best.has(id)) {
          throw new DomainError(
            'invalid',
            `electorateRule.people[${i}]: "${id}" holds no such role on this unit or below`,
            {
              issues: [
                { field: `electorateRule.people[${i}]`, message: 'not in the subtree\u2019s electorate' },
              ],
              fix: 'list only people with one of electorateRule.roles on the unit or a unit below it',
            },
          );
        }
      });
      const keep = new Set(listed);
      for (const id of best.keys()) if (!keep.has(id)) best.delete(id);
    }
    return [...best.values()].map(({ personId, role, viaUnitId }) => ({ personId, role, viaUnitId }));
  }

  private async openWith(tx: VoteTx, vote: VoteRecord, members: ElectorMember[], now: Date): Promise<void> {
    const electorateId = newId('el');
    await this.electorates.freeze(tx, { id: electorateId, unitId: vote.unitId, frozenAt: now, members });
    await this.repo.setOpen(tx, vote.id, electorateId);
  }

  async record(id: string): Promise<VoteRecord> {
    const v = await this.repo.byId(id);
    if (!v) throw notFound('vote', id);
    return v;
  }

  async get(id: string): Promise<VoteView> {
    return this.view(await this.settle(id));
  }

  private async view(v: VoteRecord): Promise<VoteView> {
    const { electorateId, ...rest } = v;
    const size = electorateId === null ? null : await this.electorates.size(electorateId);
    const { ballots } = await this.repo.counts(v.id);
    const status: VoteStatus = statusAt(v, this.clock.now());
    return { ...rest, status, electorateSize: size, ballotsCast: ballots };
  }

  async list(filter: Omit<VoteFilter, 'electorates' | 'now'>, personId: string | null): Promise<VoteView[]> {
    const now = this.clock.now();
    const electorates = personId === null ? [] : await this.electorates.electoratesOf(personId);
    const votes = await this.repo.list({ ...filter, electorates, now });
    const counts = await this.repo.ballotCounts(votes.map((v) => v.id));
    const sizes = new Map<string, number | null>();
    for (const v of votes)
      if (v.electorateId) sizes.set(v.electorateId, await this.electorates.size(v.electorateId));
    return votes.map(({ electorateId, ...v }) => ({
      ...v,
      status: statusAt(v, now),
      electorateSize: electorateId === null ? null : (sizes.get(electorateId) ?? null),
      ballotsCast: counts.get(v.id) ?? 0,
    }));
  }

  /** Votes whose electorate holds the caller, with whether it has voted in each. */
  async mine(principal: Principal, statuses: VoteStatus[]): Promise<(VoteView & { voted: boolean })[]> {
    if (principal.kind !== 'person') return [];
    const views = await this.list(
      { paths: [], includePublic: false, statuses, limit: 200 },
      principal.personId,
    );
    const own = new Set(await this.electorates.electoratesOf(principal.personId));
    const out: (VoteView & { voted: boolean })[] = [];
    for (const v of views) {
      const record = await this.record(v.id);
      if (record.electorateId === null || !own.has(record.electorateId)) continue;
      out.push({ ...v, voted: await this.repo.hasParticipated(v.id, principal.personId) });
    }
    return out;
  }

  /**
   * The vote as its reader sees it: whether they are in its electorate and whether they have voted. A reader of
   * the vote's unit outside the electorate gets it too (inElectorate false), so one request serves the vote's
   * page; anyone who may neither vote nor read is refused.
   */
  async ballotPaper(
    principal: Principal,
    id: string,
    mayRead: (unitId: string) => Promise<boolean>,
  ): Promise<{ vote: VoteView; inElectorate: boolean; voted: boolean }> {
    const v = await this.settle(id);
    const personId = principal.kind === 'person' ? principal.personId : null;
    const inElectorate =
      personId !== null &&
      v.electorateId !== null &&
      (await this.electorates.isMember(v.electorateId, personId));
    if (!inElectorate && !(await mayRead(v.unitId))) {
      throw new DomainError('forbidden', `you are not in the electorate of vote "${id}"`, {
        fix: 'the electorate was frozen when the vote opened; ask who opened it',
      });
    }
    const voted = inElectorate && personId !== null && (await this.repo.hasParticipated(id, personId));
    return { vote: await this.view(v), inElectorate, voted };
  }

  /**
   * One ballot per person: the participation row's primary key decides, inside the transaction that writes
   * the ballot, so two concurrent casts by one person cannot both count.
   */
  async cast(
    principal: Principal,
    id: string,
    ballot: BallotInput,
    receipt?: string,
  ): Promise<{ receipt: string; replaced: boolean }> {
    if (principal.kind !== 'person') {
      throw new DomainError('forbidden', 'only people vote', {
        fix: 'sign in as a member of the electorate',
      });
    }
    const v = await this.settle(id);
    const now = this.clock.now();
    const status = statusAt(v, now);
    if (status === 'closed') {
      throw new DomainError(
        'conflict',
        `the vote closed at ${v.closesAt.toISOString()}; ballots are no longer accepted`,
        {
          fix: 'ballots count only while the vote is open',
        },
      );
    }
    if (status === 'scheduled' || v.electorateId === null) {
      throw new DomainError('conflict', `the vote opens at ${v.opensAt.toISOString()}`, {
        fix: 'cast your ballot then',
      });
    }
    const electorateId = v.electorateId;
    if (!(await this.electorates.isMember(electorateId, principal.personId))) {
      throw new DomainError('forbidden', `you are not in the electorate of vote "${id}"`, {
        fix: 'the electorate was frozen when the vote opened; ask who opened it',
      });
    }
    const marks = marksOf(v.method, v.candidates, ballot);
    // A budget's ballot keeps within the pool (or the points), whichever edge it comes from.
    checkBallotLimit(ballotLimitOf(v.decisionPayload), marks);
    return this.repo.transaction(async (tx) => {
      if (await this.repo.participate(tx, id, electorateId, principal.personId)) {
        const code = newReceiptCode();
        const ballotId = newId('b');
        await this.repo.insertBallot(tx, {
          id: ballotId,
          voteId: id,
          receipt: code,
          marks,
          source: 'online',
          record: null,
        });
        if (!v.anonymous) await this.repo.sign(tx, ballotId, id, principal.personId);
        return { receipt: code, replaced: false };
      }
      if (!v.allowChanges) {
        throw new DomainError(
          'conflict',
          'you have already voted, and this vote does not allow changing a ballot',
          {
            fix: 'your first ballot stands',
          },
        );
      }
      if (!v.anonymous) {
        const kept = await this.repo.replaceBySigner(tx, id, principal.personId, marks);
        if (kept === null) throw new Error(`vote ${id}: a participant of a named vote has no signed ballot`);
        return { receipt: kept, replaced: true };
      }
      if (receipt === undefined) {
        throw new DomainError(
          'conflict',
          'you have already voted; to change an anonymous ballot, send its receipt',
          {
            issues: [{ field: 'receipt', message: 'the receipt code you were shown when you first voted' }],
            fix: 'nobody, not even the server, knows which ballot is yours: the receipt is the only way to find it',
          },
        );
      }
      const code = normaliseReceipt(receipt);
      if (!(await this.repo.replaceByReceipt(tx, id, code, marks))) {
        throw new DomainError('invalid', 'receipt: no ballot of this vote has that receipt', {
          issues: [{ field: 'receipt', message: 'not a receipt of this vote' }],
          fix: 'copy the receipt code exactly as it was shown',
        });
      }
      return { receipt: code, replaced: true };
    });
  }

  /**
   * Brings a vote's row up to the clock: opens it (freezing the electorate) once its opening time has come,
   * and closes it (counting) once its closing time has passed. The timer does the same for every vote.
   */
  async settle(id: string): Promise<VoteRecord> {
    const v = await this.record(id);
    const now = this.clock.now();
    if (v.status === 'closed' || statusAt(v, now) === v.status) return v;
    // Read outside the transaction: PGlite has one connection, and the transaction holds it.
    const members =
      v.status === 'scheduled' ? await this.electorateFor(await this.directory.unit(v.unitId), v) : null;
    await this.repo.transaction(async (tx) => {
      const locked = await this.repo.byId(id, tx, true);
      if (!locked || locked.status === 'closed') return;
      if (locked.status === 'scheduled' && members !== null) await this.openWith(tx, locked, members, now);
      if (now.getTime() >= locked.closesAt.getTime()) {
        await this.closeLocked(tx, (await this.repo.byId(id, tx)) as VoteRecord, 'system:clock', now);
      }
    });
    return this.record(id);
  }

  /** Closes an open vote before its time (those who govern the unit); the count is recorded at once. */
  async close(id: string, actor: string): Promise<VoteView> {
    const now = this.clock.now();
    await this.settle(id);
    await this.repo.transaction(async (tx) => {
      const v = await this.repo.byId(id, tx, true);
      if (!v) throw notFound('vote', id);
      if (v.status === 'closed') throw new DomainError('conflict', `vote "${id}" is already closed`);
      if (v.status === 'scheduled') {
        throw new DomainError(
          'conflict',
          `vote "${id}" has not opened yet (it opens at ${v.opensAt.toISOString()})`,
        );
      }
      await this.closeLocked(tx, v, actor, now);
    });
    return this.get(id);
  }

  private async closeLocked(tx: VoteTx, v: VoteRecord, actor: string, now: Date): Promise<void> {
    const result = await this.count(v, tx);
    await this.repo.setClosed(tx, v.id, result, now);
    if (v.anonymous) await this.repo.seal(tx, v.id);
    await this.decisions.insert(tx, {
      id: newId('d'),
      unitId: v.unitId,
      kind: v.decisionKind,
      title: v.title,
      outcome: result.outcome,
      payload: v.decisionPayload,
      result: { ...result, tally: undefined, voteId: v.id },
      voteId: v.id,
      assemblyId: v.assemblyId,
      agendaItemId: v.agendaItemId,
      decidedAt: now,
      recordedBy: actor,
    });
  }

  private async count(v: VoteRecord, tx?: VoteTx): Promise<VoteResult> {
    const ballots = await this.repo.ballots(v.id, tx);
    const size = v.electorateId === null ? 0 : ((await this.electorates.size(v.electorateId, tx)) ?? 0);
    const input = {
      method: v.method,
      candidates: v.candidates,
      ballots: ballots.map((b) => b.marks),
      quorum: v.quorum,
      shareNeeded: v.shareNeeded,
      electorateSize: size,
    };
    return outcomeOf(
      { ...input, paperBallots: ballots.filter((b) => b.source === 'paper').length },
      this.counter(input),
    );
  }

  /** Adds ballots counted by hand (paper), read from a cast-vote file, while the vote is open; all or none. */
  async importPaper(
    id: string,
    file: PaperFile,
    actor: string,
  ): Promise<{ imported: number; ballotsCast: number }> {
    const v = await this.settle(id);
    if (statusAt(v, this.clock.now()) !== 'open') {
      throw new DomainError(
        'conflict',
        `vote "${id}" is ${statusAt(v, this.clock.now())}; paper ballots are added while it is open`,
        {
          fix: 'import the counted paper ballots before the vote closes',
        },
      );
    }
    const paper = await readPaperBallots(v.method, v.candidates, file);
    if (paper.marks.length === 0) {
      throw new DomainError('invalid', `${file.fileName}: the file holds no ballots`, {
        issues: [{ field: 'content', message: 'no ballots' }],
      });
    }
    // Paper ballots keep within the pool (or the points) like cast ones; one over it refuses the file.
    checkPaperBallotLimits(ballotLimitOf(v.decisionPayload), paper.marks, paper.records, file.fileName);
    await this.repo.transaction(async (tx) => {
      for (let i = 0; i < paper.marks.length; i++) {
        await this.repo.insertBallot(tx, {
          id: newId('b'),
          voteId: id,
          receipt: newReceiptCode(),
          marks: paper.marks[i] as Marks,
          source: 'paper',
          record: paper.records[i] ?? null,
        });
      }
      await this.repo.insertPaperImport(tx, {
        id: newId('pi'),
        voteId: id,
        fileName: file.fileName,
        format: file.format,
        ballots: paper.marks.length,
        by: actor,
        at: this.clock.now(),
      });
    });
    return { imported: paper.marks.length, ballotsCast: (await this.repo.counts(id)).ballots };
  }

  /** The recorded result of a closed vote, or the running count of an open one that does not hide it. */
  async results(id: string): Promise<{ final: boolean; result: VoteResult }> {
    const v = await this.settle(id);
    if (v.status === 'closed' && v.result) return { final: true, result: v.result };
    if (v.status === 'scheduled') throw new DomainError('conflict', `vote "${id}" has not opened yet`);
    if (v.hideResults) {
      throw new DomainError(
        'conflict',
        `the results of vote "${id}" are hidden until it closes at ${v.closesAt.toISOString()}`,
        {
          fix: 'read them after the vote closes',
        },
      );
    }
    return { final: false, result: await this.count(v) };
  }

  /** After closing: every ballot with its receipt, in receipt order, and the recorded result. */
  async published(id: string): Promise<PublishedBallots> {
    const v = await this.settle(id);
    if (v.status !== 'closed' || !v.result) {
      throw new DomainError(
        'conflict',
        `vote "${id}" is still open; its ballots are published when it closes`,
        {
          fix: `wait until ${v.closesAt.toISOString()}`,
        },
      );
    }
    const unit = await this.directory.unit(v.unitId);
    const ballots = await this.repo.ballots(id);
    return publishedBallots(v, unit.name, ballots);
  }

  async electorate(
    id: string,
  ): Promise<{ frozenAt: Date | null; members: (ElectorView & { voted: boolean })[] }> {
    const v = await this.settle(id);
    if (v.electorateId === null) return { frozenAt: null, members: [] };
    const voted = new Set(await this.repo.participants(id));
    const members = await this.electorates.members(v.electorateId);
    return {
      frozenAt: v.status === 'scheduled' ? null : v.opensAt,
      members: members.map((m) => ({ ...m, voted: voted.has(m.personId) })),
    };
  }

  /**
   * One timer pass: opens and closes every vote whose time has come. Rows carry the state, so restarts lose
   * nothing. A vote that cannot be settled is reported with its reason and left for the next pass; it does
   * not stop the others.
   */
  async tick(): Promise<{ opened: number; closed: number; failed: { voteId: string; reason: string }[] }> {
    let opened = 0;
    let closed = 0;
    const failed: { voteId: string; reason: string }[] = [];
    for (;;) {
      const due = (await this.repo.due(this.clock.now(), DUE_BATCH + failed.length)).filter(
        (d) => !failed.some((f) => f.voteId === d.id),
      );
      for (const d of due) {
        try {
          const after = await this.settle(d.id);
          if (d.status === 'scheduled' && after.status !== 'scheduled') opened++;
          if (after.status === 'closed') closed++;
        } catch (e) {
          failed.push({ voteId: d.id, reason: (e as Error).message });
        }
      }
      if (due.length < DUE_BATCH) break;
    }
    return { opened, closed, failed };
  }
}
