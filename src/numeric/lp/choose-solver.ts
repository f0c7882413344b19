// Picks the LP solver for a problem by measured thresholds: for answers at planning accuracy (the default
// 1e-4 relative) HiGHS while it is fast enough and PDLP beyond; for exact answers (a tolerance below 1e-5,
// objectives equal to 1e-6) HiGHS's simplex on small problems and PDLP then crossover (an exact vertex) on large ones.
import { highsSolver } from './highs-solver';
import type { LinearProgram, LpSolver } from './lp';
import { pdlpSolver } from './pdlp/pdlp-solver';
import { pdlpCrossoverSolver } from './pdlp-crossover';

export type SolverChoice = 'auto' | 'highs' | 'pdlp';

/**
 * Above this many matrix nonzeros 'auto' picks PDLP at planning accuracy. Measured with `npm run bench --
 * lp-solvers` and by hand on its general capacity LPs (2 cores shared with other jobs, so the seconds are noisy
 * and the ratios matter), seconds HiGHS dual simplex / PDLP at 1e-4:
 *     3 000 nnz (1 000 cols): 0.3–1.1 / 0.2–0.5      9 000 nnz (3 000 cols): 0.4 / 0.2
 *    31 000 nnz (10⁴ cols):   2.5–6.9 / 0.5          310 000 nnz (10⁵ cols): > 300 (limit) / see docs
 * Older figures on uniformly random LPs put the crossover between 12 000 and 20 000 nonzeros. At a tie HiGHS is
 * preferred, since it returns an exact vertex with exact duals, so the threshold sits at the upper end.
 */
export const PDLP_ABOVE_NONZEROS = 20_000;

/**
 * Below this tolerance the caller wants an exact answer, which PDLP alone reaches far more slowly than HiGHS.
 */
export const EXACT_BELOW_TOLERANCE = 1e-5;

/**
 * Above this many nonzeros an exact solve uses PDLP then crossover (pdlp-crossover.ts: Halpern PDLP to 2e-4 or
 * 1e-4, HiGHS's own crossover from its point, HiGHS's dual simplex on the true LP; the answer is HiGHS's vertex,
 * checked, or a plain HiGHS solve should every crossover fail; above 200,000 nonzeros PDLP alone to 1e-7, checked,
 * as HiGHS's factorisation of the basis stalls there). With a guessed basis in place of HiGHS's
 * crossover, on the general LP at 31 000 nonzeros it took 6.6 s against 11.8 s for HiGHS's interior point, 12.9 s
 * for its dual simplex and 8.6 s for scipy's HiGHS (same bench run, load 18), objectives equal to 5e-11; with
 * HiGHS's crossover, 0.46 of the dual simplex's time and 0.64 of the interior point's (load 12). Below, the dual
 * simplex: the interior point and the simplex were level at 9 000 (see docs/architecture.md).
 */
export const IPM_ABOVE_NONZEROS = 20_000;

/**
 * The solver to use for `lp`: the one named, or under 'auto' (the default) by size and by the accuracy asked
 * for (`tolerance`, as in SolveOptions; absent means planning accuracy).
 */
export function chooseSolver(
  lp: LinearProgram,
  options: { solver?: SolverChoice; tolerance?: number } = {},
): LpSolver {
  const choice = options.solver ?? 'auto';
  if (choice === 'highs') return highsSolver;
  if (choice === 'pdlp') return pdlpSolver;
  const nonzeros = lp.matrix.values.length;
  if (options.tolerance !== undefined && options.tolerance < EXACT_BELOW_TOLERANCE)
    return nonzeros > IPM_ABOVE_NONZEROS ? pdlpCrossoverSolver : highsSolver;
  return nonzeros > PDLP_ABOVE_NONZEROS ? pdlpSolver : highsSolver;
}
