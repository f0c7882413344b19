// Picks the solver for a plan: exact technique choice where it applies, otherwise the LP solver choice.
import { DomainError } from '../../core/errors';
import { chooseSolver } from '../../numeric/lp/choose-solver';
import type { SolverChoice } from '../../numeric/lp/choose-solver';
import type { LpSolver } from '../../numeric/lp/lp';
import type { PlanFormulation } from '../formulation/plan-index';
import { fastPathApplies } from './fast-path';
import { harmonyLeontiefApplies, harmonyLeontiefSolver } from './harmony-leontief-solver';
import { harmonyRefineApplies, harmonyRefineSolver } from './harmony-refine-solver';
import { TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';

export type PlanSolverChoice = SolverChoice | typeof TECHNIQUE_CHOICE;

/**
 * 'auto' takes technique choice whenever `fastPathApplies` (it is exact and needs no LP solve), the exact
 * harmony solver whenever `harmonyLeontiefApplies`, for other harmony plans (capital stocks) the LP refined
 * to a certified gap with HiGHS (`harmonyRefineApplies`), else the LP solver `chooseSolver` picks; 'technique-choice' forces it and is refused, with the reason, where it does
 * not apply; 'highs' and 'pdlp' force those LP solvers.
 */
export function choosePlanSolver(
  formulation: PlanFormulation,
  options: { solver?: PlanSolverChoice } = {},
): LpSolver {
  const choice = options.solver ?? 'auto';
  const lpChoice: SolverChoice = choice === TECHNIQUE_CHOICE ? 'auto' : choice;
  const lpSolver = chooseSolver(formulation.lp, { solver: lpChoice });
  if (choice !== 'auto' && choice !== TECHNIQUE_CHOICE) return lpSolver;
  // Harmony on independent periods with one technology per product: exact through the Leontief dual.
  if (choice === 'auto' && harmonyLeontiefApplies(formulation).ok)
    return harmonyLeontiefSolver(formulation, lpSolver);
  // Other harmony plans (capital stocks link the periods): HiGHS on the LP, breakpoints refined per target.
  if (choice === 'auto' && harmonyRefineApplies(formulation).ok)
    return harmonyRefineSolver(formulation, lpSolver);
  const verdict = fastPathApplies(formulation.plan);
  if (verdict.ok) return techniqueChoiceSolver(formulation, lpSolver);
  if (choice === 'auto') return lpSolver;
  throw new DomainError(
    'invalid',
    `solver: technique choice does not apply to this plan: ${verdict.reason}`,
    {
      issues: [{ field: 'solver', message: verdict.reason }],
      fix: "choose solver 'auto', 'highs' or 'pdlp', or remove what the reason names",
    },
  );
}
