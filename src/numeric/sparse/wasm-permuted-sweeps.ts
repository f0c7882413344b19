// The hub-mixed Gauss–Seidel of hub-gauss-seidel.ts, and its residual, on the WebAssembly kernels of
// wasm-sweep-module.ts, for a permuted system (ordering.ts) that a caller solves with again and again:
// technique choice's values and balances, one permuted copy per choice and direction.
//
// Why: technique choice swept its permuted copies in JavaScript, at 15–17 ns of CPU per non-zero at 10⁶
// products, where the WebAssembly sweep of the balance does the same arithmetic in 1.4–2.5 ns
// (docs/architecture.md, "Why technique choice grows faster than the products"). The copy into the module's
// memory (12 bytes a non-zero) costs less than one JavaScript sweep and is made once per system: a slot keeps
// the last system it loaded, and the next solve with the same system only writes b and x.
//
// The kernels take a row's stored diagonal inside the row (x_i = (b_i − M_ii x_i + Σ_k M_ik x_k) / (1 − M_ii)),
// where a permuted system holds it apart; the copy puts each non-zero M_ii back in its row, between the entries
// left and right of the diagonal (rows stay sorted by column). The sums are taken in another order (two
// chains, the diagonal added and taken out), so answers move by rounding only.
import type { PermutedSystem } from './ordering';
import type { SweepExports } from './wasm-sweep-exports';
import { warmSweepModule } from './wasm-warm-module';

/** Most bytes a wasm32 memory can address (65,536 pages of 64 KiB). */
const MAX_BYTES = 65_536 * 65_536;
const PAGE = 65_536;

/** What the slots of this process have done (read by `npm run bench -- plan`). */
export const wasmPermutedStats = {
  loads: 0,
  loadSeconds: 0,
  loadCpuSeconds: 0,
  sweeps: 0,
  residuals: 0,
  /** Systems that did not fit (the caller swept them in JavaScript). */
  refused: 0,
};

/** One WebAssembly memory holding one permuted system at a time, with the kernels bound to it. */
export interface WasmPermutedSlot {
  memory: WebAssembly.Memory;
  kernels: SweepExports;
  /** The system whose rows are in the memory now (by identity: copies are replaced, never changed in place). */
  loaded?: PermutedSystem;
  /** Byte offsets of the loaded system. */
  n: number;
  rowStart: number;
  col: number;
  val: number;
  x: number;
  b: number;
  diag: number;
  out: number;
  /** Most bytes this slot may take (MAX_BYTES unless a test asks for less). */
  mostBytes: number;
}

/**
 * A slot with no system yet; undefined where WebAssembly is missing. `mostBytes` caps its memory (tests use it
 * to see the JavaScript fallback).
 */
export function wasmPermutedSlot(mostBytes = MAX_BYTES): WasmPermutedSlot | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65_536 });
    const kernels = new WebAssembly.Instance(warmSweepModule(false), { env: { memory } })
      .exports as unknown as SweepExports;
    return { memory, kernels, n: 0, rowStart: 0, col: 0, val: 0, x: 0, b: 0, diag: 0, out: 0, mostBytes };
  } catch (error) {
    if (error instanceof RangeError || error instanceof WebAssembly.CompileError) return undefined;
    throw error;
  }
}

/**
 * Puts `system` in the slot's memory (unless it is there already), growing the memory as needed; false when it
 * would not fit (wasm32's 4 GiB, or the slot's cap), and the caller then sweeps in JavaScript.
 */
