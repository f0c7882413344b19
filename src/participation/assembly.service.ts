// Assemblies: planned, opened with a frozen electorate, attended, their agenda voted on or decided by a show of
// hands once the quorum is present, minuted, and closed.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { actorKey, type Principal } from '../core/principal';
import type { AgendaDocument, Assembly, AssemblyStatus } from './assembly';
import type { AssemblyRepository, AssemblyRow } from './assembly.repository';
import type { DecisionRepository } from './decision.repository';
import type { ElectorateRepository } from './electorate.repository';
import type { ElectorateRule, Quorum } from './participation';
import { quorumOf } from './tally';
import type { VoteView } from './vote-record';
import type { NewVote, VoteService } from './vote.service';

export class AssemblyService {
  constructor(
    private readonly repo: AssemblyRepository,
    private readonly electorates: ElectorateRepository,
    private readonly decisions: DecisionRepository,
    private readonly votes: VoteService,
    private readonly clock: Clock,
  ) {}

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  itemUnit(id: string): Promise<string | null> {
    return this.repo.itemUnit(id);
  }

  async create(
    principal: Principal,
    input: {
      unitId: string;
      title: string;
      kind: string;
      scheduledFor: Date;
      quorum: Quorum;
      electorateRule: ElectorateRule;
    },
  ): Promise<Assembly> {
    const id = newId('as');
    await this.repo.insert({
      ...input,
      id,
      status: 'planned',
      electorateId: null,
      minutes: '',
      minutesUpdatedAt: null,
      minutesUpdatedBy: null,
      openedAt: null,
      closedAt: null,
      createdBy: actorKey(principal),
      createdAt: this.clock.now(),
    });
    return this.get(id);
  }

  private async row(id: string): Promise<AssemblyRow> {
    const a = await this.repo.byId(id);
    if (!a) throw notFound('assembly', id);
    return a;
  }

  private expect(a: AssemblyRow, statuses: AssemblyStatus[], doing: string): void {
    if (!statuses.includes(a.status)) {
      throw new DomainError('conflict', `assembly "${a.id}" is ${a.status}; it cannot ${doing}`, {
        fix: statuses.includes('open')
          ? 'open the assembly first (assembly.open)'
          : 'this is done before it opens',
      });
    }
  }

  async get(id: string): Promise<Assembly> {
    const a = await this.row(id);
    const items = await this.repo.items(id);
    const decided = await this.repo.itemDecisions(id);
    return {
      id: a.id,
      unitId: a.unitId,
      title: a.title,
      kind: a.kind as Assembly['kind'],
      scheduledFor: a.scheduledFor,
      status: a.status,
      quorum: a.quorum,
      attendance: await this.attendance(a),
      minutes: a.minutes,
      minutesUpdatedAt: a.minutesUpdatedAt,
      minutesUpdatedBy: a.minutesUpdatedBy,
      openedAt: a.openedAt,
      closedAt: a.closedAt,
      items: items.map((i) => ({
        id: i.id,
        position: i.position,
        title: i.title,
        body: i.body,
        documents: i.documents,
        voteId: i.voteId,
        decisionId: decided.get(i.id)?.id ?? null,
        outcome: decided.get(i.id)?.outcome ?? null,
      })),
    };
  }

  private async attendance(a: AssemblyRow): Promise<Assembly['attendance']> {
    const size = a.electorateId === null ? null : await this.electorates.size(a.electorateId);
    const present = await this.repo.present(a.id);
    if (size === null) return { electorateSize: null, present, needed: null, quorumMet: false };
    const q = quorumOf(a.quorum, size, present);
    return { electorateSize: size, present, needed: q.needed, quorumMet: q.met };
  }

  async list(f: Parameters<AssemblyRepository['list']>[0]): Promise<Assembly[]> {
    const rows = await this.repo.list(f);
    return Promise.all(rows.map((r) => this.get(r.id)));
  }

  /** Opens the assembly: its electorate (the unit's subtree under its rule) is frozen now. */
  async open(id: string): Promise<Assembly> {
    const now = this.clock.now();
    const planned = await this.row(id);
    this.expect(planned, ['planned'], 'open');
    const members = await this.votes.membersFor(planned.unitId, planned.electorateRule);
    if (members.length === 0) {
      throw new DomainError(
        'conflict',
        'the electorate is empty: nobody holds such a role on the unit or below',
        {
          fix: 'grant roles on the unit or its subtree, or widen electorateRule.roles',
        },
      );
    }
    await this.repo.transaction(async (tx) => {
      const a = await this.repo.byId(id, tx, true);
      if (!a) throw notFound('assembly', id);
      this.expect(a, ['planned'], 'open');
      const electorateId = newId('el');
      await this.electorates.freeze(tx, { id: electorateId, unitId: a.unitId, frozenAt: now, members });
      await this.repo.update(tx, id, { status: 'open', electorate_id: electorateId, opened_at: now });
    });
    return this.get(id);
  }

