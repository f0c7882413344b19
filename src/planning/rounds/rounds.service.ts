// Use cases of planning rounds: open a series of rounds on an economy split into units, take proposals by hand,
// close a round (automatic answers, the combination, the bound, the gap, the next prices), run rounds
// automatically to the tolerance, read the record.
import { DomainError, notFound } from '../../core/errors';
import type { Clock } from '../../core/clock';
import { newId } from '../../core/ids';
import type { EconomyModel } from '../../economy/economy';
import type { EconomyPort } from '../plan.service';
import { checkProposal, proposalSummary, type ProposedLevel } from './proposal-check';
import { closeRoundTask, type CloseRoundInput, type CloseRoundOutput } from './round-close';
import { roundProblem, unitTechnologies, type RoundProblem } from './round-problem';
import type { ProposalRow, RoundsRepository, RoundsRow, RoundsStatus, StepRow } from './rounds.repository';

/** Closes a round (in the compute pool on a server, in-process by default). */
export type CloseRound = (input: CloseRoundInput, signal?: AbortSignal) => Promise<CloseRoundOutput>;

export interface OpenRequest {
  economyId: string;
  name?: string;
  tolerance: number;
  maxRounds: number;
  deadlineMinutes: number;
  /** Units answered automatically when they give no proposal by hand; every unit when omitted. */
  automatic?: string[];
}

export type ProposalSource = 'initial' | 'hand' | 'automatic' | 'kept';

export interface RoundView extends StepRow {
  proposals: {
    unit: string;
    source: ProposalSource;
    kind: 'point' | 'ray';
    /** The round the proposal was made in (earlier than this round when kept). */
    madeIn: number;
    submittedBy: string;
    levels: Record<string, number>;
    outputs: Record<string, number>;
    inputs: Record<string, number>;
    labour: Record<string, number>;
  }[];
}

export interface RoundsView extends RoundsRow {
  units: string[];
  current: number | null;
  rounds: RoundView[];
}

const CACHE = 4;

export class RoundsService {
  /** Round problems by economy id and version (building one reads the whole model). */
  private readonly problems = new Map<string, RoundProblem>();

  constructor(
    private readonly repo: RoundsRepository,
    private readonly economy: EconomyPort,
    private readonly clock: Clock,
    private readonly closeRound: CloseRound = (input) => closeRoundTask(input),
  ) {}

  async economyOfRounds(id: string): Promise<string | null> {
    return this.repo.economyOf(id);
  }

  private async problemOf(economyId: string, version: number, model?: EconomyModel): Promise<RoundProblem> {
    const key = `${economyId}@${version}`;
    const found = this.problems.get(key);
    if (found) return found;
    const problem = roundProblem(model ?? (await this.economy.model(economyId)));
    this.problems.set(key, problem);
    while (this.problems.size > CACHE) this.problems.delete(this.problems.keys().next().value!);
    return problem;
  }

  async open(request: OpenRequest, actor: string, signal?: AbortSignal): Promise<RoundsView> {
    const economy = await this.economy.get(request.economyId);
    const model = await this.economy.model(request.economyId);
    const problem = await this.problemOf(economy.id, economy.version, model);
    const automatic = request.automatic ?? problem.units;
    const unknown = automatic.findIndex((u) => !problem.units.includes(u));
    if (unknown >= 0)
      throw new DomainError(
        'invalid',
        `automatic[${unknown}]: "${automatic[unknown]}" operates no technology of the economy`,
        {
          issues: [{ field: `automatic[${unknown}]`, message: 'not a unit of this economy' }],
          fix: 'name units that operate technologies of the economy, or omit automatic for all of them',
        },
      );
    const at = this.clock.now();
    const opening = await this.closeRound(
      {
        model,
        prices: null,
        earlier: [],
        hand: [],
        automatic,
        penalty: 0,
        bestBound: null,
        bestObjective: null,
      },
      signal,
    );
    const row: RoundsRow = {
      id: newId('rd'),
      economyId: economy.id,
      economyVersion: economy.version,
      name: request.name ?? `rounds on ${model.name}`,
      status: 'open',
      tolerance: request.tolerance,
      maxRounds: request.maxRounds,
      deadlineMinutes: request.deadlineMinutes,
      automatic,
      penalty: opening.penalty,
      createdBy: actor,
      createdAt: at,
    };
    const initial: ProposalRow[] = opening.automaticProposals.map((p) => ({
      round: 0,
      unit: p.unit,
      source: 'initial',
      kind: p.kind ?? 'point',
      levels: p.levels,
      submittedBy: 'office',
      submittedAt: at,
    }));
    await this.repo.insert(row, this.nextStep(1, opening, at, request.deadlineMinutes), initial);
    return this.get(row.id);
  }

