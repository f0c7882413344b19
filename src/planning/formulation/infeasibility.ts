// Explains an infeasible plan by its smallest relaxation: the elastic programme puts a slack on every
// limit, minimises Σ slack/|bound|, and each slack left positive becomes a sentence.
//
// It is lexicographic: first only the limits (labour, resources, capacities, initial capital) may give,
// with targets kept hard, so the explanation says which limits must rise to meet the targets. Only when
// no rise of the limits suffices (a technology set that cannot make enough net output at any scale) are
// targets relaxed too, at TARGET_SLACK_WEIGHT per unit of relative shortfall.
import type { LpSolver, SolveOptions } from '../../numeric/lp/lp';
import type { CompiledPlan } from './compiled-plan';
import { formatAmount } from './describe';
import type { ConstraintKind } from './describe';
import { buildPlanLp } from './plan-lp';

export interface Relaxation {
  kind: ConstraintKind;
  code: string;
  /** Period (1-based); for initial capital stocks, 1. */
  period: number;
  /** How much the limit must rise, or the target fall. */
  amount: number;
  /** The limit or target as given. */
  bound: number;
  unit: string;
  description: string;
}

export interface InfeasibilityReport {
  /** False when even the elastic programme could not be solved (the solver's status says why). */
  explained: boolean;
  relaxations: Relaxation[];
  /** The relaxations joined into one sentence. */
  summary: string;
  solverStatus: string;
}

const LABOUR_UNIT = 'h';
/** Slack below this share of its bound (or absolute, for zero bounds) is solver noise. */
const SLACK_TOLERANCE = 1e-7;

function sentence(
  kind: ConstraintKind,
  code: string,
  period: number,
  amount: number,
  bound: number,
  unit: string,
): string {
  const u = unit === '' ? '' : ` ${unit}`;
  const qty = `${formatAmount(amount)}${u}`;
  switch (kind) {
    case 'skill':
      return `skill '${code}' short by ${qty} in period ${period} (available ${formatAmount(bound)}${u})`;
    case 'resource':
      return `resource '${code}' short by ${qty} in period ${period} (capacity ${formatAmount(bound)}${u})`;
    case 'capacity':
      return `technology '${code}' short of capacity by ${qty} in period ${period} (capacity ${formatAmount(bound)}${u})`;
    case 'stock':
      return `initial capital stock '${code}' short by ${qty} (initial ${formatAmount(bound)}${u})`;
    case 'target':
      return `target for product '${code}' cannot be met even with unlimited labour, resources and capacity: short by ${qty} in period ${period} (target ${formatAmount(bound)}${u})`;
  }
}

/** Solves the elastic programme of an infeasible plan and lists each relaxation in words. */
export async function explainInfeasibility(
  plan: CompiledPlan,
  solver: LpSolver,
  options: SolveOptions = {},
): Promise<InfeasibilityReport> {
  // Lexicographic: first relax only limits (targets hard), so the explanation names the labour, resources
  // and capacities that fall short; only when no amount of them suffices are the targets relaxed too.
  let built = buildPlanLp(plan, { elastic: true, elasticTargets: false });
  let sol = await solver.solve(built.lp, options);
  if (sol.status === 'infeasible') {
    built = buildPlanLp(plan, { elastic: true });
    sol = await solver.solve(built.lp, options);
  }
  const { index: ix } = built;
  if (sol.status !== 'optimal') {
    return {
      explained: false,
      relaxations: [],
      summary: `the elastic programme did not solve (${sol.status})`,
      solverStatus: sol.status,
    };
  }
  const relaxations: Relaxation[] = [];
  const { nP, nS, nR, nT, nK, periods: P } = ix;
  const take = (
    col: number,
    kind: ConstraintKind,
    code: string,
    period: number,
    bound: number,
    unit: string,
  ) => {
    if (col < 0) return;
    const amount = sol.x[col]!;
    if (!(amount > SLACK_TOLERANCE * Math.max(1, Math.abs(bound)))) return;
    relaxations.push({
      kind,
      code,
      period,
      amount,
      bound,
      unit,
      description: sentence(kind, code, period, amount, bound, unit),
    });
  };
  for (let t = 0; t < P; t++) {
    for (let s = 0; s < nS; s++)
      take(
        ix.slack.skill[t * nS + s]!,
        'skill',
        plan.skillCodes[s]!,
        t + 1,
        plan.skillAvailable[t * nS + s]!,
        plan.skillUnits?.[s] ?? LABOUR_UNIT,
      );
    for (let r = 0; r < nR; r++)
      take(
        ix.slack.resource[t * nR + r]!,
        'resource',
        plan.resourceCodes[r]!,
        t + 1,
        plan.resourceCapacity[t * nR + r]!,
        plan.resourceUnits[r]!,
      );
    for (let j = 0; j < nT; j++) {
      const unit = plan.productUnits[plan.techProduct[j]!]!;
      take(
        ix.slack.capacity[t * nT + j]!,
        'capacity',
        plan.technologyCodes[j]!,
        t + 1,
        plan.techCapacity[t * nT + j]!,
        unit,
      );
    }
    for (let p = 0; p < nP; p++)
      take(
        ix.slack.balance[t * nP + p]!,
        'target',
        plan.productCodes[p]!,
        t + 1,
        plan.targets[t * nP + p]!,
        plan.productUnits[p]!,
      );
  }
  for (let k = 0; k < nK; k++) {
    const good = plan.stocks.product[k]!;
    const code = `${plan.productCodes[good]!} for ${plan.technologyCodes[plan.stocks.technology[k]!]!}`;
    take(ix.slack.initialStock[k]!, 'stock', code, 1, plan.stocks.initial[k]!, plan.productUnits[good]!);
  }
  const summary =
    relaxations.length === 0
      ? 'the plan is feasible: no relaxation is needed'
      : `the plan is infeasible; the smallest relaxation that makes it feasible: ${relaxations.map((r) => r.description).join('; ')}`;
  return { explained: true, relaxations, summary, solverStatus: sol.status };
}
