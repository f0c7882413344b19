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
import {
  type HelperHost,
  type HelperLayout,
  middleRow,
  outboxesInUse,
  startTwoThreads,
  type TwoThreads,
} from './wasm-helper-thread';
import type { SweepExports } from './wasm-sweep-exports';
import { warmSweepModule } from './wasm-warm-module';

/** A given-order outcome, with the seconds spent copying M into the module's memory. */
export type WasmOutcome = GivenOrderOutcome & {
  setupSeconds: number;
  /** The residual was recomputed from M as given at the end, not carried along by the sweeps. */
  residualOnM?: boolean;
};

/**
 * Below this many non-zeros loadSystem starts no helper thread: the load takes a few milliseconds, less than
 * starting a worker (which a two-thread solve then starts after the load, not waiting for it).
 */
const HELPER_FROM_NONZEROS = 1_000_000;

/** Most bytes a wasm32 memory can address (65,536 pages of 64 KiB). */
const MAX_BYTES = 65_536 * 65_536;

/**
 * M, x, b (or r), M's diagonal and a copy of x laid out in one WebAssembly memory, with the kernels bound to
 * it, and what the one pass over M found (the entries are checked there, not before: see prepare in
 * wasm-sweep-module.ts).
 */
// The byte offsets (n, rowStart, col, val, x, b, diag) are the helper thread's layout; the outboxes are below.
export interface LoadedSystem extends Omit<HelperLayout, 'outbox'> {
  /** Seconds spent on the copy, instantiation and the checking pass. */
  setupSeconds: number;
  /** The first stored entry (index into colIndex / values) with a column out of range or a value that is negative or not finite; −1 when none. */
  badEntry: number;
  /** The largest stored M_ii (0 when none is stored). */
  largestSelfUse: number;
  kernels: SweepExports;
  xView: Float64Array;
  bView: Float64Array;
  /**
   * Where the push sweeps' extrapolation keeps x before a sweep, and their closing residual's output (byte
   * offset copy); the balance keeps its snapshots in its answer array instead (balanceAnswer).
   */
  copy: number;
  copyView: Float64Array;
  /** b as given (bView becomes the push sweeps' residual). */
  originalB: Float64Array;
  /** Where the push sweeps' extrapolation keeps r (bView) before a sweep. */
  copyRView: Float64Array;
  /** Two vectors of n for the push sweeps on two threads, one per thread (shared memory only; 0 otherwise). */
  outboxes: [number, number];
  /** One vector of n, what each thread has taken from its inbox by row (shared memory only; 0 otherwise). */
  taken: number;
  /** The memory and compiled module, for a second thread's instance (shared memory only). */
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  /**
   * The second thread, started before the copy to help load (loadSystem's `helper`), rows from `middle` on.
   * The first two-thread solve on this system takes it and stops it at its end; a one-thread solve leaves it
   * mapping the fresh vectors' pages (its late list) until releaseSystem stops it; unused, it ends itself when
   * idle (wasm-helper-thread.ts).
   */
  helper?: TwoThreads;
  /** The first row of the helper's block. */
  middle: number;
}

/** Byte offsets of one system in the module's memory (the same for a copied M and one built in place). */
function layoutOf(n: number, count: number) {
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
  const outboxes: [number, number] = [place(8 * n), place(8 * n)];
  // What each thread has taken from its inbox, by row (the two threads' rows do not overlap): after the outboxes.
  const taken = place(8 * n);
  return { rowStart, col, val, x, rhs, diag, copy, copyR, outboxes, taken, end };
}

/** The memories allocateSolverMatrix handed out (by their buffer), and whether a solve has used one yet. */
const ownedMemories = new WeakMap<SharedArrayBuffer, { memory: WebAssembly.Memory; used: boolean }>();
/** The same memories, for releaseSystem (which must not keep one for another solve). */
const ownedMemoryObjects = new WeakSet<WebAssembly.Memory>();

/** CSR arrays laid out in a shared WebAssembly memory where the sweeps read M, for the caller to fill. */
export interface SolverMatrixArrays {
  /** n + 1 entries, all 0 until filled. */
  rowStart: Int32Array;
  /** `nonZeros` entries. */
  colIndex: Int32Array;
  /** `nonZeros` entries. */
  values: Float64Array;
}

