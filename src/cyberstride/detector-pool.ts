// Worker threads that run detectors off the main thread, so the database (PGlite runs on the main thread) and
// the detectors use both cores. Series are independent: a batch's series split across workers give the same
// results as one pass (each series' readings stay in order on one worker).
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from '../core/worker-url';
import type { WorkerReply, WorkerRequest } from './detector-worker';
import { DetectorCache, runSeries, type SeriesJob, type SeriesRun } from './series-run';

interface Pending {
  resolve: (runs: SeriesRun[]) => void;
  reject: (e: Error) => void;
  /** The worker died under the jobs: they are run on this thread instead (same results). */
  lost: () => void;
}

interface Slot {
  worker: Worker;
  /** True once the worker said it is ready; false if it did not within the start timeout, or died first. */
  ready: Promise<boolean>;
}

export interface DetectorPoolOptions {
  /**
   * How long a new worker may take to load before the pool gives up on workers and runs every job on the
   * calling thread (default 20 s). On Node 20 a worker that registers tsx (sources, not the bundle) was seen
   * never to finish starting; without this the batch waited for ever.
   */
  startTimeoutMs?: number;
}

export class DetectorPool {
  private readonly idle: Slot[] = [];
  private readonly waiting: ((s: Slot) => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly owner = new Map<number, Worker>();
  private readonly dead = new WeakSet<Worker>();
  private readonly local = new DetectorCache();
  private readonly startTimeoutMs: number;
  private spawned = 0;
  private nextId = 0;
  /** Set when a worker failed to start: from then on every job runs on the calling thread. */
  private broken = false;

  constructor(
    readonly size: number,
    options: DetectorPoolOptions = {},
  ) {
    this.startTimeoutMs = options.startTimeoutMs ?? 20_000;
  }

  /** Whether jobs still go to workers (false after a worker failed to start). */
  get active(): boolean {
    return !this.broken;
  }

  /** Runs the jobs on one worker; calls made together use different workers. */
  async run(jobs: SeriesJob[]): Promise<SeriesRun[]> {
    if (this.broken) return this.inProcess(jobs);
    const slot = await this.acquire();
    const id = this.nextId++;
    // Referenced while it works for a caller, so the process does not exit under a pending batch.
    slot.worker.ref();
    try {
      if (!(await slot.ready)) {
        this.broken = true;
        return this.inProcess(jobs);
      }
      const done = new Promise<SeriesRun[]>((resolve, reject) =>
        this.pending.set(id, { resolve, reject, lost: () => resolve(this.inProcess(jobs)) }),
      );
      this.owner.set(id, slot.worker);
      // Copied, not transferred: the caller still reads the jobs' times after the run (alert episodes), and a
      // transferred buffer is empty on this side (every alert of a pooled batch was lost that way).
      slot.worker.postMessage({ id, jobs } satisfies WorkerRequest);
      return await done;
    } finally {
      slot.worker.unref();
      this.owner.delete(id);
      this.release(slot);
    }
  }

  /**
   * Starts every worker now instead of at the first job: loading one takes seconds (its bundle, zod, the
   * detectors), which the first pooled batch would otherwise wait for. Idle workers do not hold the process.
   */
  warm(): void {
    if (this.broken) return;
    while (this.spawned < this.size) {
      this.spawned++;
      this.release(this.spawn());
    }
  }

  async close(): Promise<void> {
    const slots = [...this.idle];
    this.idle.length = 0;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private inProcess(jobs: SeriesJob[]): SeriesRun[] {
    return jobs.map((j) => runSeries(this.local, j));
  }

  private acquire(): Promise<Slot> {
    const s = this.idle.pop();
    if (s) return Promise.resolve(s);
    if (this.spawned < this.size) {
      this.spawned++;
      return Promise.resolve(this.spawn());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(s: Slot): void {
    if (this.dead.has(s.worker)) {
      // Its place goes to a fresh worker, so a caller waiting for one is not left waiting; or,
      // after a failed start, a caller waiting for one is handed the dead slot and runs on its own thread.
      const next = this.waiting.shift();
      if (next) next(this.broken ? { worker: s.worker, ready: Promise.resolve(false) } : this.spawn());
      else this.spawned--;
      return;
    }
    const next = this.waiting.shift();
    if (next) next(s);
    else this.idle.push(s);
  }

  private spawn(): Slot {
    const worker = startWorker(workerUrl(import.meta.url, 'detector-worker'), {}, { bundle: true });
    let settle: (ok: boolean) => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => (settle = resolve));
    const timer = setTimeout(() => {
      settle(false);
      this.dead.add(worker);
      void worker.terminate();
    }, this.startTimeoutMs);
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        clearTimeout(timer);
        settle(true);
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(`detector worker: ${reply.error}`));
      else p.resolve(reply.runs);
    });
    // A worker that crashes or exits hands the jobs it held back to the calling thread, and is replaced.
    const lost = () => {
      clearTimeout(timer);
      settle(false);
      this.dead.add(worker);
      for (const [id, p] of this.pending) {
        if (this.owner.get(id) !== worker) continue;
        this.pending.delete(id);
        p.lost();
      }
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    // An idle pool must not keep the process alive (the app has no hook to close it). Only after the listeners:
    // adding a 'message' listener refs the worker's port again, and every process with a pool then stayed
    // alive after its work was done (the bench never exited).
    worker.unref();
    return { worker, ready };
  }
}
