// Exact answers from the first-order method: PDLP to a moderate accuracy, then a crossover to a vertex.
// PDLP converges fast to 1e-4..1e-5 and slowly beyond; the simplex is slow from a cold start and fast from a
// basis near the optimum. So PDLP runs to `crossoverTolerance`, its point becomes a basis, and HiGHS's simplex
// finishes from it: the answer is HiGHS's vertex with HiGHS's exact duals. By default the basis comes from HiGHS's
// own crossover, run from PDLP's point made exactly complementary for a nearby LP (complementary-start.ts); the
// older way guesses it from the point (basis-guess.ts). Whichever answers, the answer is checked here (primal and
// dual feasibility and gap, lpResiduals, to VERIFIED_RESIDUAL) before it is reported optimal. Should one way fail,
// the other is tried, and then a plain HiGHS solve gives the answer; the message says so.
import { guessBasis } from './basis-guess';
import { complementaryStart } from './complementary-start';
import { createHighsSolver } from './highs-solver';
import { prepareHighsThread, runHighsInThread } from './highs-thread';
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from './lp';
import { lpResiduals } from './lp-residuals';
import { createPdlpSolver } from './pdlp/pdlp-solver';

export interface PdlpCrossoverConfig {
  /**
   * How PDLP's point becomes a vertex. 'highs' (default): HiGHS's own crossover from the point made exactly
   * complementary for a nearby LP (complementary-start.ts, highs-crossover.ts), then the simplex on the true LP.
   * 'guessed-basis': a basis guessed from the point (basis-guess.ts), from which HiGHS's simplex starts.
   * If the one chosen fails, the other is tried before a plain HiGHS solve.
   */
  crossover?: 'highs' | 'guessed-basis';
  /**
   * PDLP's relative KKT error before the crossover. Default: highsCrossoverTolerance (2e-4 or 1e-4 by size) for
   * HiGHS's crossover; 2e-5 for the guessed basis, with Halpern PDLP as the first stage. On the
   * general capacity LP (30 Nov 2026): at 10⁴ columns its point at 2e-5 gave a basis the dual simplex finished
   * in 20 pivots (1e-4 and the primal simplex: 191, slightly faster overall); at 3·10⁴ columns the simplex
   * failed from the 1e-4 guess (HiGHS status -1, primal and dual alike) and finished from the 2e-5 one in 1,386
   * pivots. The adaptive method's points make worse guesses (its 1e-4 guess at 10⁴ made HiGHS stop).
   */
  crossoverTolerance?: number;
  /** The first-order method. Default: our PDLP, restarted Halpern variant (its points guess better bases). */
  firstOrder?: LpSolver;
  /** The simplex that finishes. Default: HiGHS dual simplex with Devex weights from the guessed basis. */
  simplex?: LpSolver;
  /** The solver used when the crossover fails or PDLP reports a ray. Default: HiGHS, algorithm of its choice. */
  fallback?: LpSolver;
  /**
   * Above this many nonzeros there is no crossover: PDLP runs to VERIFIED_RESIDUAL itself, and its point, checked,
   * is the answer. Default DIRECT_ABOVE_NONZEROS.
   */
  directAboveNonzeros?: number;
}

/**
 * Above this many nonzeros PDLP alone gives the exact answer (to VERIFIED_RESIDUAL). At 10⁵ columns of the general
 * LP (310,000 nonzeros) every simplex-based finish stalls in HiGHS's factorisation of the basis: setBasis of a
 * guessed basis ran > 150 s, IPX's crash basis > 3 min, HiGHS's own simplex > 300 s and its interior point stopped
 * after 5 iterations in 315 s; our reading is that every optimal basis holds each period's I − A over the items'
 * random input graph, whose LU factors fill in. Halpern PDLP reached 2.4e-7 in 10,449 iterations (40 s of CPU,
 * 30 Nov 2026, load 14–16). At 3·10⁴ columns (93,000 nonzeros) HiGHS's crossover still finished (115 s wall,
 * 16.8 s CPU), so the bound sits between the two.
 */
