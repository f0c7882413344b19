// LpSolver adapter for HiGHS compiled to WebAssembly (the `highs` npm package): exact simplex/IPM answers with duals.
//
// The CSC arrays are handed to HiGHS directly (highs-js ≥ 1.14 accepts structured sparse models), so no
// CPLEX LP text is built: nothing is lost to number formatting, names cannot clash, and 10⁵ columns cost
// no string work. Each solve loads a fresh WebAssembly instance (≈ 15–40 ms) and drops it afterwards,
// because Wasm linear memory never shrinks: a long-lived instance would keep its high-water mark
// (up to the 2 GiB cap) for the rest of the process.
//
// Cancellation: the Wasm solve is synchronous and blocks the event loop, so an AbortSignal can only be
// honoured before the solve starts and after it returns (the answer is then discarded as 'cancelled').
// Use `timeLimitSeconds`, which HiGHS enforces inside the solve, to bound a long run.
import type { Highs, Model } from 'highs';
import type { LinearProgram, LpSolution, LpSolver, LpStatus, SolveOptions } from './lp';
import { loadHighsInstance } from './highs-instance';
import { runHighsInThread } from './highs-thread';
import { lpResiduals } from './lp-residuals';
import { solutionWithoutPoint } from './lp-solution';

export type HighsAlgorithm = 'choose' | 'simplex' | 'ipm';

export interface HighsSolverOptions {
  /** HiGHS's `solver` option; 'choose' lets HiGHS decide (dual simplex for most LPs). */
  algorithm?: HighsAlgorithm;
  /**
   * Edge weights of a simplex started from a given basis. HiGHS's default (dual steepest edge) first computes
   * exact weights for that basis, one solve with it per row: 1 s of setup at 3 510 rows for a crossover that then
   * needed 17 pivots (0.3 s). 'devex' starts from unit weights; suits a basis known to be nearly optimal.
   */
  warmStartEdgeWeights?: 'default' | 'devex';
  /**
   * The simplex run from a given basis. HiGHS's default is the dual simplex. 'primal' suited a rough guess: at
   * 10⁴ columns of the general LP, from Halpern PDLP's point at 1e-4, the primal simplex needed 191 pivots (0.4 s)
   * where the dual needed 294 (1.1 s); from a closer point (2e-5) the dual needed 20 and the primal 135.
   */
  warmStartSimplex?: 'dual' | 'primal';
  /**
   * Where the solve runs. 'thread': in a worker thread (highs-thread.ts) that is ended at the time limit, since
   * HiGHS does not check its limit inside a factorisation or while setting a basis, and the Wasm call holds its
   * thread; an AbortSignal then cancels at once, too. 'here': on the caller's thread, as a plain Wasm call.
   * 'auto' (default): in a thread above THREAD_ABOVE_NONZEROS nonzeros, here below.
   */
  thread?: 'auto' | 'thread' | 'here';
}

/**
 * Above this many nonzeros a solve runs in a worker thread by default. Below, a solve takes well under a
 * second (the general LP at 31,000 nonzeros: 1.6–2.7 s for the dual simplex on a quiet machine), and starting a
 * thread would cost more than it bounds.
 */
export const THREAD_ABOVE_NONZEROS = 20_000;

/** HiGHS's simplex_dual/primal_edge_weight_strategy value for Devex. */
export const DEVEX = 1;
/** HiGHS's simplex_strategy value for the primal simplex. */
const PRIMAL_SIMPLEX = 4;

/** HiGHS's own default feasibility tolerances; a looser `SolveOptions.tolerance` is not applied. */
const HIGHS_DEFAULT_TOLERANCE = 1e-7;
/** Simplex iterations between progress reports. */
const PROGRESS_EVERY = 500;

const elapsed = (started: number) => (performance.now() - started) / 1000;

export function statusOf(highs: Highs, code: number): LpStatus {
  const s = highs.constants.modelStatus;
  switch (code) {
    case s.optimal:
    case s.empty:
      return 'optimal';
    case s.infeasible:
      return 'infeasible';
    case s.unbounded:
      return 'unbounded';
    case s.timeLimit:
      return 'time-limit';
    case s.iterationLimit:
      return 'iteration-limit';
    case s.interrupted:
      return 'cancelled';
    default:
      return 'error';
  }
}

export function toModelData(highs: Highs, lp: LinearProgram) {
  const { matrix } = lp;
  return {
    numCols: matrix.cols,
    numRows: matrix.rows,
    sense:
      lp.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    offset: lp.objectiveOffset ?? 0,
    colCost: lp.objective,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csc' as const,
      numRows: matrix.rows,
      numCols: matrix.cols,
      starts: matrix.colStart,
      indices: matrix.rowIndex,
      values: matrix.values,
    },
  };
}

