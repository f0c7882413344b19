// Solves a validated Leontief system x = M x + b: dense LU when small, ordered Gauss–Seidel when large.
import { availableParallelism } from 'node:os';
import type { CsrMatrix } from '../sparse/csr';
import { matvec, transpose, vecmat } from '../sparse/csr';
import type { FixedPointOptions } from '../sparse/fixed-point-solve';
import { solveFixedPoint } from '../sparse/fixed-point-solve';
import { defaultThreads, PARALLEL_FROM, solveFixedPointParallel } from '../sparse/parallel-fixed-point';
import { loadSystem, releaseSystem } from '../sparse/wasm-sweeps';
import { luFactor, luSolve } from './dense-lu';
import { dominantEigen } from './productivity';
import type { LeontiefFailure, Outcome } from './status';
import { csrEntriesFailure } from './validate';

export interface IterativeOptions extends FixedPointOptions {
  /** Up to this many products the system is factored densely (LU with partial pivoting); default 500. */
  denseUpTo?: number;
  /**
   * From this many products on, the system is swept on worker thread(s) sharing memory, in the given order
   * (no ordering setup); default 200,000. Below it the ordered single-thread solver is faster. If the
   * threads do not reach the tolerance, the ordered solver (with its BiCGSTAB fallback) takes over.
   */
  parallelFrom?: number;
  /** Threads for the parallel path (default two for the balance, one for labour values: see defaultThreads). */
  threads?: number;
  /** On one thread, 64-bit sweeps ('double', default) or 32-bit sweeps refined in 64 bits ('mixed'). */
  precision?: 'double' | 'mixed';
  /** The sweeps on one thread (balance and labour values): extrapolated along their dominant mode (default) or plain. */
  acceleration?: 'extrapolate' | 'none';
}

/**
 * Shared by balance and labour values: x = M x + b for a validated non-negative M (x = Mᵀ x + b when
 * `options.transposed`, which the iterative path solves from M's rows). With `uncheckedField`, only M's shape
 * has been validated (validate.ts, squareShape) and its entries are checked here, reported under that name:
 * at 10⁶ products in the same pass that copies M into WebAssembly memory and finds its diagonal, where three
 * passes over M's 10⁷ entries (the check, the self-use scan, the diagonal) cost a quarter of the solve.
 */
export function solveLeontiefSystem(
  m: CsrMatrix,
  b: Float64Array,
  options: IterativeOptions,
  uncheckedField?: string,
): Outcome<{ x: Float64Array }> {
  const started = performance.now();
  const n = m.rows;
  const transposed = options.transposed ?? false;
  const parallel = n > (options.denseUpTo ?? 500) && n >= (options.parallelFrom ?? PARALLEL_FROM);
  // The WebAssembly paths of solveFixedPointParallel, 64-bit sweeps: one thread, or two sharing the module's
  // memory.
  const threads = options.threads ?? defaultThreads(transposed);
  // Shared wherever there are two cores, even for sweeps on one thread: a helper thread then takes half of the
  // load (wasm-helper-thread.ts), and the memory is reused by the next solve (releaseSystem below).
  const shared = threads === 2 || (threads === 1 && availableParallelism() >= 2);
  const loaded =
    parallel && (threads === 1 || threads === 2) && options.precision !== 'mixed'
      ? loadSystem(m, b, { shared, helper: shared, transposed })
      : undefined;
  if (uncheckedField !== undefined && (loaded === undefined || loaded.badEntry >= 0)) {
    const failure = csrEntriesFailure(m, uncheckedField);
    if (failure) {
      if (loaded) releaseSystem(loaded);
      return failure;
    }
  }
  if (n <= (options.denseUpTo ?? 500)) {
    const system = transposed ? transpose(m) : m;
    const productive = checkProductive(system);
    if (productive) return productive;
    return solveDenseFixedPoint(system, b, options.tolerance ?? 1e-10, started);
  }
  let largestSelfUse = loaded?.largestSelfUse ?? 0;
  if (!loaded) {
    for (let i = 0; i < n; i++) {
      for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) {
        if (m.colIndex[k] === i) largestSelfUse = Math.max(largestSelfUse, m.values[k]!);
      }
    }
  }
  // A product using at least one unit of itself per unit makes ρ ≥ 1 (and the sweep would divide by ≤ 0).
  if (largestSelfUse >= 1) {
    if (loaded) releaseSystem(loaded);
    return {
      status: 'not-productive',
      eigenvalueEstimate: largestSelfUse,
      message: `a product uses ${largestSelfUse} units of itself per unit produced, so the dominant eigenvalue is ≥ 1`,
    };
  }
  const swept = parallel
    ? solveFixedPointParallel(m, b, {
        transposed,
        maxIterations: Math.min(options.maxIterations ?? 500, 200),
        ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
        ...(options.threads === undefined ? {} : { threads: options.threads }),
        ...(options.precision === undefined ? {} : { precision: options.precision }),
        ...(options.acceleration === undefined ? {} : { acceleration: options.acceleration }),
        ...(loaded === undefined ? {} : { loaded }),
      })
    : undefined;
  if (loaded) releaseSystem(loaded);
  const result = swept?.status === 'converged' ? swept : solveFixedPoint(m, b, options);
  if (result.status === 'converged') {
    const { x, iterations, method } = result;
    // The ordered solver's own residual is on its permuted copy; this one reads the matrix as given. The
    // sweeps' residual already is where they computed it afresh from M as given (the balance's always, labour
    // values' on the WebAssembly kernel), not carried along.
    const residual =
      swept?.status === 'converged' && swept.residualOnM
        ? swept.residual
        : relativeResidual(m, x, b, transposed);
    // With b ≥ 0 and ρ(M) < 1, x = Σ Mᵏ b ≥ 0: a clearly negative x solves a non-productive economy.
    if (isNonNegative(b) && hasNegative(x)) {
      const productive = checkProductive(transposed ? transpose(m) : m, 2000);
      if (productive) return productive;
    }
    const seconds = (performance.now() - started) / 1000;
    if (residual <= (options.tolerance ?? 1e-10))
      return { status: 'ok', x, residual, iterations, method, seconds };
    return {
      status: 'not-converged',
      residual,
      iterations,
      message: `the solver reported convergence but the residual on the original matrix is ${residual.toExponential(2)}`,
    };
  }
  const productive = checkProductive(transposed ? transpose(m) : m, 2000);
  if (productive) return productive;
  return {
    status: 'not-converged',
    residual: result.residual,
    iterations: result.iterations,
    message: `stopped at relative residual ${result.residual.toExponential(2)} after ${result.iterations} iterations; raise maxIterations or loosen the tolerance`,
  };
}

