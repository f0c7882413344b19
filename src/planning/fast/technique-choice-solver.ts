// The technique-choice method as an LpSolver bound to one plan formulation, so readPlanResult, replanning and
// the infeasibility explanation work unchanged: it answers the plan's own LP with an exact primal–dual pair.
import type {
  LinearProgram,
  LpSolution,
  LpSolver,
  LpStatus,
  SolveOptions,
  SolverState,
} from '../../numeric/lp/lp';
import { lpResiduals } from '../../numeric/lp/lp-residuals';
import { solutionWithoutPoint } from '../../numeric/lp/lp-solution';
import { solveTechniqueChoice } from '../../numeric/technique-choice/technique-choice';
import type {
  ChoiceEnd,
  TechniqueChoiceFailure,
  TechniqueChoiceProblem,
  WarmChoices,
} from '../../numeric/technique-choice/technique-choice';
import type { TechniqueSet } from '../../numeric/technique-choice/technique-set';
import type { OrderCache } from '../../numeric/technique-choice/warm-fixed-point';
import type { CompiledPlan } from '../formulation/compiled-plan';
import type { PlanFormulation } from '../formulation/plan-index';
import { fastPathApplies } from './fast-path';

export const TECHNIQUE_CHOICE = 'technique-choice';

/**
 * The largest relative residual (primal, dual or gap, lp-residuals.ts) an answer of technique choice may
 * measure in the plan's LP. Its answers measured 1e-12 at 40 products and 1.6e-8 at 10⁶ (the sums grow with
 * the size); the wrong price this check was written after left 5e-2. The bound sits between, with room for
 * 10⁷ products, so that a right answer is never sent to a general solver that could not take that size.
 */
export const CHECKED = 1e-5;

const statusOf: Record<TechniqueChoiceFailure, LpStatus> = {
  infeasible: 'infeasible',
  'not-productive': 'error',
  'not-converged': 'iteration-limit',
  cancelled: 'cancelled',
  'time-limit': 'time-limit',
};

function withoutWarmStart(options: SolveOptions): SolveOptions {
  const cold = { ...options };
  delete cold.warmStart;
  return cold;
}

/**
 * Technique choice's answer if it measures optimal in the plan's LP (its pair's residuals are computed there,
 * solutionOfPair), so a wrong answer cannot pass as optimal: an answer from a warm start that misled the price
 * search is solved again from nothing (`cold`), and what still fails goes to the general solver, which says so.
 */
export async function checkedAnswer(
  first: LpSolution,
  cold: (() => LpSolution) | null,
  general: () => Promise<LpSolution>,
): Promise<LpSolution> {
  if (first.status !== 'optimal' || first.residual <= CHECKED) return first;
  if (cold !== null) {
    const again = cold();
    if (again.status !== 'optimal' || again.residual <= CHECKED) return again;
  }
  const other = await general();
  other.message =
    `technique choice's answer measured residual ${first.residual.toExponential(1)} in the plan's LP, ` +
    `above ${CHECKED.toExponential(0)}; solved by ${other.solver} instead` +
    (other.message ? `: ${other.message}` : '');
  return other;
}

/** One period of the plan as a technique-choice problem: weighted labour cost, targets, the limited skill. */
function periodProblem(
  plan: CompiledPlan,
  set: TechniqueSet,
  cost: Float64Array,
  t: number,
): TechniqueChoiceProblem {
  const nP = plan.productCodes.length;
  const nS = plan.skillCodes.length;
  const demand = plan.targets.subarray(t * nP, (t + 1) * nP);
  for (let s = 0; s < nS; s++) {
    const available = plan.skillAvailable[t * nS + s]!;
    if (!Number.isFinite(available)) continue;
    const use = new Float64Array(set.techProduct.length);
    for (let j = 0; j < use.length; j++)
      for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
        if (plan.labour.index[e] === s) use[j]! += plan.labour.value[e]!;
    return { set, cost, demand, limit: { use, available } };
  }
  return { set, cost, demand };
}

