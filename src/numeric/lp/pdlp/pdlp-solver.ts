// LpSolver for large LPs: our PDLP (restarted, preconditioned PDHG) on typed arrays, with warm starts,
// progress reports and cancellation between iterations.
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from '../lp';
import { lpResiduals } from '../lp-residuals';
import { solutionWithoutPoint } from '../lp-solution';
import { runHalpern } from './halpern';
import { TWO_THREADS_ABOVE_NONZEROS } from './halpern-threads';
import { runPdhg, type PdhgResult } from './pdhg';
import { scaleProblem, type ScaledProblem } from './scaled-problem';

export interface PdlpConfig {
  /** Relative tolerance when SolveOptions.tolerance is absent. Default 1e-4. */
  tolerance?: number;
  /** Ratio of violation to objective below which a ray counts as a certificate. Default 1e-8. */
  infeasibilityTolerance?: number;
  /** Iteration cap when SolveOptions.maxIterations is absent. Default 100 000. */
  maxIterations?: number;
  /** Iterations between residual evaluations. Default 64. */
  evaluateEvery?: number;
  /** Iterations between progress reports. Default 640. */
  progressEvery?: number;
  /**
   * 'adaptive' (default): PDLP's adaptive steps with restarts to the average (pdhg.ts);
   * 'halpern': restarted Halpern PDHG with reflection and a constant step (halpern.ts). On the general LPs of
   * `npm run bench -- lp-solvers` neither wins everywhere (Halpern took fewer iterations at 3 000 columns and
   * more at 10⁴), so the established method stays the default and the bench reports both.
   */
  method?: 'halpern' | 'adaptive';
  /**
   * Halpern only: above this many nonzeros its iterations run on two threads sharing their arrays, where the
   * machine has two cores (halpern-threads.ts). Default TWO_THREADS_ABOVE_NONZEROS; Infinity keeps one thread.
   */
  twoThreadsAboveNonzeros?: number;
  /** False: on two threads every iteration (for tests); by default the faster of one and two lately. */
  twoThreadsMeasured?: boolean;
}

const DEFAULTS = {
  tolerance: 1e-4,
  infeasibilityTolerance: 1e-8,
  maxIterations: 100_000,
  evaluateEvery: 64,
  progressEvery: 640,
  method: 'adaptive' as 'halpern' | 'adaptive',
  twoThreadsAboveNonzeros: TWO_THREADS_ABOVE_NONZEROS,
  twoThreadsMeasured: true,
};

function scaledStart(p: ScaledProblem, warm: NonNullable<SolveOptions['warmStart']>) {
  const x = new Float64Array(p.cols);
  const y = new Float64Array(p.rows);
  for (let j = 0; j < p.cols; j++) x[j] = (warm.x[j] ?? 0) / (p.colScale[j] as number);
  for (let i = 0; i < p.rows; i++) y[i] = (p.sign * (warm.rowDual[i] ?? 0)) / (p.rowScale[i] as number);
  return { x, y };
}

function unscale(lp: LinearProgram, p: ScaledProblem, r: PdhgResult, seconds: number): LpSolution {
  const x = new Float64Array(p.cols);
  const colDual = new Float64Array(p.cols);
  for (let j = 0; j < p.cols; j++) {
    const s = p.colScale[j] as number;
    x[j] = (r.x[j] as number) * s;
    colDual[j] = (p.sign * ((p.cost[j] as number) - (r.aty[j] as number))) / s;
  }
  const rowDual = new Float64Array(p.rows);
  const rowActivity = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    const s = p.rowScale[i] as number;
    rowDual[i] = p.sign * (r.y[i] as number) * s;
    rowActivity[i] = (r.ax[i] as number) / s;
  }
  const residuals = lpResiduals(lp, x, rowDual);
  const solution: LpSolution = {
    status: r.status,
    objective: residuals.primalObjective,
    x,
    rowDual,
    colDual,
    rowActivity,
    iterations: r.iterations,
    residual: Math.max(residuals.primal, residuals.dual, residuals.gap),
    seconds,
    solver: 'pdlp',
  };
  if (r.status !== 'optimal')
    solution.message = `PDLP stopped (${r.status}); x and duals are the best iterate so far`;
  return solution;
}

/** A PDLP solver. Tolerances are relative (see lpResiduals); the default 1e-4 suits planning, not accounting. */
export function createPdlpSolver(config: PdlpConfig = {}): LpSolver {
  const c = { ...DEFAULTS, ...config };
  return {
    name: 'pdlp',
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      if (options.signal?.aborted)
        return solutionWithoutPoint(lp, 'cancelled', 'aborted by signal', 'pdlp', 0);
      const p = scaleProblem(lp);
      const run = c.method === 'halpern' ? runHalpern : runPdhg;
      const result = await run(p, {
        tolerance: options.tolerance ?? c.tolerance,
        infeasibilityTolerance: c.infeasibilityTolerance,
        maxIterations: options.maxIterations ?? c.maxIterations,
        timeLimitSeconds: options.timeLimitSeconds ?? Number.POSITIVE_INFINITY,
        evaluateEvery: c.evaluateEvery,
        progressEvery: c.progressEvery,
        twoThreadsAboveNonzeros: c.twoThreadsAboveNonzeros,
        twoThreadsMeasured: c.twoThreadsMeasured,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.warmStart === undefined ? {} : { start: scaledStart(p, options.warmStart) }),
      });
      if (result.status === 'infeasible' || result.status === 'unbounded') {
        const message =
          result.status === 'infeasible'
            ? 'PDLP found a dual ray (Farkas certificate)'
            : 'PDLP found a primal ray of decreasing cost';
        return solutionWithoutPoint(lp, result.status, message, 'pdlp', elapsed(), result.iterations);
      }
      const solution = unscale(lp, p, result, elapsed());
      options.onProgress?.({
        fraction: 1,
        iteration: result.iterations,
        message: `PDLP ${result.status} after ${result.iterations} iterations`,
      });
      return solution;
    },
  };
}

export const pdlpSolver: LpSolver = createPdlpSolver();
