// The second thread of the WebAssembly sweeps: a worker with its own instance of the sweep module on the one
// shared memory. It starts before M is copied into that memory and helps load it, then runs one kernel on its
// block of rows (from the middle row on) per command while the calling thread runs it on the first block.
//
// Why it starts first: at 10⁶ products the set-up was the largest item of the balance (0.4 s quiet of 0.53 s),
// and almost all of it is the kernel mapping fresh pages on first touch (≈ 10–20 µs a 4 KiB page in this VM,
// docs/architecture.md), not the copy itself. While the calling thread copies M, the worker takes the first
// touches of the pages at the memory's far end (the vectors, then the second block's values and columns,
// walking back), so the two cores fault pages at once; and it checks its own rows of M (prepare) while the
// calling thread checks the first block. Starting a worker costs tens of milliseconds (more under load): it is
// hidden behind the copy instead of being paid in the first sweep.
//
// The calling thread never waits for the worker to start: until it says it is alive, the calling thread does
// each job on all rows itself (the one-thread kernels on the same memory), so a worker that never starts costs
// nothing but the attempt, and one that starts late joins at the next sweep.
import { Worker } from 'node:worker_threads';
import type { CsrMatrix } from './csr';
import { nnz } from './csr';
import type { SweepExports } from './wasm-sweep-exports';

/** Byte offsets of what the kernels read and write, in the shared memory. */
export interface HelperLayout {
  n: number;
  rowStart: number;
  col: number;
  val: number;
  x: number;
  b: number;
  diag: number;
  /** The worker's push outbox (what its push sweep adds to the calling thread's rows). */
  outbox: number;
  /** What each thread has taken from its inbox (the other's outbox) during a push sweep, by row. */
  taken: number;
}

/** What the calling thread needs of a loaded system to drive the worker: its own kernels and the layout. */
export interface HelperHost extends HelperLayout {
  kernels: Pick<
    SweepExports,
    'sweep' | 'residual' | 'push' | 'pushOne' | 'prepare' | 'absorb' | 'outbox' | 'inbox' | 'taken'
  >;
  /** The calling thread's push outbox (what its push sweep adds to the worker's rows). */
  ownOutbox: number;
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
}

/** A worker that has had no command for this long after the load ends itself (a solve that never used it). */
const IDLE_SECONDS = 10;

/**
 * control (Int32): [0] command count (−1: the worker is gone or told to stop), [1] command (1 sweep,
 * 2 residual, 4 push, 5 prepare, 6 absorb), [2] commands done (−1: failed), [3] failed, [4] alive, [5] M copied (stop
 * touching pages); result (Float64 at byte 24): the kernel's return value. A string for an eval'd worker, as in
 * parallel-sweep-kernel.ts (tsx's helpers do not exist in the worker).
 */
