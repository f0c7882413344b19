// Use cases of rationalization proposals: file, acknowledge, comment, trial, decide, appeal, spread, the climb
// past a deadline, and the saving a plan shows.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { actorKey, type Principal } from '../core/principal';
import { ancestorsOf } from '../cyberstride/alert';
import { climbDue } from '../cyberstride/climb-due';
import type {
  EconomyModel,
  TechnologyCoefficients,
  TechnologyUser,
  TechnologyVersion,
} from '../economy/economy';
import { labourSaving, targetDemand, techniqueMatrices, assertProductive } from './labour-saving';
import type { MeritEvent } from './merit';
import {
  ADOPTED,
  applyChanges,
  assertChanges,
  coefficientOf,
  type Adoption,
  type CoefficientChange,
  type Decision,
  type FiledChange,
  type ProposalEvent,
  type ProposalStatus,
  type ProposalView,
} from './proposal';
import { dueAt, type PhaseDeadlines, type ProposalDeadlineBook } from './proposal-deadlines';
import type { ProposalPublisher } from './proposal-publisher';
import type { NewProposalEvent, ProposalRepository, ProposalRow, ProposalTx } from './proposal.repository';

export interface UnitPort {
  unit(id: string): Promise<{ id: string; path: string; depth: number; code: string | null }>;
  byCode(code: string): Promise<{ id: string; path: string } | null>;
}

/** What proposals need of the economy (its service, and its repository inside the adoption's transaction). */
export interface EconomyPort {
  get(id: string): Promise<{ id: string; unitId: string; version: number }>;
  model(id: string): Promise<EconomyModel>;
  technologyUsers(economyId: string, technology: string): Promise<TechnologyUser[]>;
  technologyVersions(economyId: string, technology: string): Promise<TechnologyVersion[]>;
  /** Inside the caller's transaction; null when the live coefficients are no longer `expected`. */
  reviseTechnology(
    tx: ProposalTx,
    change: {
      economyId: string;
      technology: string;
      coefficients: TechnologyCoefficients;
      expected: TechnologyCoefficients;
      at: Date;
      reason: string;
      proposalId: string;
    },
  ): Promise<{ fromVersion: number; toVersion: number; economyVersion: number } | null>;
}

export interface PlanSummary {
  id: string;
  name: string;
  economyId: string;
  economyVersion: number;
  createdAt: Date;
  status: string;
  /** Hours of labour the plan uses in its first period, over every skill. */
  labour: number;
  /** The plan's final demand of its first period, by product code. */
  demand: Map<string, number>;
}

export type PlanListing = Pick<PlanSummary, 'id' | 'economyId' | 'economyVersion' | 'createdAt' | 'status'>;

/** What proposals need of planning: the plans of an economy (newest first), and one plan read whole. */
export interface PlanPort {
  plans(economyId: string): Promise<PlanListing[]>;
  plan(id: string): Promise<PlanSummary>;
}

export interface PlanSavings {
  planId: string;
  previousPlanId: string | null;
  labour: number;
  previousLabour: number | null;
  credited: {
    proposalId: string;
    title: string;
    authorName: string;
    adoptionId: string;
    unitId: string;
    technology: string;
    hoursSaved: number;
  }[];
  creditedHours: number;
}

const OPEN: readonly ProposalStatus[] = ['filed', 'acknowledged', 'on-trial', 'appealed'];

function nameOf(p: Principal): string {
  return p.kind === 'person' ? p.name : p.kind === 'system' ? 'the operator' : 'a machine';
}

function demandVector(model: EconomyModel, demand: Map<string, number>): number[] {
  return model.products.map((p) => demand.get(p.code) ?? 0);
}

export class ProposalService {
  constructor(
    private readonly repo: ProposalRepository,
    private readonly units: UnitPort,
    private readonly economy: EconomyPort,
    private readonly plans: PlanPort,
    private readonly deadlines: ProposalDeadlineBook,
    private readonly publisher: ProposalPublisher,
    private readonly clock: Clock,
  ) {}

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  levelOf(id: string): Promise<string | null> {
    return this.repo.levelOf(id);
  }

  getDeadlines(): Promise<PhaseDeadlines> {
    return this.deadlines.get();
  }