/**
 * CSR arrays for an n × n matrix with `nonZeros` entries, placed in a fresh shared WebAssembly memory exactly
 * where loadSystem would copy M: a matrix the caller builds in them (rowStart[n] = nonZeros, as for any CSR
 * matrix) is then swept where it lies, and the first solve skips the copy of M into fresh pages, which at 10⁶
 * products was most of its cost (≈ 17 µs a 4 KiB page mapped in this VM). The pages are mapped by whoever
 * writes the matrix first (the caller's build), not here. Undefined where shared WebAssembly memory cannot be
 * had or the system would not fit in wasm32's 4 GiB; the caller then uses ordinary arrays (and the solve
 * copies them). The arrays are ordinary typed arrays for every other use; the solvers never write them.
 */
export function allocateSolverMatrix(n: number, nonZeros: number): SolverMatrixArrays | undefined {
  if (typeof WebAssembly === 'undefined' || typeof SharedArrayBuffer === 'undefined') return undefined;
  const { rowStart, col, val, end } = layoutOf(n, nonZeros);
  if (end > MAX_BYTES) return undefined;
  let memory: WebAssembly.Memory;
  try {
    const pages = Math.ceil(end / 65_536);
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return undefined;
    throw error;
  }
  const buffer = memory.buffer as unknown as SharedArrayBuffer;
  ownedMemories.set(buffer, { memory, used: false });
  ownedMemoryObjects.add(memory);
  return {
    rowStart: new Int32Array(buffer, rowStart, n + 1),
    colIndex: new Int32Array(buffer, col, nonZeros),
    values: new Float64Array(buffer, val, nonZeros),
  };
}

/** The memory m lies in when it was built in allocateSolverMatrix's arrays at exactly these offsets. */
function ownedMemoryOf(
  m: CsrMatrix,
  rowStart: number,
  col: number,
  val: number,
  end: number,
): { memory: WebAssembly.Memory; used: boolean } | undefined {
  const buffer = m.rowStart.buffer;
  if (!(buffer instanceof SharedArrayBuffer)) return undefined;
  const owned = ownedMemories.get(buffer);
  if (
    owned === undefined ||
    m.colIndex.buffer !== buffer ||
    m.values.buffer !== buffer ||
    m.rowStart.byteOffset !== rowStart ||
    m.colIndex.byteOffset !== col ||
    m.values.byteOffset !== val ||
    buffer.byteLength < end
  )
    return undefined;
  return owned;
}

/**
 * Copies M and b into a WebAssembly memory (for a shared one, the one the last solve gave back with
 * releaseSystem when there is one, else a fresh one) and makes the one pass over M that checks its entries and
 * finds its diagonal; undefined when WebAssembly or that much memory is not available (the caller then checks
 * and sweeps in JavaScript). With `helper` (shared memory, from HELPER_FROM_NONZEROS on) the second thread
 * starts first and takes half of the page mapping and of the checking pass (wasm-helper-thread.ts). M's shape
 * (rowStart non-decreasing, within the arrays) must have been checked.
 */
