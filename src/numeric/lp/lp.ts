// A linear programme in sparse column-compressed form, solver-neutral, and the result every solver returns.
// Pure types: the HiGHS adapter and our own first-order method both consume LinearProgram.

/** Sparse matrix in compressed sparse column (CSC) form: column j's entries are colStart[j]..colStart[j+1]-1. */
export interface CscMatrix {
  rows: number;
  cols: number;
  colStart: Int32Array; // length cols + 1
  rowIndex: Int32Array; // length nnz
  values: Float64Array; // length nnz
}

/**
 * minimise (or maximise) c·x  subject to  rowLower ≤ A x ≤ rowUpper,  colLower ≤ x ≤ colUpper.
 * Infinite bounds are ±Infinity. Names are optional and used in explanations and LP-file output.
 */
export interface LinearProgram {
  sense: 'min' | 'max';
  objective: Float64Array; // length cols
  objectiveOffset?: number;
  matrix: CscMatrix;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowNames?: string[];
  colNames?: string[];
}

export type LpStatus =
  'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'iteration-limit' | 'cancelled' | 'error';

/** A simplex basis: per column and per row, 0 at lower bound, 1 basic, 2 at upper bound, 3 free at zero, 4 nonbasic. */
export interface LpBasis {
  colStatus: Int32Array;
  rowStatus: Int32Array;
}

export interface LpSolution {
  status: LpStatus;
  /** Human-readable detail for non-optimal statuses. */
  message?: string;
  objective: number;
  x: Float64Array; // primal values, length cols
  /** Row duals (shadow prices), sign convention: d objective / d rowBound for the binding side. */
  rowDual: Float64Array;
  /** Reduced costs of the columns. */
  colDual: Float64Array;
  /** Row activities A x. */
  rowActivity: Float64Array;
  iterations: number;
  /** Max of relative primal infeasibility, dual infeasibility and duality gap, as the solver measured them. */
  residual: number;
  seconds: number;
  solver: string;
  /**
   * A proven bound on the optimum of the problem the LP stands for (max: an upper bound), when the solver
   * has one beyond the LP: the exact harmony solver's dual bound on the true concave optimum.
   */
  objectiveBound?: number;
  /**
   * True when `x` is a feasible point although the status is not optimal: a limit stopped the run short of
   * its tolerance, and the solver answers with the best feasible plan it certified (harmony-pdhg).
   */
  feasible?: boolean;
  /** The optimal basis, from a simplex-based solver (HiGHS); a later solve of a changed LP can start from it. */
  basis?: LpBasis;
  /**
   * What a solver keeps for a later warm start beyond the primal–dual pair (technique choice: the choices it
   * mixed and its orders). Plain data, so that it survives the copy to and from a worker thread.
   */
  solverState?: SolverState;
}

/**
 * Technique choice's state for a warm start, per period: the choices of technique the plan mixed with their
 * outputs; and the fixed-point orders (hubs, then the rest) it solved with.
 */
export interface SolverState {
  techniqueChoice: {
    periods: { policy: Int32Array; output: Float64Array }[][];
    orders: {
      values?: { hubs: Int32Array; rest: Int32Array };
      balance?: { hubs: Int32Array; rest: Int32Array };
    };
    /**
     * A diagnostic: how each period's solve started, from the kept choices of the solution it was warm-started
     * from ('kept'), from choices rebuilt from that solution's levels ('rebuilt'), or neither ('none').
     */
    starts: ('kept' | 'rebuilt' | 'none')[];
  };
}

/** Progress callback for long runs: fraction in [0,1] when known, plus a short message. */
export type ProgressFn = (p: { fraction?: number; iteration?: number; message: string }) => void;

export interface SolveOptions {
  /** Relative tolerance on primal/dual residuals and gap. */
  tolerance?: number;
  timeLimitSeconds?: number;
  maxIterations?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /**
   * Starting point for warm starts: primal and dual (the first-order method), and a basis (HiGHS, which then
   * runs the simplex from it; a basis of another shape is ignored), and the solver's own state (technique
   * choice; see LpSolution.solverState).
   */
  warmStart?: { x: Float64Array; rowDual: Float64Array; basis?: LpBasis; state?: SolverState };
}

export interface LpSolver {
  readonly name: string;
  solve(lp: LinearProgram, options?: SolveOptions): Promise<LpSolution>;
  /**
   * Solves several independent LPs in order, sharing whatever setup the solver has (HiGHS: one Wasm
   * instance); `each` sees every answer as it comes and may stop the run by returning false.
   */
  solveEach?(
    lps: Iterable<LinearProgram>,
    options: SolveOptions,
    each: (solution: LpSolution, k: number) => boolean,
  ): Promise<void>;
}
