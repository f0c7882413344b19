// The balance's WebAssembly sweeps (wasm-sweeps.ts) on two threads sharing one WebAssembly memory: the calling
// thread sweeps the first block of rows, a worker the second, each Gauss–Seidel in the given order on the one
// shared x (the other block's newest values as they land, so the last digits may differ from run to run, within
// the tolerance). The stopping rules and the extrapolation are the one-thread ones (iterateSweeps), run on the
// calling thread between sweeps while the worker waits.
//
// Why: one sweep is bound by the latency of the random reads of x (≈ 29 ms against 12 ms to stream M at 10⁶
// products), not by the memory bus, so a second core with its own caches can issue its own reads. The worker
// runs its own instance of the same compiled module on the same memory: nothing is copied per sweep.
import { Worker } from 'node:worker_threads';
import type { CsrMatrix } from './csr';
import { nnz } from './csr';
import { extrapolateFrom, iterateSweeps, squaredNorm } from './given-order-sweeps';
import { loadSystem, pushSweepsOnM, type LoadedSystem, type WasmOutcome } from './wasm-sweeps';

/**
 * The worker: instantiates the module on the shared memory, then runs one kernel on its rows per command.
 * control (Int32): [0] command count, [1] command (1 sweep, 2 residual, 3 stop, 4 push), [2] commands done,
 * [3] failed; result (Float64 at byte 16): the kernel's return value. A string for an eval'd worker, as in
 * parallel-sweep-kernel.ts (tsx's helpers do not exist in the worker).
 */
const workerSource = String.raw`
const { workerData } = require('node:worker_threads');
const { module, memory, control, layout: p } = workerData;
const c = new Int32Array(control);
const result = new Float64Array(control, 16, 1);
function run() {
  try {
    const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
    k.from.value = p.from;
    k.outbox.value = p.outbox;
    let seen = 0;
    for (;;) {
      while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen, 1000);
      seen = Atomics.load(c, 0);
      const command = Atomics.load(c, 1);
      if (command === 3) break;
      result[0] =
        command === 1
          ? k.sweep(p.n, p.rowStart, p.col, p.val, p.x, p.b, p.diag)
          : command === 2
            ? k.residual(p.n, p.rowStart, p.col, p.val, p.x, p.b, 0)
            : (k.push(p.n, p.rowStart, p.col, p.val, p.x, p.b, p.diag), 0);
      Atomics.store(c, 2, seen);
      Atomics.notify(c, 2);
    }
  } catch (error) {
    Atomics.store(c, 3, 1);
    Atomics.store(c, 2, -1);
    Atomics.notify(c, 2);
  }
}
run();
`;

/** The row splitting M into two blocks of about equal non-zeros plus rows (a row's own work). */
export function middleRow(m: CsrMatrix): number {
  const goal = (nnz(m) + m.rows) / 2;
  let row = 0;
  while (row < m.rows && m.rowStart[row]! + row < goal) row++;
  return row;
}

/** Two threads sweeping one loaded system: `both` runs a kernel on both blocks at once, `stop` ends the worker. */
export interface TwoThreads {
  /** Runs the sweep (1), the residual (2) or the push sweep (4) on both blocks at once; the sum of the kernels' results. */
  both(command: 1 | 2 | 4): number;
  stop(): void;
}

/**
 * Starts the worker for the rows from `middle` on, on w's shared memory; undefined where worker threads cannot
 * be had. The worker starts while the calling thread sweeps its own block: the first command waits for it.
 */
