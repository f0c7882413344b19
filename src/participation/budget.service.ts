// Use cases of participatory budgets: open on an economy, propose and review projects, vote over the votes of
// Participation I, close with a rule into a final-demand scenario, compute the plan that scenario sets; and
// priorities votes that weigh consumption groups in the harmony objective.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { actorKey, type Principal } from '../core/principal';
import type { EconomyModel } from '../economy/economy';
import type { PlanProvenance } from '../planning/plan-provenance';
import type { PlanView, RunHooks } from '../planning/plan.service';
import type { PlanObjective } from '../planning/formulation/plan-spec';
import type { ScenarioChange } from '../planning/formulation/scenario';
import type { BallotInput } from './ballot';
import {
  assertSettings,
  groupWeights,
  priceProject,
  unitCosts,
  type BudgetProject,
  type BudgetRecord,
  type BudgetResult,
  type BudgetSettings,
  type NewProject,
  type PrioritiesResult,
  type PriorityGroup,
  type ProjectItem,
} from './budget';
import { utilitiesOf, type BallotLimit } from './budget-ballot';
import { labourValuesTask, projectsInConflict, scenarioTargets } from './budget-scenario';
import type { BudgetRepository } from './budget.repository';
import { equalShares, greedy, totals, type PbInstance } from './counting/pb-rules';
import { electorateRuleSchema, methodSchema, type ElectorateRule, type Method } from './participation';
import type { VoteService } from './vote.service';
import type { Reach } from '../store/reach-filter';
import { writePabulib, type PbFile } from './cvr/pabulib';

/** What budgets need of the economy and the planner (their services, never their tables). */
export interface BudgetEconomyPort {
  get(id: string): Promise<{ id: string; unitId: string; name: string }>;
  model(id: string): Promise<EconomyModel>;
}
export interface BudgetPlannerPort {
  compute(
    request: {
      economyId: string;
      objective: PlanObjective;
      name: string;
      changes: ScenarioChange[];
      harmonyWeights?: { product: string; weight: number }[];
      provenance: PlanProvenance;
    },
    hooks: RunHooks,
  ): Promise<PlanView>;
}

export interface BudgetView extends BudgetRecord {
  projects: BudgetProject[];
}

export interface BudgetPlan {
  budgetId: string;
  plan: PlanView;
  targets: PlanProvenance['targets'];
  /** When the plan is infeasible: the chosen projects that cannot be met together, and why. */
  conflict: { projects: { id: string; name: string }[]; limits: string[]; summary: string } | null;
}

function conflict(message: string, fix: string): DomainError {
  return new DomainError('conflict', message, { fix });
}

function methodFor(s: BudgetSettings): Method {
  if (s.ballot === 'approval') return methodSchema.parse({ type: 'approval', seats: 1 });
  if (s.ballot === 'cumulative')
    return methodSchema.parse({ type: 'score', seats: 1, maxScore: s.points ?? 1 });
  return methodSchema.parse({ type: 'irv', tieBreak: 'candidate-order' });
}

export class BudgetService {
  constructor(
    private readonly repo: BudgetRepository,
    private readonly economy: BudgetEconomyPort,
    private readonly votes: VoteService,
    private readonly planner: BudgetPlannerPort,
    private readonly clock: Clock,
    /** Labour values of a model: in the compute pool on a server, in-process by default. */
    private readonly values: (model: EconomyModel) => Promise<Record<string, number>> = async (m) =>
      labourValuesTask(m),
  ) {}

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  private async record(id: string): Promise<BudgetRecord> {
    const b = await this.repo.byId(id);
    if (!b) throw notFound('budget', id);
    return b;
  }

  async get(id: string): Promise<BudgetView> {
    const b = await this.record(id);
    return { ...b, projects: await this.repo.projects(id) };
  }

  async list(reach: Reach, economyId?: string): Promise<BudgetRecord[]> {
    return this.repo.list(reach, economyId);
  }

