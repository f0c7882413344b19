// x = M x + b (or Mᵀ x + b) solved from a starting guess: only the correction to the guess is solved for.
import type { CsrMatrix } from '../sparse/csr';
import { permutedFor, prepareOrder, solveFixedPoint } from '../sparse/fixed-point-solve';
import type { PreparedOrder } from '../sparse/fixed-point-solve';
import type { PermutedSystem } from '../sparse/ordering';
import { updatePermuted } from '../sparse/permuted-update';
import { SpareArrays } from '../sparse/spare-arrays';
import {
  giveBackSlot,
  loadPermuted,
  slotResidual,
  slotVectors,
  takeSlot,
} from '../sparse/wasm-permuted-sweeps';
import type { WasmPermutedSlot } from '../sparse/wasm-permuted-sweeps';
import { chosenInputMatrix } from './technique-set';
import type { TechniqueSet } from './technique-set';

/**
 * Orders kept across the solves of one technique-choice problem: computed on the first choice's matrix, for
 * values (x = B x + c) and balances (x = Bᵀ x + d). A switch of technique changes a few rows of B, so the
 * order stays good, and finding hubs and the dependency order again every solve cost seconds at 10⁶ products.
 */
export interface OrderCache {
  values?: PreparedOrder;
  balance?: PreparedOrder;
  /** The last few choices' matrices with their permuted copies, newest last (see choiceMatrix). */
  choices?: CachedChoice[];
  /** Most bytes the cached choices may take (default KEPT_BYTES; tests set a small one). */
  keptBytes?: number;
  /**
   * Past the byte cap: the newest permuted copy in each direction of a choice the cap pushed out, kept
   * without that choice's matrix until a newer copy in its direction is made. Above about 2·10⁶ products the
   * cap keeps one choice, so a new choice evicts the only neighbour before its own copy is made; the copy is
   * then updated from this one (only the switched products' rows change) instead of permuted afresh, which
   * cost 5–8 sweeps at 2·10⁶. Replaced, never changed in place: a replan's cache shares it with its base's.
   * Once superseded its arrays are lent to the next update (giveBackDetached), which otherwise wrote into
   * fresh memory.
   */
  detached?: Partial<Record<Direction, DetachedCopy>>;
  /** Solved differences of two choices' balances (kink-price.ts), newest last. */
  differences?: KeptDifference[];
  /**
   * Where the permuted copies are swept: 'wasm' (default) on the WebAssembly kernels, each direction's copy
   * loaded into a memory of its own and kept there while the solve holds the cache (wasm-permuted-sweeps.ts),
   * or 'javascript'. A copy the memory cannot hold (wasm32's 4 GiB, or `wasmBytes`) is swept in JavaScript.
   */
  sweeps?: 'wasm' | 'javascript';
  /** Most bytes each direction's WebAssembly memory may take (default wasm32's 4 GiB; tests set a small one). */
  wasmBytes?: number;
  /** From this many bytes of a permuted copy on, both directions share one memory (default ONE_SLOT_FROM). */
  oneSlotFrom?: number;
}

type Direction = 'values' | 'balance';

/** A permuted copy whose matrix is gone: the choice's rows it needs are rebuilt from the technique set. */
interface DetachedCopy {
  inputs: TechniqueSet['inputs'];
  policy: Int32Array;
  system: PermutedSystem;
}

/**
 * δ = x_a − x_b of two choices' balances, solved for itself (kink-price.ts). It depends only on the two choices,
 * the input coefficients and the demand, not on costs or the limited input's use: a replan after a labour
 * change that ends on the same pair prices it from δ without a solve.
 */
export interface KeptDifference {
  inputs: TechniqueSet['inputs'];
  /** A copy of the demand it was solved for. */
  demand: Float64Array;
  more: Int32Array;
  less: Int32Array;
  difference: Float64Array;
  /** The relative residual it was solved to, and asked for. */
  residual: number;
  tolerance: number;
}

