// Picks the solver for a plan: exact technique choice where it applies, otherwise the LP solver choice.
import { DomainError } from '../../core/errors';
import { chooseSolver } from '../../numeric/lp/choose-solver';
import type { SolverChoice } from '../../numeric/lp/choose-solver';
import type { LpSolver } from '../../numeric/lp/lp';
import type { PlanFormulation } from '../formulation/plan-index';
import { fastPathApplies } from './fast-path';
import { harmonyLeontiefApplies, harmonyLeontiefSolver } from './harmony-leontief-solver';
import { HARMONY_PDHG, harmonyPdhgApplies, harmonyPdhgSolver } from './harmony-pdhg-solver';
import { harmonyRefineApplies, harmonyRefineSolver } from './harmony-refine-solver';
import { TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';

export type PlanSolverChoice = SolverChoice | typeof TECHNIQUE_CHOICE | typeof HARMONY_PDHG;

/**
 * From this many products on, 'auto' takes the first-order method for harmony plans with capital stocks:
 * below it the refined LP is faster (100 industries × 5 years: 2.6 s against 6.7 s for PDHG at 1e-4), above
 * it the LP's first simplex solve is out of reach (1,000 × 5: none within 90 s). Measured under load; see
 * `npm run bench -- harmony`.
 */
export const HARMONY_PDHG_MIN_PRODUCTS = 400;

/**
 * 'auto' takes technique choice whenever `fastPathApplies` (it is exact and needs no LP solve), the exact
 * harmony solver whenever `harmonyLeontiefApplies`, for other harmony plans (capital stocks) the LP refined
 * to a certified gap with HiGHS (`harmonyRefineApplies`) or, from HARMONY_PDHG_MIN_PRODUCTS products on,
 * the first-order method (`harmonyPdhgApplies`), else the LP solver `chooseSolver` picks; 'technique-choice'
 * and 'harmony-pdhg' force those and are refused, with the reason, where they do not apply; 'highs' and
 * 'pdlp' force those LP solvers.
 */
export function choosePlanSolver(
  formulation: PlanFormulation,
  options: { solver?: PlanSolverChoice } = {},
): LpSolver {
  const choice = options.solver ?? 'auto';
  const lpChoice: SolverChoice = choice === TECHNIQUE_CHOICE || choice === HARMONY_PDHG ? 'auto' : choice;
  const lpSolver = chooseSolver(formulation.lp, { solver: lpChoice });
  if (choice === HARMONY_PDHG) {
    const pdhg = harmonyPdhgApplies(formulation);
    if (pdhg.ok) return harmonyPdhgSolver(formulation, lpSolver);
    throw new DomainError('invalid', `solver: harmony-pdhg does not apply to this plan: ${pdhg.reason}`, {
      issues: [{ field: 'solver', message: pdhg.reason }],
      fix: "choose solver 'auto', 'highs' or 'pdlp', or remove what the reason names",
    });
  }
  if (choice !== 'auto' && choice !== TECHNIQUE_CHOICE) return lpSolver;
  // Harmony on independent periods with one technology per product: exact through the Leontief dual.
  if (choice === 'auto' && harmonyLeontiefApplies(formulation).ok)
    return harmonyLeontiefSolver(formulation, lpSolver);
  // Large harmony plans with capital stocks: the first-order method on the concave problem, certified.
  if (
    choice === 'auto' &&
    formulation.plan.productCodes.length >= HARMONY_PDHG_MIN_PRODUCTS &&
    harmonyPdhgApplies(formulation).ok
  )
    return harmonyPdhgSolver(formulation, lpSolver);
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
