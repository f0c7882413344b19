// Warming HiGHS's WebAssembly code up before the exact solves that matter.
//
// V8 compiles a Wasm function when it is first called, with its baseline compiler, and recompiles it optimised
// once it has run enough. HiGHS's crossover and simplex are large, so the first exact solve in a process pays
// for both: at 10⁴ columns of the general LP the crossover and the simplex after it took 1.3 s of CPU together in
// a fresh process against 0.3 s in the next solve (load 18–19). The compiled code belongs to the process's one
// compiled module (highs-instance.ts), so one solve of a smaller LP of the same kind through the same path
// (PDLP, the complementary start, IPX's crossover, the dual simplex with Devex weights) compiles it for every
// later instance. A long-lived process (a server, a compute worker, a benchmark) can call warmHighs once
// before its first large solve.
import { generalLp } from './general-lp';
import { setHighsTiering } from './highs-instance';
import type { LinearProgram, LpSolution } from './lp';
import { pdlpCrossoverSolver } from './pdlp-crossover';

/**
 * Columns of the warm-up LP. At 10⁴ columns, after a warm-up of 3,000 the crossover and simplex took 0.21 and
 * 0.15 s of CPU (warm: 0.16–0.19 and 0.11–0.15), after 1,000 still 0.33 and 0.46 (load 14–16). The warm-up itself
 * took 0.8 s of CPU.
 */
export const WARM_UP_COLUMNS = 3_000;

/** The warm-up LP: a seeded general LP of WARM_UP_COLUMNS columns (seed 1, unlike the bench's 2026). */
export function warmUpLp(): LinearProgram {
  return generalLp({ columns: WARM_UP_COLUMNS, seed: 1 });
}

/**
 * Resolves once the process has used less than `idleMs` of CPU in a `windowMs` wait (at most `maxSeconds`):
 * V8's optimising compiles of the Wasm code a warm-up made hot run on background threads after it returns, and
 * on a busy machine they ran into the next solve (PDLP's CPU seconds at 10³ columns doubled in a bench right
 * after the warm-up, load 23).
 */
export async function untilIdle(windowMs = 200, idleMs = 20, maxSeconds = 10): Promise<void> {
  const deadline = performance.now() + maxSeconds * 1000;
  while (performance.now() < deadline) {
    const before = process.cpuUsage();
    await new Promise<void>((resolve) => setTimeout(resolve, windowMs));
    const used = process.cpuUsage(before);
    if ((used.user + used.system) / 1000 < idleMs) return;
  }
}

/**
 * Switches this thread (and the HiGHS worker thread it uses) to the 'eager' HiGHS module (highs-instance.ts), whose
 * hot functions the warm-up gets optimised, solves the warm-up LP by PDLP then HiGHS's crossover, then waits until
 * the compiles it started are done (untilIdle); the answer is returned only to be checked.
 */
export async function warmHighs(): Promise<LpSolution> {
  setHighsTiering('eager');
  const solution = await pdlpCrossoverSolver.solve(warmUpLp());
  await untilIdle();
  return solution;
}
