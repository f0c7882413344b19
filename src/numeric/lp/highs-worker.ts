// Worker thread of highs-thread.ts: runs one HiGHS job at a time (a solve, or IPX's crossover then the simplex)
// and posts its answer back. The thread that started it ends it at the job's deadline.
import { parentPort } from 'node:worker_threads';
import { crossoverWithHighs } from './highs-crossover';
import { compiledHighsModule, setHighsTiering, type HighsTiering } from './highs-instance';
import { createHighsSolver } from './highs-solver';
import type { HighsJob, HighsReply } from './highs-thread';
import type { LpSolution, SolveOptions } from './lp';

async function run(id: number, job: HighsJob, progress: boolean): Promise<LpSolution> {
  const options: SolveOptions = {
    ...job.options,
    ...(progress
      ? { onProgress: (p) => parentPort?.postMessage({ id, progress: p } satisfies HighsReply) }
      : {}),
  };
  if (job.kind === 'crossover') return crossoverWithHighs(job.lp, job.start, options);
  return createHighsSolver({ ...job.config, thread: 'here' }).solve(job.lp, options);
}

// Each request carries the calling thread's HighsTiering, which this thread then uses.
type Request =
  | { id: number; job: HighsJob; progress: boolean; tiering: HighsTiering }
  | { prepare: true; tiering: HighsTiering };

parentPort?.on('message', (request: Request) => {
  // Compiling HiGHS's module ahead of the first job (prepareHighsThread): the job then only instantiates it.
  setHighsTiering(request.tiering);
  if ('prepare' in request) {
    void compiledHighsModule();
    return;
  }
  const { id, job, progress } = request;
  run(id, job, progress).then(
    // Copied, not transferred: a few MB at 10⁵ columns, and some arrays may share a buffer.
    (solution) => parentPort?.postMessage({ id, solution } satisfies HighsReply),
    (error: unknown) =>
      parentPort?.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies HighsReply),
  );
});
parentPort?.postMessage({ ready: true } satisfies HighsReply);
