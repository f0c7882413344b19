// The given-order Gauss–Seidel sweeps of given-order-sweeps.ts on the WebAssembly kernels of
// wasm-sweep-module.ts: same iteration, same stopping rules, same answer to the tolerance.
//
// Why: at 10⁶ products one JavaScript sweep measured 4–5 times the WebAssembly one in the same run
// (docs/architecture.md, "Numeric core"); the copy of M into the module's memory (12 bytes a non-zero) costs
// about two JavaScript sweeps, once. Where WebAssembly is missing or its memory cannot be had (wasm32 stops at
// 4 GiB), the callers use the JavaScript sweeps.
import type { CsrMatrix } from './csr';
import { nnz } from './csr';
import {
  extrapolateFrom,
  iteratePushSweeps,
  iterateSweeps,
  pushExtrapolation,
  squaredNorm,
  type GivenOrderOutcome,
} from './given-order-sweeps';
import { sweepModuleBytes } from './wasm-sweep-module';

interface SweepExports {
  sweep(n: number, rowStart: number, col: number, val: number, x: number, b: number, diag: number): number;
  residual(n: number, rowStart: number, col: number, val: number, x: number, b: number, out: number): number;
  push(n: number, rowStart: number, col: number, val: number, x: number, r: number, diag: number): void;
  prepare(n: number, rowStart: number, col: number, val: number, out: number, _a: number, _b: number): number;
  scatter(n: number, rowStart: number, col: number, val: number, x: number, out: number, _: number): void;
  /** The first row the kernels visit (0 unless a thread sweeps a block of rows). */
  from: WebAssembly.Global;
  /** Where the push kernel sends what it pushes to rows outside [from, n) (two threads only). */
  outbox: WebAssembly.Global;
}

/** A given-order outcome, with the seconds spent copying M into the module's memory. */
export type WasmOutcome = GivenOrderOutcome & {
  setupSeconds: number;
  /** The residual was recomputed from M as given at the end, not carried along by the sweeps. */
  residualOnM?: boolean;
};

let compiled: WebAssembly.Module | undefined;
let compiledShared: WebAssembly.Module | undefined;

/** Most bytes a wasm32 memory can address (65,536 pages of 64 KiB). */
const MAX_BYTES = 65_536 * 65_536;

/**
 * M, x, b (or r), M's diagonal and a copy of x laid out in one WebAssembly memory, with the kernels bound to
 * it, and what the one pass over M found (the entries are checked there, not before: see prepare in
 * wasm-sweep-module.ts).
 */
export interface LoadedSystem {
  /** Seconds spent on the copy, instantiation and the checking pass. */
  setupSeconds: number;
  /** The first stored entry (index into colIndex / values) with a column out of range or a value that is negative or not finite; −1 when none. */
  badEntry: number;
  /** The largest stored M_ii (0 when none is stored). */
  largestSelfUse: number;
  kernels: SweepExports;
  n: number;
  rowStart: number;
  col: number;
  val: number;
  x: number;
  b: number;
  diag: number;
  xView: Float64Array;
  bView: Float64Array;
  /** Where extrapolation keeps x before a sweep (byte offset copy). */
  copy: number;
  copyView: Float64Array;
  /** b as given (bView becomes the push sweeps' residual). */
  originalB: Float64Array;
  /** Where the push sweeps' extrapolation keeps r (bView) before a sweep. */
  copyRView: Float64Array;
  /** Two vectors of n for the push sweeps on two threads, one per thread (shared memory only; 0 otherwise). */
  outboxes: [number, number];
  /** The memory and compiled module, for a second thread's instance (shared memory only). */
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
}

/**
 * Copies M and b into a fresh WebAssembly memory and makes the one pass over M that checks its entries and
 * finds its diagonal; undefined when WebAssembly or that much memory is not available (the caller then checks
 * and sweeps in JavaScript). M's shape (rowStart non-decreasing, within the arrays) must have been checked.
 */
