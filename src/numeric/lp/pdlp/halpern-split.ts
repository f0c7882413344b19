// Halpern PDHG's iterations split between two threads that share their arrays (SharedArrayBuffer): each thread
// owns a block of columns and a block of rows, and runs the fused step of halpern.ts (stepAndMix) on its blocks.
// One iteration is three phases, with a barrier after the first two:
//   columns: t.x = proj(z.x − τ(c − z.aty)), z.x mixed        (reads only its own columns of z.aty)
//   rows:    t.ax = A' t.x, t.y = prox(...), z.y and z.ax mixed (reads every column of t.x: barrier before)
//   columns: t.aty = A'ᵀ t.y, z.aty mixed                     (reads every row of t.y: barrier before)
// The next iteration's first phase reads only the columns the same thread has just written, so it follows the third
// with no barrier. Each entry is computed by one thread in the same order as on one thread, so every array is bit
// for bit the one-thread one; only the three sums of the step (‖Δx‖², ‖Δy‖², ΔyᵀA'Δx) are added as two partial
// sums, which may move their last digits.
//
// Both threads run the same function (runSplitIterations) on their own blocks: the calling thread for block 0 and
// a worker (halpern-worker.ts) for block 1, a batch of iterations per command.
import type { Iterate } from './pdhg';

/** The shared arrays, by name: the scaled problem's and the three iterates'. */
export interface SplitBuffers {
  int: Record<'rowStart' | 'colIndex' | 'colStart' | 'rowIndex' | 'control', SharedArrayBuffer>;
  float: Record<
    | 'rowValues'
    | 'colValues'
    | 'cost'
    | 'colLower'
    | 'colUpper'
    | 'rowLower'
    | 'rowUpper'
    | 'params'
    | 'partials',
    SharedArrayBuffer
  >;
  /** z, t and the anchor: x, y, ax, aty each. */
  iterates: Record<'z' | 't' | 'anchor', Record<keyof Iterate, SharedArrayBuffer>>;
  /** Block boundaries: columns [0, middleCol) and rows [0, middleRow) are thread 0's. */
  middleCol: number;
  middleRow: number;
  rows: number;
  cols: number;
}

export interface SplitViews {
  rowStart: Int32Array;
  colIndex: Int32Array;
  rowValues: Float64Array;
  colStart: Int32Array;
  rowIndex: Int32Array;
  colValues: Float64Array;
  cost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  z: Iterate;
  t: Iterate;
  anchor: Iterate;
  /** Int32 slots, see the CONTROL_* indices. */
  control: Int32Array;
  /** The batch's parameters, see the PARAM_* indices. */
  params: Float64Array;
  /** Per iteration of a batch and per thread: ‖Δx‖², ‖Δy‖², ΔyᵀA'Δx of its blocks. */
  partials: Float64Array;
  middleCol: number;
  middleRow: number;
  rows: number;
  cols: number;
}

/** Commands sent (incremented by the calling thread; the worker waits on it). */
export const CONTROL_COMMAND = 0;
/** 1 run a batch, 2 stop. */
export const CONTROL_KIND = 1;
/** The last command the worker finished. */
export const CONTROL_DONE = 2;
/** Set by the worker when it fails. */
export const CONTROL_FAILED = 3;
/** Barriers passed by thread 0 and thread 1 (slots 4 and 5). */
export const CONTROL_BARRIER = 4;
export const COMMAND_RUN = 1;
export const COMMAND_STOP = 2;

export const PARAM_ETA = 0;
export const PARAM_OMEGA = 1;
export const PARAM_COUNT = 2;
export const PARAM_SINCE_RESTART = 3;
/** 1 when the batch's last iteration is a plain step (no mix: the calling thread evaluates after it). */
export const PARAM_PLAIN_LAST = 4;
/** Barriers passed before the batch (both threads count from it). */
export const PARAM_BARRIERS = 5;

/** Most iterations in one batch (the evaluation interval is 64). */
export const MAX_BATCH = 64;

const REFLECTION = 1;
/** Loads of the other thread's counter before sleeping on it: a phase lasts about a millisecond at 10⁵ columns. */
const SPIN = 5_000;
/** Seconds a barrier waits for the other thread before the run is given up (a dead or starved worker). */
const BARRIER_TIMEOUT_SECONDS = 120;

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

function sharedCopy<T extends Int32Array | Float64Array>(a: T): SharedArrayBuffer {
  const buffer = shared(a.byteLength);
  (a instanceof Int32Array ? new Int32Array(buffer) : new Float64Array(buffer)).set(a);
  return buffer;
}

/**
 * The block boundary splitting `start`'s majors into two of about equal weight, a major weighing its entries plus
 * one: the boundary whose first block's weight is nearest half (the first such on a tie).
 */
