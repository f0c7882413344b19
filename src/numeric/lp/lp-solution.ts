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

/**
 * What a point and its row duals give an LpSolution: the objective (with the LP's offset), each row's
 * activity A x and each column's reduced cost c − Aᵀ y, in one pass over the columns.
 */
export function pointActivity(
  lp: LinearProgram,
  x: Float64Array,
  rowDual: Float64Array,
): { objective: number; rowActivity: Float64Array; colDual: Float64Array } {
  const { colStart, rowIndex, values } = lp.matrix;
  const rowActivity = new Float64Array(lp.matrix.rows);
  const colDual = Float64Array.from(lp.objective);
  let objective = lp.objectiveOffset ?? 0;
  for (let c = 0; c < lp.matrix.cols; c++) {
    objective += lp.objective[c]! * x[c]!;
    for (let k = colStart[c]!; k < colStart[c + 1]!; k++) {
      rowActivity[rowIndex[k]!]! += values[k]! * x[c]!;
      colDual[c]! -= values[k]! * rowDual[rowIndex[k]!]!;
    }
  }
  return { objective, rowActivity, colDual };
}