export function loadSystem(
  m: CsrMatrix,
  b: Float64Array,
  options: {
    shared?: boolean;
    /** Start the second thread now, to help load (from HELPER_FROM_NONZEROS on); shared memory only. */
    helper?: boolean;
    /**
     * For push sweeps (labour values): the helper also maps the pages of the copy of r that their extrapolation
     * writes (copyRView), which the balance never touches.
     */
    transposed?: boolean;
  } = {},
): LoadedSystem | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  const started = performance.now();
  const n = m.rows;
  const count = nnz(m);
  const layout = layoutOf(n, count);
  const { rowStart, col, val, x, rhs, diag, copy, copyR } = layout;
  // M built by the caller in memory from allocateSolverMatrix, at this layout's offsets: swept where it lies.
  const owned = ownedMemoryOf(m, rowStart, col, val, layout.end);
  // Untouched, the outboxes (last in the layout) cost address space only, no pages.
  const outboxes: [number, number] = options.shared || owned ? layout.outboxes : [0, 0];
  const taken = options.shared || owned ? layout.taken : 0;
  const end = options.shared || owned ? layout.end : layout.outboxes[0];
  if (end > MAX_BYTES) return undefined;
  const firstUse = owned !== undefined && !owned.used;
  let memory: WebAssembly.Memory;
  let kernels: SweepExports;
  let module: WebAssembly.Module;
  // A shared memory given back by an earlier solve (releaseSystem): its pages are mapped already.
  const reused = options.shared && !owned ? takeSpareMemory() : undefined;
  try {
    const initial = Math.ceil(end / 65_536);
    if (owned) {
      memory = owned.memory;
      module = warmSweepModule(true);
    } else if (reused) {
      const pages = reused.buffer.byteLength / 65_536;
      if (pages < initial) reused.grow(initial - pages);
      memory = reused;
      module = warmSweepModule(true);
    } else if (options.shared) {
      memory = new WebAssembly.Memory({ initial, maximum: 65_536, shared: true });
      module = warmSweepModule(true);
    } else {
      memory = new WebAssembly.Memory({ initial });
      module = warmSweepModule(false);
    }
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SweepExports;
  } catch (error) {
    if (error instanceof RangeError || error instanceof WebAssembly.CompileError) return undefined;
    throw error;
  }
  const buffer = memory.buffer;
  if (reused || (owned && !firstUse)) {
    // What the kernels expect to start at 0: x, the diagonal (prepare writes only the stored M_ii) and the
    // outboxes. The rest is written before it is read.
    new Float64Array(buffer, x, n).fill(0);
    new Float64Array(buffer, diag, n).fill(0);
    // The outboxes and `taken`: in a memory given back by another solve always (its last system may have had
    // another layout, with M or other vectors where these outboxes are now); in A's own memory, whose layout never
    // changes, only where a push sweep on two threads may have left something (outboxesInUse). Zeroing them where
    // nothing ever wrote (the balance, one-thread labour values) mapped ≈ 5,860 fresh pages at 10⁶ products on
    // the calling thread, in every solve after the memory's first.
    if (outboxes[0] !== 0 && (reused || outboxesInUse.has(memory)))
      new Float64Array(buffer, outboxes[0], 3 * n).fill(0);
    outboxesInUse.delete(memory);
  }
  if (owned) owned.used = true;
  const middle = middleRow(m);
  const w: LoadedSystem = {
    setupSeconds: 0,
    badEntry: -1,
    largestSelfUse: 0,
    kernels,
    n,
    rowStart,
    col,
    val,
    x,
    b: rhs,
    diag,
    xView: new Float64Array(buffer, x, n),
    bView: new Float64Array(buffer, rhs, n),
    copy,
    copyView: new Float64Array(buffer, copy, n),
    originalB: b,
    copyRView: new Float64Array(buffer, copyR, n),
    outboxes,
    taken,
    memory,
    module,
    middle,
  };
  // The helper maps the pages of the vectors, then of the second block's values and columns, from the far end
  // back, while this thread copies the first block's columns and values, then the second block's: they meet
  // about halfway whatever their speeds. M built in place (allocateSolverMatrix) is not copied: its pages were
  // mapped by the caller's build, and only the vectors' are fresh, on the first solve on that memory. With no
  // copy to overlap, the helper maps them whenever it has no command (its late list): x, then the diagonal (and
  // for push sweeps the copies of x and r), while this thread checks M, and between sweeps. b's place
  // comes first in that list and is copied into after the check (which does not read it), so that a helper
  // alive by then has mapped its pages.
  const split = m.rowStart[middle]!;
  const touch = owned || reused ? [] : [val + 8 * split, copy + 8 * n, col + 4 * split, col + 4 * count];
  const late =
    owned && firstUse
      ? [
          rhs,
          rhs + 8 * n,
          x,
          x + 8 * n,
          diag,
          // Both keep their snapshots of x in the answer array (balanceAnswer, pushSweepsOnM): only push sweeps
          // write the copy of r (also their closing residual's output), after the copy of x.
          diag + 8 * n,
          ...(options.transposed ? [copyR, copyR + 8 * n] : []),
        ]
      : [];
  const helper =
    (options.shared ?? false) && options.helper && count >= HELPER_FROM_NONZEROS
      ? startTwoThreads(hostOf(w), middle, touch, undefined, late)
      : undefined;
  if (helper) w.helper = helper;
  if (!owned) {
    new Int32Array(buffer, rowStart, n + 1).set(m.rowStart.subarray(0, n + 1));
    const cols = new Int32Array(buffer, col, count);
    const vals = new Float64Array(buffer, val, count);
    cols.set(m.colIndex.subarray(0, split));
    vals.set(m.values.subarray(0, split));
    cols.set(m.colIndex.subarray(split, count), split);
    vals.set(m.values.subarray(split, count), split);
  }
  helper?.copied();
  if (!owned) w.bView.set(b);
  const checked = helper ? helper.prepare() : kernels.prepare(n, rowStart, col, val, diag, 0, 0);
  if (owned) w.bView.set(b);
  w.badEntry = checked < 0 ? -checked - 1 : -1;
  w.largestSelfUse = checked < 0 ? 0 : checked;
  w.setupSeconds = (performance.now() - started) / 1000;
  return w;
}

/**
 * One shared memory kept from the last solve that gave its system back (releaseSystem), so that the next
 * solve's copy of M lands on pages already mapped: at 10⁶ products, copying M into fresh pages cost 0.3–0.5 s
 * quiet and into mapped ones ≈ 10 ms (docs/architecture.md). Dropped after SPARE_SECONDS without a solve, so
 * an idle server does not hold it (≈ 200 MB at 10⁶ products).
 */