export function loadSystem(
  m: CsrMatrix,
  b: Float64Array,
  options: { shared?: boolean } = {},
): LoadedSystem | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  const started = performance.now();
  const n = m.rows;
  const count = nnz(m);
  // Offset 0 stays unused: the residual kernel reads a 0 output pointer as "no output".
  let end = 8;
  const place = (bytes: number): number => {
    const at = end;
    end = Math.ceil((end + bytes) / 8) * 8;
    return at;
  };
  const rowStart = place(4 * (n + 1));
  const col = place(4 * count);
  const val = place(8 * count);
  const x = place(8 * n);
  const rhs = place(8 * n);
  const diag = place(8 * n);
  const copy = place(8 * n);
  const copyR = place(8 * n);
  // Untouched, these cost address space only, no pages.
  const outboxes: [number, number] = options.shared ? [place(8 * n), place(8 * n)] : [0, 0];
  if (end > MAX_BYTES) return undefined;
  let memory: WebAssembly.Memory;
  let kernels: SweepExports;
  let module: WebAssembly.Module;
  try {
    const initial = Math.ceil(end / 65_536);
    if (options.shared) {
      memory = new WebAssembly.Memory({ initial, maximum: 65_536, shared: true });
      module = compiledShared ??= new WebAssembly.Module(sweepModuleBytes(2, true));
    } else {
      memory = new WebAssembly.Memory({ initial });
      module = compiled ??= new WebAssembly.Module(sweepModuleBytes());
    }
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SweepExports;
  } catch (error) {
    if (error instanceof RangeError || error instanceof WebAssembly.CompileError) return undefined;
    throw error;
  }
  const buffer = memory.buffer;
  new Int32Array(buffer, rowStart, n + 1).set(m.rowStart.subarray(0, n + 1));
  new Int32Array(buffer, col, count).set(m.colIndex.subarray(0, count));
  new Float64Array(buffer, val, count).set(m.values.subarray(0, count));
  const bView = new Float64Array(buffer, rhs, n);
  bView.set(b);
  const checked = kernels.prepare(n, rowStart, col, val, diag, 0, 0);
  return {
    setupSeconds: (performance.now() - started) / 1000,
    badEntry: checked < 0 ? -checked - 1 : -1,
    largestSelfUse: checked < 0 ? 0 : checked,
    kernels,
    n,
    rowStart,
    col,
    val,
    x,
    b: rhs,
    diag,
    xView: new Float64Array(buffer, x, n),
    bView,
    copy,
    copyView: new Float64Array(buffer, copy, n),
    originalB: b,
    copyRView: new Float64Array(buffer, copyR, n),
    outboxes,
    memory,
    module,
  };
}

/** What the WebAssembly sweeps may be given besides the system. */
export interface WasmSweepOptions {
  /** Extrapolate the dominant mode (iterateSweeps). */
  extrapolate?: boolean;
  /** M and b already loaded (and checked) by loadSystem, for the same m and b; loaded here otherwise. */
  loaded?: LoadedSystem;
}

/**
 * x = M x + b by Gauss–Seidel in the given order on the WebAssembly kernel, from x = 0, until
 * ‖x − M x − b‖₂ ≤ target: givenOrderBalance's iteration and stopping rules. Undefined when WebAssembly
 * cannot hold M.
 */
export function wasmGivenOrderBalance(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  options: WasmSweepOptions = {},
): WasmOutcome | undefined {
  const w = options.loaded ?? loadSystem(m, b);
  if (!w) return undefined;
  const { kernels, n, xView, copyView } = w;
  const extrapolation = options.extrapolate
    ? {
        snapshot: () => copyView.set(xView),
        extrapolate: (factor: number) => extrapolateFrom(xView, copyView, factor),
      }
    : undefined;
  const end = iterateSweeps(
    () => kernels.sweep(n, w.rowStart, w.col, w.val, w.x, w.b, w.diag),
    () => kernels.residual(n, w.rowStart, w.col, w.val, w.x, w.b, 0),
    target,
    maxIterations,
    extrapolation,
  );
  return { x: xView.slice(), ...end, setupSeconds: w.setupSeconds };
}

/**
 * x = Mᵀ x + b from M's rows by push Gauss–Seidel on the residual (r starts as b and stays exact), on the
 * WebAssembly kernel: givenOrderTransposed's iteration, extrapolation and stopping rules. Undefined when WebAssembly cannot
 * hold M.
 */
export function wasmGivenOrderTransposed(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  options: WasmSweepOptions = {},
): WasmOutcome | undefined {
  const w = options.loaded ?? loadSystem(m, b);
  if (!w) return undefined;
  const { kernels, n } = w;
  const push = () => {
    kernels.push(n, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
    return squaredNorm(w.bView);
  };
  return {
    ...pushSweepsOnM(w, push, target, maxIterations, options.extrapolate ?? false),
    setupSeconds: w.setupSeconds,
  };
}

/**
 * Push sweeps (`push` sweeps once and answers ‖r‖², r being b's place in the module's memory, kept exact) by
 * givenOrderTransposed's iteration, extrapolation and stopping rules, on one thread or two; then the reported
 * residual recomputed from M as given (into the x copy's place, free now), so the caller need not make its
 * own pass over M in JavaScript.
 */
export function pushSweepsOnM(
  w: LoadedSystem,
  push: () => number,
  target: number,
  maxIterations: number,
  extrapolate: boolean,
): Omit<WasmOutcome, 'setupSeconds'> {
  const r = w.bView;
  // Iterate first: the answer is read from the module's memory after the sweeps.
  const end = extrapolate
    ? iterateSweeps(
        push,
        () => squaredNorm(r),
        target,
        maxIterations,
        pushExtrapolation(w.xView, r, w.copyView, w.copyRView),
      )
    : iteratePushSweeps(push, target, maxIterations);
  const out = w.copyView;
  const x = w.xView;
  for (let j = 0; j < w.n; j++) out[j] = w.originalB[j]! - x[j]!;
  w.kernels.scatter(w.n, w.rowStart, w.col, w.val, w.x, w.copy, 0);
  const residual = Math.sqrt(squaredNorm(out));
  return { x: x.slice(), ...end, residual, residualOnM: true };
}
