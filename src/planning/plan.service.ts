// Use cases of planning: compute a plan (or a what-if scenario of one), keep it as a record, compare plans.
import { DomainError, notFound } from '../core/errors';
import type { Clock } from '../core/clock';
import { newId } from '../core/ids';
import type { EconomyModel } from '../economy/economy';
import type { ProgressFn } from '../numeric/lp/lp';
import type {
  CapitalStockSpec,
  PlanObjective,
  PlanSpec,
  ResourceLimit,
  SkillLimit,
  TechnologyLimit,
} from './formulation/plan-spec';
import { applyScenario, checkChanges, type ScenarioChange } from './formulation/scenario';
import type { PlanOutcome } from './formulation/solve-plan';
import { PLAN_LIMITS } from './formulation/plan-limits';
import type { PlanSolverChoice } from './fast/choose-plan-solver';
import { solvePlanTask, type SolvedPlan, type SolvePlanInput } from './plan-solve-task';
import { diffRecords, type PlanRecord, type RecordDiff } from './plan-record';
import type { AdoptionRow, PlanRepository, PlanRow, PlanTx } from './plan.repository';
import type { PlanProvenance } from './plan-provenance';

/** What planning needs of the economy capability (its exported service, never its tables). */
export interface EconomyPort {
  get(id: string): Promise<{ id: string; version: number; unitId: string }>;
  model(id: string): Promise<EconomyModel>;
}

/** The planner's settings, stored with each plan so a scenario can start from them. */
export interface PlanSettings {
  objective: PlanObjective;
  periods?: number;
  skillsAvailable?: SkillLimit[];
  resourceCapacities?: ResourceLimit[];
  technologyCapacities?: TechnologyLimit[];
  capital?: CapitalStockSpec[];
  solver?: PlanSolverChoice;
  /** Scenario changes applied on top of the economy (a scenario inherits its base plan's changes). */
  changes?: ScenarioChange[];
  /** Weights of each product's harmony (harmony objective); 1 for products not listed. */
  harmonyWeights?: { product: string; weight: number }[];
  /** Where targets and weights came from (a budget vote, a priorities vote): kept with the plan. */
  provenance?: PlanProvenance;
}

export interface ComputeRequest extends PlanSettings {
  economyId: string;
  name?: string;
  basePlanId?: string;
}

/** A plan with its results and, when votes set its targets or weights, where they came from. */
export type PlanView = PlanRow & { record: PlanRecord; provenance: PlanProvenance | null };

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  actor: string;
}

/** Where a unit sits: the units from the root down to it (planning asks the holarchy, never its tables). */
export interface UnitPathPort {
  pathToRoot(unitId: string): Promise<{ id: string; name: string }[]>;
}

/** The plan in force on a unit: the newest adoption on the unit or the nearest unit above it. */
export interface AdoptedPlan {
  plan: PlanRow;
  adoption: AdoptionRow;
  /** The unit whose planners adopted it (the unit itself or one above it). */
  adoptedOn: { id: string; name: string };
}

/** Why a plan cannot be adopted, in words; null when it can. */
export function whyNotAdoptable(plan: Pick<PlanRow, 'status' | 'basePlanId' | 'spec'>): string | null {
  if (plan.status !== 'optimal')
    return `the plan did not finish (its solver ended "${plan.status}"): only a plan solved to the optimum can be adopted`;
  const spec = plan.spec as { changes?: ScenarioChange[]; provenance?: PlanProvenance };
  // Targets a closed budget vote set are the members' decision, not a planner's what-if: a plan whose only
  // changes are those targets can be adopted (the provenance is written by the budget service alone).
  const voted = new Set(spec.provenance?.targets.map((t) => `${t.product}@${t.period}`) ?? []);
  const whatIf = (spec.changes ?? []).filter(
    (c) => !(c.kind === 'target' && voted.has(`${c.product}@${c.period}`)),
  );
  if (plan.basePlanId !== null || whatIf.length > 0)
    return 'it is a what-if scenario: compute the plan you want without what-if changes, then adopt that';
  return null;
}

const CACHE_SIZE = 4;

/** Formulates and solves a plan: in the compute pool on a server, in-process by default. */
export type PlanSolve = (input: SolvePlanInput, hooks: RunHooks) => Promise<SolvedPlan>;

const solveInProcess: PlanSolve = (input, hooks) =>
  solvePlanTask(input, {
    signal: hooks.signal ?? new AbortController().signal,
    progress: (p) => hooks.onProgress?.(p),
  });