interface CachedChoice {
  inputs: TechniqueSet['inputs'];
  policy: Int32Array;
  matrix: CsrMatrix;
}

/**
 * How many choices a cache keeps: the two a plan mixes at the skill's price (touched last, see
 * technique-choice.ts) and the rounds of the one being evaluated. A
 * replan starts from the previous pair and often ends on it; building and permuting their matrices again was
 * the largest cost of a replan at 10⁵ products (each permuted copy costs about a dozen sweeps).
 */
const KEPT_CHOICES = 4;

/**
 * And at most this many bytes of them, counting each choice as its matrix and two permuted copies (values and
 * balances): four fit at 10⁶ products (about 0.4 GB each), one at 10⁷, where four would take 15 GB and the
 * plan would not fit in this machine's memory at all.
 */
export const KEPT_BYTES = 1.5 * 2 ** 30;

/** The bytes a cached choice is counted as: its matrix and two permuted copies of it. */
export function choiceFootprint(m: CsrMatrix): number {
  return 3 * (m.rowStart.byteLength + m.colIndex.byteLength + m.values.byteLength);
}

/**
 * What the permuted copies cost in this process (read by `npm run bench -- plan`): how many were permuted
 * afresh and how many updated from a neighbour, with their wall and CPU seconds (the machine is shared).
 */
export const permutedCopyStats = {
  afresh: 0,
  afreshSeconds: 0,
  afreshCpuSeconds: 0,
  updated: 0,
  updatedSeconds: 0,
  updatedCpuSeconds: 0,
};

/** Permuted copies of a cached matrix, per direction, with the order they were permuted by. */
const permuted = new WeakMap<CsrMatrix, Partial<Record<Direction, PermutedSystem>>>();

/**
 * The arrays a cache's pushed-out permuted copies leave, lent to its next updated copies, while a solve holds
 * the cache (lendSpareArrays … releaseCache). Kept beside the cache, not in it, so that a replan's copy of
 * a cache (a spread) neither shares nor keeps them.
 */
const spares = new WeakMap<OrderCache, SpareArrays>();
/**
 * Each direction's WebAssembly memory (null where WebAssembly is missing), kept beside the cache like the spare
 * arrays: a finished plan keeps its cache, not these (about 0.14 GB each at 10⁶ products, 1.6 GB at 10⁷).
 */
const slots = new WeakMap<OrderCache, Partial<Record<Direction, WasmPermutedSlot | null>>>();

/**
 * From this size of a permuted copy on (about 8·10⁶ products), values and balances share one memory: each
 * takes 12 bytes a non-zero and 32 a product (1.7 GB at 10⁷), and two would add 3.5 GB to the 10⁷ plan's
 * 13.5 GB peak. A switch of direction then copies the other copy in again (a memcpy, well under a sweep).
 */
const ONE_SLOT_FROM = 2 ** 30;

function copyBytes(system: PermutedSystem): number {
  return 12 * system.offDiagonal.rowStart[system.offDiagonal.rows]! + 36 * system.offDiagonal.rows;
}

function slotFor(orders: OrderCache | undefined, key: Direction): WasmPermutedSlot | undefined {
  if (orders === undefined || orders.sweeps === 'javascript') return undefined;
  let kept = slots.get(orders);
  if (kept === undefined) slots.set(orders, (kept = {}));
  if (kept[key] === undefined) kept[key] = takeSlot(orders.wasmBytes) ?? null;
  return kept[key] ?? undefined;
}

/** While a solve holds a cache: asked after each sweep of its fixed-point solves (stopWhen). */
const stops = new WeakMap<OrderCache, () => boolean>();

/**
 * Until releaseCache, every fixed-point solve with this cache asks `stop` after each sweep and ends
 * unconverged (status 'stopped') once it says true: a time limit or an abort then holds within one solve,
 * which took up to several seconds at 10⁶ products.
 */
