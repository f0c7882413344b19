// The one way an operation's handler hands its computation to the compute pool (ctx.services.compute).
import type { RunOptions } from './compute-pool';
import type { OpContext } from './operation';

/** Runs compute task `task` on `input` for the caller of `ctx`: cancelled with it, reporting progress to it. */
export function offload<T = never>(
  ctx: Pick<OpContext, 'services' | 'signal' | 'progress'>,
  task: string,
  input: unknown,
  transfer?: RunOptions['transfer'],
): Promise<T> {
  return ctx.services.compute.run<T>(task, input, {
    signal: ctx.signal,
    onProgress: ctx.progress,
    ...(transfer ? { transfer } : {}),
  });
}