export class PlanService {
  /** Recent formulations and solutions, for warm-started replanning; a cache, so losing it costs time only. */
  private readonly recent = new Map<string, Pick<PlanOutcome, 'formulation' | 'solution'>>();
  /** Runs in every adoption's transaction (plan-shortfall checks of the adopting unit's indicators). */
  private adoptionHook: ((tx: PlanTx, unitId: string) => Promise<void>) | null = null;

  constructor(
    private readonly repo: PlanRepository,
    private readonly economy: EconomyPort,
    private readonly clock: Clock,
    private readonly solve: PlanSolve = solveInProcess,
    private readonly units?: UnitPathPort,
  ) {}

  /**
   * Adopts a plan for the unit that owns its economy: the unit's targets come from it from now on. Refuses a
   * plan that did not finish and a what-if scenario (`whyNotAdoptable`). Access (the plan permission on the
   * economy's unit) is the operation's; the adoption is kept with who and when, the old ones as history.
   */
  async adopt(planId: string, actor: string, note?: string): Promise<AdoptedPlan> {
    const found = await this.repo.byId(planId);
    if (!found) throw notFound('plan', planId);
    const why = whyNotAdoptable(found.row);
    if (why)
      throw new DomainError('conflict', `plan "${found.row.name}" cannot be adopted: ${why}`, {
        issues: [{ field: 'planId', message: why }],
        fix: 'adopt a plan whose status is optimal and that is not a scenario',
      });
    const economy = await this.economy.get(found.row.economyId);
    const adoption: AdoptionRow = {
      id: newId('pa'),
      planId,
      economyId: economy.id,
      unitId: economy.unitId,
      adoptedBy: actor,
      adoptedAt: this.clock.now(),
      note: note ?? null,
    };
    const hook = this.adoptionHook;
    await this.repo.insertAdoption(adoption, hook ? (tx) => hook(tx, adoption.unitId) : undefined);
    const path = this.units ? await this.units.pathToRoot(economy.unitId) : [];
    const on = path.at(-1) ?? { id: economy.unitId, name: economy.unitId };
    return { plan: found.row, adoption, adoptedOn: { id: on.id, name: on.name } };
  }

  /**
   * The plan in force on a unit: the newest adoption on the unit itself or, failing that, on the nearest unit
   * above it (a shop works to its enterprise's or its federation's plan). Null when no unit on the path has
   * adopted a plan. Other capabilities (participatory budgets, federation) read targets through this only.
   */
  async adoptedPlanFor(unitId: string): Promise<AdoptedPlan | null> {
    if (!this.units) throw new Error('PlanService: adoptedPlanFor needs the holarchy (UnitPathPort)');
    const path = await this.units.pathToRoot(unitId);
    const latest = await this.repo.latestAdoptions(path.map((u) => u.id));
    for (const unit of [...path].reverse()) {
      const adoption = latest.find((a) => a.unitId === unit.id);
      if (!adoption) continue;
      const found = await this.repo.byId(adoption.planId);
      if (!found) continue;
      return { plan: found.row, adoption, adoptedOn: { id: unit.id, name: unit.name } };
    }
    return null;
  }

  /** What else an adoption does, inside its transaction (set once, by the composition root). */
  onAdoption(hook: (tx: PlanTx, unitId: string) => Promise<void>): void {
    this.adoptionHook = hook;
  }

  async economyOfPlan(id: string): Promise<string | null> {
    return this.repo.economyOf(id);
  }

  async compute(request: ComputeRequest, hooks: RunHooks): Promise<PlanView> {
    const economy = await this.economy.get(request.economyId);
    const model = await this.economy.model(request.economyId);
    let settings: PlanSettings = request;
    let base: { row: PlanRow; record: PlanRecord } | null = null;
    if (request.basePlanId) {
      base = await this.repo.byId(request.basePlanId);
      if (!base) throw notFound('plan', request.basePlanId);
      if (base.row.economyId !== request.economyId) {
        throw new DomainError('invalid', 'basePlanId: the base plan belongs to another economy', {
          issues: [{ field: 'basePlanId', message: 'must be a plan of the same economy' }],
        });
      }
      const inherited = base.row.spec as unknown as PlanSettings;
      settings = {
        ...inherited,
        ...settingsOf(request),
        changes: [...(inherited.changes ?? []), ...(request.changes ?? [])],
      };
    }
    const spec = this.specOf(model, settings);
    hooks.onProgress?.({ fraction: 0, message: 'formulating the plan' });
    const cached = base ? this.recent.get(base.row.id) : undefined;
    const outcome = await this.solve(
      {
        spec,
        solver: settings.solver ?? 'auto',
        ...(cached && request.changes && request.changes.length > 0
          ? { cached, changes: request.changes }
          : {}),
      },
      hooks,
    );
    const record = outcome.record;
    const row: Omit<PlanRow, 'createdAt'> = {
      id: newId('pl'),
      economyId: economy.id,
      economyVersion: economy.version,
      name: request.name ?? (base ? `${base.row.name} (scenario)` : `${settings.objective} plan`),
      basePlanId: base?.row.id ?? null,
      objective: settings.objective,
      status: outcome.result.status,
      // A time-limited harmony-pdhg plan is feasible and certified: its value is reported (not adoptable).
      objectiveValue: outcome.result.feasible ? outcome.result.objectiveValue : null,
      spec: { ...settingsOf(settings), periods: spec.periods } as Record<string, unknown>,
      createdBy: hooks.actor,
    };
    const at = this.clock.now();
    await this.repo.insert(row, record, at);
    this.remember(row.id, outcome);
    hooks.onProgress?.({ fraction: 1, message: `plan ${outcome.result.status}` });
    return { ...row, createdAt: at, record, provenance: settings.provenance ?? null };
  }

