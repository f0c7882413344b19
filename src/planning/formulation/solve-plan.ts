// Formulates, solves and reads a plan in one call; an infeasible plan comes back with its explanation.
import { DomainError } from '../../core/errors';
import type { LpSolution, LpSolver, SolveOptions } from '../../numeric/lp/lp';
import { componentSolver } from '../../numeric/lp/lp-components';
import { HARMONY_LEONTIEF } from '../fast/harmony-leontief-solver';
import { HARMONY_PDHG } from '../fast/harmony-pdhg-solver';
import { HARMONY_REFINE } from '../fast/harmony-refine-solver';
import { readPlanResult } from '../plan-result';
import type { PlanResult, ReadOptions } from '../plan-result';
import type { CompiledPlan } from './compiled-plan';
import { compilePlanSpec } from './compile-spec';
import { explainInfeasibility } from './infeasibility';
import { unboundedPlanError } from './plan-bounded';
import type { InfeasibilityReport } from './infeasibility';
import type { PlanFormulation } from './plan-index';
import { buildPlanLp } from './plan-lp';
import type { PlanSpec } from './plan-spec';

export interface PlanOutcome {
  formulation: PlanFormulation;
  solution: LpSolution;
  result: PlanResult;
  /** Present when the solver proved the plan infeasible. */
  infeasibility?: InfeasibilityReport;
}

export interface SolvePlanOptions extends SolveOptions {
  read?: ReadOptions;
}

/** Formulates a specification and solves it. */
export async function solvePlan(
  spec: PlanSpec,
  solver: LpSolver,
  options: SolvePlanOptions = {},
): Promise<PlanOutcome> {
  return solveCompiledPlan(compilePlanSpec(spec), solver, options);
}

/** Solves an already compiled plan (the path benchmarks and replanning take). */
export async function solveCompiledPlan(
  plan: CompiledPlan,
  solver: LpSolver,
  options: SolvePlanOptions = {},
): Promise<PlanOutcome> {
  const formulation = buildPlanLp(plan);
  return solveFormulation(formulation, solver, options);
}

export async function solveFormulation(
  formulation: PlanFormulation,
  solver: LpSolver,
  options: SolvePlanOptions = {},
): Promise<PlanOutcome> {
  const { read, ...solveOptions } = options;
  // A harmony plan without capital stocks falls apart into one LP per period; solving the parts one by
  // one is much faster than one simplex run on the whole (lp-components.ts). Its optimum in net output is
  // unique (H is strictly concave), so the split cannot change the answer.
  // The exact harmony solvers answer the whole formulation (the Leontief dual splits by period itself).
  const bySolver =
    formulation.plan.objective === 'harmony' &&
    !formulation.index.elastic &&
    solver.name !== HARMONY_LEONTIEF &&
    solver.name !== HARMONY_REFINE &&
    solver.name !== HARMONY_PDHG
      ? componentSolver(solver)
      : solver;
  const solution = await bySolver.solve(formulation.lp, solveOptions);
  // The structural test (plan-bounded.ts) cannot see every way a stock grows; the solver's proof is
  // refused the same way, naming the same field.
  if (
    solution.status === 'unbounded' &&
    formulation.plan.objective !== 'min-labour' &&
    !formulation.index.elastic
  )
    throw unboundedPlanError(formulation.plan, null);
  const result = readPlanResult(formulation, solution, read);
  if (solution.status !== 'infeasible') return { formulation, solution, result };
  const infeasibility = await explainInfeasibility(formulation.plan, solver, solveOptions);
  return { formulation, solution, result, infeasibility };
}

/** The DomainError an edge raises for an infeasible plan, carrying the relaxations as data. */
export function infeasiblePlanError(report: InfeasibilityReport): DomainError {
  return new DomainError('infeasible', report.summary, {
    fix: 'raise the limits named (labour, resources, capacities, initial capital) by at least the amounts given, or lower the targets',
    data: { relaxations: report.relaxations },
  });
}
