// Building blocks of LpSolution values shared by the solvers: the answer for "no solution to report".
import type { LinearProgram, LpSolution, LpStatus } from './lp';

/** Objective reported without a solution: +∞ for a minimisation with no feasible point, −∞ when unbounded (mirrored for max). */
export function noSolutionObjective(lp: LinearProgram, status: LpStatus): number {
  const worst = lp.sense === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return status === 'unbounded' ? -worst : worst;
}

/** A solution carrying only a status: zero vectors, infinite residual, objective per `noSolutionObjective`. */
export function solutionWithoutPoint(
  lp: LinearProgram,
  status: LpStatus,
  message: string,
  solver: string,
  seconds: number,
  iterations = 0,
): LpSolution {
  return {
    status,
    message,
    objective: noSolutionObjective(lp, status),
    x: new Float64Array(lp.matrix.cols),
    rowDual: new Float64Array(lp.matrix.rows),
    colDual: new Float64Array(lp.matrix.cols),
    rowActivity: new Float64Array(lp.matrix.rows),
    iterations,
    residual: Number.POSITIVE_INFINITY,
    seconds,
    solver,
  };
}
