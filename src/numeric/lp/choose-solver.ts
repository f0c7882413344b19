// Picks the LP solver for a problem by measured thresholds: for answers at planning accuracy (the default
// 1e-4 relative) HiGHS while it is fast enough and PDLP beyond; for exact answers (a tolerance below 1e-5,
// objectives equal to 1e-6) always HiGHS, by interior point (with crossover) on large problems.
import { createHighsSolver, highsSolver } from './highs-solver';
import type { LinearProgram, LpSolver } from './lp';
import { pdlpSolver } from './pdlp/pdlp-solver';

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
 * Below this tolerance the caller wants an exact answer, which PDLP reaches far more slowly than HiGHS. PDLP
 * then crossover (pdlp-crossover.ts) is exact too, but at 10⁴ columns of the general LP it took 26.6 s against
 * 19.7 s for HiGHS's interior point (same bench run, load 18), so it is not chosen here.
 */
export const EXACT_BELOW_TOLERANCE = 1e-5;

/**
 * Above this many nonzeros an exact solve uses HiGHS's interior point method (with crossover to a vertex):
 * on the general LPs it took 3.0 s against 6.9 s for the dual simplex at 31 000 nonzeros, and was level at
 * 9 000; at 310 000 the simplex did not finish in 300 s (see docs/architecture.md for the bench figures).
 */
export const IPM_ABOVE_NONZEROS = 20_000;

export const highsIpmSolver: LpSolver = createHighsSolver({ algorithm: 'ipm' });

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
    return nonzeros > IPM_ABOVE_NONZEROS ? highsIpmSolver : highsSolver;
  return nonzeros > PDLP_ABOVE_NONZEROS ? pdlpSolver : highsSolver;
}