/**
 * An LpSolver for `formulation.lp` (a plan on which `fastPathApplies`); any other LP, such as the elastic
 * programme that explains an infeasible plan, goes to `fallback`. A warm start's target and skill duals are
 * the previous values and skill price, and its activities the previous outputs.
 */
export function techniqueChoiceSolver(formulation: PlanFormulation, fallback: LpSolver): LpSolver {
  return {
    name: TECHNIQUE_CHOICE,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      if (lp !== formulation.lp || !fastPathApplies(formulation.plan).ok) return fallback.solve(lp, options);
      return checkedAnswer(
        solveByTechniqueChoice(formulation, options),
        options.warmStart === undefined
          ? null
          : () => solveByTechniqueChoice(formulation, withoutWarmStart(options)),
        () => fallback.solve(lp, options),
      );
    },
  };
}

/**
 * The fixed-point orders (hubs and dependency order) a solution was computed with, and the choices each
 * period mixes, keyed by its activity array: a replan warm-started from that solution (whose warm start
 * hands back the same array) reuses them.
 * Any order gives the exact answer, and a coefficient change keeps the structure of every choice, so the old
 * order stays a good one; computing it again cost a sizeable share of a replan at 10⁵ products.
 */
const ordersOf = new WeakMap<Float64Array, { orders: OrderCache; ends: ChoiceEnd[][] }>();

/**
 * The same from a solution's plain-data state, when the solution came through a copy (a worker thread: the
 * service computes scenarios there) and the in-process cache cannot find it. The orders and choices are
 * indices into the plan's products and technologies, so they are used only for a plan of the same layout
 * (mapWarmStart passes the state only then); the permuted copies are not kept in it (they are large).
 */
function fromState(state: SolverState | undefined): { orders: OrderCache; ends: ChoiceEnd[][] } | undefined {
  const kept = state?.techniqueChoice;
  if (kept === undefined) return undefined;
  return { orders: { ...kept.orders }, ends: kept.periods };
}

