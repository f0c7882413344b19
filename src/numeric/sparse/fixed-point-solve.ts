// Solves x = M x + b for a non-negative sparse M (the Leontief balance and labour values) to a relative residual.
import type { CsrMatrix } from './csr';
import { bicgstab } from './bicgstab';
import { fixedPointResidual } from './gauss-seidel';
import { hubGaussSeidel } from './hub-gauss-seidel';
import { concatOrders, dependencyOrder, findHubs, givenOrderWithout, permuteSymmetric } from './ordering';
import type { PermutedSystem } from './ordering';
import { loadPermuted, slotResidual, slotSweep, slotVectors } from './wasm-permuted-sweeps';
import type { WasmPermutedSlot } from './wasm-permuted-sweeps';
import type { SpareArrays } from './spare-arrays';

export interface FixedPointOptions {
  /** Relative residual ‖x − M x − b‖₂ / ‖b‖₂ to reach (default 1e-10). */
  tolerance?: number;
  /** Most Gauss–Seidel sweeps (or Krylov iterations) before giving up (default 500). */
  maxIterations?: number;
  /** 'depth' orders unknowns by dependency (default); 'given' keeps the order as it is (to measure the lever). */
  ordering?: 'depth' | 'given';
  /** Solve x = Mᵀ x + b instead, reading M's rows (labour values from A without building Aᵀ). */
  transposed?: boolean;
  /** Set the hub industries apart from the depth order (default true; false to measure the lever). */
  hubs?: boolean;
  /** Anderson-mix the hub unknowns between sweeps (default true; false to measure the lever). */
  hubMixing?: boolean;
  /** 'gauss-seidel' sweeps only; 'bicgstab' Krylov with a Gauss–Seidel preconditioner; 'auto' switches when sweeps contract slowly. */
  method?: 'gauss-seidel' | 'bicgstab' | 'auto';
  /** Hubs and order from `prepareOrder`, reused for a family of similar matrices (then `ordering`/`hubs` are ignored). */
  prepared?: PreparedOrder;
  /** M already permuted by `prepared` (permutedFor), kept by a caller that solves with the same M again. */
  system?: PermutedSystem;
  /** Asked after each sweep or Krylov round: true ends the solve unconverged (status 'stopped'). */
  stop?: () => boolean;
  /**
   * Sweep the permuted system on the WebAssembly kernels in this slot (wasm-permuted-sweeps.ts), which keeps
   * it loaded for the next solve with the same system; in JavaScript when it does not fit there.
   */
  wasm?: WasmPermutedSlot;
  /**
   * Lends the solve its permuted right-hand side (an n-vector) and takes it back at the end: technique choice
   * solves dozens of times at 10⁷ products, where each fresh 80 MB vector cost 20,000 page faults.
   */
  spare?: SpareArrays;
}

/** The hub set and the order of the other unknowns: any order is correct, a good one saves sweeps. */
export interface PreparedOrder {
  hubs: Int32Array;
  rest: Int32Array;
}

/**
 * The hubs and dependency order solveFixedPoint would compute for m. Matrices that differ from m in a few
 * rows (another choice of technique) keep it a good order, so a caller solving many of them computes it once.
 */
export function prepareOrder(
  m: CsrMatrix,
  options: Pick<FixedPointOptions, 'ordering' | 'hubs' | 'transposed'> = {},
): PreparedOrder {
  const hubs = options.hubs === false ? new Int32Array(0) : findHubs(m);
  const rest =
    options.ordering === 'given'
      ? givenOrderWithout(m.rows, hubs)
      : dependencyOrder(m, hubs, options.transposed ?? false);
  return { hubs, rest };
}