  setDeadlines(d: PhaseDeadlines): Promise<PhaseDeadlines> {
    return this.deadlines.set(d);
  }

  /** The declared users of a technology, or the unit the model says operates it, with the whole output. */
  async usersOf(economyId: string, technology: string): Promise<TechnologyUser[]> {
    const declared = await this.economy.technologyUsers(economyId, technology);
    if (declared.length > 0) return declared;
    const model = await this.economy.model(economyId);
    const code = model.technologies.find((t) => t.code === technology)?.unit;
    const unit = code ? await this.units.byCode(code) : null;
    return unit ? [{ unitId: unit.id, share: 1 }] : [];
  }

  /** The user the filing unit belongs to: itself, or the nearest user above it. */
  private async userFor(unitPath: string, users: TechnologyUser[]): Promise<TechnologyUser | null> {
    const ids = ancestorsOf(unitPath);
    for (let d = ids.length - 1; d >= 0; d--) {
      const u = users.find((x) => x.unitId === ids[d]);
      if (u) return u;
    }
    return null;
  }

  async file(
    principal: Principal,
    input: {
      unitId: string;
      economyId: string;
      technology: string;
      title: string;
      body: string;
      changes: CoefficientChange[];
      attachments: { name: string; ref: string }[];
    },
  ): Promise<ProposalView> {
    if (principal.kind !== 'person')
      throw new DomainError('unauthenticated', 'a proposal is filed by a person: sign in', {
        fix: 'call auth.login and send the token',
      });
    const unit = await this.units.unit(input.unitId);
    await this.economy.get(input.economyId);
    const model = await this.economy.model(input.economyId);
    const tech = model.technologies.find((t) => t.code === input.technology);
    if (!tech)
      throw new DomainError(
        'not-found',
        `technology: "${input.technology}" is not in economy ${input.economyId}`,
        {
          issues: [{ field: 'technology', message: `unknown technology "${input.technology}"` }],
          fix: 'use a technology code from economy.model',
        },
      );
    assertChanges(model, input.changes);
    const users = await this.usersOf(input.economyId, input.technology);
    if (!(await this.userFor(unit.path, users)))
      throw new DomainError('conflict', `unitId: this unit does not run technology "${input.technology}"`, {
        issues: [{ field: 'unitId', message: 'not a user of the technology, nor inside one' }],
        fix: `file on a unit that runs it (users: ${users.map((u) => u.unitId).join(', ') || 'none declared'}), or declare the users with improvement.technology-users.set`,
        data: { users },
      });
    const changes: FiledChange[] = input.changes.map((c) => ({
      kind: c.kind,
      item: c.item,
      from: coefficientOf(tech, c.kind, c.item),
      to: c.perUnit,
    }));
    // Coefficients that would make the economy unproductive are refused now, with the eigenvalue.
    assertProductive(techniqueMatrices(model, tech.code, applyChanges(tech, changes, 1)).A, 'changes');
    const now = this.clock.now();
    const book = await this.deadlines.get();
    const id = newId('rp');
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, {
        id,
        unitId: unit.id,
        economyId: input.economyId,
        technology: tech.code,
        title: input.title,
        body: input.body,
        changes,
        attachments: input.attachments,
        authorId: principal.personId,
        authorName: principal.name,
        status: 'filed',
        levelUnitId: unit.id,
        levelDepth: unit.depth,
        phase: 'acknowledge',
        escalateDueAt: dueAt(book, 'acknowledge', unit.depth, now),
        filedAt: now,
        acknowledgedAt: null,
        decidedAt: null,
        decision: null,
        appealedAt: null,
      });
      await this.repo.events(tx, [
        this.event(id, principal, now, 'filed', { levelUnitId: unit.id, levelDepth: unit.depth }, null, {
          changes,
        }),
      ]);
    });
    return this.get(id);
  }

  private event(
    proposalId: string,
    principal: Principal,
    at: Date,
    kind: NewProposalEvent['kind'],
    level: { levelUnitId: string; levelDepth: number },
    reason: string | null,
    detail: Record<string, unknown> = {},
  ): NewProposalEvent {
    return {
      proposalId,
      at,
      kind,
      actor: actorKey(principal),
      actorName: nameOf(principal),
      ...level,
      reason,
      detail,
    };
  }

  private async row(id: string, tx?: ProposalTx, lock = false): Promise<ProposalRow> {
    const p = await this.repo.byId(id, tx, lock);
    if (!p) throw notFound('proposal', id);
    return p;
  }

  private static expect(p: ProposalRow, allowed: readonly ProposalStatus[], action: string): void {
    if (!allowed.includes(p.status))
      throw new DomainError('conflict', `proposal "${p.id}" is ${p.status}: it cannot be ${action}`, {
        fix: `only a proposal that is ${allowed.join(' or ')} can be ${action}`,
        data: { status: p.status },
      });
  }

  /** The unit has seen the proposal: the acknowledgement deadline stops, the decision deadline starts. */
  async acknowledge(principal: Principal, id: string, note: string | null): Promise<ProposalView> {
    const now = this.clock.now();
    const book = await this.deadlines.get();
    await this.repo.transaction(async (tx) => {
      const p = await this.row(id, tx, true);
      ProposalService.expect(p, ['filed'], 'acknowledged');
      await this.repo.update(tx, id, {
        status: 'acknowledged',
        acknowledged_at: now,
        phase: 'decide',
        escalate_due_at: dueAt(book, 'decide', p.levelDepth, now),
      });
      await this.repo.events(tx, [this.event(id, principal, now, 'acknowledged', p, note)]);
    });
    return this.get(id);
  }

  async comment(principal: Principal, id: string, text: string): Promise<ProposalView> {
    const now = this.clock.now();
    await this.repo.transaction(async (tx) => {
      const p = await this.row(id, tx, true);
      await this.repo.events(tx, [this.event(id, principal, now, 'commented', p, text)]);
    });
    return this.get(id);
  }

  /** A trial until a date: the decision is due a decision deadline after the trial ends. */
  async requestTrial(principal: Principal, id: string, until: Date, reason: string): Promise<ProposalView> {
    const now = this.clock.now();
    if (until.getTime() <= now.getTime())
      throw new DomainError('invalid', 'until: the trial must end in the future', {
        issues: [{ field: 'until', message: `must be after ${now.toISOString()}` }],
      });
    const book = await this.deadlines.get();
    await this.repo.transaction(async (tx) => {
      const p = await this.row(id, tx, true);
      ProposalService.expect(p, ['filed', 'acknowledged', 'on-trial', 'appealed'], 'put on trial');
      await this.repo.update(tx, id, {
        status: 'on-trial',
        ...(p.acknowledgedAt === null ? { acknowledged_at: now } : {}),
        phase: 'decide',
        escalate_due_at: dueAt(book, 'decide', p.levelDepth, until),
      });
      await this.repo.events(tx, [
        this.event(id, principal, now, 'trial-requested', p, reason, { until: until.toISOString() }),
      ]);
    });
    return this.get(id);
  }

  async decide(
    principal: Principal,
    id: string,
    outcome: Decision['outcome'],
    reason: string,
    partChanges?: CoefficientChange[],
  ): Promise<ProposalView> {
    const p = await this.row(id);
    ProposalService.expect(p, OPEN, 'decided');
    const onAppeal = p.status === 'appealed';
    const now = this.clock.now();
    if (outcome === 'reject') {
      await this.repo.transaction(async (tx) => {
        const locked = await this.row(id, tx, true);
        ProposalService.expect(locked, OPEN, 'decided');
        const decision: Decision = {
          outcome,
          reason,
          by: actorKey(principal),
          byName: nameOf(principal),
          onAppeal,
          changes: [],
        };
        await this.repo.update(tx, id, {
          status: 'rejected',
          decided_at: now,
          decision,
          phase: null,
          escalate_due_at: null,
        });
        await this.repo.events(tx, [
          this.event(id, principal, now, 'rejected', locked, reason, { onAppeal }),
        ]);
      });
      return this.get(id);
    }
    let changes = p.changes;
    if (outcome === 'adopt-in-part') {
      if (!partChanges || partChanges.length === 0)
        throw new DomainError('invalid', 'changes: adopting in part needs the changes adopted', {
          issues: [{ field: 'changes', message: 'give the coefficients adopted, a part of those proposed' }],
        });
      const issues = partChanges.flatMap((c, i) =>
        p.changes.some((f) => f.kind === c.kind && f.item === c.item)
          ? []
          : [
              {
                field: `changes[${i}].item`,
                message: `${c.kind} "${c.item}" is not among the proposed changes`,
              },
            ],
      );
      if (issues.length > 0)
        throw new DomainError('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, {
          issues,
          fix: 'adopt a part of what was proposed; a different change is a new proposal',
        });
      changes = partChanges.map((c) => {
        const filed = p.changes.find((f) => f.kind === c.kind && f.item === c.item) as FiledChange;
        return { ...filed, to: c.perUnit };
      });
    }
    const users = await this.usersOf(p.economyId, p.technology);
    const user = await this.userFor(p.unitPath, users);
    if (!user)
      throw new DomainError('conflict', `the unit no longer runs technology "${p.technology}"`, {
        fix: 'declare the technology users again with improvement.technology-users.set',
      });
    const status = outcome === 'adopt' ? 'adopted' : 'adopted-in-part';
    await this.adopt(principal, p, user, changes, async (tx) => {
      const locked = await this.row(id, tx, true);
      ProposalService.expect(locked, OPEN, 'decided');
      const decision: Decision = {
        outcome,
        reason,
        by: actorKey(principal),
        byName: nameOf(principal),
        onAppeal,
        changes,
      };
      await this.repo.update(tx, id, {
        status,
        decided_at: now,
        decision,
        phase: null,
        escalate_due_at: null,
      });
      await this.repo.events(tx, [
        this.event(id, principal, now, status, locked, reason, { onAppeal, changes }),
      ]);
    });
    const view = await this.get(id);
    const recordId = await this.publisher.publish(view);
    if (recordId !== null) await this.repo.markPublished(id, recordId);
    return view;
  }

  /** The author asks the parent of the unit that rejected to decide again, once. */
  async appeal(principal: Principal, id: string, reason: string): Promise<ProposalView> {
    const now = this.clock.now();
    const book = await this.deadlines.get();
    await this.repo.transaction(async (tx) => {
      const p = await this.row(id, tx, true);
      if (principal.kind !== 'person' || principal.personId !== p.authorId)
        throw new DomainError('forbidden', 'only the author of a proposal can appeal its rejection');
      ProposalService.expect(p, ['rejected'], 'appealed');
      if (p.appealedAt !== null)
        throw new DomainError(
          'conflict',
          `proposal "${id}" was appealed once already: the rejection is final`,
        );
      if (p.levelDepth === 0)
        throw new DomainError('conflict', 'the root unit rejected it: there is no parent to appeal to');
      const ids = ancestorsOf(p.unitPath);
      const parent = { levelUnitId: ids[p.levelDepth - 1] as string, levelDepth: p.levelDepth - 1 };
      await this.repo.update(tx, id, {
        status: 'appealed',
        appealed_at: now,
        level_unit_id: parent.levelUnitId,
        level_depth: parent.levelDepth,
        phase: 'decide',
        escalate_due_at: dueAt(book, 'decide', parent.levelDepth, now),
      });
      await this.repo.events(tx, [this.event(id, principal, now, 'appealed', parent, reason)]);
    });
    return this.get(id);
  }

  /** Another unit running the technology adopts an adopted improvement: one action. */
  async spread(principal: Principal, id: string, unitId: string): Promise<ProposalView> {
    const p = await this.row(id);
    ProposalService.expect(p, ADOPTED, 'spread');
    const users = await this.usersOf(p.economyId, p.technology);
    const user = users.find((u) => u.unitId === unitId);
    if (!user)
      throw new DomainError('conflict', `unitId: this unit does not run technology "${p.technology}"`, {
        issues: [{ field: 'unitId', message: 'not a user of the technology' }],
        fix: `adopt on one of its users (${users.map((u) => u.unitId).join(', ')})`,
      });
    const done = await this.repo.adoptions({ proposalIds: [id] });
    if (done.some((a) => a.unitId === unitId))
      throw new DomainError('duplicate', 'unitId: this unit has adopted the improvement already');
    const changes = p.decision?.changes ?? p.changes;
    await this.adopt(principal, p, user, changes, async (tx, adoption) => {
      await this.repo.events(tx, [
        this.event(id, principal, adoption.adoptedAt, 'spread', p, null, {
          unitId,
          adoptionId: adoption.id,
          labourSaved: adoption.labourSaved,
        }),
      ]);
    });
    return this.get(id);
  }

  /**
   * One adoption: the technology's new version (the unit's share of the change), the saving at the current
   * plan's demand, the author's merit event and the publication request, in one transaction with `record`.
   */
  private async adopt(
    principal: Principal,
    p: ProposalRow,
    user: TechnologyUser,
    changes: FiledChange[],
    record: (tx: ProposalTx, adoption: Adoption) => Promise<void>,
  ): Promise<Adoption> {
    const model = await this.economy.model(p.economyId);
    const tech = model.technologies.find((t) => t.code === p.technology);
    if (!tech) throw new DomainError('conflict', `technology "${p.technology}" is no longer in the economy`);
    const before: TechnologyCoefficients = {
      inputs: tech.inputs,
      labour: tech.labour,
      resources: tech.resources,
    };
    const after = applyChanges(before, changes, user.share);
    const { demand, source } = await this.currentDemand(p.economyId, model);
    const saving = labourSaving(model, tech.code, before, after, demandVector(model, demand));
    const now = this.clock.now();
    return this.repo.transaction(async (tx) => {
      const revision = await this.economy.reviseTechnology(tx, {
        economyId: p.economyId,
        technology: tech.code,
        coefficients: after,
        expected: before,
        at: now,
        reason: `proposal ${p.id}: ${p.title} (adopted by unit ${user.unitId})`,
        proposalId: p.id,
      });
      if (!revision)
        throw new DomainError('conflict', `technology "${tech.code}" changed while this was computed`, {
          fix: 'try again: the saving is computed from the coefficients as they are now',
        });
      const adoption: Adoption = {
        id: newId('ad'),
        proposalId: p.id,
        unitId: user.unitId,
        share: user.share,
        economyId: p.economyId,
        technology: tech.code,
        ...revision,
        labourSaved: saving.saved,
        demandSource: source,
        adoptedAt: now,
        adoptedBy: actorKey(principal),
      };
      await this.repo.insertAdoption(tx, adoption);
      await record(tx, adoption);
      const merit: MeritEvent = {
        id: newId('me'),
        personId: p.authorId,
        kind: 'improvement-adopted',
        at: now,
        unitId: user.unitId,
        proposalId: p.id,
        adoptionId: adoption.id,
        hoursSaved: saving.saved,
        detail: {
          technology: tech.code,
          share: user.share,
          demandSource: source,
          before: saving.before,
          after: saving.after,
        },
      };
      await this.repo.insertMerit(tx, merit);
      await this.repo.requestPublication(tx, p.id, now);
      return adoption;
    });
  }

  /** The final demand of the newest optimal plan of the economy, or the model's first-period targets. */
  private async currentDemand(
    economyId: string,
    model: EconomyModel,
  ): Promise<{ demand: Map<string, number>; source: string }> {
    const listed = (await this.plans.plans(economyId)).find((x) => x.status === 'optimal');
    if (listed) return { demand: (await this.plans.plan(listed.id)).demand, source: `plan ${listed.id}` };
    const d = targetDemand(model);
    return { demand: new Map(model.products.map((x, i) => [x.code, d[i] ?? 0])), source: 'economy targets' };
  }

  async get(id: string): Promise<ProposalView> {
    const [view] = await this.views([await this.row(id)]);
    return view as ProposalView;
  }

  async timeline(id: string): Promise<ProposalEvent[]> {
    await this.row(id);
    return this.repo.timeline(id);
  }

  async list(f: Parameters<ProposalRepository['list']>[0]): Promise<ProposalView[]> {
    return this.views(await this.repo.list(f));
  }

  adoptionsOf(proposalIds: string[]): Promise<Adoption[]> {
    return this.repo.adoptions({ proposalIds });
  }

  publication(id: string) {
    return this.repo.publication(id);
  }

  meritEvents(f: Parameters<ProposalRepository['meritEvents']>[0]): Promise<MeritEvent[]> {
    return this.repo.meritEvents(f);
  }

  private async views(rows: ProposalRow[]): Promise<ProposalView[]> {
    const adoptions = await this.repo.adoptions({ proposalIds: rows.map((r) => r.id) });
    return rows.map((r) => {
      const mine = adoptions.filter((a) => a.proposalId === r.id);
      return {
        id: r.id,
        unitId: r.unitId,
        economyId: r.economyId,
        technology: r.technology,
        title: r.title,
        body: r.body,
        changes: r.changes,
        attachments: r.attachments,
        authorId: r.authorId,
        authorName: r.authorName,
        status: r.status,
        level: { unitId: r.levelUnitId, depth: r.levelDepth },
        phase: r.phase,
        escalateDueAt: r.escalateDueAt,
        filedAt: r.filedAt,
        acknowledgedAt: r.acknowledgedAt,
        decidedAt: r.decidedAt,
        appealedAt: r.appealedAt,
        decision: r.decision,
        adoptions: mine,
        labourSaved: mine.reduce((s, a) => s + a.labourSaved, 0),
      };
    });
  }

  /**
   * What a plan shows of improvements: the adoptions that took effect since the economy's previous plan
   * (economy versions after that plan's, up to this plan's), each credited with the labour its coefficients
   * save at this plan's final demand, beside the labour of this plan and of the previous one.
   */
  async planSavings(planId: string): Promise<PlanSavings> {
    const plan = await this.plans.plan(planId);
    const earlier = (await this.plans.plans(plan.economyId)).filter(
      (x) => x.id !== plan.id && x.createdAt.getTime() <= plan.createdAt.getTime(),
    );
    const previous = earlier[0] ? await this.plans.plan(earlier[0].id) : null;
    const adoptions = await this.repo.adoptions({
      economyId: plan.economyId,
      ...(previous ? { afterVersion: previous.economyVersion } : {}),
      upToVersion: plan.economyVersion,
    });
    const model = await this.economy.model(plan.economyId);
    const d = demandVector(model, plan.demand);
    const proposals = new Map<string, ProposalRow>();
    const credited: PlanSavings['credited'] = [];
    for (const a of adoptions) {
      const versions = await this.economy.technologyVersions(a.economyId, a.technology);
      const from = versions.find((v) => v.version === a.fromVersion);
      const to = versions.find((v) => v.version === a.toVersion);
      if (!from || !to) continue;
      const p = proposals.get(a.proposalId) ?? (await this.row(a.proposalId));
      proposals.set(p.id, p);
      const saving = labourSaving(model, a.technology, from.coefficients, to.coefficients, d);
      credited.push({
        proposalId: p.id,
        title: p.title,
        authorName: p.authorName,
        adoptionId: a.id,
        unitId: a.unitId,
        technology: a.technology,
        hoursSaved: saving.saved,
      });
    }
    return {
      planId: plan.id,
      previousPlanId: previous?.id ?? null,
      labour: plan.labour,
      previousLabour: previous?.labour ?? null,
      credited,
      creditedHours: credited.reduce((s, c) => s + c.hoursSaved, 0),
    };
  }

  /**
   * Climbs every proposal whose deadline has passed, one level per deadline of its phase, timed from the
   * deadline itself (the alerts' rule), so a server that was down catches up exactly.
   */
  async escalate(): Promise<{ escalated: number; steps: number }> {
    const book = await this.deadlines.get();
    const phaseOf = (p: ProposalRow) => p.phase ?? 'decide';
    return climbDue(
      this.repo,
      this.clock.now(),
      (p) => book[phaseOf(p)],
      async (tx, p, climb) => {
        const phase = phaseOf(p);
        await this.repo.events(
          tx,
          climb.map((s) => ({
            proposalId: p.id,
            at: s.at,
            kind: 'escalated' as const,
            actor: 'system:escalation',
            actorName: 'escalation',
            levelUnitId: s.toUnitId,
            levelDepth: s.toDepth,
            reason: `not ${phase === 'acknowledge' ? 'acknowledged' : 'decided'} within the deadline`,
            detail: { phase, nextDue: s.nextDue?.toISOString() ?? null, reachedRoot: s.toDepth === 0 },
          })),
        );
      },
    );
  }
}