export function iterationsOf(model: Model): number {
  let total = 0;
  for (const name of [
    'simplex_iteration_count',
    'ipm_iteration_count',
    'crossover_iteration_count',
    'pdlp_iteration_count',
  ]) {
    const v = model.info.get(name);
    if (typeof v === 'number' && v > 0) total += v;
    else if (typeof v === 'bigint' && v > 0n) total += Number(v);
  }
  return total;
}

function runModel(highs: Highs, model: Model, options: SolveOptions): number {
  const onProgress = options.onProgress;
  if (onProgress === undefined) return model.run().modelStatus;
  const { simplexInterrupt, ipmInterrupt } = highs.constants.callbackType;
  return model.run({
    [simplexInterrupt](event) {
      const iteration = event.data.simplex_iteration_count ?? 0;
      if (iteration % PROGRESS_EVERY === 0)
        onProgress({ iteration, message: `HiGHS simplex iteration ${iteration}` });
      return undefined;
    },
    [ipmInterrupt](event) {
      const iteration = event.data.ipm_iteration_count ?? 0;
      onProgress({ iteration, message: `HiGHS interior-point iteration ${iteration}` });
      return undefined;
    },
  }).modelStatus;
}

function solveWith(
  highs: Highs,
  lp: LinearProgram,
  options: SolveOptions,
  algorithm: HighsAlgorithm,
  started: number,
  warmStartEdgeWeights: 'default' | 'devex' = 'default',
  warmStartSimplex: 'dual' | 'primal' = 'dual',
): LpSolution {
  const model = highs.createModel(toModelData(highs, lp));
  try {
    const basis = options.warmStart?.basis;
    const warmBasis =
      basis !== undefined &&
      basis.colStatus.length === lp.matrix.cols &&
      basis.rowStatus.length === lp.matrix.rows;
    // A basis only helps the simplex: with one, HiGHS runs the simplex from it whatever the algorithm asked.
    model.options.set({ output_flag: false, solver: warmBasis ? 'simplex' : algorithm });
    if (warmBasis) model.setBasis({ colStatus: basis.colStatus, rowStatus: basis.rowStatus });
    if (warmBasis && warmStartEdgeWeights === 'devex')
      model.options.set({
        simplex_dual_edge_weight_strategy: DEVEX,
        simplex_primal_edge_weight_strategy: DEVEX,
      });
    if (warmBasis && warmStartSimplex === 'primal') model.options.set('simplex_strategy', PRIMAL_SIMPLEX);
    if (options.timeLimitSeconds !== undefined) model.options.set('time_limit', options.timeLimitSeconds);
    if (options.maxIterations !== undefined) {
      model.options.set('simplex_iteration_limit', options.maxIterations);
      model.options.set('ipm_iteration_limit', options.maxIterations);
    }
    if (options.tolerance !== undefined && options.tolerance < HIGHS_DEFAULT_TOLERANCE) {
      model.options.set({
        primal_feasibility_tolerance: options.tolerance,
        dual_feasibility_tolerance: options.tolerance,
      });
    }
    let code = runModel(highs, model, options);
    // Presolve can prove "infeasible or unbounded" without saying which; the plain solver tells them apart.
    if (code === highs.constants.modelStatus.unboundedOrInfeasible) {
      model.options.set('presolve', 'off');
      model.clearSolver();
      code = runModel(highs, model, options);
    }
    return answerOf(highs, model, lp, code, started);
  } finally {
    model.dispose();
  }
}

/** The LpSolution of a model HiGHS has run (status `code`), with its basis when HiGHS has a valid one. */
export function answerOf(
  highs: Highs,
  model: Model,
  lp: LinearProgram,
  code: number,
  started: number,
): LpSolution {
  const status = statusOf(highs, code);
  const iterations = iterationsOf(model);
  if (status !== 'optimal') {
    return solutionWithoutPoint(
      lp,
      status,
      `HiGHS model status ${code}`,
      'highs',
      elapsed(started),
      iterations,
    );
  }
  const sol = model.getSolution();
  const r = lpResiduals(lp, sol.colValue, sol.rowDual);
  const finalBasis = Number(model.info.get('basis_validity')) === 1 ? model.getBasis() : undefined;
  return {
    status,
    objective: model.getObjectiveValue(),
    x: sol.colValue,
    rowDual: sol.rowDual,
    colDual: sol.colDual,
    rowActivity: sol.rowValue,
    iterations,
    residual: Math.max(r.primal, r.dual, r.gap),
    seconds: elapsed(started),
    solver: 'highs',
    ...(finalBasis === undefined
      ? {}
      : { basis: { colStatus: finalBasis.colStatus, rowStatus: finalBasis.rowStatus } }),
  };
}

