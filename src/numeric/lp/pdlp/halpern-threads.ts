// The calling thread's side of Halpern PDHG on two threads (halpern-split.ts): starts the worker on the shared
// arrays, and runs each batch of iterations with it, block 0 here and block 1 there.
//
// Why: at 10⁵ columns of the general LP one iteration took 3.8 ms on one thread (51.6 s for 13,632 iterations,
// quiet), against a 60 s goal. Its two sparse products are bound by the latency of their scattered reads, not by
// the memory bus, so a second core with its own caches does its half of them at the same time.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../thread-start';
import {
  COMMAND_RUN,
  COMMAND_STOP,
  CONTROL_COMMAND,
  CONTROL_DONE,
  CONTROL_FAILED,
  CONTROL_KIND,
  MAX_BATCH,
  PARAM_BARRIERS,
  PARAM_COUNT,
  PARAM_ETA,
  PARAM_OMEGA,
  PARAM_PLAIN_LAST,
  PARAM_SINCE_RESTART,
  runSplitIterations,
  splitBuffers,
  splitViews,
  type SplitViews,
} from './halpern-split';
import type { Iterate } from './pdhg';
import type { ScaledProblem } from './scaled-problem';

/**
 * Above this many nonzeros Halpern PDHG runs on two threads where the machine has two cores. Below, an iteration
 * is too short for the two barriers it then needs (at 10⁴ columns, 31,000 nonzeros, about 0.2 ms).
 */
export const TWO_THREADS_ABOVE_NONZEROS = 150_000;
/** Seconds to wait for the worker to start before running on one thread instead. */
const START_TIMEOUT_SECONDS = 20;
/** Seconds to wait for the worker's end of a batch (its last phase; the barriers before it have their own). */
const DONE_TIMEOUT_SECONDS = 120;

/**
 * Milliseconds after which the mode not in use (one or two threads) is measured again: the second thread pays only
 * while the other core is free, and on a loaded machine (load 8–10 on the 2 cores) an iteration at 10⁵ columns took
 * 1.5–2 times as long on two threads as on one, whose barriers then wait for a thread the scheduler has set aside.
 */
export const PROBE_AFTER_MS = 8_000;

/**
 * Which of one and two threads runs the next evaluation window of Halpern PDHG: the one whose last measured
 * window cost less per iteration, the other one measured again (two windows) once its figure is PROBE_AFTER_MS old.
 * The first window after a switch is not measured (it pays for the switch: caches, compiled code).
 */
export class ThreadModes {
  private readonly cost = [Number.NaN, Number.NaN];
  private readonly at = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  private switched = true;

  constructor(private readonly probeAfterMs = PROBE_AFTER_MS) {}

  /** Records the window just run (`two` threads or one, `msPerIteration` at time `now`); returns the next's mode. */
  choose(two: boolean, msPerIteration: number, now: number): boolean {
    const k = two ? 1 : 0;
    if (this.switched) {
      // This mode's next window is the one measured.
      this.switched = false;
      return two;
    }
    this.cost[k] = msPerIteration;
    this.at[k] = now;
    let next: boolean;
    if (Number.isNaN(this.cost[1 - k]) || now - (this.at[1 - k] as number) > this.probeAfterMs) next = !two;
    else next = (this.cost[1] as number) < (this.cost[0] as number);
    if (next !== two) this.switched = true;
    return next;
  }
}

/** Two threads sharing z, t and the anchor; their arrays are the ones the caller iterates on. */
export interface SplitRunner {
  z: Iterate;
  t: Iterate;
  anchor: Iterate;
  /**
   * Runs `count` iterations of stepAndMix with weights from `sinceRestart` (the last a plain step if `plainLast`)
   * on both threads. Returns the three sums (‖Δx‖², ‖Δy‖², ΔyᵀA'Δx) of iteration `k` through `sums(k)`.
   */
  run(count: number, sinceRestart: number, plainLast: boolean, eta: number, omega: number): void;
  sums(k: number): { dx2: number; dy2: number; interaction: number };
  stop(): void;
}

/** Whether `p` is run on two threads: large enough, and two cores to run them on. */
export function splitApplies(p: ScaledProblem, aboveNonzeros = TWO_THREADS_ABOVE_NONZEROS): boolean {
  return p.colValues.length > aboveNonzeros && availableParallelism() >= 2 && p.rows > 1 && p.cols > 1;
}

/** Starts the worker on shared copies of `p`'s arrays; undefined if it cannot be started (one thread then). */
export async function startSplit(p: ScaledProblem): Promise<SplitRunner | undefined> {
  const buffers = splitBuffers(p);
  const v: SplitViews = splitViews(buffers);
  let worker: Worker;
  try {
    worker = startModuleWorker(import.meta.url, 'halpern-worker', { workerData: buffers });
  } catch {
    return undefined;
  }
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_SECONDS * 1000);
    worker.once('message', () => {
      clearTimeout(timer);
      resolve(true);
    });
    worker.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  // A failure after the start is seen by the barriers (CONTROL_FAILED, or their time-out); the listener only keeps
  // an error event from being thrown as uncaught.
  worker.on('error', () => {
    Atomics.store(v.control, CONTROL_FAILED, 1);
  });
  if (!ready) {
    void worker.terminate();
    return undefined;
  }
  let commands = 0;
  let barriers = 0;
  const c = v.control;
  return {
    z: v.z,
    t: v.t,
    anchor: v.anchor,
    run(count, sinceRestart, plainLast, eta, omega) {
      if (count < 1 || count > MAX_BATCH) throw new Error(`a batch of ${count} iterations`);
      v.params[PARAM_ETA] = eta;
      v.params[PARAM_OMEGA] = omega;
      v.params[PARAM_COUNT] = count;
      v.params[PARAM_SINCE_RESTART] = sinceRestart;
      v.params[PARAM_PLAIN_LAST] = plainLast ? 1 : 0;
      v.params[PARAM_BARRIERS] = barriers;
      Atomics.store(c, CONTROL_KIND, COMMAND_RUN);
      Atomics.store(c, CONTROL_COMMAND, ++commands);
      Atomics.notify(c, CONTROL_COMMAND);
      barriers = runSplitIterations(v, 0);
      // The worker's last phase (its columns of t.aty) must be done before anyone reads them. This thread is
      // blocked meanwhile, so the worker's 'error' event cannot be heard: its own flag or the time-out tells.
      const deadline = performance.now() + DONE_TIMEOUT_SECONDS * 1000;
      for (;;) {
        const done = Atomics.load(c, CONTROL_DONE);
        if (done === commands) break;
        if (Atomics.load(c, CONTROL_FAILED) !== 0) throw new Error('the second PDHG thread failed');
        if (performance.now() > deadline)
          throw new Error(`the second PDHG thread did not finish its batch in ${DONE_TIMEOUT_SECONDS} s`);
        Atomics.wait(c, CONTROL_DONE, done, 100);
      }
    },
    sums(k) {
      const a = k * 2 * 3;
      const q = v.partials;
      return {
        dx2: (q[a] as number) + (q[a + 3] as number),
        dy2: (q[a + 1] as number) + (q[a + 4] as number),
        interaction: (q[a + 2] as number) + (q[a + 5] as number),
      };
    },
    stop() {
      Atomics.store(c, CONTROL_KIND, COMMAND_STOP);
      Atomics.store(c, CONTROL_COMMAND, ++commands);
      Atomics.notify(c, CONTROL_COMMAND);
      void worker.terminate();
    },
  };
}