export function stopWhen(orders: OrderCache, stop: () => boolean): void {
  stops.set(orders, stop);
}

/**
 * Whether the solve holding `orders` is to stop now (stopWhen). Asked also before the steps no sweep interrupts
 * (a choice's matrix, its order, its permuted copy: several seconds each at 10⁷ products), so that none of them
 * starts once the time is up.
 */
export function stopRequested(orders: OrderCache | undefined): boolean {
  return orders !== undefined && stops.get(orders)?.() === true;
}
/** The cache that made each cached choice: only it may give the choice's copies' arrays back. */
const madeBy = new WeakMap<CachedChoice, OrderCache>();

/**
 * From now until releaseCache, the permuted copies of choices this cache made and then pushes out are
 * lent again to its updated copies instead of new memory (fresh pages cost more than the update itself).
 */
export function lendSpareArrays(orders: OrderCache): SpareArrays {
  let spare = spares.get(orders);
  if (spare === undefined) spares.set(orders, (spare = new SpareArrays()));
  return spare;
}

/**
 * Ends what lendSpareArrays and stopWhen began for a solve: the spare arrays are left to the collector (a
 * finished plan keeps its cache) and the cache's later solves are not stopped.
 */
export function releaseCache(orders: OrderCache): void {
  spares.delete(orders);
  const kept = slots.get(orders);
  slots.delete(orders);
  // Given back for the next solve (a replan's), whose first loads then land on mapped pages.
  if (kept?.values) giveBackSlot(kept.values);
  if (kept?.balance) giveBackSlot(kept.balance);
  stops.delete(orders);
}

/** The permuted copy in `direction` kept with a matrix from choiceMatrix, if one was made. */
export function keptPermuted(m: CsrMatrix, direction: Direction): PermutedSystem | undefined {
  return permuted.get(m)?.[direction];
}

/** B of `policy` (chosenInputMatrix), from the cache when the same choice of the same inputs is in it. */
export function choiceMatrix(set: TechniqueSet, policy: Int32Array, orders?: OrderCache): CsrMatrix {
  if (orders === undefined) return chosenInputMatrix(set, policy);
  const kept = (orders.choices ??= []);
  const at = kept.findIndex((c) => c.inputs === set.inputs && samePolicy(c.policy, policy));
  if (at >= 0) {
    const [hit] = kept.splice(at, 1);
    kept.push(hit!);
    return hit!.matrix;
  }
  const matrix = chosenInputMatrix(set, policy, undefined, spares.get(orders));
  const entry = { inputs: set.inputs, policy: policy.slice(), matrix };
  madeBy.set(entry, orders);
  kept.push(entry);
  let bytes = kept.reduce((sum, c) => sum + choiceFootprint(c.matrix), 0);
  const most = orders.keptBytes ?? KEPT_BYTES;
  while (kept.length > KEPT_CHOICES || (kept.length > 1 && bytes > most)) {
    const overCap = kept.length <= KEPT_CHOICES;
    const gone = kept.shift()!;
    bytes -= choiceFootprint(gone.matrix);
    if (overCap) detach(orders, gone);
    else giveBack(orders, gone);
  }
  return matrix;
}

/**
 * A choice pushed out of the cache (by the count, not detached) is never solved with again through it, so
 * its matrix's and permuted copies' arrays can be lent again, when this cache made it: another cache (a
 * replan's copy, or its base) may still hold a choice it did not make. Every caller of choiceMatrix is done
 * with its matrix before it could be pushed out this way (four newer choices would have to be made first).
 * The order is shared by every copy and never given.
 */
function giveBack(orders: OrderCache, gone: CachedChoice): void {
  const spare = spares.get(orders);
  if (spare === undefined || madeBy.get(gone) !== orders) return;
  giveBackMatrix(orders, gone);
  const copies = permuted.get(gone.matrix);
  if (copies === undefined) return;
  permuted.delete(gone.matrix);
  for (const system of [copies.values, copies.balance]) {
    if (system === undefined) continue;
    const { rowStart, colIndex, values } = system.offDiagonal;
    spare.give(rowStart, colIndex, values, system.lowerEnd, system.diagonal);
  }
}