const workerSource = String.raw`
const { workerData } = require('node:worker_threads');
const { module, memory, control, layout: p, touch, late, idleMs } = workerData;
const c = new Int32Array(control);
const result = new Float64Array(control, 24, 1);
function run() {
  try {
    const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
    k.from.value = p.from;
    k.outbox.value = p.outbox;
    k.inbox.value = p.inbox;
    k.taken.value = p.taken;
    Atomics.store(c, 4, 1);
    // First touches, one a 4 KiB page, each range walked from its end, until the calling thread has copied M.
    // compareExchange(0, 0) changes no value whoever writes there first, but is a write: it maps the page.
    const words = new Int32Array(memory.buffer);
    let pages = 0;
    touching: for (let r = 0; r < touch.length; r += 2) {
      for (let at = (touch[r + 1] - 4) & ~3; at >= touch[r]; at -= 4096) {
        if ((++pages & 15) === 0 && Atomics.load(c, 5) !== 0) break touching;
        Atomics.compareExchange(words, at >> 2, 0, 0);
      }
    }
    // The late list: touched only while no command waits, 16 pages at a time, each range from its start, until
    // done or stopped (not at "M copied").
    let lateRange = 0;
    let lateAt = late.length > 0 ? late[0] : 0;
    let seen = 0;
    let idleSince = Date.now();
    for (;;) {
      const now = Atomics.load(c, 0);
      if (now === -1) break;
      if (now === seen && lateRange < late.length) {
        for (let k = 0; k < 16 && lateRange < late.length; k++) {
          Atomics.compareExchange(words, lateAt >> 2, 0, 0);
          lateAt += 4096;
          if (lateAt >= late[lateRange + 1]) {
            lateRange += 2;
            if (lateRange < late.length) lateAt = late[lateRange];
          }
        }
        continue;
      }
      if (now === seen) {
        // Idle too long: end, unless a command came in the meantime (the calling thread issues each command by
        // the same compareExchange on the count, so exactly one of the two wins).
        if (Date.now() - idleSince > idleMs && Atomics.compareExchange(c, 0, seen, -1) === seen) break;
        Atomics.wait(c, 0, seen, 1000);
        continue;
      }
      seen = now;
      const command = Atomics.load(c, 1);
      result[0] =
        command === 1
          ? k.sweep(p.n, p.rowStart, p.col, p.val, p.x, p.b, p.diag)
          : command === 2
            ? k.residual(p.n, p.rowStart, p.col, p.val, p.x, p.b, 0)
            : command === 5
              ? k.prepare(p.n, p.rowStart, p.col, p.val, p.diag, p.n, 0)
              : command === 6
                ? k.absorb(p.n, 0, 0, 0, 0, p.b, 0)
                : (k.push(p.n, p.rowStart, p.col, p.val, p.x, p.b, p.diag), 0);
      Atomics.store(c, 2, seen);
      Atomics.notify(c, 2);
      idleSince = Date.now();
    }
  } catch (error) {
    Atomics.store(c, 3, 1);
    Atomics.store(c, 2, -1);
    Atomics.notify(c, 2);
  }
}
run();
`;

/**
 * Memories whose outboxes and `taken` may hold a push sweep's values: a two-thread push adds its memory before it
 * starts and removes it once both absorbs have run (they leave both zero), so one that failed half-way stays in.
 * loadSystem zeroes the outboxes of A's own memory (allocateSolverMatrix, one layout for good) only when it is here;
 * a memory given back by another solve always, since its last layout may have put other data there.
 */
export const outboxesInUse = new WeakSet<WebAssembly.Memory>();

/** The row splitting M into two blocks of about equal non-zeros plus rows (a row's own work). */
export function middleRow(m: CsrMatrix): number {
  const goal = (nnz(m) + m.rows) / 2;
  let row = 0;
  while (row < m.rows && m.rowStart[row]! + row < goal) row++;
  return row;
}

/** Two threads sweeping one loaded system. */
export interface TwoThreads {
  /**
   * Runs the sweep (1) or the residual (2) on both blocks at once and answers the sum of the kernels' results;
   * on all rows on the calling thread while the worker has not started or is gone.
   */
  both(command: 1 | 2): number;
  /**
   * One push sweep on both blocks, each taking the other's pushes as they land (the kernels' inbox), then
   * absorb on both: r exact again, and ‖r‖² answered. Undefined when the calling thread swept all rows alone
   * (the worker has not started or is gone): r is exact, its norm not computed.
   */
  push(): number | undefined;
  /** prepare on both blocks (the calling thread's checks its columns against all n): its combined answer. */
  prepare(): number;
  /** M is in the memory: the worker stops touching pages. */
  copied(): void;
  /** Ends the worker (idempotent). */
  stop(): void;
  /** Waits up to `seconds` for the worker to start; whether it did (tests: the solves never wait). */
  started(seconds: number): boolean;
  /** Commands the worker has taken (0 when it never joined). */
  readonly joined: number;
  /** Seconds to wait for the worker's answer to one command before failing (default 600). */
  timeoutSeconds: number;
}

/**
 * Starts the worker for the rows from `middle` on, on the host's shared memory; undefined where worker threads
 * cannot be had. `touch` lists byte ranges [start, end) whose pages the worker maps, walking back from each
 * end, until copied() is called. `late` lists ranges whose pages it maps from each start whenever it has no
 * command, until done or stopped: for vectors the solve writes later (x, the diagonal, the copy of x), so the
 * second core takes their first touches while the calling thread checks M or runs the stopping rules.
 */
