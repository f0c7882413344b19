// Picks the solver for a plan: exact technique choice where it applies, otherwise the LP solver choice.
import { DomainError } from '../../core/errors';
import { chooseSolver } from '../../numeric/lp/choose-solver';
import type { SolverChoice } from '../../numeric/lp/choose-solver';
import type { LpSolver } from '../../numeric/lp/lp';
import type { PlanFormulation } from '../formulation/plan-index';
import { fastPathApplies } from './fast-path';
import { harmonyLeontiefApplies, harmonyLeontiefSolver } from './harmony-leontief-solver';
import { HARMONY_PDHG, harmonyPdhgApplies, harmonyPdhgSolver } from './harmony-pdhg-solver';
import { HARMONY_REFINE_TOLERANCE, harmonyRefineApplies, harmonyRefineSolver } from './harmony-refine-solver';
import { TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';

export type PlanSolverChoice = SolverChoice | typeof TECHNIQUE_CHOICE | typeof HARMONY_PDHG;

/**
 * From this many products on, 'auto' takes the first-order method for harmony plans with capital stocks at its
 * own tolerance (1e-4 relative, HARMONY_PDHG_TOLERANCE): the LP's first simplex solve is out of reach there
 * (1,000 × 5: none within 90 s). See `npm run bench -- harmony`.
 */
export const HARMONY_PDHG_MIN_PRODUCTS = 400;

/**
 * From this many products on (and below HARMONY_PDHG_MIN_PRODUCTS), 'auto' takes the first-order method at the
 * refined LP's tolerance (1e-6 relative, unless the caller asks another), and the refined LP only when it
 * stops short of it. Measured at 1e-6 on generated economies × 5 years (load 11–13, docs/guide/
 * planning-objectives.md): PDHG certified 60 products in 1.9 s against the refined LP's 6.3 s, 100 in 2.7 s
 * against 17.1 s, 200 in 4.9 s against 64 s (which stopped at 2.6e-3), and 120, 150 and 300 in 2.4–10.3 s;
 * but at 30 products it hit its iteration limit at 1e-5 after 42 s, where the refined LP took 1.7 s. Below
 * this the refined LP stays first.
 */
export const HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS = 100;

/**
 * The first-order method at the refined LP's tolerance, then the refined LP if it stopped short of it (its
 * plan is then replaced by the refined LP's, certified to that tolerance). Named harmony-pdhg: it answers the
 * whole formulation, as the exact harmony solvers do; the solution names the solver that answered.
 */
export function pdhgThenRefine(formulation: PlanFormulation, lpSolver: LpSolver): LpSolver {
  const pdhg = harmonyPdhgSolver(formulation, lpSolver);
  const refine = harmonyRefineSolver(formulation, lpSolver);
  return {
    name: HARMONY_PDHG,
    async solve(lp, options = {}) {
      const asked = { ...options, tolerance: options.tolerance ?? HARMONY_REFINE_TOLERANCE };
      const first = await pdhg.solve(lp, asked);
      if (first.status === 'optimal' || first.status === 'cancelled' || options.signal?.aborted) return first;
      // An iteration count of the first-order method means nothing to the simplex runs of the refined LP.
      const { maxIterations: _firstOrderOnly, ...rest } = asked;
      return refine.solve(lp, rest);
    },
  };
}

/**
 * 'auto' takes technique choice whenever `fastPathApplies` (it is exact and needs no LP solve), the exact
 * harmony solver whenever `harmonyLeontiefApplies`, for other harmony plans (capital stocks) the LP refined
 * to a certified gap with HiGHS (`harmonyRefineApplies`) or, from HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS
 * products on, the first-order method to the same tolerance (the refined LP if it stops short) and from
 * HARMONY_PDHG_MIN_PRODUCTS on the first-order method at its own (`harmonyPdhgApplies`), else the LP solver `chooseSolver` picks; 'technique-choice'
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
  // Mid-sized ones: the first-order method to the refined LP's tolerance, which it reaches faster there.
  if (
    choice === 'auto' &&
    formulation.plan.productCodes.length >= HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS &&
    harmonyPdhgApplies(formulation).ok &&
    harmonyRefineApplies(formulation).ok
  )
    return pdhgThenRefine(formulation, lpSolver);
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
