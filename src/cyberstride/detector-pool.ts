// Worker threads that run detectors off the main thread, so the database (PGlite runs on the main thread) and
// the detectors use both cores. Series are independent: a batch's series split across workers give the same
// results as one pass (each series' readings stay in order on one worker).
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from '../core/worker-url';
import type { WorkerReply, WorkerRequest } from './detector-worker';
import type { SeriesJob, SeriesRun } from './series-run';

interface Pending {
  resolve: (runs: SeriesRun[]) => void;
  reject: (e: Error) => void;
}

export class DetectorPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly owner = new Map<number, Worker>();
  private readonly dead = new WeakSet<Worker>();
  private spawned = 0;
  private nextId = 0;

  constructor(readonly size: number) {}

  /** Runs the jobs on one worker; calls made together use different workers. */
  async run(jobs: SeriesJob[]): Promise<SeriesRun[]> {
    const worker = await this.acquire();
    const id = this.nextId++;
    try {
      const done = new Promise<SeriesRun[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.owner.set(id, worker);
      // Copied, not transferred: the caller still reads the jobs' times after the run (alert episodes), and a
      // transferred buffer is empty on this side (every alert of a pooled batch was lost that way).
      worker.postMessage({ id, jobs } satisfies WorkerRequest);
      return await done;
    } finally {
      this.owner.delete(id);
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    const workers = [...this.idle];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.spawned < this.size) {
      this.spawned++;
      return Promise.resolve(this.spawn());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    if (this.dead.has(w)) return;
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private spawn(): Worker {
    const worker = startWorker(workerUrl(import.meta.url, 'detector-worker'));
    // An idle pool must not keep the process alive (the app has no hook to close it).
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(`detector worker: ${reply.error}`));
      else p.resolve(reply.runs);
    });
    // A crashed worker fails the jobs it held (their transactions roll back) and is replaced on demand.
    worker.on('error', (e) => {
      this.dead.add(worker);
      this.spawned--;
      for (const [id, p] of this.pending) {
        if (this.owner.get(id) !== worker) continue;
        this.pending.delete(id);
        p.reject(e);
      }
    });
    return worker;
  }
}
