// The computing half of planning.compute: formulate and solve a plan specification, warm-started from a
// cached base plan when one is given. Pure, so it runs in the compute pool; the database stays on the main thread.
import type { TaskHooks } from '../core/compute-task';
import { DomainError } from '../core/errors';
import { chooseSolver } from '../numeric/lp/choose-solver';
import { disaggregate } from './disaggregate';
import { choosePlanSolver, type PlanSolverChoice } from './fast/choose-plan-solver';
import { replanByTechniqueChoice } from './fast/fast-replan';
import { TECHNIQUE_CHOICE } from './fast/technique-choice-solver';
import { compilePlanSpec } from './formulation/compile-spec';
import { buildPlanLp } from './formulation/plan-lp';
import type { PlanSpec } from './formulation/plan-spec';
import { replan } from './formulation/replan';
import type { ScenarioChange } from './formulation/scenario';
import { solveFormulation, type PlanOutcome } from './formulation/solve-plan';
import { toPlanRecord, type PlanRecord } from './plan-record';
import { plainBinding } from './plan-result';

export interface SolvePlanInput {
  spec: PlanSpec;
  solver: PlanSolverChoice;
  /** The scenario's own changes, when it starts from a cached base plan. */
  changes?: ScenarioChange[];
  cached?: Pick<PlanOutcome, 'formulation' | 'solution'>;
}

export type SolvedPlan = PlanOutcome & { record: PlanRecord };

export async function solvePlanTask(i: SolvePlanInput, hooks: TaskHooks): Promise<SolvedPlan> {
  const options = { signal: hooks.signal, onProgress: hooks.progress };
  let outcome: PlanOutcome;
  if (i.cached && i.changes && i.changes.length > 0) {
    const probe = buildPlanLp(compilePlanSpec(i.spec));
    const solver = choosePlanSolver(probe, { solver: i.solver });
    outcome =
      solver.name === TECHNIQUE_CHOICE
        ? await replanByTechniqueChoice(i.cached, probe, chooseSolver(probe.lp), options)
        : await replan(i.cached, { changes: i.changes, spec: i.spec }, solver, options);
  } else {
    const formulation = buildPlanLp(compilePlanSpec(i.spec));
    const solver = choosePlanSolver(formulation, { solver: i.solver });
    hooks.progress({ fraction: 0.05, message: `solving with ${solver.name}` });
    outcome = await solveFormulation(formulation, solver, options);
  }
  if (outcome.solution.status === 'cancelled')
    throw new DomainError('cancelled', 'the plan computation was cancelled');
  // The reply is a structured clone, which keeps own data only: the binding list goes written out.
  const result = { ...outcome.result, binding: outcome.result.binding.map(plainBinding) };
  return { ...outcome, result, record: toPlanRecord(result, disaggregate(result), outcome.infeasibility) };
}