function solveByTechniqueChoice(f: PlanFormulation, options: SolveOptions): LpSolution {
  const started = performance.now();
  const { plan, lp, index: ix } = f;
  const { nP, nT, nS, periods: P } = ix;
  const seconds = () => (performance.now() - started) / 1000;
  const set: TechniqueSet = { products: nP, techProduct: plan.techProduct, inputs: plan.inputs };
  const cost = lp.objective.subarray(0, nT);
  const x = new Float64Array(lp.matrix.cols);
  const rowDual = new Float64Array(lp.matrix.rows);
  let sweeps = 0;
  let evaluations = 0;
  let solveResidual = 0;
  // One cache for every period: the periods share the technique set, hence the structure of every choice.
  const previous =
    options.warmStart && (ordersOf.get(options.warmStart.x) ?? fromState(options.warmStart.state));
  // The replan's own list of cached choices: several scenarios replanned from one plan each start from its
  // choices, which a replan that ran many Kelley steps would otherwise have pushed out of a shared list.
  const orders: OrderCache = previous
    ? {
        ...previous.orders,
        choices: [...(previous.orders.choices ?? [])],
        differences: [...(previous.orders.differences ?? [])],
      }
    : {};
  const ends: ChoiceEnd[][] = [];
  const starts: WarmChoices[] = [];
  let predicted = 0;
  let unbracketed = 0;
  let widened = 0;
  const deadline =
    options.timeLimitSeconds === undefined ? undefined : started + 1000 * options.timeLimitSeconds;
  const tolerance = Math.min(options.tolerance ?? 1e-10, 1e-10);
  for (let t = 0; t < P; t++) {
    const problem = periodProblem(plan, set, cost, t);
    const skill = problem.limit ? findLimited(plan, t) : -1;
    const warm = options.warmStart && {
      values: options.warmStart.rowDual.slice(t * nP, (t + 1) * nP),
      price: skill >= 0 ? Math.max(0, -options.warmStart.rowDual[ix.skillRow[t * nS + skill]!]!) : 0,
      activity: options.warmStart.x.subarray(t * nT, (t + 1) * nT),
      ...(previous?.ends[t] ? { ends: previous.ends[t] } : {}),
    };
    const r = solveTechniqueChoice(problem, {
      tolerance,
      orders,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(deadline === undefined ? {} : { deadline }),
      ...(warm ? { warm } : {}),
      onEvaluation: (e) =>
        options.onProgress?.({
          iteration: evaluations + e.evaluation,
          message: `period ${t + 1}: technique choice at skill price ${e.price.toPrecision(6)}`,
        }),
    });
    sweeps += r.sweeps;
    evaluations += r.evaluations;
    solveResidual = Math.max(solveResidual, r.residual);
    if (r.status !== 'optimal')
      return solutionWithoutPoint(lp, statusOf[r.status], r.message, TECHNIQUE_CHOICE, seconds(), sweeps);
    x.set(r.activity, t * nT);
    ends.push(r.ends);
    starts.push(r.warmChoices);
    if (r.predicted) predicted++;
    if (r.unbracketed) unbracketed++;
    widened += r.widened;
    rowDual.set(r.values, t * nP);
    if (skill >= 0) rowDual[ix.skillRow[t * nS + skill]!] = -r.price;
  }
  const kept = starts.filter((s) => s === 'kept').length;
  const message =
    `${evaluations} technique choices, largest solve residual ${solveResidual.toExponential(1)}` +
    (kept > 0 ? `; started from the previous plan's choices in ${kept} of ${P} periods` : '') +
    (predicted > 0
      ? `; the skill's price predicted from the previous choice in ${predicted} of ${P} periods`
      : '') +
    (unbracketed > 0
      ? `; the change moved both of the previous plan's choices to one side of the skill's limit in ${unbracketed} of ${P} periods`
      : '') +
    (widened > 0 ? `; ${widened} steps widened the bracket around the predicted price` : '');
  const solution = solutionOfPair(lp, x, rowDual, message, sweeps, seconds());
  ordersOf.set(solution.x, { orders, ends });
  solution.solverState = {
    techniqueChoice: {
      periods: ends,
      orders: {
        ...(orders.values ? { values: orders.values } : {}),
        ...(orders.balance ? { balance: orders.balance } : {}),
      },
      starts,
    },
  };
  return solution;
}

/**
 * The optimal LpSolution of the primal–dual pair (x, rowDual) of `lp`: objective, row activities and reduced
 * costs computed from the pair, and its residuals measured as every solver's are (lp-residuals.ts), in the
 * same pass over the matrix (the pass was made twice, a tenth of a second of a replan at 10⁵ products).
 */
export function solutionOfPair(
  lp: LinearProgram,
  x: Float64Array,
  rowDual: Float64Array,
  message: string,
  iterations: number,
  seconds: number,
): LpSolution {
  const rowActivity = new Float64Array(lp.matrix.rows);
  const colDual = new Float64Array(lp.matrix.cols);
  const res = lpResiduals(lp, x, rowDual, { activity: rowActivity, reducedCost: colDual });
  return {
    status: 'optimal',
    message,
    objective: dot(lp.objective, x),
    x,
    rowDual,
    colDual,
    rowActivity,
    iterations,
    residual: Math.max(res.primal, res.dual, res.gap),
    seconds,
    solver: TECHNIQUE_CHOICE,
  };
}

/**
 * Σ a·b in index order. A function of its own: a loop after lpResiduals in the same function entered that
 * function's compiled code without feedback and was dropped and recompiled on every replan.
 */
function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function findLimited(plan: CompiledPlan, t: number): number {
  const nS = plan.skillCodes.length;
  for (let s = 0; s < nS; s++) if (Number.isFinite(plan.skillAvailable[t * nS + s]!)) return s;
  return -1;
}
