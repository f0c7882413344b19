// Builds the compute service from the environment: a worker pool on a server, in-process for one-shot CLI calls.
import { availableParallelism } from 'node:os';
import { ComputePool, InlineCompute } from '../core/compute-pool';
import { HeavyGate, type ComputeService } from '../core/heavy';
import { workerUrl } from '../core/worker-url';

export interface ComputeSettings {
  /** Worker threads; 0 runs tasks in-process (the CLI). Default: cores − 1, at least 1 (OGAS_COMPUTE_WORKERS). */
  workers: number;
  /** Heap cap of each worker in MB (OGAS_COMPUTE_MEMORY_MB, default 4096): an oversized task fails alone, as a 400. */
  memoryMb?: number;
  /** Heavy calls one principal may run at once (OGAS_HEAVY_PER_PRINCIPAL, default 1). */
  perPrincipal: number;
  /** Heavy calls all anonymous callers together may run at once (OGAS_HEAVY_ANONYMOUS, default 2). */
  anonymous: number;
}

function count(value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`expected a whole number ≥ ${min}, got "${value}"`);
  return n;
}

export function computeSettings(env: NodeJS.ProcessEnv = process.env): ComputeSettings {
  return {
    workers: count(env.OGAS_COMPUTE_WORKERS, Math.max(1, availableParallelism() - 1), 0),
    memoryMb: count(env.OGAS_COMPUTE_MEMORY_MB, 4096, 64),
    perPrincipal: count(env.OGAS_HEAVY_PER_PRINCIPAL, 1, 1),
    anonymous: count(env.OGAS_HEAVY_ANONYMOUS, 2, 1),
  };
}

export function buildCompute(settings: ComputeSettings = computeSettings()): ComputeService {
  const runner =
    settings.workers === 0
      ? new InlineCompute(async () => (await import('./compute-tasks')).COMPUTE_TASKS)
      : new ComputePool(settings.workers, workerUrl(import.meta.url, 'compute-worker'), settings.memoryMb);
  const gate = new HeavyGate(settings.perPrincipal, settings.anonymous);
  return {
    gate,
    run: (task, input, options) => runner.run(task, input, options),
    stats: () => runner.stats(),
    close: () => runner.close(),
  };
}