export function middleOf(start: Int32Array): number {
  const major = start.length - 1;
  const goal = ((start[major] as number) + major) / 2;
  const before = (i: number) => (start[i] as number) + i;
  let i = 0;
  while (i < major && before(i) < goal) i++;
  return i > 0 && goal - before(i - 1) < before(i) - goal ? i - 1 : i;
}

/** Shared copies of the problem's arrays and fresh shared iterates (zero). */
export function splitBuffers(p: {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  rowValues: Float64Array;
  colStart: Int32Array;
  rowIndex: Int32Array;
  colValues: Float64Array;
  cost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
}): SplitBuffers {
  const iterate = () => ({
    x: shared(8 * p.cols),
    y: shared(8 * p.rows),
    ax: shared(8 * p.rows),
    aty: shared(8 * p.cols),
  });
  return {
    int: {
      rowStart: sharedCopy(p.rowStart),
      colIndex: sharedCopy(p.colIndex),
      colStart: sharedCopy(p.colStart),
      rowIndex: sharedCopy(p.rowIndex),
      control: shared(4 * 8),
    },
    float: {
      rowValues: sharedCopy(p.rowValues),
      colValues: sharedCopy(p.colValues),
      cost: sharedCopy(p.cost),
      colLower: sharedCopy(p.colLower),
      colUpper: sharedCopy(p.colUpper),
      rowLower: sharedCopy(p.rowLower),
      rowUpper: sharedCopy(p.rowUpper),
      params: shared(8 * 8),
      partials: shared(8 * 3 * 2 * MAX_BATCH),
    },
    iterates: { z: iterate(), t: iterate(), anchor: iterate() },
    middleCol: middleOf(p.colStart),
    middleRow: middleOf(p.rowStart),
    rows: p.rows,
    cols: p.cols,
  };
}

export function splitViews(b: SplitBuffers): SplitViews {
  const iterate = (i: Record<keyof Iterate, SharedArrayBuffer>): Iterate => ({
    x: new Float64Array(i.x, 0, b.cols),
    y: new Float64Array(i.y, 0, b.rows),
    ax: new Float64Array(i.ax, 0, b.rows),
    aty: new Float64Array(i.aty, 0, b.cols),
  });
  const f = (s: SharedArrayBuffer, length: number) => new Float64Array(s, 0, length);
  const nnz = new Int32Array(b.int.colStart)[b.cols] as number;
  return {
    rowStart: new Int32Array(b.int.rowStart, 0, b.rows + 1),
    colIndex: new Int32Array(b.int.colIndex, 0, nnz),
    rowValues: f(b.float.rowValues, nnz),
    colStart: new Int32Array(b.int.colStart, 0, b.cols + 1),
    rowIndex: new Int32Array(b.int.rowIndex, 0, nnz),
    colValues: f(b.float.colValues, nnz),
    cost: f(b.float.cost, b.cols),
    colLower: f(b.float.colLower, b.cols),
    colUpper: f(b.float.colUpper, b.cols),
    rowLower: f(b.float.rowLower, b.rows),
    rowUpper: f(b.float.rowUpper, b.rows),
    z: iterate(b.iterates.z),
    t: iterate(b.iterates.t),
    anchor: iterate(b.iterates.anchor),
    control: new Int32Array(b.int.control),
    params: new Float64Array(b.float.params),
    partials: new Float64Array(b.float.partials),
    middleCol: b.middleCol,
    middleRow: b.middleRow,
    rows: b.rows,
    cols: b.cols,
  };
}

/**
 * Marks barrier `n` passed by thread `me` and waits until the other thread has passed it too. Spins first (a phase
 * is short), then sleeps on the other's counter; throws if the other thread failed or kept it waiting
 * BARRIER_TIMEOUT_SECONDS.
 */
export function barrier(c: Int32Array, me: number, n: number): void {
  Atomics.store(c, CONTROL_BARRIER + me, n);
  Atomics.notify(c, CONTROL_BARRIER + me);
  const other = CONTROL_BARRIER + 1 - me;
  for (let s = 0; s < SPIN; s++) if (Atomics.load(c, other) >= n) return;
  const deadline = performance.now() + BARRIER_TIMEOUT_SECONDS * 1000;
  for (;;) {
    const seen = Atomics.load(c, other);
    if (seen >= n) return;
    if (Atomics.load(c, CONTROL_FAILED) !== 0) throw new Error('the other PDHG thread failed');
    if (performance.now() > deadline)
      throw new Error(`the other PDHG thread kept a barrier waiting ${BARRIER_TIMEOUT_SECONDS} s`);
    Atomics.wait(c, other, seen, 100);
  }
}

/**
 * Thread `me`'s share of the batch in `v.params`: PARAM_COUNT iterations of stepAndMix (the last one a plain step
 * when PARAM_PLAIN_LAST), on columns and rows of its block, writing its three sums per iteration into v.partials.
 * Returns the barriers passed in all.
 */
