// Solves x = M x + b (or x = Mᵀ x + b) for a large non-negative M on several threads sharing memory.
//
// The ordered solver (fixed-point-solve.ts) needs the fewest sweeps, but at 10⁶ products its setup (the
// dependency order and the permuted copy) costs more than all its sweeps, on one core. This path needs no
// setup beyond copying M into shared memory once: each thread owns a block of rows, balanced by non-zeros,
// and sweeps it Gauss–Seidel style in the given order (block Jacobi between threads). It takes more sweeps
// than the ordered solver but each streams M once, split over the cores. The caller's thread only waits.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CsrMatrix } from './csr';
import { nnz } from './csr';
import {
  givenOrderBalance,
  givenOrderTransposed,
  mixedPrecisionBalance,
  mixedPrecisionTransposed,
} from './given-order-sweeps';
import { parallelSweepKernel } from './parallel-sweep-kernel';
import { type LoadedSystem, wasmGivenOrderBalance, wasmGivenOrderTransposed } from './wasm-sweeps';
import { wasmTwoThreadBalance, wasmTwoThreadTransposed } from './wasm-two-thread-sweeps';

export interface ParallelFixedPointOptions {
  /** Relative residual ‖x − M x − b‖₂ / ‖b‖₂ to reach (default 1e-10). */
  tolerance?: number;
  /** Most sweeps (default 500). */
  maxIterations?: number;
  /** Solve x = Mᵀ x + b from M's rows (labour values). */
  transposed?: boolean;
  /** Sweeping threads (default: see defaultThreads). */
  threads?: number;
  /**
   * On one thread: 'double' sweeps in 64 bits (default); 'mixed' sweeps a 32-bit copy of M for corrections
   * refined against the 64-bit residual (given-order-sweeps.ts), to the same tolerance in 64 bits.
   */
  precision?: 'double' | 'mixed';
  /**
   * On one thread in 64 bits: 'wasm' sweeps on WebAssembly kernels (default; falls back to JavaScript where
   * WebAssembly cannot hold M), 'javascript' on the JavaScript loops (to measure the lever).
   */
  kernel?: 'wasm' | 'javascript';
  /**
   * On one thread: 'extrapolate' (default) steps along the dominant mode whenever three updates (for labour
   * values' push sweeps, residuals) shrink by the same ratio (given-order-sweeps.ts, iterateSweeps and
   * pushExtrapolation); 'none' sweeps plainly. The residual target is the same either way.
   */
  acceleration?: 'extrapolate' | 'none';
  /** M and b already copied into WebAssembly memory and checked (wasm-sweeps.ts, loadSystem), for this m and b. */
  loaded?: LoadedSystem;
  /** Give up (status 'failed') if the threads have not finished after this long (default 600 s). */
  timeoutSeconds?: number;
}

export type ParallelFixedPointResult =
  | {
      status: 'converged' | 'max-iterations' | 'diverged';
      x: Float64Array;
      /** The relative residual the threads computed. */
      residual: number;
      iterations: number;
      threads: number;
      method: string;
      /** Copying M into shared memory and starting the threads. */
      setupSeconds: number;
      /** The residual was computed afresh from M as given after the last sweep (not carried along). */
      residualOnM: boolean;
      seconds: number;
    }
  | { status: 'failed'; message: string; seconds: number };

/**
 * From this many products on, the threads beat the ordered solver: at 10⁶ its dependency order and
 * permuted copy (≈ 1–1.5 s, rebuilt for every matrix) cost more than the sweeps it saves.
 */
export const PARALLEL_FROM = 200_000;

/**
 * Threads used when the caller does not say. The balance: two where the machine has two cores, on one shared
 * WebAssembly memory (wasm-two-thread-sweeps.ts). In the same process at 10⁶ products, three alternating
 * pairs under a load average of 15–17 on this project's 2-core machine, two threads took 2.5–3.3 s (CPU
 * 1.04–1.17 s) against one thread's 3.2–3.8 s (CPU 1.18–1.42 s), 16–17 sweeps against 16; not yet measured
 * quiet. Labour values: one. On two threads, each taking the other's pushes as it settles its rows (the
 * kernels' inbox), they take 13 sweeps against 12 (block Jacobi between the threads took 17), but a push sweep
 * costs 1.15–1.3 times one thread's CPU in all, and under a load average of 10–15 two threads were not faster
 * (same process, three pairs at load 10.6: 3.78, 3.45, 3.23 s against 3.99, 3.19, 2.57 s); not yet measured
 * quiet (`npm run bench -- labour-values` prints both). Since one thread sweeps with `pushOne` (no outbox select,
 * ≈ 0.7 of push's CPU a sweep), two threads lost to it in four of four same-process pairs at load 7–8: 3.3–4.8 s
 * (CPU 1.8–2.3) against 5.2–7.2 s (CPU 3.2–3.5). The older JavaScript threads (`kernel: 'javascript'` or
 * where shared WebAssembly memory is missing) measured slower than one thread quiet: balance 60 ms a sweep
 * against 38, labour values 107 against 48.
 */
