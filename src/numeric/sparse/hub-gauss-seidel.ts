// Gauss–Seidel on a permuted system whose last unknowns are the hub industries, Anderson-mixing the hubs.
import { fixedPointResidual, gaussSeidelSweep } from './gauss-seidel';
import { hubSecant } from './hub-secant';
import type { PermutedSystem } from './ordering';

export interface HubSweepProblem {
  /** Permuted so that the hubs (system.hubs of them) come last. */
  system: PermutedSystem;
  mixHubs: boolean;
  /** The right-hand side in the system's order. */
  b: Float64Array;
  bNorm: number;
  /** Absolute residual to reach. */
  target: number;
  maxIterations: number;
  /** Stop (status 'slow') once two sweeps in a row contract by less than this factor. */
  slowContraction: number;
  /** Asked after each sweep: true ends the solve (status 'stopped'), so that a time limit holds within it. */
  stop?: () => boolean;
  /**
   * Sweeps and residuals run elsewhere (the WebAssembly kernels, wasm-permuted-sweeps.ts): `x` is the iterate
   * there, zeroed and with b beside it, and the two passes work on it in place. The JavaScript loops otherwise.
   */
  kernel?: { x: Float64Array; sweep: () => number; residual: () => number };
}

export interface HubSweepResult {
  status: 'converged' | 'slow' | 'diverged' | 'max-iterations' | 'stopped';
  /** The iterate, in the system's order. */
  x: Float64Array;
  /** Absolute residual where it was last computed. */
  residual: number;
  iterations: number;
  growth: number;
}

/**
 * Sweeps until the residual is at most `target`. The hubs come last, so their long rows see every fresh value.
 * The residual costs a pass, so it is computed only when the update size, scaled by the residual-to-update
 * ratio last seen, says it may be small enough (after a sweep in depth order the residual is far below the
 * update, and stopping on the update alone costs two or three sweeps too many).
 */
export function hubGaussSeidel(p: HubSweepProblem): HubSweepResult {
  const { system, b, target } = p;
  const n = b.length;
  const h = system.hubs;
  const x = p.kernel?.x ?? new Float64Array(n);
  const sweep = p.kernel?.sweep ?? (() => gaussSeidelSweep(system, b, x));
  let scratch: Float64Array | undefined;
  const residualNow =
    p.kernel?.residual ?? (() => fixedPointResidual(system, b, x, (scratch ??= new Float64Array(n))));
  const secant = p.mixHubs && h > 0 ? hubSecant(h) : undefined;
  let iterations = 0;
  let previous = Infinity;
  let growth = 0;
  let rising = 0;
  let slow = 0;
  let ratio = Number.NaN;
  let residual = Infinity;
  while (iterations < p.maxIterations) {
    const start = secant ? x.slice(n - h) : undefined;
    let change = sweep();
    if (secant && start) {
      const produced = x.subarray(n - h);
      const mixed = secant.next(start, produced);
      for (let k = 0; k < h; k++) change += (mixed[k]! - start[k]!) ** 2 - (produced[k]! - start[k]!) ** 2;
      produced.set(mixed);
    }
    iterations++;
    change = Math.sqrt(Math.max(change, 0));
    if (!Number.isFinite(change)) return { status: 'diverged', x, residual: Infinity, iterations, growth };
    growth = change / previous;
    rising = growth >= 1 ? rising + 1 : 0;
    slow = growth > p.slowContraction && growth < 1 ? slow + 1 : 0;
    previous = change;
    if (rising >= 10) return { status: 'diverged', x, residual, iterations, growth };
    const due = Number.isNaN(ratio) ? change <= Math.sqrt(target * p.bNorm) : change * ratio <= target;
    if (change <= target || due) {
      residual = residualNow();
      ratio = change > 0 ? residual / change : 0;
      if (residual <= target) return { status: 'converged', x, residual, iterations, growth };
    }
    if (iterations >= 5 && slow >= 2) return { status: 'slow', x, residual, iterations, growth };
    if (p.stop?.() === true) return { status: 'stopped', x, residual, iterations, growth };
  }
  return { status: 'max-iterations', x, residual, iterations, growth };
}
