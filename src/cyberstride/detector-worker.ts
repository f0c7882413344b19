// Worker thread of the detector pool: runs the series jobs it is sent and posts their results back.
import { parentPort } from 'node:worker_threads';
import { DetectorCache, runSeries, type SeriesJob, type SeriesRun } from './series-run';

export interface WorkerRequest {
  id: number;
  jobs: SeriesJob[];
}

export type WorkerReply =
  | { id: number; runs: SeriesRun[] }
  | { id: number; error: string }
  /** Sent once the module has loaded: the pool posts no job to a worker before it (see DetectorPool). */
  | { ready: true };

const detectors = new DetectorCache();

parentPort?.on('message', ({ id, jobs }: WorkerRequest) => {
  try {
    const runs = jobs.map((job) => runSeries(detectors, job));
    const buffers = runs.flatMap((r) =>
      [r.mean, r.lower, r.upper, r.score, r.changePoint].map((a) => a.buffer as ArrayBuffer),
    );
    parentPort?.postMessage({ id, runs } satisfies WorkerReply, buffers);
  } catch (e) {
    parentPort?.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
  }
});
parentPort?.postMessage({ ready: true } satisfies WorkerReply);
