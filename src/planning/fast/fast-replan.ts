// Replanning by technique choice: the changed plan's formulation solved from the previous values, skill price
// and outputs, so the value and balance solves start next to their answers.
import type { LpSolver } from '../../numeric/lp/lp';
import type { PlanFormulation } from '../formulation/plan-index';
import { mapWarmStart } from '../formulation/replan';
import { solveFormulation } from '../formulation/solve-plan';
import type { PlanOutcome, SolvePlanOptions } from '../formulation/solve-plan';
import { techniqueChoiceSolver } from './technique-choice-solver';

/**
 * Solves `next` (the changed plan, built or patched) by technique choice, warm-started from `prev` when it
 * was optimal; `fallback` explains an infeasible result, as in solveFormulation.
 */
export async function replanByTechniqueChoice(
  prev: Pick<PlanOutcome, 'formulation' | 'solution'>,
  next: PlanFormulation,
  fallback: LpSolver,
  options: SolvePlanOptions = {},
): Promise<PlanOutcome> {
  const solver = techniqueChoiceSolver(next, fallback);
  if (prev.solution.status !== 'optimal') return solveFormulation(next, solver, options);
  return solveFormulation(next, solver, { ...options, warmStart: mapWarmStart(prev, next) });
}