let spareMemory: WebAssembly.Memory | undefined;
let spareTimer: ReturnType<typeof setTimeout> | undefined;
const SPARE_SECONDS = 30;

function takeSpareMemory(): WebAssembly.Memory | undefined {
  const spare = spareMemory;
  spareMemory = undefined;
  return spare;
}

/**
 * Gives a loaded system's memory back for the next solve to reuse (shared memories only) and stops its helper
 * thread if no solve took it. Nothing may read or write the system afterwards: its views become another
 * solve's memory.
 */
export function releaseSystem(w: LoadedSystem): void {
  w.helper?.stop();
  delete w.helper;
  const bytes = w.memory.buffer.byteLength;
  // A caller's matrix built in place stays the caller's: no other solve may copy its M over it.
  if (!(w.memory.buffer instanceof SharedArrayBuffer) || ownedMemoryObjects.has(w.memory)) return;
  if (spareMemory === undefined || spareMemory.buffer.byteLength < bytes) spareMemory = w.memory;
  if (spareTimer !== undefined) clearTimeout(spareTimer);
  spareTimer = setTimeout(() => {
    spareMemory = undefined;
    spareTimer = undefined;
  }, 1000 * SPARE_SECONDS);
  spareTimer.unref();
}

/** What the helper thread needs of a loaded system. */
export function hostOf(w: LoadedSystem): HelperHost {
  return {
    n: w.n,
    rowStart: w.rowStart,
    col: w.col,
    val: w.val,
    x: w.x,
    b: w.b,
    diag: w.diag,
    outbox: w.outboxes[1],
    ownOutbox: w.outboxes[0],
    taken: w.taken,
    kernels: w.kernels,
    memory: w.memory,
    module: w.module,
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
  const { kernels, n } = w;
  const { extrapolation, answer } = balanceAnswer(w.xView, options.extrapolate ?? false);
  const end = iterateSweeps(
    () => kernels.sweep(n, w.rowStart, w.col, w.val, w.x, w.b, w.diag),
    () => kernels.residual(n, w.rowStart, w.col, w.val, w.x, w.b, 0),
    target,
    maxIterations,
    extrapolation,
  );
  return { x: answer(), ...end, setupSeconds: w.setupSeconds };
}

/**
 * The balance's answer array, allocated at the start, which also holds x before each armed sweep (the
 * extrapolation's snapshot: JavaScript writes and reads it, no kernel does); answer() copies the final x in.
 *
 * Why: the answer is a fresh 8 MB array (its own buffer: the module's memory is the next solve's), and at 10⁶
 * products its first touches cost ≈ 1,955 page faults (15–25 µs each in this VM), every solve; the snapshot
 * vector in the module's memory cost another ≈ 1,950 on the first solve on a memory. Keeping the snapshot in
 * the answer array pays one set of faults, in the first snapshot, and the final copy lands on mapped pages.
 */
export function balanceAnswer(
  xView: Float64Array,
  extrapolate: boolean,
): {
  extrapolation: { snapshot: () => void; extrapolate: (factor: number) => void } | undefined;
  answer: () => Float64Array;
} {
  const kept = new Float64Array(xView.length);
  return {
    extrapolation: extrapolate
      ? {
          snapshot: () => kept.set(xView),
          extrapolate: (factor: number) => extrapolateFrom(xView, kept, factor),
        }
      : undefined,
    answer: () => {
      kept.set(xView);
      return kept;
    },
  };
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
    kernels.pushOne(n, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
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
  // x before each armed sweep is kept in the answer array, as the balance's (balanceAnswer): one fresh vector
  // fewer in a memory's first solve. Iterate first: the answer is read from the module's memory after the sweeps.
  const kept = new Float64Array(w.n);
  const end = extrapolate
    ? iterateSweeps(
        push,
        () => squaredNorm(r),
        target,
        maxIterations,
        pushExtrapolation(w.xView, r, kept, w.copyRView),
      )
    : iteratePushSweeps(push, target, maxIterations);
  // The closing residual's output: the copy of r, free now.
  const out = w.copyRView;
  const x = w.xView;
  for (let j = 0; j < w.n; j++) out[j] = w.originalB[j]! - x[j]!;
  w.kernels.scatter(w.n, w.rowStart, w.col, w.val, w.x, w.copyRView.byteOffset, 0);
  const residual = Math.sqrt(squaredNorm(out));
  kept.set(x);
  return { x: kept, ...end, residual, residualOnM: true };
}