/** Keeps the permuted copies of a choice the byte cap pushed out, without its matrix (see OrderCache). */
function detach(orders: OrderCache, gone: CachedChoice): void {
  giveBackMatrix(orders, gone);
  const copies = permuted.get(gone.matrix);
  if (copies === undefined) return;
  const detached = { ...orders.detached };
  for (const key of ['values', 'balance'] as const) {
    const system = copies[key];
    if (system === undefined) continue;
    const copy = { inputs: gone.inputs, policy: gone.policy, system };
    if (madeBy.get(gone) === orders) detachedBy.set(copy, orders);
    const older = detached[key];
    detached[key] = copy;
    if (older !== undefined) giveBackDetached(orders, older);
  }
  orders.detached = detached;
}

/**
 * The matrix of a choice the byte cap pushed out is read by nothing again (its detached copies rebuild the
 * rows they need from the technique set, and every caller of choiceMatrix is done with a matrix before it asks
 * for the next), so its arrays are lent to the next matrix or update, when this cache made it. Past the cap
 * (the 10⁷ plan) they were otherwise left to the collector and each update wrote into fresh pages: at 2·10⁶
 * products with the cap forced, a values update took 60–64 ns a non-zero, 9 ns into these arrays.
 */
function giveBackMatrix(orders: OrderCache, gone: CachedChoice): void {
  const spare = spares.get(orders);
  if (spare === undefined || madeBy.get(gone) !== orders) return;
  const { matrix } = gone;
  spare.give(matrix.rowStart, matrix.colIndex, matrix.values);
}

/** The cache whose choice left each detached copy behind: only it may give the copy's arrays back. */
const detachedBy = new WeakMap<DetachedCopy, OrderCache>();

/**
 * A detached copy no longer kept (a newer copy in its direction exists) is read by nothing again, so its
 * arrays are lent to the next update, when this cache made it (a replan's cache shares its base's detached
 * copies until it replaces them). Past the byte cap every update was otherwise written into fresh memory:
 * at 10⁶ products an update from a detached copy took 0.5–0.7 s of CPU, 0.06–0.16 s into mapped arrays
 * (docs/architecture.md, i14-permupdate15).
 */
function giveBackDetached(orders: OrderCache, copy: DetachedCopy): void {
  const spare = spares.get(orders);
  if (spare === undefined || detachedBy.get(copy) !== orders) return;
  const { system } = copy;
  const { rowStart, colIndex, values } = system.offDiagonal;
  spare.give(rowStart, colIndex, values, system.lowerEnd, system.diagonal);
}

/**
 * Above this share of products switched, a choice's matrix is permuted afresh rather than updated from a
 * cached neighbour's permuted copy (the update's cost grows with the rows it touches).
 */
const UPDATE_SHARE = 1 / 8;

/**
 * The permuted copy of `entry`'s matrix, updated from the cached choice (same inputs, copy in this direction)
 * that differs from it in the fewest products, or else from the detached copy, when few enough differ; null
 * otherwise.
 */
function permutedFromNeighbour(
  entry: CachedChoice,
  orders: OrderCache,
  key: Direction,
  transposed: boolean,
): PermutedSystem | null {
  let best: { system: PermutedSystem; matrix: CsrMatrix; changed: Int32Array } | null = null;
  const most = Math.floor(entry.policy.length * UPDATE_SHARE);
  for (const c of orders.choices ?? []) {
    const system = c === entry || c.inputs !== entry.inputs ? undefined : permuted.get(c.matrix)?.[key];
    if (system === undefined) continue;
    const changed = differences(c.policy, entry.policy, best === null ? most : best.changed.length - 1);
    if (changed !== null) best = { system, matrix: c.matrix, changed };
  }
  const spare = spares.get(orders);
  if (best !== null)
    return updatePermuted(best.system, best.matrix, entry.matrix, best.changed, transposed, spare);
  const detached = orders.detached?.[key];
  if (detached === undefined || detached.inputs !== entry.inputs) return null;
  const changed = differences(detached.policy, entry.policy, most);
  if (changed === null) return null;
  // The old choice's matrix is gone; updatePermuted reads only its switched rows, rebuilt here.
  const rows = chosenInputMatrix(
    { products: entry.policy.length, inputs: entry.inputs },
    detached.policy,
    changed,
  );
  return updatePermuted(detached.system, rows, entry.matrix, changed, transposed, spare);
}