  private nextStep(round: number, out: CloseRoundOutput, at: Date, deadlineMinutes: number): StepRow {
    return {
      round,
      prices: out.priced.map((p, k) => ({ ...p, price: out.nextPrices[k]! })),
      deadline: new Date(at.getTime() + deadlineMinutes * 60_000),
      closedAt: null,
      bound: null,
      bestBound: null,
      objective: null,
      bestObjective: null,
      shortfall: null,
      gap: null,
      combined: null,
    };
  }

  private async current(id: string): Promise<{ row: RoundsRow; step: StepRow; steps: StepRow[] }> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('planning rounds', id);
    const steps = await this.repo.steps(id);
    const step = steps.find((s) => s.closedAt === null);
    if (row.status !== 'open' || !step)
      throw new DomainError('conflict', `roundsId: the rounds are ${row.status}, no round is open`, {
        fix: 'open new rounds with planning.rounds.open',
      });
    return { row, step, steps };
  }

  async propose(
    input: { roundsId: string; unit: string; levels: ProposedLevel[]; round?: number },
    actor: string,
  ): Promise<RoundView['proposals'][number] & { round: number }> {
    const { row, step } = await this.current(input.roundsId);
    // A proposal sent from a node below answers the prices of one round; in a later round it would not.
    if (input.round !== undefined && input.round !== step.round)
      throw new DomainError(
        'conflict',
        `round: the proposal answers round ${input.round}, but round ${step.round} is open`,
        { fix: 'propose again at the prices of the open round' },
      );
    const now = this.clock.now();
    if (now.getTime() > step.deadline.getTime())
      throw new DomainError(
        'conflict',
        `round ${step.round} closed for proposals at ${step.deadline.toISOString()}`,
        {
          fix: 'the unit keeps its last proposal; propose again in the next round',
        },
      );
    const problem = await this.problemOf(row.economyId, row.economyVersion);
    const levels = checkProposal(problem, input.unit, input.levels);
    await this.repo.putProposal(row.id, {
      round: step.round,
      unit: input.unit,
      source: 'hand',
      kind: 'point',
      levels,
      submittedBy: actor,
      submittedAt: now,
    });
    return {
      round: step.round,
      unit: input.unit,
      source: 'hand',
      kind: 'point',
      madeIn: step.round,
      submittedBy: actor,
      ...proposalSummary(problem, input.unit, levels),
    };
  }

  /** Closes the open round; `everyUnitAutomatic` answers every unit without a hand proposal automatically. */
  async close(
    id: string,
    actor: string,
    options: { everyUnitAutomatic?: boolean; signal?: AbortSignal } = {},
  ) {
    const { row, step, steps } = await this.current(id);
    const model = await this.economy.model(row.economyId);
    const proposals = await this.repo.proposals(id);
    const problem = await this.problemOf(row.economyId, row.economyVersion, model);
    const last = steps.filter((s) => s.closedAt !== null).at(-1);
    const out = await this.closeRound(
      {
        model,
        prices: step.prices.map((p) => p.price),
        earlier: proposals.filter((p) => p.round < step.round),
        hand: proposals.filter((p) => p.round === step.round && p.source === 'hand'),
        automatic: options.everyUnitAutomatic ? problem.units : row.automatic,
        penalty: row.penalty,
        bestBound: last?.bestBound ?? null,
        bestObjective: last?.bestObjective ?? null,
      },
      options.signal,
    );
    const at = this.clock.now();
    const status: RoundsStatus =
      out.gap !== null && out.gap <= row.tolerance
        ? 'converged'
        : step.round >= row.maxRounds
          ? 'round-limit'
          : 'open';
    const closed = await this.repo.close(
      id,
      step.round,
      at,
      {
        bound: out.bound,
        bestBound: out.bestBound,
        objective: out.objective,
        bestObjective: out.bestObjective,
        shortfall: out.shortfall,
        gap: out.gap,
        combined: out.combined,
      },
      out.automaticProposals.map((p) => ({
        round: step.round,
        unit: p.unit,
        source: 'automatic',
        kind: p.kind ?? 'point',
        levels: p.levels,
        submittedBy: actor,
        submittedAt: at,
      })),
      { status, penalty: out.penalty },
      status === 'open' ? this.nextStep(step.round + 1, out, at, row.deadlineMinutes) : null,
    );
    if (!closed)
      throw new DomainError('conflict', `round ${step.round} was closed meanwhile`, {
        fix: 'read the rounds again',
      });
    return { round: step.round, status, gap: out.gap, bound: out.bestBound, objective: out.bestObjective };
  }

  /** Closes rounds with every unit answered automatically until the rounds stop or `rounds` have run. */
  async run(
    id: string,
    actor: string,
    rounds: number,
    hooks: { signal?: AbortSignal; progress?: (m: string, f: number) => void } = {},
  ) {
    let last = null as Awaited<ReturnType<RoundsService['close']>> | null;
    for (let k = 0; k < rounds; k++) {
      if (hooks.signal?.aborted) throw new DomainError('cancelled', 'the rounds were cancelled');
      last = await this.close(id, actor, {
        everyUnitAutomatic: true,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      hooks.progress?.(`round ${last.round}: gap ${last.gap ?? '∞'}`, (k + 1) / rounds);
      if (last.status !== 'open') break;
    }
    return last;
  }

  /** One unit's view: the prices it answers, its technologies and capacities, its proposals round by round. */
  async unitView(id: string, unit: string) {
    const full = await this.get(id);
    const row = full;
    const problem = await this.problemOf(row.economyId, row.economyVersion);
    const steps = await this.repo.steps(id);
    const open = steps.find((s) => s.closedAt === null) ?? steps.at(-1) ?? null;
    const { codes, columns } = unitTechnologies(problem, unit);
    const proposals = (await this.repo.proposals(id))
      .filter((p) => p.unit === unit)
      .map((p) => ({
        round: p.round,
        unit,
        source: p.source,
        kind: p.kind,
        madeIn: p.round,
        submittedBy: p.submittedBy,
        ...proposalSummary(problem, unit, p.levels),
      }));
    return {
      roundsId: id,
      name: row.name,
      status: row.status,
      unit,
      current: full.current,
      deadline: full.current === null ? null : (open?.deadline ?? null),
      prices: open?.prices ?? [],
      technologies: codes.map((code, k) => {
        const j = columns[k]!;
        const cap = problem.formulation.lp.colUpper[j]!;
        return {
          code,
          product: problem.plan.productCodes[problem.plan.techProduct[j]!]!,
          capacity: Number.isFinite(cap) ? cap : null,
        };
      }),
      proposals,
    };
  }

  async list(economyId: string): Promise<RoundsRow[]> {
    await this.economy.get(economyId);
    return this.repo.list(economyId);
  }

  async get(id: string, options: { round?: number } = {}): Promise<RoundsView> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('planning rounds', id);
    const [steps, proposals] = await Promise.all([this.repo.steps(id), this.repo.proposals(id)]);
    const problem = await this.problemOf(row.economyId, row.economyVersion);
    const rounds = steps.map((s) => {
      const detailed = options.round === undefined || options.round === s.round;
      const view: RoundView = { ...s, proposals: [] };
      if (!detailed) return { ...view, prices: [], combined: null };
      for (const unit of problem.units) {
        const mine = proposals.filter((p) => p.unit === unit && p.round <= s.round);
        const made = mine.filter((p) => p.round === s.round).at(-1);
        const shown = made ?? mine.at(-1);
        if (!shown) continue;
        view.proposals.push({
          unit,
          source: made ? made.source : 'kept',
          kind: shown.kind,
          madeIn: shown.round,
          submittedBy: shown.submittedBy,
          ...proposalSummary(problem, unit, shown.levels),
        });
      }
      return view;
    });
    const open = steps.find((s) => s.closedAt === null);
    return { ...row, units: problem.units, current: open?.round ?? null, rounds };
  }
}
