// Picks the LP solver for a problem: HiGHS (exact, with a basis) while it is fast enough, PDLP beyond.
import { highsSolver } from './highs-solver';
import type { LinearProgram, LpSolver } from './lp';
import { pdlpSolver } from './pdlp/pdlp-solver';

export type SolverChoice = 'auto' | 'highs' | 'pdlp';

/**
 * Above this many matrix nonzeros 'auto' picks PDLP. Measured with `npm run bench -- lp-solvers`
 * (seeded random sparse LPs, rows = cols/3, 4 nonzeros per column, PDLP at 1e-4 relative, warmed-up
 * process, 2 cores shared with other jobs), seconds HiGHS-wasm / PDLP / scipy linprog(highs):
 *     4 000 nnz: 0.12 / 0.41 / 0.03      12 000 nnz: 0.23 / 0.27 / 0.31
 *    20 000 nnz: 0.90 / 0.89 / 0.43      40 000 nnz: 1.29 / 0.49 / 1.23
 *   400 000 nnz: >120 (limit) / 10.9 / >120 (limit)
 * The crossover lies between 12 000 and 20 000 nonzeros; at a tie HiGHS is preferred, since it returns an
 * exact vertex with exact duals, so the threshold sits at the upper end.
 */
export const PDLP_ABOVE_NONZEROS = 20_000;

/** The solver to use for `lp`: the one named, or under 'auto' (the default) HiGHS up to the threshold, PDLP above. */
export function chooseSolver(lp: LinearProgram, options: { solver?: SolverChoice } = {}): LpSolver {
  const choice = options.solver ?? 'auto';
  if (choice === 'highs') return highsSolver;
  if (choice === 'pdlp') return pdlpSolver;
  return lp.matrix.values.length > PDLP_ABOVE_NONZEROS ? pdlpSolver : highsSolver;
}