/** The products where two choices differ, or null when more than `most` do. */
function differences(a: Int32Array, b: Int32Array, most: number): Int32Array | null {
  if (a.length !== b.length || most < 0) return null;
  const out: number[] = [];
  for (let p = 0; p < a.length; p++)
    if (a[p] !== b[p]) {
      if (out.length === most) return null;
      out.push(p);
    }
  return Int32Array.from(out);
}

export function samePolicy(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) return false;
  return true;
}

/** The permuted copy of a cached choice's matrix, from a neighbour's when one is close, else afresh. */
function permutedCopy(
  m: CsrMatrix,
  prepared: PreparedOrder,
  entry: CachedChoice,
  orders: OrderCache,
  key: Direction,
  transposed: boolean,
): PermutedSystem {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const cpuSeconds = () => {
    const used = process.cpuUsage(cpu0);
    return (used.user + used.system) / 1e6;
  };
  const updated = permutedFromNeighbour(entry, orders, key, transposed);
  if (updated !== null) {
    permutedCopyStats.updated++;
    permutedCopyStats.updatedSeconds += (performance.now() - t0) / 1000;
    permutedCopyStats.updatedCpuSeconds += cpuSeconds();
    return updated;
  }
  const fresh = permutedFor(m, prepared, transposed, spares.get(orders));
  permutedCopyStats.afresh++;
  permutedCopyStats.afreshSeconds += (performance.now() - t0) / 1000;
  permutedCopyStats.afreshCpuSeconds += cpuSeconds();
  return fresh;
}

export type WarmFixedPointResult =
  | { status: 'converged'; x: Float64Array; residual: number; iterations: number }
  | {
      status: 'diverged' | 'max-iterations' | 'stopped';
      residual: number;
      iterations: number;
      growth: number;
    };

/**
 * Solves x = M x + b (Mᵀ when `transposed`) to ‖x − M x − b‖₂ ≤ tolerance·‖b‖₂. With a guess x₀ it solves
 * δ = M δ + r for r = b + M x₀ − x₀ to the same absolute accuracy, so a guess close to the answer (after
 * one change to a plan) leaves a small r and costs few sweeps.
 */
