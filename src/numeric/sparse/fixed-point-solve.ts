// Solves x = M x + b for a non-negative sparse M (the Leontief balance and labour values) to a relative residual.
import type { CsrMatrix } from './csr';
import { bicgstab } from './bicgstab';
import { fixedPointResidual, gaussSeidelSweep } from './gauss-seidel';
import { dependencyOrder, identityOrder, permuteSymmetric } from './ordering';

export interface FixedPointOptions {
  /** Relative residual ‖x − M x − b‖₂ / ‖b‖₂ to reach (default 1e-10). */
  tolerance?: number;
  /** Most Gauss–Seidel sweeps (or Krylov iterations) before giving up (default 500). */
  maxIterations?: number;
  /** 'depth' orders unknowns by dependency (default); 'given' keeps the order as it is (to measure the lever). */
  ordering?: 'depth' | 'given';
  /** 'gauss-seidel' sweeps only; 'bicgstab' Krylov with a Gauss–Seidel preconditioner; 'auto' switches when sweeps contract slowly. */
  method?: 'gauss-seidel' | 'bicgstab' | 'auto';
}

export type FixedPointResult =
  | {
      status: 'converged';
      x: Float64Array;
      residual: number;
      iterations: number;
      method: string;
      seconds: number;
    }
  | {
      status: 'diverged' | 'max-iterations';
      residual: number;
      iterations: number;
      method: string;
      seconds: number;
      /** Growth of the update per sweep in the last sweeps: an estimate of the spectral radius when ≥ 1. */
      growth: number;
    };

/** Sweeps contracting by more than this factor are slow enough that BiCGSTAB pays for its 4 passes. */
const slowContraction = 0.25;

/**
 * Solves x = M x + b (i.e. (I − M) x = b). M must be square with a diagonal below 1; callers validate it.
 * The unknowns are first ordered so that each follows what it depends on, which makes one sweep exact on
 * a triangular M; feedback loops cost the extra sweeps.
 */
export function solveFixedPoint(
  m: CsrMatrix,
  b: Float64Array,
  options: FixedPointOptions = {},
): FixedPointResult {
  const started = performance.now();
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 500;
  const method = options.method ?? 'auto';
  const n = m.rows;
  const order = options.ordering === 'given' ? identityOrder(n) : dependencyOrder(m);
  const system = permuteSymmetric(m, order);
  const bp = new Float64Array(n);
  let bNorm = 0;
  for (let t = 0; t < n; t++) {
    const v = b[order[t]!]!;
    bp[t] = v;
    bNorm += v * v;
  }
  bNorm = Math.sqrt(bNorm);
  const seconds = (): number => (performance.now() - started) / 1000;
  const xp = new Float64Array(n);
  const scratch = new Float64Array(n);
  const target = tolerance * bNorm;
  const unpermute = (): Float64Array => {
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[order[t]!] = xp[t]!;
    return x;
  };
  if (bNorm === 0)
    return { status: 'converged', x: unpermute(), residual: 0, iterations: 0, method, seconds: seconds() };

  let iterations = 0;
  let previous = Infinity;
  let growth = 0;
  let rising = 0;
  let used = method === 'bicgstab' ? 'bicgstab' : 'gauss-seidel';
  if (method !== 'bicgstab') {
    while (iterations < maxIterations) {
      const change = Math.sqrt(gaussSeidelSweep(system, bp, xp));
      iterations++;
      if (!Number.isFinite(change)) break;
      growth = change / previous;
      rising = growth >= 1 ? rising + 1 : 0;
      previous = change;
      if (rising >= 10) break;
      // The update bounds the residual up to the size of M; confirm with the true residual before stopping.
      if (change <= target) {
        const residual = fixedPointResidual(system, bp, xp, scratch);
        if (residual <= target) {
          return {
            status: 'converged',
            x: unpermute(),
            residual: residual / bNorm,
            iterations,
            method: used,
            seconds: seconds(),
          };
        }
      }
      if (method === 'auto' && iterations >= 3 && growth > slowContraction && growth < 1) {
        used = 'gauss-seidel+bicgstab';
        break;
      }
    }
    if (used === 'gauss-seidel') {
      const residual = fixedPointResidual(system, bp, xp, scratch) / bNorm;
      const status = rising >= 10 || !Number.isFinite(residual) ? 'diverged' : 'max-iterations';
      return {
        status,
        residual: Number.isFinite(residual) ? residual : Infinity,
        iterations,
        method: used,
        seconds: seconds(),
        growth,
      };
    }
  }

  // Krylov with restarts: the recurrence residual drifts, so each round ends on the true residual.
  for (let round = 0; round < 5 && iterations < maxIterations; round++) {
    const krylov = bicgstab(system, bp, xp, target * 0.5, maxIterations - iterations);
    iterations += krylov.iterations;
    const residual = fixedPointResidual(system, bp, xp, scratch);
    if (!Number.isFinite(residual)) break;
    if (residual <= target) {
      return {
        status: 'converged',
        x: unpermute(),
        residual: residual / bNorm,
        iterations,
        method: used,
        seconds: seconds(),
      };
    }
    if (!krylov.reached && krylov.iterations === 0) break;
  }
  const residual = fixedPointResidual(system, bp, xp, scratch) / bNorm;
  return {
    status: Number.isFinite(residual) ? 'max-iterations' : 'diverged',
    residual: Number.isFinite(residual) ? residual : Infinity,
    iterations,
    method: used,
    seconds: seconds(),
    growth,
  };
}