export function startTwoThreads(
  w: HelperHost,
  middle: number,
  touch: number[] = [],
  idleSeconds = IDLE_SECONDS,
  late: number[] = [],
): TwoThreads | undefined {
  const control = new SharedArrayBuffer(32);
  const c = new Int32Array(control);
  const result = new Float64Array(control, 24, 1);
  const { n, kernels } = w;
  const layout = {
    from: middle,
    outbox: w.outbox,
    // The worker's inbox is the calling thread's outbox.
    inbox: w.ownOutbox,
    taken: w.taken,
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
      workerData: {
        module: w.module,
        memory: w.memory,
        control,
        layout,
        touch,
        late,
        idleMs: 1000 * idleSeconds,
      },
    });
  } catch {
    return undefined;
  }
  // The worker signals through shared memory. An error it could not catch itself (it failed to start) becomes
  // the same signal, not an uncaught 'error' event; but this listener runs only when the calling thread's event
  // loop turns, never inside a solve, so a worker that never starts is handled by never waiting for it (above).
  worker.on('error', () => {
    Atomics.store(c, 3, 1);
    Atomics.store(c, 2, -1);
    Atomics.notify(c, 2);
  });
  worker.unref();
  let issued = 0;
  let joined = 0;
  /** Issues a command to the worker; false when it has not started or is gone (the caller then does it all). */
  const issue = (command: number): boolean => {
    if (Atomics.load(c, 4) === 0 || Atomics.load(c, 3) !== 0) return false;
    Atomics.store(c, 1, command);
    if (Atomics.compareExchange(c, 0, issued, issued + 1) !== issued) return false;
    issued++;
    joined++;
    Atomics.notify(c, 0);
    return true;
  };
  const answer = (): number => {
    const deadline = performance.now() + 1000 * threads.timeoutSeconds;
    for (;;) {
      const done = Atomics.load(c, 2);
      if (done === issued) break;
      if (done === -1) throw new Error('the second sweeping thread failed (out of memory?)');
      if (performance.now() > deadline) throw new Error('the second sweeping thread did not answer in time');
      Atomics.wait(c, 2, done, 1000);
    }
    return result[0]!;
  };
  const threads: TwoThreads = {
    timeoutSeconds: 600,
    get joined() {
      return joined;
    },
    both(command) {
      const shared = issue(command);
      const rows = shared ? middle : n;
      const own =
        command === 1
          ? kernels.sweep(rows, w.rowStart, w.col, w.val, w.x, w.b, w.diag)
          : kernels.residual(rows, w.rowStart, w.col, w.val, w.x, w.b, 0);
      return shared ? own + answer() : own;
    },
    push() {
      if (!issue(4)) {
        kernels.pushOne(n, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
        return undefined;
      }
      // The calling thread's inbox is the worker's outbox. The globals go back to 0 after, for the one-thread
      // kernels on the same instance.
      kernels.outbox.value = w.ownOutbox;
      kernels.inbox.value = w.outbox;
      kernels.taken.value = w.taken;
      outboxesInUse.add(w.memory);
      try {
        kernels.push(middle, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
        answer();
        // Both pushes are done: the rest of each inbox is final. A worker gone now fails the solve (answer
        // throws), since r would be missing its pushes.
        if (!issue(6)) throw new Error('the second sweeping thread stopped during a push sweep');
        const own = kernels.absorb(middle, 0, 0, 0, 0, w.b, 0);
        const sum = own + answer();
        outboxesInUse.delete(w.memory);
        return sum;
      } finally {
        kernels.outbox.value = 0;
        kernels.inbox.value = 0;
        kernels.taken.value = 0;
      }
    },
    prepare() {
      if (!issue(5)) return kernels.prepare(n, w.rowStart, w.col, w.val, w.diag, 0, 0);
      const own = kernels.prepare(middle, w.rowStart, w.col, w.val, w.diag, n, 0);
      const theirs = answer();
      // The calling thread's rows come first: its bad entry, if any, is the first.
      if (own < 0) return own;
      if (theirs < 0) return theirs;
      return Math.max(own, theirs);
    },
    copied() {
      Atomics.store(c, 5, 1);
    },
    started(seconds) {
      const deadline = performance.now() + 1000 * seconds;
      while (Atomics.load(c, 4) === 0 && Atomics.load(c, 3) === 0 && performance.now() < deadline)
        Atomics.wait(c, 4, 0, 20);
      return Atomics.load(c, 4) === 1 && Atomics.load(c, 3) === 0;
    },
    stop() {
      Atomics.store(c, 5, 1);
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
    },
  };
  return threads;
}