export const DIRECT_ABOVE_NONZEROS = 200_000;

const DEFAULT_CROSSOVER_TOLERANCE = 2e-5;
/**
 * PDLP's tolerance before HiGHS's crossover: looser on small LPs, where a simplex pivot is cheap, closer on large
 * ones, where pivots dominate. On the general LP (30 Nov 2026, CPU seconds at load 12, so they compare only with each
 * other): at 10⁴ columns (31,000 nonzeros) 1e-4 took 1,280 PDLP iterations and 16 pivots after the crossover (1.2 s
 * in all), 2e-4 1,024 and 48 (0.90 s), 3e-4 512 and 115 (0.90 s), 5e-4 320 and 356 (1.1 s); at 3·10⁴ columns
 * (93,000 nonzeros) 1e-4 took 576 and 422 (16.8 s), 2e-4 512 and 881 (21.7 s), 3e-4 384 and 1,467 (38.2 s).
 */
export function highsCrossoverTolerance(nonzeros: number): number {
  return nonzeros <= 50_000 ? 2e-4 : 1e-4;
}
/**
 * The largest relative primal infeasibility, dual infeasibility and gap (lpResiduals) of an answer reported optimal.
 * HiGHS's vertices measure about 1e-12 here; anything worse means the crossover went wrong, and HiGHS decides.
 */
export const VERIFIED_RESIDUAL = 1e-7;

/** Why an answer reported optimal is not one to within VERIFIED_RESIDUAL, or null if it is. */
export function unverified(lp: LinearProgram, s: LpSolution): string | null {
  if (s.status !== 'optimal') return null;
  const r = lpResiduals(lp, s.x, s.rowDual);
  const worst = Math.max(r.primal, r.dual, r.gap);
  return worst <= VERIFIED_RESIDUAL
    ? null
    : `its answer failed the check (primal ${r.primal.toExponential(1)}, dual ${r.dual.toExponential(1)}, ` +
        `gap ${r.gap.toExponential(1)})`;
}

function remaining(limit: number | undefined, started: number): number | undefined {
  return limit === undefined ? undefined : Math.max(0, limit - (performance.now() - started) / 1000);
}