export function defaultThreads(transposed = false): number {
  return transposed || availableParallelism() < 2 ? 1 : 2;
}

/** The array itself when it already lives in shared memory, else a shared copy. */
function sharedCopy<T extends Int32Array | Float64Array>(source: T, make: (b: SharedArrayBuffer) => T): T {
  if (
    source.buffer instanceof SharedArrayBuffer &&
    source.byteOffset === 0 &&
    source.byteLength === source.buffer.byteLength
  )
    return source;
  const copy = make(new SharedArrayBuffer(source.byteLength));
  copy.set(source as never);
  return copy;
}

/** Row bounds splitting M into `threads` blocks of about equal non-zeros (hub rows are long). */
export function splitRows(m: CsrMatrix, threads: number): number[] {
  const bounds = [0];
  const total = nnz(m) + m.rows;
  let row = 0;
  for (let t = 1; t < threads; t++) {
    const goal = (total * t) / threads;
    while (row < m.rows && m.rowStart[row]! + row < goal) row++;
    bounds.push(Math.max(row, bounds[t - 1]!));
  }
  bounds.push(m.rows);
  return bounds;
}

/**
 * Blocks the calling thread until the helpers finish (Atomics.wait), like the other solvers, which run
 * synchronously: call it from a compute-pool worker, not from the server's event loop.
 */
export function solveFixedPointParallel(
  m: CsrMatrix,
  b: Float64Array,
  options: ParallelFixedPointOptions = {},
): ParallelFixedPointResult {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const n = m.rows;
  const threads = Math.max(
    1,
    Math.min(options.threads ?? defaultThreads(options.transposed ?? false), Math.max(1, n)),
  );
  const transposed = options.transposed ?? false;
  const tolerance = options.tolerance ?? 1e-10;
  let bNorm = 0;
  for (let i = 0; i < n; i++) bNorm += b[i]! * b[i]!;
  bNorm = Math.sqrt(bNorm);
  if (threads === 1) return onCallingThread(m, b, transposed, tolerance * bNorm, bNorm, options, started);
  if (threads === 2 && options.precision !== 'mixed' && options.kernel !== 'javascript') {
    const two = onTwoWasmThreads(m, b, transposed, tolerance * bNorm, bNorm, options, started);
    if (two) return two;
  }
  const count = nnz(m);
  const rowStart = sharedCopy(m.rowStart.subarray(0, n + 1), (s) => new Int32Array(s));
  const colIndex = sharedCopy(m.colIndex.subarray(0, count), (s) => new Int32Array(s));
  const values = sharedCopy(m.values.subarray(0, count), (s) => new Float64Array(s));
  const bShared = sharedCopy(b, (s) => new Float64Array(s));
  const x = new Float64Array(new SharedArrayBuffer(8 * n));
  const diag = new SharedArrayBuffer(8 * n);
  const control = new Int32Array(new SharedArrayBuffer(4 * 8));
  const stats = new SharedArrayBuffer(8 * 3 * threads);
  const r = transposed ? new SharedArrayBuffer(8 * n) : undefined;
  const outboxes = transposed
    ? Array.from({ length: threads }, () => new SharedArrayBuffer(8 * n))
    : undefined;
  const bounds = splitRows(m, threads);
  const workers: Worker[] = [];
  for (let id = 0; id < threads; id++) {
    const worker = new Worker(parallelSweepKernel, {
      eval: true,
      workerData: {
        id,
        threads,
        n,
        bounds,
        transposed,
        target: tolerance * bNorm,
        maxIterations: options.maxIterations ?? 500,
        rowStart: rowStart.buffer,
        colIndex: colIndex.buffer,
        values: values.buffer,
        b: bShared.buffer,
        x: x.buffer,
        diag,
        control: control.buffer,
        stats,
        r,
        outboxes,
      },
    });
    // The helpers signal through shared memory; an exit without that signal is caught by the timeout.
    worker.unref();
    workers.push(worker);
  }
  const setupSeconds = seconds();
  const deadline = performance.now() + 1000 * (options.timeoutSeconds ?? 600);
  for (;;) {
    const finished = Atomics.load(control, 2);
    if (finished >= threads) break;
    if (performance.now() > deadline) {
      for (const w of workers) void w.terminate();
      return { status: 'failed', message: 'the solver threads did not finish in time', seconds: seconds() };
    }
    Atomics.wait(control, 2, finished, 1000);
  }
  if (Atomics.load(control, 3) !== 0)
    return { status: 'failed', message: 'a solver thread failed (out of memory?)', seconds: seconds() };
  const iterations = Atomics.load(control, 4);
  const statsView = new Float64Array(stats);
  let residual2 = 0;
  for (let t = 0; t < threads; t++) residual2 += statsView[3 * t + 2]!;
  const outcome = Atomics.load(control, 5);
  // The residual is current when the threads stopped on it; otherwise it is from the last check.
  const residual = bNorm === 0 ? 0 : Math.sqrt(residual2) / bNorm;
  const status =
    outcome === 1 ? 'converged' : outcome === 2 || !Number.isFinite(residual) ? 'diverged' : 'max-iterations';
  return {
    status,
    x: new Float64Array(x),
    residual,
    iterations,
    threads,
    residualOnM: !transposed,
    method: `${transposed ? 'push ' : ''}Gauss–Seidel in the given order on ${threads === 1 ? 'a worker thread' : `${threads} threads ${transposed ? '(block Jacobi between them)' : 'sharing x'}`}`,
    setupSeconds,
    seconds: seconds(),
  };
}

