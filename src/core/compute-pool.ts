// A pool of worker threads that run CPU-heavy pure tasks (analysis, planning, evaluation, counting) off the
// event loop, so no request waits behind another's computation. Each worker runs one task at a time; tasks
// beyond the pool's size wait in order. A cancelled running task is stopped by ending its worker.
import type { Transferable, Worker } from 'node:worker_threads';
import { DomainError } from './errors';
import type { Progress } from './operation';
import { revivedError, runTask, type TaskRegistry, type TaskReply } from './compute-task';
import { startWorker } from './worker-url';

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Buffers of the input to move to the worker instead of copying (the caller must not use them after). */
  transfer?: readonly Transferable[];
}

/** Runs named compute tasks: in worker threads on a server, in-process where nothing else waits (CLI). */
export interface Compute {
  run<T = unknown>(task: string, input: unknown, options?: RunOptions): Promise<T>;
  /** Tasks computing now and tasks waiting for a worker (for health and tests). */
  stats(): { running: number; queued: number };
  close(): Promise<void>;
}

/** The input asked for more memory than a worker may have: the caller's to shrink, not a server fault. */
function tooBig(task: string, memoryMb: number | undefined): DomainError {
  const cap = memoryMb === undefined ? 'the memory a worker may use' : `the ${memoryMb} MB a worker may use`;
  return new DomainError('invalid', `${task}: the computation needed more than ${cap}`, {
    fix: 'send a smaller input (each heavy operation states its size limits in the OpenAPI document), or ask the operator to raise OGAS_COMPUTE_MEMORY_MB',
    data: { memoryMb: memoryMb ?? null },
  });
}

function outOfMemory(e: Error): boolean {
  return (e as Error & { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

function failed(task: string, e: Error): Error {
  return new Error(`compute task ${task} failed: ${e.message}`);
}

function cancelled(): DomainError {
  return new DomainError('cancelled', 'the caller cancelled the operation');
}

/** Runs tasks on the calling thread: for the CLI, whose event loop serves nobody else. */
export class InlineCompute implements Compute {
  private running = 0;

  /** `tasks` loads the registry on first use, so a CLI call that computes nothing never loads it. */
  constructor(private readonly tasks: () => Promise<TaskRegistry>) {}

  async run<T>(task: string, input: unknown, options: RunOptions = {}): Promise<T> {
    if (options.signal?.aborted) throw cancelled();
    this.running++;
    try {
      return (await runTask(await this.tasks(), task, input, {
        progress: (p) => options.onProgress?.(p),
        signal: options.signal ?? new AbortController().signal,
      })) as T;
    } finally {
      this.running--;
    }
  }

  stats() {
    return { running: this.running, queued: 0 };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Job {
  id: number;
  task: string;
  input: unknown;
  options: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  worker?: Worker;
}

export class ComputePool implements Compute {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private workers = 0;
  private nextId = 0;
  private closed = false;

  /**
   * `entry` is the worker script (see workerUrl); it calls serveTasks with the task registry. `memoryMb`
   * caps each worker's heap, so one oversized computation ends its own worker, not the server.
   */
  constructor(
    readonly size: number,
    private readonly entry: URL,
    private readonly memoryMb?: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`compute pool size must be ≥ 1, got ${size}`);
  }

  run<T>(task: string, input: unknown, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new DomainError('unavailable', 'the server is shutting down'));
    if (options.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task,
        input,
        options,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      options.signal?.addEventListener('abort', () => this.cancel(job), { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  stats() {
    return { running: this.running.size, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new DomainError('unavailable', 'the server is shutting down'));
    const all = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    for (const [, job] of this.running)
      job.reject(new DomainError('unavailable', 'the server is shutting down'));
    this.running.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.workers < this.size) worker = this.spawn();
      if (!worker) return;
      const job = this.queue.shift() as Job;
      job.worker = worker;
      this.running.set(worker, job);
      // A busy worker keeps the process alive (a CLI awaiting its result); an idle one does not.
      worker.ref();
      try {
        worker.postMessage({ id: job.id, task: job.task, input: job.input }, job.options.transfer ?? []);
      } catch (e) {
        // An input that cannot cross to a thread (a function, a class with private state) is a bug of the caller.
        this.release(worker);
        job.reject(new Error(`compute task ${job.task}: its input cannot be sent to a worker: ${String(e)}`));
      }
    }
  }

  private release(worker: Worker): void {
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(cancelled());
      return;
    }
    const worker = job.worker;
    if (!worker || this.running.get(worker) !== job) return;
    // A pure computation has no safe point to stop at: end its worker and start another when needed.
    this.retire(worker);
    job.reject(cancelled());
    void worker.terminate();
    this.dispatch();
  }

  private retire(worker: Worker): void {
    this.running.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    this.workers--;
  }

  private spawn(): Worker {
    this.workers++;
    const worker = startWorker(
      this.entry,
      this.memoryMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } },
    );
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      const job = this.running.get(worker);
      if (!job || job.id !== reply.id) return;
      if ('progress' in reply) {
        job.options.onProgress?.(reply.progress);
        return;
      }
      this.release(worker);
      this.dispatch();
      if ('error' in reply) job.reject(revivedError(reply.error, job.task));
      else job.resolve(reply.result);
    });
    // A crashed worker (out of memory, a bug) fails the task it held and is replaced on demand.
    worker.on('error', (e) => {
      const job = this.running.get(worker);
      this.retire(worker);
      if (job) job.reject(outOfMemory(e) ? tooBig(job.task, this.memoryMb) : failed(job.task, e));
      this.dispatch();
    });
    worker.on('exit', () => {
      const job = this.running.get(worker);
      if (!job && !this.idle.includes(worker)) return;
      this.retire(worker);
      job?.reject(new Error(`compute task ${job.task} failed: its worker exited`));
      this.dispatch();
    });
    return worker;
  }
}