// Both loops are indexed: at 10⁶ products `for (const e of v)` over a Float64Array took 20–100 ms a pass in a
// fresh process (load 8–11; the iterator is slow until V8 optimises it), an indexed loop 1–20 ms.
function isNonNegative(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) return false;
  return true;
}

/** Some entry below −1e-9 of the largest magnitude (round-off can leave tiny negatives where 0 is exact). */
function hasNegative(v: Float64Array): boolean {
  let scale = 0;
  let least = 0;
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (e < least) least = e;
    else if (e > scale) scale = e;
  }
  return least < -1e-9 * Math.max(scale, -least);
}

/** ‖x − M x − b‖₂ / ‖b‖₂, or with Mᵀ x when `transposed` (0 when b = 0 and x solves it exactly). */
export function relativeResidual(m: CsrMatrix, x: Float64Array, b: Float64Array, transposed = false): number {
  const mx = transposed ? vecmat(m, x) : matvec(m, x);
  let r = 0;
  let nb = 0;
  for (let i = 0; i < x.length; i++) {
    r += (x[i]! - mx[i]! - b[i]!) ** 2;
    nb += b[i]! ** 2;
  }
  return nb === 0 ? Math.sqrt(r) : Math.sqrt(r / nb);
}

/** `not-productive` when ρ(M) ≥ 1 (within 1e-12), else undefined. */
export function checkProductive(m: CsrMatrix, maxIterations = 20_000): LeontiefFailure | undefined {
  const eigen = dominantEigen(m.rows, (x, y) => matvec(m, x, y), { decideAgainst: 1, maxIterations });
  const undecided = eigen.upper >= 1 && eigen.lower < 1;
  if (eigen.upper < 1 || (undecided && eigen.eigenvalue < 1 - 1e-12)) return undefined;
  return {
    status: 'not-productive',
    eigenvalueEstimate: eigen.eigenvalue,
    message: `the dominant eigenvalue of the input matrix is about ${eigen.eigenvalue.toPrecision(6)} (≥ 1): the economy cannot produce a surplus`,
  };
}

/** Dense LU on I − M for small systems; one step of iterative refinement keeps the residual near round-off. */
export function solveDenseFixedPoint(
  m: CsrMatrix,
  b: Float64Array,
  tolerance: number,
  started: number,
): Outcome<{ x: Float64Array }> {
  const n = m.rows;
  const dense = identityMinus(m);
  const factored = luFactor(dense, n);
  if (factored.status === 'singular') {
    return {
      status: 'singular',
      message: `I − A is singular (no usable pivot in column ${factored.column})`,
    };
  }
  const x = luSolve(factored.factors, b);
  const mx = matvec(m, x);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = b[i]! + mx[i]! - x[i]!;
  const dx = luSolve(factored.factors, r);
  for (let i = 0; i < n; i++) x[i] = x[i]! + dx[i]!;
  const residual = relativeResidual(m, x, b);
  const seconds = (performance.now() - started) / 1000;
  if (!(residual <= tolerance) && residual > 1e-13) {
    return {
      status: 'not-converged',
      residual,
      iterations: 1,
      message: 'dense LU could not reach the tolerance',
    };
  }
  return { status: 'ok', x, residual, iterations: 1, method: 'dense-lu', seconds };
}

/** I − M as a dense row-major Float64Array. */
export function identityMinus(m: CsrMatrix): Float64Array {
  const n = m.rows;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = 1;
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) dense[i * n + m.colIndex[k]!]! -= m.values[k]!;
  }
  return dense;
}