export function warmFixedPoint(
  m: CsrMatrix,
  b: Float64Array,
  guess: Float64Array | null,
  tolerance: number,
  transposed = false,
  orders?: OrderCache,
): WarmFixedPointResult {
  if (stopRequested(orders)) return { status: 'stopped', residual: Infinity, iterations: 0, growth: 0 };
  const n = m.rows;
  const key = transposed ? 'balance' : 'values';
  const prepared = orders ? (orders[key] ??= prepareOrder(m, { transposed })) : undefined;
  // A matrix from choiceMatrix keeps its permuted copy for the next solve with it (orders never change once set).
  let system: PermutedSystem | undefined;
  const entry = prepared && orders?.choices?.find((c) => c.matrix === m);
  if (prepared && entry) {
    const copies = permuted.get(m) ?? {};
    permuted.set(m, copies);
    if (copies[key] === undefined) {
      copies[key] = permutedCopy(m, prepared, entry, orders!, key, transposed);
      // The copy just made is the newest in its direction, so a detached one there is no longer kept.
      if (orders!.detached?.[key] !== undefined) {
        const { [key]: superseded, ...rest } = orders!.detached;
        orders!.detached = rest;
        giveBackDetached(orders!, superseded!);
      }
    }
    system = copies[key];
  }
  const stop = orders && stops.get(orders);
  // Only a kept copy is swept in WebAssembly: loading one costs about a JavaScript sweep, repaid by its reuse.
  const slot = system
    ? slotFor(orders, copyBytes(system) >= (orders?.oneSlotFrom ?? ONE_SLOT_FROM) ? 'values' : key)
    : undefined;
  // The solve's n-vectors that do not outlive it are lent by the cache's spare arrays, when it has them.
  const spare = orders && spares.get(orders);
  const options = {
    tolerance,
    transposed,
    ...(prepared ? { prepared } : {}),
    ...(system ? { system } : {}),
    ...(stop ? { stop } : {}),
    ...(slot ? { wasm: slot } : {}),
    ...(spare ? { spare } : {}),
  };
  if (guess === null || b.every((v) => v === 0)) return solveFixedPoint(m, b, options);
  const r = spare ? spare.float64(n) : new Float64Array(n);
  r.set(b);
  try {
    return warmFrom(guess, r);
  } finally {
    // Nothing returned holds r: the solve below copies it, and the answer is a vector of its own.
    spare?.give(r);
  }

  function warmFrom(guess: Float64Array, r: Float64Array): WarmFixedPointResult {
    let bNorm = 0;
    let rNorm = 0;
    if (slot && system && loadPermuted(slot, system)) {
      // r = b + M x₀ − x₀ by the residual kernel on the loaded copy, in its order, then put back in M's.
      const { order } = system;
      const vectors = slotVectors(slot);
      for (let t = 0; t < n; t++) {
        vectors.x[t] = guess[order[t]!]!;
        vectors.b[t] = b[order[t]!]!;
      }
      slotResidual(slot, true);
      for (let t = 0; t < n; t++) r[order[t]!] = vectors.out[t]!;
      for (let i = 0; i < n; i++) {
        bNorm += b[i]! * b[i]!;
        rNorm += r[i]! * r[i]!;
      }
    } else {
      multiplyAdd(m, guess, r, transposed);
      for (let i = 0; i < n; i++) {
        r[i]! -= guess[i]!;
        bNorm += b[i]! * b[i]!;
        rNorm += r[i]! * r[i]!;
      }
    }
    bNorm = Math.sqrt(bNorm);
    rNorm = Math.sqrt(rNorm);
    if (rNorm <= tolerance * bNorm)
      return { status: 'converged', x: guess, residual: rNorm / bNorm, iterations: 0 };
    const relative = Math.min(0.5, (tolerance * bNorm) / rNorm);
    const delta = solveFixedPoint(m, r, { ...options, tolerance: relative });
    if (delta.status !== 'converged') return delta;
    // x = x₀ + δ in δ's own vector (new to this solve): one fresh n-vector fewer, the same sums.
    const x = delta.x;
    for (let i = 0; i < n; i++) x[i] = guess[i]! + x[i]!;
    return {
      status: 'converged',
      x,
      residual: (delta.residual * rNorm) / bNorm,
      iterations: delta.iterations,
    };
  }
}

/** out += M x (or Mᵀ x). */
export function multiplyAdd(m: CsrMatrix, x: Float64Array, out: Float64Array, transposed = false): void {
  const { rowStart, colIndex, values } = m;
  for (let i = 0; i < m.rows; i++) {
    const end = rowStart[i + 1]!;
    if (transposed) {
      const xi = x[i]!;
      if (xi !== 0) for (let k = rowStart[i]!; k < end; k++) out[colIndex[k]!]! += values[k]! * xi;
    } else {
      let s = 0;
      for (let k = rowStart[i]!; k < end; k++) s += values[k]! * x[colIndex[k]!]!;
      out[i]! += s;
    }
  }
}