/** M permuted as solveFixedPoint permutes it for `prepared`: pass it back as `system` to skip the copy. */
export function permutedFor(
  m: CsrMatrix,
  prepared: PreparedOrder,
  transposed: boolean,
  spare?: SpareArrays,
): PermutedSystem {
  const order = concatOrders(prepared.rest, prepared.hubs);
  return permuteSymmetric(m, order, { transposed, hubs: prepared.hubs.length, ...(spare ? { spare } : {}) });
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
      status: 'diverged' | 'max-iterations' | 'stopped';
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
 * Solves x = M x + b (i.e. (I − M) x = b), or x = Mᵀ x + b when `transposed`. M must be square with a diagonal
 * below 1; callers validate it. The unknowns are ordered so that each follows what it depends on, with the
 * hub industries set apart, which makes one sweep nearly exact outside the hubs; Anderson mixing of the hub
 * values takes out the slow mode they leave, and the feedback loops cost the remaining sweeps. The sweeps
 * stream a permuted copy (built straight from M's rows, also when transposed): sweeping M as stored in
 * depth order measured 2–3× slower per sweep at 10⁶ products, every row a cache miss.
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
  const transposed = options.transposed ?? false;
  const n = m.rows;
  const seconds = (): number => (performance.now() - started) / 1000;
  let bNorm = 0;
  for (let i = 0; i < n; i++) bNorm += b[i]! * b[i]!;
  bNorm = Math.sqrt(bNorm);
  if (bNorm === 0) {
    return {
      status: 'converged',
      x: new Float64Array(n),
      residual: 0,
      iterations: 0,
      method,
      seconds: seconds(),
    };
  }
  const { hubs, rest } = options.prepared ?? prepareOrder(m, options);
  const mixHubs = options.hubMixing !== false && hubs.length > 0;
  const name = (base: string): string =>
    hubs.length === 0 ? base : `${base} (${hubs.length} hubs apart${mixHubs ? ', Anderson-mixed' : ''})`;
  const target = tolerance * bNorm;

  const order = concatOrders(rest, hubs);
  const system = options.system ?? permuteSymmetric(m, order, { transposed, hubs: hubs.length });
  const bp = options.spare ? options.spare.float64(n) : new Float64Array(n);
  for (let t = 0; t < n; t++) bp[t] = b[order[t]!]!;
  try {
    return solvePermuted();
  } finally {
    // Nothing the solve returns holds bp (its answer is unpermuted into a new vector).
    options.spare?.give(bp);
  }

  function solvePermuted(): FixedPointResult {
    const unpermute = (xp: Float64Array): Float64Array => {
      const out = new Float64Array(n);
      for (let t = 0; t < n; t++) out[order[t]!] = xp[t]!;
      return out;
    };
    let xp: Float64Array = new Float64Array(n);
    let iterations = 0;
    let growth = 0;
    if (method !== 'bicgstab') {
      const slot = options.wasm && loadPermuted(options.wasm, system) ? options.wasm : undefined;
      let kernel: { x: Float64Array; sweep: () => number; residual: () => number } | undefined;
      if (slot) {
        const vectors = slotVectors(slot);
        vectors.b.set(bp);
        vectors.x.fill(0);
        kernel = { x: vectors.x, sweep: () => slotSweep(slot), residual: () => slotResidual(slot) };
      }
      const sweeps = hubGaussSeidel({
        ...(kernel ? { kernel } : {}),
        system,
        mixHubs,
        b: bp,
        bNorm,
        target,
        maxIterations,
        slowContraction: method === 'auto' ? slowContraction : Infinity,
        ...(options.stop ? { stop: options.stop } : {}),
      });
      iterations = sweeps.iterations;
      growth = sweeps.growth;
      if (sweeps.status === 'converged') {
        return {
          status: 'converged',
          x: unpermute(sweeps.x),
          residual: sweeps.residual / bNorm,
          iterations,
          method: name('gauss-seidel'),
          seconds: seconds(),
        };
      }
      if (sweeps.status !== 'slow') {
        return {
          status: sweeps.status,
          residual: Number.isFinite(sweeps.residual) ? sweeps.residual / bNorm : Infinity,
          iterations,
          method: name('gauss-seidel'),
          seconds: seconds(),
          growth,
        };
      }
      // Copied out of the slot's memory, which the next solve overwrites.
      xp = slot ? sweeps.x.slice() : sweeps.x;
    }

    // Krylov with restarts; the recurrence residual drifts, so each round ends on the true residual.
    const used = method === 'bicgstab' ? 'bicgstab' : 'gauss-seidel+bicgstab';
    const scratch = new Float64Array(n);
    for (let round = 0; round < 5 && iterations < maxIterations; round++) {
      if (options.stop?.() === true) {
        const residual = fixedPointResidual(system, bp, xp, scratch) / bNorm;
        return { status: 'stopped', residual, iterations, method: name(used), seconds: seconds(), growth };
      }
      const krylov = bicgstab(system, bp, xp, target * 0.5, maxIterations - iterations);
      iterations += krylov.iterations;
      const residual = fixedPointResidual(system, bp, xp, scratch);
      if (!Number.isFinite(residual)) break;
      if (residual <= target) {
        return {
          status: 'converged',
          x: unpermute(xp),
          residual: residual / bNorm,
          iterations,
          method: name(used),
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
      method: name(used),
      seconds: seconds(),
      growth,
    };
  }
}
