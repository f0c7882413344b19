// HiGHS's own crossover (IPX's, `crossover()` in highs-js) from a first-order method's point, then HiGHS's
// simplex on the true LP from the basis it found. The point is first made exactly complementary for a nearby LP
// (complementary-start.ts), since IPX refuses any other start; on that LP the crossover needs only a few pushes
// (5 at 10⁴ columns of the general LP from Halpern PDLP at 1e-4). Its basis is then a near-optimal start for the
// true LP: the costs and row bounds are set back in the same HiGHS model and the dual simplex (Devex weights, as
// the basis is nearly optimal) finishes, so the answer is HiGHS's vertex with its exact duals.
import type { Highs } from 'highs';
import type { LinearProgram, LpSolution, SolveOptions } from './lp';
import type { ComplementaryStart } from './complementary-start';
import { loadHighsInstance } from './highs-instance';
import { answerOf, DEVEX, toModelData } from './highs-solver';
import { solutionWithoutPoint } from './lp-solution';

const elapsed = (started: number) => (performance.now() - started) / 1000;

function countOf(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

/**
 * Runs IPX's crossover on `start.nearby` from `start`'s point, then the simplex on `lp` (the LP the point
 * approximates) from the crossover's basis. Status 'error' with HiGHS's message if the crossover refuses or fails.
 * The solution's message gives the crossover's pivots and the simplex's iterations.
 */
export async function crossoverWithHighs(
  lp: LinearProgram,
  start: ComplementaryStart,
  options: SolveOptions = {},
): Promise<LpSolution> {
  const started = performance.now();
  const highs = await loadHighsInstance();
  try {
    return crossoverIn(highs, lp, start, options, started);
  } catch (error) {
    // HiGHS refusing the start (a HighsError) or its Wasm failing: the instance is dropped either way.
    const message = error instanceof Error ? error.message : String(error);
    return solutionWithoutPoint(lp, 'error', `HiGHS crossover: ${message}`, 'highs', elapsed(started));
  }
}

function crossoverIn(
  highs: Highs,
  lp: LinearProgram,
  start: ComplementaryStart,
  options: SolveOptions,
  started: number,
): LpSolution {
  const { rows: m, cols: n } = lp.matrix;
  const model = highs.createModel(toModelData(highs, start.nearby));
  try {
    model.options.set({ output_flag: false });
    if (options.timeLimitSeconds !== undefined) model.options.set('time_limit', options.timeLimitSeconds);
    model.crossover({ colValue: start.x, colDual: start.colDual, rowDual: start.rowDual });
    const pushes = countOf(model.info.get('crossover_iteration_count'));
    const crossoverSeconds = elapsed(started);
    // Back to the true LP in the same model, which keeps the crossover's basis.
    if (lp.sense === 'max') model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    model.changeObjectiveOffset(lp.objectiveOffset ?? 0);
    if (n > 0) model.changeColsCost({ kind: 'range', from: 0, to: n - 1 }, lp.objective);
    if (m > 0) model.changeRowsBounds({ kind: 'range', from: 0, to: m - 1 }, lp.rowLower, lp.rowUpper);
    model.options.set({
      solver: 'simplex',
      simplex_dual_edge_weight_strategy: DEVEX,
      simplex_primal_edge_weight_strategy: DEVEX,
    });
    if (options.timeLimitSeconds !== undefined)
      model.options.set('time_limit', Math.max(0, options.timeLimitSeconds - crossoverSeconds));
    const code = model.run().modelStatus;
    const answer = answerOf(highs, model, lp, code, started);
    const pivots = countOf(model.info.get('simplex_iteration_count'));
    return {
      ...answer,
      iterations: pushes + pivots,
      message:
        `HiGHS crossover: ${pushes} pushes (${crossoverSeconds.toFixed(2)} s), then ` +
        `${pivots} simplex iterations (${(answer.seconds - crossoverSeconds).toFixed(2)} s)`,
    };
  } finally {
    model.dispose();
  }
}