export function createPdlpCrossoverSolver(config: PdlpCrossoverConfig = {}): LpSolver {
  const method = config.crossover ?? 'highs';
  const toleranceFor = (lp: LinearProgram) =>
    config.crossoverTolerance ??
    (method === 'highs' ? highsCrossoverTolerance(lp.matrix.values.length) : DEFAULT_CROSSOVER_TOLERANCE);
  const firstOrder = config.firstOrder ?? createPdlpSolver({ method: 'halpern' });
  const simplex =
    config.simplex ??
    createHighsSolver({ algorithm: 'simplex', warmStartEdgeWeights: 'devex', thread: 'thread' });
  // Every HiGHS step runs in a worker thread ended at the time limit (highs-thread.ts): at 10⁵ columns setting
  // the guessed basis and IPX's crash basis each ran for minutes without looking at HiGHS's limit.
  const fallback = config.fallback ?? createHighsSolver({ thread: 'thread' });
  const name = 'pdlp+crossover';
  return {
    name,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      const started = performance.now();
      const crossoverTolerance = toleranceFor(lp);
      const seconds = () => (performance.now() - started) / 1000;
      const rest = (): SolveOptions => {
        const limit = remaining(options.timeLimitSeconds, started);
        return {
          ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
          ...(limit === undefined ? {} : { timeLimitSeconds: limit }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        };
      };
      const finish = (s: LpSolution, iterations: number, message: string): LpSolution => ({
        ...s,
        iterations,
        seconds: seconds(),
        solver: name,
        message,
      });

      const direct = lp.matrix.values.length > (config.directAboveNonzeros ?? DIRECT_ABOVE_NONZEROS);
      // The crossover runs in HiGHS's worker thread: started (and HiGHS compiled in it) while PDLP runs here.
      if (!direct) prepareHighsThread();
      const first = await firstOrder.solve(lp, {
        ...(options.warmStart === undefined ? {} : { warmStart: options.warmStart }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: options.timeLimitSeconds }),
        ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
        tolerance: direct
          ? Math.min(VERIFIED_RESIDUAL, options.tolerance ?? VERIFIED_RESIDUAL)
          : Math.max(crossoverTolerance, options.tolerance ?? 0),
      });
      if (direct && first.status === 'optimal' && unverified(lp, first) === null)
        return finish(
          first,
          first.iterations,
          `PDLP ${first.iterations} iterations to ${first.residual.toExponential(1)}, checked; no crossover ` +
            `above ${(config.directAboveNonzeros ?? DIRECT_ABOVE_NONZEROS).toLocaleString('en')} nonzeros`,
        );
      if (first.status === 'time-limit' || first.status === 'cancelled')
        return finish(
          first,
          first.iterations,
          `PDLP stopped (${first.status}) at relative residual ${first.residual.toExponential(1)} after ` +
            `${first.iterations} iterations${direct ? ', short of the checked 1e-7 (no crossover at this size)' : ' before the crossover'}`,
        );
      if (first.status !== 'optimal') {
        // A ray or a stalled run: the first-order method's verdict rests on a ratio test, so HiGHS decides.
        const plain = await fallback.solve(lp, rest());
        return finish(
          plain,
          first.iterations + plain.iterations,
          `PDLP ended ${first.status} after ${first.iterations} iterations; HiGHS from a cold start: ${plain.status}`,
        );
      }
      const viaHighs = async (): Promise<{ s: LpSolution; note: string }> => {
        const start = complementaryStart(lp, first);
        const { signal, onProgress, ...plain } = rest();
        const s = await runHighsInThread(
          { kind: 'crossover', lp, start, options: plain },
          {
            what: "HiGHS's crossover and the simplex after it",
            ...(plain.timeLimitSeconds === undefined ? {} : { deadlineSeconds: plain.timeLimitSeconds }),
            ...(signal === undefined ? {} : { signal }),
            ...(onProgress === undefined ? {} : { onProgress }),
          },
        );
        return { s, note: `${start.between} columns between bounds; ${s.message ?? ''}` };
      };
      const viaGuess = async (): Promise<{ s: LpSolution; note: string }> => {
        const basis = guessBasis(lp, first);
        const s = await simplex.solve(lp, {
          ...rest(),
          warmStart: { x: first.x, rowDual: first.rowDual, basis },
        });
        return {
          s,
          note:
            `${s.iterations} simplex iterations from a guessed basis with ${basis.basicColumns} basic columns ` +
            `(${s.seconds.toFixed(2)} s)`,
        };
      };
      const ways = method === 'highs' ? [viaHighs, viaGuess] : [viaGuess, viaHighs];
      let iterations = first.iterations;
      const failures: string[] = [];
      for (const way of ways) {
        const { s, note } = await way();
        iterations += s.iterations;
        // Only an answer that passes our own check is reported optimal; a limit or a ray is HiGHS's verdict.
        const wrong = s.status === 'error' ? (s.message ?? 'error') : unverified(lp, s);
        if (wrong === null)
          return finish(
            s,
            iterations,
            `PDLP ${first.iterations} iterations to ${crossoverTolerance.toExponential(0)} ` +
              `(${first.seconds.toFixed(2)} s), then ${note}`,
          );
        // Out of time or cancelled: said as it is, with no cold solve after it (it would have no time either).
        if (s.status === 'time-limit' || s.status === 'cancelled')
          return finish(
            s,
            iterations,
            `PDLP ${first.iterations} iterations (${first.seconds.toFixed(2)} s), then ${s.message ?? s.status}` +
              (failures.length > 0 ? ` (before it: ${failures.join('; ')})` : ''),
          );
        failures.push(wrong);
      }
      const plain = await fallback.solve(lp, rest());
      return finish(
        plain,
        iterations + plain.iterations,
        `the crossover from PDLP's point failed (${failures.join('; ')}); HiGHS from a cold start instead`,
      );
    },
  };
}

export const pdlpCrossoverSolver: LpSolver = createPdlpCrossoverSolver();
