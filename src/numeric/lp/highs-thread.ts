// HiGHS calls that may overrun their time limit run here, in a worker thread that is terminated at a wall-clock
// deadline. HiGHS checks its `time_limit` only between its own iterations: setting a basis (its check factorises
// it), IPX's crossover (its crash basis) and one factorisation inside the simplex or interior point do not look at
// it, and at 10⁵ columns of the general LP each of them ran for minutes while holding the caller's thread (the
// Wasm call is synchronous, so neither a timer nor an AbortSignal can reach it). In a worker the caller's thread
// stays free, and at the deadline the worker is ended: the answer is then status 'time-limit' (or 'cancelled' for
// an aborted signal) with a message naming the step that ran out, and the next call starts a fresh worker.
//
// One idle worker is kept between calls (unreferenced, so it never keeps the process alive): starting one and
// compiling HiGHS's Wasm code in it costs about a second, more than the whole crossover at 10⁴ columns.
import type { Worker } from 'node:worker_threads';
import type { ComplementaryStart } from './complementary-start';
import { highsTiering } from './highs-instance';
import type { HighsSolverOptions } from './highs-solver';
import type { LinearProgram, LpSolution, ProgressFn, SolveOptions } from './lp';
import { solutionWithoutPoint } from './lp-solution';
import { startModuleWorker } from './thread-start';

/** The options a job carries into the worker: plain data (no signal, no callback). */
export type ThreadSolveOptions = Omit<SolveOptions, 'signal' | 'onProgress'>;

export type HighsJob =
  | { kind: 'solve'; lp: LinearProgram; config: HighsSolverOptions; options: ThreadSolveOptions }
  | { kind: 'crossover'; lp: LinearProgram; start: ComplementaryStart; options: ThreadSolveOptions };

export type HighsReply =
  | { ready: true }
  | { id: number; solution: LpSolution }
  | { id: number; progress: Parameters<ProgressFn>[0] }
  | { id: number; error: string };

export interface ThreadRun {
  /** Wall-clock seconds from the call after which the worker is ended. Absent: no deadline. */
  deadlineSeconds?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** What runs, for the message when the deadline ends it (e.g. "HiGHS's crossover"). */
  what: string;
}

/**
 * Seconds HiGHS gets past the deadline to answer by its own time limit (its answer then carries its iteration
 * count) before the worker is ended.
 */
export const DEADLINE_GRACE_SECONDS = 0.5;

const elapsed = (started: number) => (performance.now() - started) / 1000;

let idle: Worker | null = null;
let nextId = 1;

function startWorker(): Worker {
  return startModuleWorker(import.meta.url, 'highs-worker');
}

/**
 * Starts the HiGHS worker now and has it compile HiGHS's Wasm, unless one is idle already: a solve that will need it
 * after a first stage of its own (PDLP then the crossover) calls this first, so that starting the thread (loading
 * tsx and our modules in it from the sources) and compiling the 3.5 MB module overlap PDLP on the other core instead
 * of following it. A worker that fails while idle is dropped.
 */
export function prepareHighsThread(): void {
  if (idle !== null) return;
  const worker = startWorker();
  worker.unref();
  worker.on('error', () => {
    if (idle === worker) idle = null;
  });
  worker.postMessage({ prepare: true, tiering: highsTiering() });
  idle = worker;
}

/** The idle worker's thread id, if there is one (for tests: which worker the next job goes to). */
export function idleHighsThreadId(): number | undefined {
  return idle?.threadId;
}

/**
 * Runs `job` in a HiGHS worker thread. Resolves with the job's answer, or with status 'time-limit' once
 * `deadlineSeconds` (plus DEADLINE_GRACE_SECONDS) have passed, 'cancelled' once `signal` aborts, 'error' if the
 * worker fails; in each of those cases the worker is ended. Never rejects.
 */
export function runHighsInThread(job: HighsJob, run: ThreadRun): Promise<LpSolution> {
  const started = performance.now();
  const { lp } = job;
  const without = (status: 'time-limit' | 'cancelled' | 'error', message: string) =>
    solutionWithoutPoint(lp, status, message, 'highs', elapsed(started));
  if (run.signal?.aborted) return Promise.resolve(without('cancelled', 'aborted by signal'));
  if (run.deadlineSeconds !== undefined && run.deadlineSeconds <= 0)
    return Promise.resolve(without('time-limit', `no time left for ${run.what}`));
  const worker = idle ?? startWorker();
  idle = null;
  const id = nextId++;
  return new Promise<LpSolution>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (solution: LpSolution, keep: boolean) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keep && idle === null) {
        worker.unref();
        idle = worker;
      } else void worker.terminate();
      resolve(solution);
    };
    const onMessage = (reply: HighsReply) => {
      if ('ready' in reply || reply.id !== id) return;
      if ('progress' in reply) run.onProgress?.(reply.progress);
      else if ('error' in reply) finish(without('error', `${run.what} failed: ${reply.error}`), true);
      else finish(reply.solution, true);
    };
    const onError = (error: Error) => finish(without('error', `${run.what} failed: ${error.message}`), false);
    const onExit = (code: number) =>
      finish(without('error', `${run.what}: its worker thread ended (exit code ${code})`), false);
    const onAbort = () => finish(without('cancelled', `aborted by signal during ${run.what}`), false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.deadlineSeconds !== undefined) {
      const limit = run.deadlineSeconds;
      timer = setTimeout(
        () =>
          finish(
            without(
              'time-limit',
              `${run.what} ran past the time limit (${limit.toFixed(1)} s left when it started) and its ` +
                `worker thread was ended after ${elapsed(started).toFixed(1)} s`,
            ),
            false,
          ),
        (limit + DEADLINE_GRACE_SECONDS) * 1000,
      );
    }
    // Referenced while it works, so that a caller awaiting the answer is not left with an empty event loop.
    worker.ref();
    worker.postMessage({ id, job, progress: run.onProgress !== undefined, tiering: highsTiering() });
  });
}