  /** A member checks in (or the chair records them present); only members of the frozen electorate count. */
  async attend(id: string, personId: string): Promise<Assembly> {
    const a = await this.row(id);
    this.expect(a, ['open'], 'take attendance');
    const electorateId = a.electorateId as string;
    if (!(await this.electorates.isMember(electorateId, personId))) {
      throw new DomainError('forbidden', `"${personId}" is not a member of this assembly's electorate`, {
        fix: 'the electorate was frozen when the assembly opened',
      });
    }
    await this.repo.transaction((tx) => this.repo.attend(tx, id, electorateId, personId, this.clock.now()));
    return this.get(id);
  }

  attendees(id: string) {
    return this.repo.attendees(id);
  }

  async addItem(
    id: string,
    input: { title: string; body: string; documents: AgendaDocument[] },
  ): Promise<Assembly> {
    const a = await this.row(id);
    this.expect(a, ['planned', 'open'], 'take new agenda items');
    await this.repo.transaction((tx) => this.repo.addItem(tx, { id: newId('ai'), assemblyId: id, ...input }));
    return this.get(id);
  }

  private async openItem(itemId: string) {
    const item = await this.repo.item(itemId);
    if (!item) throw notFound('agenda item', itemId);
    const a = await this.row(item.assemblyId);
    this.expect(a, ['open'], 'decide');
    const attendance = await this.attendance(a);
    if (!attendance.quorumMet) {
      throw new DomainError(
        'conflict',
        `no quorum: ${attendance.present} present of ${attendance.electorateSize ?? 0}, ${attendance.needed ?? 0} needed`,
        { fix: 'wait for more members to check in (assembly.attend)' },
      );
    }
    return { item, a };
  }

  /** Puts an item to a vote of those present (or of all members), linked to the item in one transaction. */
  async voteOnItem(
    principal: Principal,
    itemId: string,
    input: Omit<NewVote, 'unitId' | 'assemblyId' | 'agendaItemId' | 'electorate' | 'electorateRule'> & {
      voters: 'present' | 'members';
    },
  ): Promise<VoteView> {
    const { item, a } = await this.openItem(itemId);
    if (item.voteId !== null) {
      throw new DomainError('conflict', `agenda item "${itemId}" already has its vote (${item.voteId})`);
    }
    const electorateId = a.electorateId as string;
    const members = await this.electorates.members(electorateId);
    const present = new Set(
      input.voters === 'present' ? (await this.repo.attendees(a.id)).map((p) => p.personId) : [],
    );
    const electorate = members
      .filter((m) => input.voters === 'members' || present.has(m.personId))
      .map(({ personId, role, viaUnitId }) => ({ personId, role, viaUnitId }));
    const { voters: _voters, ...vote } = input;
    return this.votes.open(
      principal,
      {
        ...vote,
        unitId: a.unitId,
        assemblyId: a.id,
        agendaItemId: item.id,
        electorate,
        electorateRule: a.electorateRule,
      },
      async (tx, voteId) => {
        if (!(await this.repo.setItemVote(tx, item.id, voteId))) {
          throw new DomainError('conflict', `agenda item "${itemId}" already has its vote`);
        }
      },
    );
  }

  /** Records a decision taken by a show of hands, with its counts, once the quorum is present. */
  async decide(
    principal: Principal,
    itemId: string,
    input: {
      outcome: 'adopted' | 'rejected';
      counts: { for: number; against: number; abstain: number };
      kind: string;
      payload: Record<string, unknown>;
    },
  ): Promise<Assembly> {
    const { item, a } = await this.openItem(itemId);
    if (item.voteId !== null) {
      throw new DomainError('conflict', `agenda item "${itemId}" is decided by its vote (${item.voteId})`, {
        fix: 'the vote records the decision when it closes',
      });
    }
    await this.repo.transaction((tx) =>
      this.decisions.insert(tx, {
        id: newId('d'),
        unitId: a.unitId,
        kind: input.kind,
        title: item.title,
        outcome: input.outcome,
        payload: input.payload,
        result: { method: 'show-of-hands', counts: input.counts },
        voteId: null,
        assemblyId: a.id,
        agendaItemId: item.id,
        decidedAt: this.clock.now(),
        recordedBy: actorKey(principal),
      }),
    );
    return this.get(a.id);
  }

  async setMinutes(principal: Principal, id: string, minutes: string): Promise<Assembly> {
    await this.row(id);
    await this.repo.transaction((tx) =>
      this.repo.update(tx, id, {
        minutes,
        minutes_updated_at: this.clock.now(),
        minutes_updated_by: principal.kind === 'person' ? principal.name : actorKey(principal),
      }),
    );
    return this.get(id);
  }

  async close(id: string): Promise<Assembly> {
    const a = await this.row(id);
    this.expect(a, ['open'], 'close');
    await this.repo.transaction((tx) =>
      this.repo.update(tx, id, { status: 'closed', closed_at: this.clock.now() }),
    );
    return this.get(id);
  }
}