  private specOf(model: EconomyModel, s: PlanSettings): PlanSpec {
    const maxPeriod = model.targets.reduce((m, t) => Math.max(m, t.period), 1);
    // A model stored before targets were bounded may still name a period the planner cannot reach.
    if (s.periods === undefined && maxPeriod > PLAN_LIMITS.periods) {
      const at = model.targets.findIndex((t) => t.period === maxPeriod);
      throw new DomainError(
        'invalid',
        `periods: the economy's targets reach period ${maxPeriod}, beyond the planner's limit of ${PLAN_LIMITS.periods}`,
        {
          issues: [
            { field: 'periods', message: `give periods ≤ ${PLAN_LIMITS.periods}` },
            {
              field: `economy.targets[${at}].period`,
              message: `${maxPeriod} is beyond ${PLAN_LIMITS.periods}`,
            },
          ],
          fix: `give periods (at most ${PLAN_LIMITS.periods}), or correct the targets with economy.targets.set`,
          data: { limit: PLAN_LIMITS.periods, period: maxPeriod },
        },
      );
    }
    const spec: PlanSpec = {
      economy: model,
      periods: s.periods ?? maxPeriod,
      objective: s.objective,
      ...(s.skillsAvailable ? { skillsAvailable: s.skillsAvailable } : {}),
      ...(s.resourceCapacities ? { resourceCapacities: s.resourceCapacities } : {}),
      ...(s.technologyCapacities ? { technologyCapacities: s.technologyCapacities } : {}),
      ...(s.capital ? { capital: s.capital } : {}),
      ...(s.harmonyWeights ? { harmony: { weights: s.harmonyWeights } } : {}),
    };
    if (!s.changes || s.changes.length === 0) return spec;
    checkChanges(spec, s.changes);
    return applyScenario(spec, s.changes);
  }

  private remember(id: string, outcome: Pick<PlanOutcome, 'formulation' | 'solution'>): void {
    this.recent.set(id, { formulation: outcome.formulation, solution: outcome.solution });
    while (this.recent.size > CACHE_SIZE) {
      const oldest = this.recent.keys().next().value;
      if (oldest === undefined) break;
      this.recent.delete(oldest);
    }
  }

  async list(economyId: string): Promise<PlanRow[]> {
    await this.economy.get(economyId);
    return this.repo.list(economyId);
  }

  async get(id: string): Promise<PlanView> {
    const found = await this.repo.byId(id);
    if (!found) throw notFound('plan', id);
    const provenance = (found.row.spec as { provenance?: PlanProvenance }).provenance ?? null;
    return { ...found.row, record: found.record, provenance };
  }

  async diff(
    a: string,
    b: string,
  ): Promise<RecordDiff & { objective: { a: number | null; b: number | null } }> {
    const [pa, pb] = await Promise.all([this.get(a), this.get(b)]);
    if (pa.economyId !== pb.economyId) {
      throw new DomainError('invalid', 'b: the two plans belong to different economies', {
        issues: [{ field: 'b', message: 'must be a plan of the same economy as a' }],
      });
    }
    return {
      objective: { a: pa.objectiveValue, b: pb.objectiveValue },
      ...diffRecords(pa.record, pb.record),
    };
  }
}

/** Only the planner's settings (never ids or names), without undefined fields. */
function settingsOf(s: PlanSettings): PlanSettings {
  const keys: (keyof PlanSettings)[] = [
    'objective',
    'periods',
    'skillsAvailable',
    'resourceCapacities',
    'technologyCapacities',
    'capital',
    'solver',
    'changes',
    'harmonyWeights',
    'provenance',
  ];
  return Object.fromEntries(
    keys.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]),
  ) as unknown as PlanSettings;
}