export function loadPermuted(slot: WasmPermutedSlot, system: PermutedSystem): boolean {
  if (slot.loaded === system) return true;
  const started = performance.now();
  const cpu = process.cpuUsage();
  slot.loaded = undefined;
  const { rowStart: oldStart, colIndex: oldCol, values: oldValues } = system.offDiagonal;
  const { diagonal, lowerEnd } = system;
  const n = diagonal.length;
  let selfUse = 0;
  for (let i = 0; i < n; i++) if (diagonal[i] !== 0) selfUse++;
  const count = oldStart[n]! - oldStart[0]! + selfUse;
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
  const b = place(8 * n);
  const diag = place(8 * n);
  const out = place(8 * n);
  if (end > Math.min(MAX_BYTES, slot.mostBytes)) {
    wasmPermutedStats.refused++;
    return false;
  }
  const pages = Math.ceil(end / PAGE);
  const have = slot.memory.buffer.byteLength / PAGE;
  if (pages > have) {
    try {
      slot.memory.grow(pages - have);
    } catch (error) {
      if (error instanceof RangeError) {
        wasmPermutedStats.refused++;
        return false;
      }
      throw error;
    }
  }
  const buffer = slot.memory.buffer;
  const starts = new Int32Array(buffer, rowStart, n + 1);
  const cols = new Int32Array(buffer, col, count);
  const vals = new Float64Array(buffer, val, count);
  // Rows without self-use (all of them in the generated economies) are copied in blocks between the rows with
  // one, shifted by the diagonals put back before them: a plain copy, no loop over the entries.
  const base = oldStart[0]!;
  let shift = -base;
  let from = 0;
  const copyBlock = (to: number) => {
    if (to <= from) return;
    const lo = oldStart[from]!;
    const hi = oldStart[to]!;
    cols.set(oldCol.subarray(lo, hi), lo + shift);
    vals.set(oldValues.subarray(lo, hi), lo + shift);
    for (let i = from + 1; i <= to; i++) starts[i] = oldStart[i]! + shift;
  };
  starts[0] = 0;
  for (let i = 0; i < n; i++) {
    const selfUse = diagonal[i]!;
    if (selfUse === 0) continue;
    copyBlock(i);
    // Row i: the entries left of the diagonal, M_ii, then those right of it.
    let d = oldStart[i]! + shift;
    for (let k = oldStart[i]!; k < lowerEnd[i]!; k++, d++) {
      cols[d] = oldCol[k]!;
      vals[d] = oldValues[k]!;
    }
    cols[d] = i;
    vals[d++] = selfUse;
    shift++;
    for (let k = lowerEnd[i]!; k < oldStart[i + 1]!; k++, d++) {
      cols[d] = oldCol[k]!;
      vals[d] = oldValues[k]!;
    }
    starts[i + 1] = d;
    from = i + 1;
  }
  copyBlock(n);
  new Float64Array(buffer, diag, n).set(diagonal);
  Object.assign(slot, { loaded: system, n, rowStart, col, val, x, b, diag, out });
  const used = process.cpuUsage(cpu);
  wasmPermutedStats.loads++;
  wasmPermutedStats.loadSeconds += (performance.now() - started) / 1000;
  wasmPermutedStats.loadCpuSeconds += (used.user + used.system) / 1e6;
  return true;
}

/** The loaded system's x and b in the module's memory (views made afresh: a grown memory detaches old ones). */
export function slotVectors(slot: WasmPermutedSlot): { x: Float64Array; b: Float64Array; out: Float64Array } {
  const buffer = slot.memory.buffer;
  return {
    x: new Float64Array(buffer, slot.x, slot.n),
    b: new Float64Array(buffer, slot.b, slot.n),
    out: new Float64Array(buffer, slot.out, slot.n),
  };
}

/** One Gauss–Seidel sweep of the loaded system in place on the slot's x and b: Σ (Δx_i)², as gaussSeidelSweep. */
export function slotSweep(slot: WasmPermutedSlot): number {
  wasmPermutedStats.sweeps++;
  return slot.kernels.sweep(slot.n, slot.rowStart, slot.col, slot.val, slot.x, slot.b, slot.diag);
}

/** ‖b + M x − x‖₂ of the loaded system on the slot's x and b, the residual written to its `out` when asked. */
export function slotResidual(slot: WasmPermutedSlot, write = false): number {
  wasmPermutedStats.residuals++;
  const squared = slot.kernels.residual(
    slot.n,
    slot.rowStart,
    slot.col,
    slot.val,
    slot.x,
    slot.b,
    write ? slot.out : 0,
  );
  return Math.sqrt(squared);
}

/**
 * Slots a finished solve gave back (at most two, one per direction), for the next solve: a replan after a
 * small change sweeps a few times only, and mapping a fresh slot's pages cost more than those sweeps saved
 * (0.1 s of CPU more than the JavaScript sweeps at 10⁵ products, `npm run bench -- replan`). Dropped after
 * SPARE_SECONDS without a solve, so an idle server does not hold them (about 0.3 GB at 10⁶ products).
 */
const spareSlots: WasmPermutedSlot[] = [];
let spareTimer: ReturnType<typeof setTimeout> | undefined;
const SPARE_SECONDS = 30;

/** A slot given back by an earlier solve (its pages mapped, maybe its system still loaded), or a new one. */
export function takeSlot(mostBytes = MAX_BYTES): WasmPermutedSlot | undefined {
  const spare = spareSlots.pop();
  if (spare === undefined) return wasmPermutedSlot(mostBytes);
  spare.mostBytes = mostBytes;
  return spare;
}

/** Lets every spare slot go now (as the idle timer does): tests start from none, whatever ran before them. */
export function dropSpareSlots(): void {
  spareSlots.length = 0;
  if (spareTimer !== undefined) clearTimeout(spareTimer);
  spareTimer = undefined;
}

/** Gives a slot back for the next solve; nothing may use it afterwards. */
export function giveBackSlot(slot: WasmPermutedSlot): void {
  if (spareSlots.length >= 2) return;
  spareSlots.push(slot);
  if (spareTimer !== undefined) clearTimeout(spareTimer);
  spareTimer = setTimeout(() => {
    spareSlots.length = 0;
    spareTimer = undefined;
  }, 1000 * SPARE_SECONDS);
  spareTimer.unref();
}