/** A HiGHS-backed solver. Every call loads its own Wasm instance, so solves never share or leak heap. */
export function createHighsSolver(config: HighsSolverOptions = {}): LpSolver {
  const algorithm = config.algorithm ?? 'choose';
  const edgeWeights = config.warmStartEdgeWeights ?? 'default';
  const warmSimplex = config.warmStartSimplex ?? 'dual';
  const thread = config.thread ?? 'auto';
  return {
    name: 'highs',
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      if (thread === 'thread' || (thread === 'auto' && lp.matrix.values.length > THREAD_ABOVE_NONZEROS)) {
        const { signal, onProgress, ...plain } = options;
        const what = options.warmStart?.basis
          ? "HiGHS's simplex from a given basis"
          : `HiGHS's ${algorithm === 'ipm' ? 'interior point' : algorithm === 'simplex' ? 'simplex' : 'solve'}`;
        return runHighsInThread(
          {
            kind: 'solve',
            lp,
            config: { algorithm, warmStartEdgeWeights: edgeWeights, warmStartSimplex: warmSimplex },
            options: plain,
          },
          {
            what,
            ...(options.timeLimitSeconds === undefined ? {} : { deadlineSeconds: options.timeLimitSeconds }),
            ...(signal === undefined ? {} : { signal }),
            ...(onProgress === undefined ? {} : { onProgress }),
          },
        );
      }
      const started = performance.now();
      const cancelled = () =>
        solutionWithoutPoint(lp, 'cancelled', 'aborted by signal', 'highs', elapsed(started));
      if (options.signal?.aborted) return cancelled();
      // Loaded on first use: the wasm module is heavy, and most commands never solve an LP.
      const highs = await loadHighsInstance();
      if (options.signal?.aborted) return cancelled();
      let solution: LpSolution;
      try {
        solution = solveWith(highs, lp, options, algorithm, started, edgeWeights, warmSimplex);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return solutionWithoutPoint(lp, 'error', `HiGHS failed: ${message}`, 'highs', elapsed(started));
      }
      return options.signal?.aborted ? cancelled() : solution;
    },
    // Small parts share one instance: loading it costs more than solving a one-period plan.
    async solveEach(lps, options, each) {
      const highs = await loadHighsInstance();
      let k = 0;
      for (const lp of lps) {
        const started = performance.now();
        let solution: LpSolution;
        if (options.signal?.aborted)
          solution = solutionWithoutPoint(lp, 'cancelled', 'aborted by signal', 'highs', 0);
        else {
          try {
            solution = solveWith(highs, lp, options, algorithm, started, edgeWeights, warmSimplex);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            solution = solutionWithoutPoint(
              lp,
              'error',
              `HiGHS failed: ${message}`,
              'highs',
              elapsed(started),
            );
          }
        }
        if (!each(solution, k++)) return;
      }
    },
  };
}

/**
 * A HiGHS solver that loads one Wasm instance on first use and keeps it for every later solve: for many small
 * programmes in a row (the units' own programmes of a planning round), where loading an instance per solve would
 * cost more than the solves. Its memory stays at the high-water mark of the largest programme until the session
 * is dropped, so a session is for small programmes and short lives.
 */
export function createHighsSession(config: HighsSolverOptions = {}): LpSolver {
  const algorithm = config.algorithm ?? 'choose';
  let instance: Promise<Highs> | null = null;
  return {
    name: 'highs',
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      const started = performance.now();
      if (options.signal?.aborted)
        return solutionWithoutPoint(lp, 'cancelled', 'aborted by signal', 'highs', elapsed(started));
      instance ??= loadHighsInstance();
      const highs = await instance;
      try {
        return solveWith(highs, lp, options, algorithm, started);
      } catch (error) {
        // A failed solve may leave the instance unusable: the next solve loads a fresh one.
        instance = null;
        const message = error instanceof Error ? error.message : String(error);
        return solutionWithoutPoint(lp, 'error', `HiGHS failed: ${message}`, 'highs', elapsed(started));
      }
    },
  };
}

/** The default HiGHS solver (algorithm chosen by HiGHS). */
export const highsSolver: LpSolver = createHighsSolver();