export function runSplitIterations(v: SplitViews, me: 0 | 1): number {
  const p = v.params;
  const eta = p[PARAM_ETA] as number;
  const omega = p[PARAM_OMEGA] as number;
  const count = p[PARAM_COUNT] as number;
  const since = p[PARAM_SINCE_RESTART] as number;
  const plainLast = p[PARAM_PLAIN_LAST] === 1;
  let barriers = p[PARAM_BARRIERS] as number;
  const tau = eta / omega;
  const sigma = eta * omega;
  const c0 = me === 0 ? 0 : v.middleCol;
  const c1 = me === 0 ? v.middleCol : v.cols;
  const r0 = me === 0 ? 0 : v.middleRow;
  const r1 = me === 0 ? v.middleRow : v.rows;
  const { cost, colLower, colUpper, rowLower, rowUpper, rowStart, colIndex, rowValues } = v;
  const { colStart, rowIndex, colValues, z, t, anchor, partials, control } = v;
  const zx = z.x;
  const zy = z.y;
  const zax = z.ax;
  const zaty = z.aty;
  const tx = t.x;
  const ty = t.y;
  const tax = t.ax;
  const taty = t.aty;
  const ax0 = anchor.x;
  const ay0 = anchor.y;
  const aax0 = anchor.ax;
  const aaty0 = anchor.aty;
  for (let k = 0; k < count; k++) {
    const mix = !(plainLast && k === count - 1);
    const lambda = (since + k + 1) / (since + k + 2);
    // A plain step leaves z as it is: the mix with weights (0, 1, 0).
    const m1 = mix ? lambda * (1 + REFLECTION) : 0;
    const m0 = mix ? -lambda * REFLECTION : 1;
    const ma = mix ? 1 - lambda : 0;
    let dx2 = 0;
    for (let j = c0; j < c1; j++) {
      const xj = zx[j] as number;
      let u = xj - tau * ((cost[j] as number) - (zaty[j] as number));
      const lo = colLower[j] as number;
      const hi = colUpper[j] as number;
      if (u < lo) u = lo;
      else if (u > hi) u = hi;
      tx[j] = u;
      dx2 += (u - xj) * (u - xj);
      if (mix) zx[j] = m1 * u + m0 * xj + ma * (ax0[j] as number);
    }
    barrier(control, me, ++barriers);
    let dy2 = 0;
    let interaction = 0;
    let e = rowStart[r0] as number;
    for (let i = r0; i < r1; i++) {
      // Row i of A' t.x, in multiplyCompressed's two chains (the same sum, bit for bit).
      let s0 = 0;
      let s1 = 0;
      const end = rowStart[i + 1] as number;
      for (; e + 1 < end; e += 2) {
        s0 += (rowValues[e] as number) * (tx[colIndex[e] as number] as number);
        s1 += (rowValues[e + 1] as number) * (tx[colIndex[e + 1] as number] as number);
      }
      if (e < end) {
        s0 += (rowValues[e] as number) * (tx[colIndex[e] as number] as number);
        e++;
      }
      const axNew = s0 + s1;
      tax[i] = axNew;
      const axOld = zax[i] as number;
      const yi = zy[i] as number;
      const w = yi - sigma * (2 * axNew - axOld);
      const lo = rowLower[i] as number;
      const hi = rowUpper[i] as number;
      let u = 0;
      if (lo > Number.NEGATIVE_INFINITY && w + sigma * lo > 0) u = w + sigma * lo;
      else if (hi < Number.POSITIVE_INFINITY && w + sigma * hi < 0) u = w + sigma * hi;
      ty[i] = u;
      const dy = u - yi;
      dy2 += dy * dy;
      interaction += dy * (axNew - axOld);
      if (mix) {
        zy[i] = m1 * u + m0 * yi + ma * (ay0[i] as number);
        zax[i] = m1 * axNew + m0 * axOld + ma * (aax0[i] as number);
      }
    }
    barrier(control, me, ++barriers);
    e = colStart[c0] as number;
    for (let j = c0; j < c1; j++) {
      let s0 = 0;
      let s1 = 0;
      const end = colStart[j + 1] as number;
      for (; e + 1 < end; e += 2) {
        s0 += (colValues[e] as number) * (ty[rowIndex[e] as number] as number);
        s1 += (colValues[e + 1] as number) * (ty[rowIndex[e + 1] as number] as number);
      }
      if (e < end) {
        s0 += (colValues[e] as number) * (ty[rowIndex[e] as number] as number);
        e++;
      }
      const sum = s0 + s1;
      taty[j] = sum;
      if (mix) zaty[j] = m1 * sum + m0 * (zaty[j] as number) + ma * (aaty0[j] as number);
    }
    const at = (k * 2 + me) * 3;
    partials[at] = dx2;
    partials[at + 1] = dy2;
    partials[at + 2] = interaction;
  }
  return barriers;
}