/**
 * One sweeping thread: the caller's own (no worker to start), on the WebAssembly kernels (M copied once into
 * the module's memory) or, for 32-bit sweeps, `kernel: 'javascript'` or where WebAssembly cannot hold M, on
 * the caller's arrays.
 */
function onCallingThread(
  m: CsrMatrix,
  b: Float64Array,
  transposed: boolean,
  target: number,
  bNorm: number,
  options: ParallelFixedPointOptions,
  started: number,
): ParallelFixedPointResult {
  const maxIterations = options.maxIterations ?? 500;
  const mixed = options.precision === 'mixed';
  const extrapolate = !mixed && (options.acceleration ?? 'extrapolate') === 'extrapolate';
  // A helper thread started for the load runs no kernel here, but goes on mapping the fresh vectors' pages (its
  // late list: x, the diagonal, the copies of x and r) on the second core while this thread sweeps; whoever
  // loaded the system stops it (releaseSystem), or it ends itself when idle.
  const loaded = options.loaded === undefined ? {} : { loaded: options.loaded };
  const wasm =
    !mixed && options.kernel !== 'javascript'
      ? transposed
        ? wasmGivenOrderTransposed(m, b, target, maxIterations, { ...loaded, extrapolate })
        : wasmGivenOrderBalance(m, b, target, maxIterations, { ...loaded, extrapolate })
      : undefined;
  const solve = transposed
    ? mixed
      ? mixedPrecisionTransposed
      : givenOrderTransposed
    : mixed
      ? mixedPrecisionBalance
      : givenOrderBalance;
  const r = wasm ?? solve(m, b, target, maxIterations, extrapolate);
  const residual = bNorm === 0 ? 0 : r.residual / bNorm;
  return {
    status: r.outcome,
    x: r.x,
    residual: Number.isFinite(residual) ? residual : Infinity,
    iterations: r.iterations,
    threads: 1,
    method: `${transposed ? 'push ' : ''}Gauss–Seidel in the given order on the calling thread${mixed ? ' (32-bit sweeps, 64-bit refinement)' : wasm ? ' (WebAssembly)' : ''}${extrapolate ? `, ${r.extrapolations ?? 0} extrapolations` : ''}`,
    setupSeconds: wasm?.setupSeconds ?? 0,
    residualOnM: !transposed || wasm?.residualOnM === true,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The calling thread and one worker sharing one WebAssembly memory (wasm-two-thread-sweeps.ts): the one-thread
 * WebAssembly path's sweeps, extrapolation and stopping rules, each sweep split in two blocks of rows.
 * Undefined where shared WebAssembly memory or a worker cannot be had (the JavaScript threads then run).
 */
function onTwoWasmThreads(
  m: CsrMatrix,
  b: Float64Array,
  transposed: boolean,
  target: number,
  bNorm: number,
  options: ParallelFixedPointOptions,
  started: number,
): ParallelFixedPointResult | undefined {
  const extrapolate = (options.acceleration ?? 'extrapolate') === 'extrapolate';
  const shared = options.loaded?.memory.buffer instanceof SharedArrayBuffer ? { loaded: options.loaded } : {};
  let r: ReturnType<typeof wasmTwoThreadBalance>;
  try {
    r = (transposed ? wasmTwoThreadTransposed : wasmTwoThreadBalance)(
      m,
      b,
      target,
      options.maxIterations ?? 500,
      {
        extrapolate,
        ...shared,
        ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
      },
    );
  } catch (error) {
    // The worker failed or did not answer in time: 'failed', so that the ordered solver takes over.
    return {
      status: 'failed',
      message: error instanceof Error ? error.message : String(error),
      seconds: (performance.now() - started) / 1000,
    };
  }
  if (!r) return undefined;
  const residual = bNorm === 0 ? 0 : r.residual / bNorm;
  return {
    status: r.outcome,
    x: r.x,
    residual: Number.isFinite(residual) ? residual : Infinity,
    iterations: r.iterations,
    threads: 2,
    method: `${transposed ? 'push ' : ''}Gauss–Seidel in the given order on 2 threads sharing one WebAssembly memory${extrapolate ? `, ${r.extrapolations ?? 0} extrapolations` : ''}`,
    setupSeconds: r.setupSeconds,
    residualOnM: true,
    seconds: (performance.now() - started) / 1000,
  };
}
