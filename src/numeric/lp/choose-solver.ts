// Picks the LP solver for a problem: HiGHS (exact, with a basis) while it is fast enough, PDLP beyond.
import { highsSolver } from './highs-solver';
import type { LinearProgram, LpSolver } from './lp';
import { pdlpSolver } from './pdlp/pdlp-solver';

export type SolverChoice = 'auto' | 'highs' | 'pdlp';

/**
 * Above this many matrix nonzeros 'auto' picks PDLP. Measured with `npm run bench -- lp-solvers`
 * (seeded random sparse LPs, rows = cols/3, 4 nonzeros per column, PDLP at 1e-4 relative; 2 shared cores):
 *   PLACEHOLDER_FIGURES
 */
export const PDLP_ABOVE_NONZEROS = 20_000;

/** The solver to use for `lp`: the one named, or under 'auto' (the default) HiGHS up to the threshold, PDLP above. */
export function chooseSolver(lp: LinearProgram, options: { solver?: SolverChoice } = {}): LpSolver {
  const choice = options.solver ?? 'auto';
  if (choice === 'highs') return highsSolver;
  if (choice === 'pdlp') return pdlpSolver;
  return lp.matrix.values.length > PDLP_ABOVE_NONZEROS ? pdlpSolver : highsSolver;
}