  private async costs(economyId: string, settings: BudgetSettings) {
    const model = await this.economy.model(economyId);
    const values = await this.values(model);
    return { model, costs: unitCosts(new Map(Object.entries(values)), settings.pool) };
  }

  /** Opens a budget on an economy, with the office's own projects (accepted and priced at once). */
  async open(
    principal: Principal,
    input: { economyId: string; name: string; settings: BudgetSettings; projects: NewProject[] },
  ): Promise<BudgetView> {
    assertSettings(input.settings);
    const economy = await this.economy.get(input.economyId);
    const { model, costs } = await this.costs(economy.id, input.settings);
    const now = this.clock.now();
    const actor = actorKey(principal);
    const projects: BudgetProject[] = input.projects.map((p, i) => ({
      id: `p${i + 1}`,
      name: p.name,
      description: p.description,
      items: p.items,
      cost: priceProject(model, costs, p.items, `projects[${i}].items`),
      status: 'accepted',
      proposedBy: actor,
      review: null,
      createdAt: now,
    }));
    const budget: BudgetRecord = {
      id: newId('bg'),
      kind: 'projects',
      unitId: economy.unitId,
      economyId: economy.id,
      name: input.name,
      status: 'proposing',
      settings: input.settings,
      groups: [],
      voteId: null,
      result: null,
      planId: null,
      createdBy: actor,
      createdAt: now,
      closedAt: null,
    };
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, budget);
      for (const p of projects) await this.repo.insertProject(tx, budget.id, p);
    });
    return this.get(budget.id);
  }

  /** A member proposes a project; it is priced at once and waits for the office's review. */
  async propose(principal: Principal, budgetId: string, project: NewProject): Promise<BudgetProject> {
    const b = await this.projectsBudget(budgetId);
    if (b.status !== 'proposing')
      throw conflict(
        `budget "${b.name}" no longer takes proposals (it is ${b.status})`,
        'propose while it is open for proposals',
      );
    const { model, costs } = await this.costs(b.economyId, b.settings);
    const cost = priceProject(model, costs, project.items);
    return this.repo.transaction(async (tx) => {
      const locked = await this.repo.byId(budgetId, tx, true);
      if (locked?.status !== 'proposing')
        throw conflict('the budget has left proposals', 'propose to another budget');
      const p: BudgetProject = {
        id: `p${(await this.repo.projectCount(tx, budgetId)) + 1}`,
        ...project,
        cost,
        status: 'proposed',
        proposedBy: actorKey(principal),
        review: null,
        createdAt: this.clock.now(),
      };
      await this.repo.insertProject(tx, budgetId, p);
      return p;
    });
  }

  /** The office accepts (possibly with corrected items, re-priced) or rejects a project, with a reason. */
  async review(
    budgetId: string,
    projectId: string,
    decision: { accept: boolean; reason?: string; items?: ProjectItem[] },
  ): Promise<BudgetProject> {
    const b = await this.projectsBudget(budgetId);
    if (b.status !== 'proposing')
      throw conflict(
        `budget "${b.name}" is ${b.status}: its projects are fixed`,
        'review projects before the vote starts',
      );
    if (!decision.accept && !decision.reason)
      throw new DomainError('invalid', 'reason: a rejection needs a reason', {
        issues: [{ field: 'reason', message: 'say why the project is rejected' }],
      });
    let cost: number | undefined;
    if (decision.items) {
      const { model, costs } = await this.costs(b.economyId, b.settings);
      cost = priceProject(model, costs, decision.items);
    }
    const ok = await this.repo.transaction(async (tx) => {
      const locked = await this.repo.byId(budgetId, tx, true);
      if (locked?.status !== 'proposing')
        throw conflict('the vote has started', 'projects are fixed once it starts');
      return this.repo.review(tx, budgetId, projectId, {
        status: decision.accept ? 'accepted' : 'rejected',
        review: decision.reason ?? null,
        ...(decision.items ? { items: decision.items } : {}),
        ...(cost === undefined ? {} : { cost }),
      });
    });
    if (!ok) throw notFound('project', projectId);
    return (await this.repo.projects(budgetId)).find((p) => p.id === projectId)!;
  }

  private async projectsBudget(id: string): Promise<BudgetRecord> {
    const b = await this.record(id);
    if (b.kind !== 'projects')
      throw new DomainError('invalid', `budget "${id}" is a priorities vote`, {
        issues: [{ field: 'budgetId', message: 'not a budget of projects' }],
        fix: 'use the priorities operations for it',
      });
    return b;
  }

  /** Opens the vote over the accepted projects (a vote of Participation I: electorate, secrecy, receipts). */
  async startVote(
    principal: Principal,
    budgetId: string,
    input: { closesAt: Date; electorateRule?: ElectorateRule },
  ): Promise<BudgetView> {
    const b = await this.projectsBudget(budgetId);
    if (b.status !== 'proposing')
      throw conflict(`budget "${b.name}" is already ${b.status}`, 'a budget votes once');
    const accepted = (await this.repo.projects(budgetId)).filter((p) => p.status === 'accepted');
    if (accepted.length < 2)
      throw conflict(
        `budget "${b.name}" has ${accepted.length} accepted project(s)`,
        'accept at least two projects first',
      );
    const pool = b.settings.pool;
    const unit = pool.kind === 'labour-hours' ? 'h' : 'money';
    const limit: BallotLimit =
      b.settings.ballot === 'approval'
        ? {
            kind: 'cost',
            max: pool.amount,
            costs: Object.fromEntries(accepted.map((p) => [p.id, p.cost])),
            unit,
          }
        : b.settings.ballot === 'cumulative'
          ? { kind: 'points', max: b.settings.points ?? 1 }
          : { kind: 'points', max: Number.MAX_SAFE_INTEGER };
    await this.votes.open(
      principal,
      {
        unitId: b.unitId,
        title: `Budget: ${b.name}`,
        description: `Participatory budget of ${pool.amount} ${unit}; rule ${b.settings.rule}.`,
        method: methodFor(b.settings),
        candidates: accepted.map((p) => ({ id: p.id, name: p.name })),
        quorum: { kind: 'none' },
        shareNeeded: null,
        hideResults: true,
        anonymous: true,
        allowChanges: true,
        electorateRule: input.electorateRule ?? electorateRuleSchema.parse(undefined),
        closesAt: input.closesAt,
        decisionKind: 'budget',
        decisionPayload: { budgetId, ballotLimit: limit },
      },
      async (tx, voteId) => {
        const locked = await this.repo.byId(budgetId, tx, true);
        if (locked?.status !== 'proposing')
          throw conflict('the budget is already voting', 'a budget votes once');
        await this.repo.setVote(tx, budgetId, voteId);
      },
    );
    return this.get(budgetId);
  }

  /** A ballot of a member, checked against the pool (approval) or the points (cumulative). */
  async vote(
    principal: Principal,
    budgetId: string,
    ballot: { approve?: string[]; points?: Record<string, number>; ranking?: string[] },
    receipt?: string,
  ): Promise<{ receipt: string; replaced: boolean }> {
    const b = await this.record(budgetId);
    if (b.voteId === null)
      throw conflict(`"${b.name}" is not voting yet`, 'vote once the office has started the vote');
    const input: BallotInput = {
      ...(ballot.approve ? { approve: ballot.approve } : {}),
      ...(ballot.points ? { scores: ballot.points } : {}),
      ...(ballot.ranking ? { ranking: ballot.ranking } : {}),
    };
    return this.votes.cast(principal, b.voteId, input, receipt);
  }

  /** Closes the vote (if still open), counts by the budget's rule and records the scenario of the result. */
  async close(actor: string, budgetId: string): Promise<BudgetView> {
    const b = await this.projectsBudget(budgetId);
    if (b.status === 'closed')
      throw conflict(`budget "${b.name}" is already closed`, 'read its result with budget.get');
    if (b.voteId === null)
      throw conflict(`budget "${b.name}" has not voted`, 'start its vote first (budget.start-vote)');
    const vote = await this.votes.settle(b.voteId);
    if (vote.status !== 'closed') await this.votes.close(b.voteId, actor);
    const published = await this.votes.published(b.voteId);
    const projects = (await this.repo.projects(budgetId)).filter((p) => p.status === 'accepted');
    const instance: PbInstance = {
      budget: b.settings.pool.amount,
      projects: projects.map((p) => ({ id: p.id, cost: p.cost })),
      ballots: published.ballots.map((x) =>
        utilitiesOf(x.marks, projects.length, b.settings.rankedScore ?? 'borda'),
      ),
    };
    const outcome = b.settings.rule === 'greedy' ? greedy(instance) : equalShares(instance);
    const model = await this.economy.model(b.economyId);
    const chosen = outcome.selected.map((id) => projects.find((p) => p.id === id)!);
    const result: BudgetResult = {
      rule: b.settings.rule,
      completion: b.settings.rule === 'equal-shares' ? 'add1+greedy' : null,
      ballots: instance.ballots.length,
      votes: [...totals(instance)].map(([project, score]) => ({ project, score })),
      selected: outcome.selected,
      steps: outcome.steps,
      cost: outcome.cost,
      scenario: scenarioTargets(model, chosen, b.settings.period),
    };
    await this.repo.transaction(async (tx) => {
      const locked = await this.repo.byId(budgetId, tx, true);
      if (locked?.status === 'closed') throw conflict('the budget was closed meanwhile', 'read its result');
      await this.repo.setClosed(tx, budgetId, result, this.clock.now());
    });
    return this.get(budgetId);
  }

  /**
   * Computes a plan of the economy whose targets are the closed budget's scenario, linked to its projects
   * and vote; with `prioritiesId`, the harmony weights of a closed priorities vote too.
   */
  async plan(
    budgetId: string,
    input: { objective: PlanObjective; prioritiesId?: string },
    hooks: RunHooks,
  ): Promise<BudgetPlan> {
    const b = await this.projectsBudget(budgetId);
    if (b.status !== 'closed' || b.result === null)
      throw conflict(
        `budget "${b.name}" is not closed`,
        'close it first (budget.close): the plan follows its result',
      );
    const result = b.result as BudgetResult;
    const targets: PlanProvenance['targets'] = result.scenario.map((t) => ({
      ...t,
      budgetId: b.id,
      budgetName: b.name,
      voteId: b.voteId,
    }));
    let weights: PlanProvenance['weights'] = null;
    if (input.prioritiesId !== undefined) {
      const pr = await this.record(input.prioritiesId);
      if (pr.kind !== 'priorities' || pr.status !== 'closed' || pr.economyId !== b.economyId)
        throw new DomainError('invalid', 'prioritiesId: not a closed priorities vote of this economy', {
          issues: [{ field: 'prioritiesId', message: 'name a closed priorities vote on the same economy' }],
        });
      const res = pr.result as PrioritiesResult;
      weights = { prioritiesId: pr.id, name: pr.name, voteId: pr.voteId, groups: res.groups };
    }
    const harmonyWeights = weights?.groups.flatMap((g) =>
      g.products.map((product) => ({ product, weight: g.weight })),
    );
    const plan = await this.planner.compute(
      {
        economyId: b.economyId,
        objective: input.objective,
        name: `${b.name} (budget plan)`,
        changes: result.scenario.map((t) => ({
          kind: 'target',
          product: t.product,
          period: t.period,
          quantity: t.total,
        })),
        ...(harmonyWeights ? { harmonyWeights } : {}),
        provenance: { targets, weights },
      },
      hooks,
    );
    await this.repo.setPlan(b.id, plan.id);
    let conflictReport: BudgetPlan['conflict'] = null;
    if (plan.status === 'infeasible') {
      const model = await this.economy.model(b.economyId);
      const projects = (await this.repo.projects(b.id)).filter((p) => result.selected.includes(p.id));
      const found = projectsInConflict(model, projects, plan.record.infeasibility?.relaxations ?? []);
      conflictReport = {
        ...found,
        summary:
          found.projects.length > 0
            ? `projects ${found.projects.map((p) => `"${p.name}"`).join(', ')} cannot be met together: ${plan.record.infeasibility?.summary ?? ''}`
            : (plan.record.infeasibility?.summary ?? 'the plan is infeasible'),
      };
    }
    return { budgetId: b.id, plan, targets, conflict: conflictReport };
  }

  /** The budget as a Pabulib file: its projects with costs and votes, and, once voted, the ballots. */
  async pabulib(budgetId: string): Promise<string> {
    const b = await this.projectsBudget(budgetId);
    const projects = (await this.repo.projects(budgetId)).filter((p) => p.status === 'accepted');
    const ballots =
      b.status === 'closed' && b.voteId !== null ? (await this.votes.published(b.voteId)).ballots : [];
    const result = b.result as BudgetResult | null;
    const votes = new Map(result?.votes.map((v) => [v.project, v.score]) ?? []);
    const selected = new Set(result?.selected ?? []);
    const type = { approval: 'approval', cumulative: 'cumulative', ranked: 'ordinal' }[b.settings.ballot];
    const meta: [string, string][] = [
      ['description', b.name],
      ['country', 'OGAS'],
      ['unit', b.unitId],
      ['instance', b.id],
      ['num_projects', String(projects.length)],
      ['num_votes', String(ballots.length)],
      ['budget', String(b.settings.pool.amount)],
      ['vote_type', type],
      ['rule', b.settings.rule === 'greedy' ? 'greedy' : 'equalshares/add1'],
      ['date_begin', b.createdAt.toISOString().slice(0, 10)],
      ['date_end', (b.closedAt ?? b.createdAt).toISOString().slice(0, 10)],
      ...(b.settings.points === null
        ? []
        : ([['max_sum_points', String(b.settings.points)]] as [string, string][])),
    ];
    const file: PbFile = {
      meta,
      projects: {
        columns: ['project_id', 'cost', 'votes', 'name', 'selected'],
        rows: projects.map((p) => ({
          project_id: p.id,
          cost: String(p.cost),
          votes: String(votes.get(p.id) ?? 0),
          name: p.name,
          selected: selected.has(p.id) ? '1' : '0',
        })),
      },
      votes: {
        columns: b.settings.ballot === 'cumulative' ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
        rows: ballots.map((x, i) => {
          const m = x.marks;
          const ids =
            'approve' in m
              ? m.approve
              : 'scores' in m
                ? Object.keys(m.scores).filter((k) => (m.scores[k] ?? 0) > 0)
                : 'ranking' in m
                  ? m.ranking.map((r) => r.join('+'))
                  : [];
          return {
            voter_id: String(i + 1),
            vote: ids.join(','),
            ...('scores' in m ? { points: ids.map((k) => String(m.scores[k])).join(',') } : {}),
          };
        }),
      },
    };
    return writePabulib(file);
  }

  // Priorities votes: groups of products, cumulative points, weights of the harmony objective.

  async openPriorities(
    principal: Principal,
    input: {
      economyId: string;
      name: string;
      groups: PriorityGroup[];
      points: number;
      closesAt: Date;
      electorateRule?: ElectorateRule;
    },
  ): Promise<BudgetView> {
    const economy = await this.economy.get(input.economyId);
    const model = await this.economy.model(economy.id);
    const known = new Set(model.products.map((p) => p.code));
    const ids = new Set<string>();
    const inGroup = new Map<string, string>();
    input.groups.forEach((g, i) => {
      const field = `groups[${i}]`;
      const bad = (f: string, message: string) =>
        new DomainError('invalid', `${f}: ${message}`, {
          issues: [{ field: f, message }],
          fix: 'give each group a unique id and products of the economy, each in one group',
        });
      if (ids.has(g.id)) throw bad(`${field}.id`, `"${g.id}" is used twice`);
      ids.add(g.id);
      g.products.forEach((p, k) => {
        if (!known.has(p)) throw bad(`${field}.products[${k}]`, `"${p}" is not a product of the economy`);
        const other = inGroup.get(p);
        if (other !== undefined)
          throw bad(`${field}.products[${k}]`, `"${p}" is already in group "${other}"`);
        inGroup.set(p, g.id);
      });
    });
    if (input.groups.length < 2)
      throw new DomainError('invalid', 'groups: give at least two groups', {
        issues: [{ field: 'groups', message: 'a priorities vote weighs two or more groups' }],
      });
    const now = this.clock.now();
    const settings: BudgetSettings = {
      pool: { kind: 'labour-hours', amount: input.points },
      period: 1,
      ballot: 'cumulative',
      points: input.points,
      rule: 'greedy',
    };
    const b: BudgetRecord = {
      id: newId('bg'),
      kind: 'priorities',
      unitId: economy.unitId,
      economyId: economy.id,
      name: input.name,
      status: 'proposing',
      settings,
      groups: input.groups,
      voteId: null,
      result: null,
      planId: null,
      createdBy: actorKey(principal),
      createdAt: now,
      closedAt: null,
    };
    await this.votes.open(
      principal,
      {
        unitId: economy.unitId,
        title: `Priorities: ${input.name}`,
        description: `Distribute ${input.points} points over the groups; the shares weigh the harmony of the plan.`,
        method: methodFor(settings),
        candidates: input.groups.map((g) => ({ id: g.id, name: g.name })),
        quorum: { kind: 'none' },
        shareNeeded: null,
        hideResults: true,
        anonymous: true,
        allowChanges: true,
        electorateRule: input.electorateRule ?? electorateRuleSchema.parse(undefined),
        closesAt: input.closesAt,
        decisionKind: 'priorities',
        decisionPayload: { prioritiesId: b.id, ballotLimit: { kind: 'points', max: input.points } },
      },
      async (tx, voteId) => {
        await this.repo.insert(tx, { ...b, status: 'voting', voteId });
      },
    );
    return this.get(b.id);
  }

  async closePriorities(actor: string, id: string): Promise<BudgetView> {
    const b = await this.record(id);
    if (b.kind !== 'priorities')
      throw new DomainError('invalid', `"${id}" is a budget of projects`, {
        issues: [{ field: 'id', message: 'not a priorities vote' }],
        fix: 'close it with budget.close',
      });
    if (b.status === 'closed')
      throw conflict(`"${b.name}" is already closed`, 'read its weights with budget.get');
    const vote = await this.votes.settle(b.voteId!);
    if (vote.status !== 'closed') await this.votes.close(b.voteId!, actor);
    const published = await this.votes.published(b.voteId!);
    const points = new Map<string, number>();
    for (const x of published.ballots)
      for (const [g, u] of Object.entries(
        utilitiesOf(x.marks, b.groups.length, b.settings.rankedScore ?? 'borda'),
      ))
        points.set(g, (points.get(g) ?? 0) + u);
    const result: PrioritiesResult = {
      ballots: published.ballots.length,
      groups: groupWeights(b.groups, points),
    };
    await this.repo.transaction(async (tx) => {
      const locked = await this.repo.byId(id, tx, true);
      if (locked?.status === 'closed') throw conflict('closed meanwhile', 'read its weights');
      await this.repo.setClosed(tx, id, result, this.clock.now());
    });
    return this.get(id);
  }
}