export function startTwoThreads(
  w: LoadedSystem,
  middle: number,
  timeoutSeconds = 600,
): TwoThreads | undefined {
  const control = new SharedArrayBuffer(24);
  const c = new Int32Array(control);
  const result = new Float64Array(control, 16, 1);
  const n = w.n;
  const layout = {
    from: middle,
    outbox: w.outboxes[1],
    n,
    rowStart: w.rowStart,
    col: w.col,
    val: w.val,
    x: w.x,
    b: w.b,
    diag: w.diag,
  };
  let worker: Worker;
  try {
    worker = new Worker(workerSource, {
      eval: true,
      workerData: { module: w.module, memory: w.memory, control, layout },
    });
  } catch {
    return undefined;
  }
  // The worker signals through shared memory; an exit without that signal is caught by the timeout. An error
  // it could not catch itself (it failed to start) becomes the same signal, not an uncaught 'error' event.
  worker.on('error', () => {
    Atomics.store(c, 3, 1);
    Atomics.store(c, 2, -1);
    Atomics.notify(c, 2);
  });
  worker.unref();
  let issued = 0;
  const { kernels } = w;
  return {
    both(command) {
      Atomics.store(c, 1, command);
      issued++;
      Atomics.store(c, 0, issued);
      Atomics.notify(c, 0);
      let own = 0;
      if (command === 1) own = kernels.sweep(middle, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
      else if (command === 2) own = kernels.residual(middle, w.rowStart, w.col, w.val, w.x, w.b, 0);
      else {
        kernels.outbox.value = w.outboxes[0];
        kernels.push(middle, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
        kernels.outbox.value = 0;
      }
      const deadline = performance.now() + 1000 * timeoutSeconds;
      for (;;) {
        const done = Atomics.load(c, 2);
        if (done === issued) break;
        if (done === -1) throw new Error('the second sweeping thread failed (out of memory?)');
        if (performance.now() > deadline)
          throw new Error('the second sweeping thread did not answer in time');
        Atomics.wait(c, 2, done, 1000);
      }
      return own + result[0]!;
    },
    stop() {
      Atomics.store(c, 1, 3);
      Atomics.store(c, 0, issued + 1);
      Atomics.notify(c, 0);
    },
  };
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
  const w = options.loaded ?? loadSystem(m, b, { shared: true });
  if (!w || !(w.memory.buffer instanceof SharedArrayBuffer)) return undefined;
  const threads = startTwoThreads(w, middleRow(m), options.timeoutSeconds);
  if (!threads) return undefined;
  // Loaded here: the whole time so far; loaded by the caller: its set-up and the worker's start.
  const setupSeconds = (options.loaded ? w.setupSeconds : 0) + (performance.now() - started) / 1000;
  const { xView, copyView } = w;
  const extrapolation = options.extrapolate
    ? {
        snapshot: () => copyView.set(xView),
        extrapolate: (factor: number) => extrapolateFrom(xView, copyView, factor),
      }
    : undefined;
  try {
    const end = iterateSweeps(
      () => threads.both(1),
      () => threads.both(2),
      target,
      maxIterations,
      extrapolation,
    );
    return { x: xView.slice(), ...end, setupSeconds };
  } finally {
    threads.stop();
  }
}

/**
 * x = Mᵀ x + b from M's rows by push Gauss–Seidel on two threads: each settles the unknowns of its block and
 * pushes M_ij δ into r_j straight for its own j, into its outbox for the other block's; after both finish,
 * the calling thread adds the outboxes into r (block Jacobi between the blocks), so r is again the exact
 * residual and the one-thread rules (extrapolation, stopping on ‖r‖) apply unchanged. The closing residual is
 * recomputed from M as given (the scatter kernel), as on one thread. Undefined where shared memory or a worker
 * cannot be had.
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
  const w = options.loaded ?? loadSystem(m, b, { shared: true });
  if (!w || !(w.memory.buffer instanceof SharedArrayBuffer) || w.outboxes[0] === 0) return undefined;
  const n = w.n;
  const middle = middleRow(m);
  const threads = startTwoThreads(w, middle, options.timeoutSeconds);
  if (!threads) return undefined;
  const setupSeconds = (options.loaded ? w.setupSeconds : 0) + (performance.now() - started) / 1000;
  const buffer = w.memory.buffer;
  // The calling thread's outbox holds pushes into the worker's rows, the worker's into the calling thread's.
  const toWorker = new Float64Array(buffer, w.outboxes[0], n).subarray(middle);
  const toCaller = new Float64Array(buffer, w.outboxes[1], n).subarray(0, middle);
  const r = w.bView;
  const push = (): number => {
    threads.both(4);
    for (let j = 0; j < middle; j++) {
      r[j] = r[j]! + toCaller[j]!;
      toCaller[j] = 0;
    }
    for (let j = middle; j < n; j++) {
      r[j] = r[j]! + toWorker[j - middle]!;
      toWorker[j - middle] = 0;
    }
    return squaredNorm(r);
  };
  try {
    return {
      ...pushSweepsOnM(w, push, target, maxIterations, options.extrapolate ?? false),
      setupSeconds,
    };
  } finally {
    threads.stop();
  }
}
