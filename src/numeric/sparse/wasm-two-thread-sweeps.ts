// The balance's WebAssembly sweeps (wasm-sweeps.ts) on two threads sharing one WebAssembly memory: the calling
// thread sweeps the first block of rows, a worker the second, each Gauss–Seidel in the given order on the one
// shared x (the other block's newest values as they land, so the last digits may differ from run to run, within
// the tolerance). The stopping rules and the extrapolation are the one-thread ones (iterateSweeps), run on the
// calling thread between sweeps while the worker waits.
//
// Why: one sweep is bound by the latency of the random reads of x (≈ 29 ms against 12 ms to stream M at 10⁶
// products), not by the memory bus, so a second core with its own caches can issue its own reads. The worker
// runs its own instance of the same compiled module on the same memory: nothing is copied per sweep.
import type { CsrMatrix } from './csr';
import { iterateSweeps, squaredNorm } from './given-order-sweeps';
import { startTwoThreads, type TwoThreads } from './wasm-helper-thread';
import {
  balanceAnswer,
  hostOf,
  loadSystem,
  pushSweepsOnM,
  releaseSystem,
  type LoadedSystem,
  type WasmOutcome,
} from './wasm-sweeps';

export { middleRow, startTwoThreads, type TwoThreads } from './wasm-helper-thread';

/**
 * The two-thread balance computes its first residual once the update is at most this many times the target
 * (iterateSweeps' default is 100). At 10⁶ products the residual was 0.04–0.35 of the update there (it moves
 * with the two threads' timing), so the check at 100 found 2–5 times the target and a second pass over M
 * followed a sweep later. At 10 the first check still failed in 4 of 20 solves (ratios 0.19–0.21; issue 14's
 * twelfth balance pass); at 5 a ratio up to 0.2 converges at the first check (it failed 1 of
 * 20, at a ratio of 0.35), at the price of one sweep more where the ratio is near 0.1 and the update lands
 * between 5 and 10 times the target. A pass over M costs as much as a sweep; counted over those 20 solves
 * (five seeds, alternating), 5 took 347 passes (sweeps and residuals) against 354 at 10. A larger ratio costs
 * nothing more: the first check then learns it as before.
 */
export const FIRST_CHECK_TWO_THREADS = 5;

/**
 * The two threads for a solve on w: the helper loadSystem started (taken: the solve stops it at its end), or a
 * worker started now (nothing left to touch); undefined where worker threads cannot be had.
 */
function threadsFor(w: LoadedSystem, timeoutSeconds: number | undefined): TwoThreads | undefined {
  const threads = w.helper ?? startTwoThreads(hostOf(w), w.middle);
  if (!threads) return undefined;
  delete w.helper;
  threads.copied();
  if (timeoutSeconds !== undefined) threads.timeoutSeconds = timeoutSeconds;
  return threads;
}

/**
 * x = M x + b by Gauss–Seidel in the given order on two threads, with the one-thread WebAssembly path's
 * iteration, extrapolation and stopping rules; undefined where WebAssembly, shared memory or worker threads
 * cannot be had (the caller then sweeps on one thread). The closing residual is computed afresh from M as
 * given, on both threads, after the last sweep.
 */
export function wasmTwoThreadBalance(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  options: { extrapolate?: boolean; loaded?: LoadedSystem; timeoutSeconds?: number } = {},
): WasmOutcome | undefined {
  const started = performance.now();
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  const w = options.loaded ?? loadSystem(m, b, { shared: true, helper: true });
  if (!w || !(w.memory.buffer instanceof SharedArrayBuffer)) return undefined;
  const threads = threadsFor(w, options.timeoutSeconds);
  if (!threads) return undefined;
  // Loaded here: the whole time so far; loaded by the caller: its set-up and the worker's start.
  const setupSeconds = (options.loaded ? w.setupSeconds : 0) + (performance.now() - started) / 1000;
  // x before each armed sweep is kept in the answer array (balanceAnswer: one 8 MB vector fewer to map).
  const { extrapolation, answer } = balanceAnswer(w.xView, options.extrapolate ?? false);
  try {
    const end = iterateSweeps(
      () => threads.both(1),
      () => threads.both(2),
      target,
      maxIterations,
      extrapolation,
      FIRST_CHECK_TWO_THREADS,
    );
    return { x: answer(), ...end, setupSeconds };
  } finally {
    threads.stop();
    if (!options.loaded) releaseSystem(w);
  }
}

/**
 * x = Mᵀ x + b from M's rows by push Gauss–Seidel on two threads: each settles the unknowns of its block and
 * pushes M_ij δ into r_j straight for its own j, into its outbox for the other block's; each takes what the
 * other has pushed into row i so far just before settling row i (the kernels' inbox: a Gauss–Seidel order
 * between the blocks, as the balance's threads read each other's newest x), and after both finish each adds the
 * rest of its inbox into its own rows (absorb, on both threads at once), so r is again the exact residual and
 * the one-thread rules (extrapolation, stopping on ‖r‖) apply unchanged. What a thread has taken depends on
 * timing, so the last digits may differ between runs, within the tolerance. The closing residual is recomputed
 * from M as given (the scatter kernel), as on one thread. Undefined where shared memory or a worker cannot be
 * had.
 */
export function wasmTwoThreadTransposed(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  options: { extrapolate?: boolean; loaded?: LoadedSystem; timeoutSeconds?: number } = {},
): WasmOutcome | undefined {
  const started = performance.now();
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  const w = options.loaded ?? loadSystem(m, b, { shared: true, helper: true, transposed: true });
  if (!w || !(w.memory.buffer instanceof SharedArrayBuffer) || w.outboxes[0] === 0) return undefined;
  const threads = threadsFor(w, options.timeoutSeconds);
  if (!threads) return undefined;
  const setupSeconds = (options.loaded ? w.setupSeconds : 0) + (performance.now() - started) / 1000;
  const push = (): number => threads.push() ?? squaredNorm(w.bView);
  try {
    return {
      ...pushSweepsOnM(w, push, target, maxIterations, options.extrapolate ?? false),
      setupSeconds,
    };
  } finally {
    threads.stop();
    if (!options.loaded) releaseSystem(w);
  }
}
