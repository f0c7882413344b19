// The bytes of a small WebAssembly module holding the Gauss–Seidel sweep kernels, assembled here so that no
// build step or dependency is needed (the module is ≈ 300 bytes; every engine since Node 12 runs it).
//
// Why WebAssembly for these loops: a sweep at 10⁶ products is a few million short rows whose column reads land
// anywhere in x. V8's code for the JavaScript loop checks every typed-array index and reloads the arrays'
// bases; the WebAssembly loop indexes one linear memory, whose bounds the engine guards with virtual memory,
// so the loads issue back to back. Both kernels compute exactly what the JavaScript ones in
// given-order-sweeps.ts compute, in the same order of operations except the split of a row into two chains.
//
// Exports (all pointers are byte offsets into the imported memory):
// - sweep(n, rowStart, col, val, x, b, diag) → Σ (x_new − x_old)²: one Gauss–Seidel sweep of x = M x + b in
//   the given order, x_i = (b_i − M_ii x_i + Σ_k M_ik x_k) / (1 − M_ii);
// - residual(n, rowStart, col, val, x, b, out) → Σ r_i²: r = b + M x − x, written to out (when out ≠ 0);
// - push(n, rowStart, col, val, x, r, diag): one push Gauss–Seidel sweep of x = Mᵀ x + b on its residual r
//   (for two threads: see the globals below);
// - pushOne(…): push for one thread on all rows, without the outbox's select and the inbox's test. The same
//   arithmetic in the same order, so the same bits; at 10⁶ products a sweep took a median ≈ 88 CPU ms against
//   push's ≈ 123 on one thread (same process, 8 alternating pairs, load 5–7): V8 reloads a mutable global at
//   every use, and the select sat in the innermost loop (push now caches the globals it selects with in
//   locals, too);
// - scatter(n, rowStart, col, val, x, out, 0): out += Mᵀ x from M's rows (labour values' closing residual);
// - prepare(n, rowStart, col, val, out, columns, 0) → f64: out_i = M_ii where M stores it (out starts zeroed), and
//   in the same pass it validates every stored entry (column in [0, columns), or [0, n) when columns is 0;
//   value finite and ≥ 0) and returns the largest M_ii, or −(k + 1) at the first bad entry k. `columns` lets a
//   thread check rows [from, n) of a larger matrix (rows [0, n) with n its middle row, for the calling thread).
//   One pass over M instead of three (the entry check, the self-use scan and the diagonal), at 10⁶ products.
// - globals `from` (every kernel visits rows from..n − 1; 0 by default) and `outbox` (what push adds to rows
//   outside [from, n) goes to outbox instead of r): two threads, each with its own instance on one shared
//   memory (`sweepModuleBytes(chains, true)` imports it shared), sweep a block of rows each
//   (wasm-two-thread-sweeps.ts). On one thread both stay 0 and the kernels are as before.
// - globals `inbox` and `taken`, and absorb(n, _, _, _, _, r, _) → Σ r_i²: on two threads the push kernel adds
//   into r_i what the other thread has pushed into row i so far (its outbox, this thread's inbox) just before
//   settling row i, and absorb adds the rest after both finish, so each block sees the other's newest pushes.

import { uleb } from './leb128';

const I32 = 0x7f;
const F64 = 0x7c;

const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  select: 0x1b,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Ge: 0x66,
  i32And: 0x71,
  f64Neg: 0x9a,
  f64Max: 0xa5,
  f64ConvertI32U: 0xb8,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
} as const;
const EMPTY = 0x40;

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const get = (i: number): number[] => [op.localGet, i];
const set = (i: number): number[] => [op.localSet, i];
const tee = (i: number): number[] => [op.localTee, i];
const i32 = (v: number): number[] => [op.i32Const, ...sleb(v)];
const f64Zero = [op.f64Const, 0, 0, 0, 0, 0, 0, 0, 0];
const loadF64 = [op.f64Load, 3, 0];
const loadI32 = [op.i32Load, 2, 0];
const storeF64 = [op.f64Store, 3, 0];

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** base + (index << shift). */
const address = (base: number, index: number, shift: number): number[] => [
  ...get(base),
  ...get(index),
  ...i32(shift),
  op.i32Shl,
  op.i32Add,
];

/**
 * The row's dot product Σ_k val[k]·x[col[k]] for k from local `k` to `end`, added to local `sums[0]` in
 * `sums.length` independent chains (the others are zeroed here and folded into sums[0] at the end, pairwise).
 * Why several chains: WebAssembly, like JavaScript, may not reassociate floating-point additions, so one
 * accumulator waits an addition's latency per non-zero; half the non-zeros of a generated economy sit in its few
 * hub rows, whose gathers of x can then be in flight together. Locals: params 2 col, 3 val, 4 x.
 */
function rowDot(k: number, end: number, sums: number[]): number[] {
  const chains = sums.length;
  const term = (offsetEntries: number): number[] => [
    // val[k + o] * x[col[k + o]]
    ...get(3),
    ...get(k),
    ...i32(3),
    op.i32Shl,
    op.i32Add,
    op.f64Load,
    3,
    ...uleb(8 * offsetEntries),
    ...get(4),
    ...get(2),
    ...get(k),
    ...i32(2),
    op.i32Shl,
    op.i32Add,
    op.i32Load,
    2,
    ...uleb(4 * offsetEntries),
    ...i32(3),
    op.i32Shl,
    op.i32Add,
    ...loadF64,
    op.f64Mul,
  ];
  const addTerm = (sum: number, offsetEntries: number): number[] => [
    ...get(sum),
    ...term(offsetEntries),
    op.f64Add,
    ...set(sum),
  ];
  const step = (by: number): number[] => [...get(k), ...i32(by), op.i32Add, ...set(k)];
  // Pairwise fold: (s0 + s1) + (s2 + s3) for four, s0 + s1 for two.
  const fold = (from: number, count: number): number[] =>
    count === 1
      ? get(sums[from]!)
      : [...fold(from, count / 2), ...fold(from + count / 2, count / 2), op.f64Add];
  return [
    ...sums.slice(1).flatMap((s) => [...f64Zero, ...set(s)]),
    op.block,
    EMPTY,
    op.loop,
    EMPTY,
    // while (k + chains − 1 < end)
    ...get(k),
    ...i32(chains - 1),
    op.i32Add,
    ...get(end),
    op.i32GeU,
    op.brIf,
    1,
    ...sums.flatMap((s, o) => addTerm(s, o)),
    ...step(chains),
    op.br,
    0,
    op.end,
    op.end,
    // the last entries (fewer than `chains`), one at a time into s0
    op.block,
    EMPTY,
    op.loop,
    EMPTY,
    ...get(k),
    ...get(end),
    op.i32GeU,
    op.brIf,
    1,
    ...addTerm(sums[0]!, 0),
    ...step(1),
    op.br,
    0,
    op.end,
    op.end,
    ...(chains > 1 ? [...fold(0, chains), ...set(sums[0]!)] : []),
  ];
}

/** end = rowStart[i + 1] (local 9; params 1 rowStart, local 7 i). */
const rowEnd = [...address(1, 7, 2), op.i32Load, 2, 4, ...set(9)];

/**
 * The frame all four kernels share: return `empty` (then nothing more) when n = 0; with `prelude`, k =
 * rowStart[0]; then for i = 0 … n − 1 run `body` (i in local 7, k in local 8), and end by leaving `result`.
 * Params 0 n, 1 rowStart.
 */
function rowLoop(kernel: {
  locals: number[][];
  empty: number[];
  prelude: boolean;
  /** Run once before the first row (after the empty check), e.g. globals cached in locals. */
  setup?: number[];
  result: number[];
  body: number[];
}): number[] {
  return [
    ...vec(kernel.locals),
    // i = from (global 0: 0 unless a thread sweeping a block of rows set it); nothing to do when i ≥ n
    op.globalGet,
    0,
    ...tee(7),
    ...get(0),
    op.i32GeU,
    op.if,
    EMPTY,
    ...kernel.empty,
    0x0f, // return
    op.end,
    ...(kernel.prelude ? [...address(1, 7, 2), ...loadI32, ...set(8)] : []),
    ...(kernel.setup ?? []),
    op.block,
    EMPTY,
    op.loop,
    EMPTY,
    ...kernel.body,
    // i++ ; while (i < n)
    ...get(7),
    ...i32(1),
    op.i32Add,
    ...tee(7),
    ...get(0),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    ...kernel.result,
    op.end,
  ];
}

/** The chains' locals: s0 and s1 where given, then the rest from `more` on. */
const chainLocals = (chains: number, s0: number, s1: number, more: number): number[] =>
  [s0, s1, ...Array.from({ length: Math.max(0, chains - 2) }, (_, c) => more + c)].slice(0, chains);

// sweep(n, rowStart, col, val, x, b, diag) -> f64. Locals: 7 i, 8 k, 9 end (i32); 10 s0, 11 s1, 12 old, 13 d,
// 14 next, 15 change, 16… the further chains (f64).
const sweepBody = (chains: number): number[] =>
  rowLoop({
    locals: [
      [3, I32],
      [4 + Math.max(2, chains), F64],
    ],
    empty: [...f64Zero],
    prelude: true,
    result: [...get(15)],
    body: [
      ...rowEnd,
      // old = x[i]; d = diag[i]; s0 = b[i] − d·old
      ...address(4, 7, 3),
      ...loadF64,
      ...set(12),
      ...address(6, 7, 3),
      ...loadF64,
      ...set(13),
      ...address(5, 7, 3),
      ...loadF64,
      ...get(13),
      ...get(12),
      op.f64Mul,
      op.f64Sub,
      ...set(10),
      ...rowDot(8, 9, chainLocals(chains, 10, 11, 16)),
      // next = s0 / (1 − d); x[i] = next; change += (next − old)²
      ...address(4, 7, 3),
      ...get(10),
      op.f64Const,
      ...[0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      ...get(13),
      op.f64Sub,
      op.f64Div,
      ...tee(14),
      ...storeF64,
      ...get(15),
      ...get(14),
      ...get(12),
      op.f64Sub,
      ...tee(14),
      ...get(14),
      op.f64Mul,
      op.f64Add,
      ...set(15),
    ],
  });

// residual(n, rowStart, col, val, x, b, out) -> f64: r_i = b_i − x_i + Σ_k M_ik x_k, stored to out when out ≠ 0.
// Locals: 7 i, 8 k, 9 end (i32); 10 s0, 11 s1, 12 sum, 13… the further chains (f64).
const residualBody = (chains: number): number[] =>
  rowLoop({
    locals: [
      [3, I32],
      [1 + Math.max(2, chains), F64],
    ],
    empty: [...f64Zero],
    prelude: true,
    result: [...get(12)],
    body: [
      ...rowEnd,
      ...address(5, 7, 3),
      ...loadF64,
      ...address(4, 7, 3),
      ...loadF64,
      op.f64Sub,
      ...set(10),
      ...rowDot(8, 9, chainLocals(chains, 10, 11, 13)),
      ...get(6),
      op.if,
      EMPTY,
      ...address(6, 7, 3),
      ...get(10),
      ...storeF64,
      op.end,
      ...get(12),
      ...get(10),
      ...get(10),
      op.f64Mul,
      op.f64Add,
      ...set(12),
    ],
  });

/** global + (i << 3), i in local 7: row i's place in the inbox (global 2) or in taken (global 3). */
const globalRow = (global: number): number[] => [
  op.globalGet,
  global,
  ...get(7),
  ...i32(3),
  op.i32Shl,
  op.i32Add,
];
const inboxAddress = globalRow(2);
const takenAddress = globalRow(3);

// push(n, rowStart, col, val, x, r, diag): for each i, δ = r_i / (1 − M_ii); if δ ≠ 0: x_i += δ,
// r_j += M_ij δ along row i, then r_i = 0. Locals: 7 i, 8 k, 9 end, 10 colPtr (i32); 11 delta (f64); 12 col (i32).
const pushBody = (two: boolean): number[] =>
  rowLoop({
    locals: [
      [4, I32],
      [1, F64],
      [1, I32],
      [1, F64],
      [3, I32],
    ],
    ...(two ? { setup: pushGlobalsCached } : {}),
    empty: [],
    prelude: false,
    result: [],
    body: [
      ...(two ? inboxTake : []),
      // delta = r[i] / (1 − diag[i])
      ...address(5, 7, 3),
      ...loadF64,
      op.f64Const,
      ...[0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      ...address(6, 7, 3),
      ...loadF64,
      op.f64Sub,
      op.f64Div,
      ...tee(11),
      ...f64Zero,
      op.f64Ne,
      op.if,
      EMPTY,
      // x[i] += delta
      ...address(4, 7, 3),
      ...address(4, 7, 3),
      ...loadF64,
      ...get(11),
      op.f64Add,
      ...storeF64,
      ...scatterRow(two ? pushTargetTwo : pushTargetOne),
      // r[i] = 0
      ...address(5, 7, 3),
      ...f64Zero,
      ...storeF64,
      op.end,
    ],
  });
// On two threads (global 2 `inbox` ≠ 0): r[i] += inbox[i] − taken[i]; taken[i] = inbox[i], both stores skipped
// when nothing new has landed (inbox[i] = taken[i], most rows most sweeps). The inbox is the other thread's
// outbox, which it is still adding to: what it has pushed into row i so far is taken now (a Gauss–Seidel order
// between the blocks, as the balance's threads read each other's newest x), the rest by absorb after the sweep.
// Only this thread writes r[i] and taken[i]; one aligned 8-byte load sees a whole value (x86-64 and AArch64), so
// nothing pushed is lost or counted twice. Locals: 11 the inbox's value, 13 taken's (f64).
const inboxTake = [
  op.globalGet,
  2,
  op.if,
  EMPTY,
  ...inboxAddress,
  ...loadF64,
  ...set(11),
  ...takenAddress,
  ...loadF64,
  ...tee(13),
  ...get(11),
  op.f64Ne,
  op.if,
  EMPTY,
  ...address(5, 7, 3),
  ...address(5, 7, 3),
  ...loadF64,
  ...get(11),
  ...get(13),
  op.f64Sub,
  op.f64Add,
  ...storeF64,
  ...takenAddress,
  ...get(11),
  ...storeF64,
  op.end,
  op.end,
];

// Where r[col[k]] += val[k] · delta lands (local 10, also left on the stack): r on one thread; on two, r where
// col[k] is in this thread's rows [from, n), else the outbox (global 1), for the other thread to take.
const pushTargetOne = [
  ...get(5),
  ...address(2, 8, 2),
  ...loadI32,
  ...i32(3),
  op.i32Shl,
  op.i32Add,
  ...tee(10),
];
const pushTargetTwo = [
  ...get(5),
  ...get(14),
  ...address(2, 8, 2),
  ...loadI32,
  ...tee(12),
  ...get(16),
  op.i32Sub,
  ...get(15),
  op.i32LtU,
  op.select,
  ...get(12),
  ...i32(3),
  op.i32Shl,
  op.i32Add,
  ...tee(10),
];
// The globals the select reads, cached in locals before the rows (V8 reloads a mutable global at every use):
// 14 outbox, 15 n − from, 16 from (i32).
const pushGlobalsCached = [
  op.globalGet,
  1,
  ...set(14),
  op.globalGet,
  0,
  ...set(16),
  ...get(0),
  ...get(16),
  op.i32Sub,
  ...set(15),
];

// Along row i: out[col[k]] += val[k] · local 11 for k in [rowStart[i], rowStart[i + 1]), where `target` leaves the
// address of the entry to add to on the stack and in local 10 (the push sweeps' and scatter's inner loop).
// Locals: 8 k, 9 end, 10 target address (i32); 11 the row's factor (f64).
const scatterRow = (target: number[]): number[] => [
  ...address(1, 7, 2),
  ...loadI32,
  ...set(8),
  ...rowEnd,
  op.block,
  EMPTY,
  op.loop,
  EMPTY,
  ...get(8),
  ...get(9),
  op.i32GeU,
  op.brIf,
  1,
  ...target,
  ...get(10),
  ...loadF64,
  ...address(3, 8, 3),
  ...loadF64,
  ...get(11),
  op.f64Mul,
  op.f64Add,
  ...storeF64,
  ...get(8),
  ...i32(1),
  op.i32Add,
  ...set(8),
  op.br,
  0,
  op.end,
  op.end,
];

// scatter(n, rowStart, col, val, x, out, _): out_j += Σ_i M_ij x_i, from M's rows (out = b − x beforehand makes
// it the residual of x = Mᵀ x + b, afresh from M as given: the push sweeps' r is carried along, not recomputed).
// Locals: 7 i, 8 k, 9 end, 10 outPtr (i32); 11 xi (f64).
const scatterBody = rowLoop({
  locals: [
    [4, I32],
    [1, F64],
  ],
  empty: [],
  prelude: false,
  result: [],
  body: [
    // xi = x[i]; rows with xi = 0 add nothing
    ...address(4, 7, 3),
    ...loadF64,
    ...tee(11),
    ...f64Zero,
    op.f64Ne,
    op.if,
    EMPTY,
    ...scatterRow(pushTargetOne),
    op.end,
  ],
});

// absorb(n, _, _, _, _, r, _) -> f64: after both threads' push sweeps, r_i += inbox_i − taken_i, then inbox_i = taken_i
// = 0, for this thread's rows (inbox and taken: globals 2 and 3); returns Σ r_i² over them, so r is exact again and
// its norm needs no pass of its own. Locals: 7 i, 8 k, 9 end (i32, unused but for the frame); 10 ri, 11 sum (f64).
const absorbBody = rowLoop({
  locals: [
    [3, I32],
    [2, F64],
  ],
  empty: [...f64Zero],
  prelude: false,
  result: [...get(11)],
  body: [
    ...address(5, 7, 3),
    ...address(5, 7, 3),
    ...loadF64,
    ...inboxAddress,
    ...loadF64,
    op.f64Add,
    ...takenAddress,
    ...loadF64,
    op.f64Sub,
    ...tee(10),
    ...storeF64,
    ...inboxAddress,
    ...f64Zero,
    ...storeF64,
    ...takenAddress,
    ...f64Zero,
    ...storeF64,
    ...get(11),
    ...get(10),
    ...get(10),
    op.f64Mul,
    op.f64Add,
    ...set(11),
  ],
});

/** −(k + 1) as an f64, returned at once (k in local 8): the first bad entry. */
const returnBadEntry = [...get(8), ...i32(1), op.i32Add, op.f64ConvertI32U, op.f64Neg, 0x0f];
const f64Infinity = [op.f64Const, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f];

// prepare(n, rowStart, col, val, out, columns, _) -> f64: out_i = M_ii where stored (out must start zeroed), plus the
// checks of every entry and the largest diagonal entry. Locals: 7 i, 8 k, 9 end (i32); 10 v, 11 largest (f64); 12 c (i32).
const prepareBody = rowLoop({
  locals: [
    [3, I32],
    [2, F64],
    [1, I32],
  ],
  empty: [...f64Zero],
  prelude: true,
  result: [...get(11)],
  body: [
    ...rowEnd,
    op.block,
    EMPTY,
    op.loop,
    EMPTY,
    ...get(8),
    ...get(9),
    op.i32GeU,
    op.brIf,
    1,
    // c = col[k]; c ≥ the column bound (param 5 when non-zero, else n) as unsigned also catches c < 0
    ...address(2, 8, 2),
    ...loadI32,
    ...tee(12),
    ...get(5),
    ...get(0),
    ...get(5),
    op.select,
    op.i32GeU,
    op.if,
    EMPTY,
    ...returnBadEntry,
    op.end,
    // v = val[k]; !(v ≥ 0 && v < ∞) catches NaN, ±∞ and negatives (−0 passes, as in validate.ts)
    ...address(3, 8, 3),
    ...loadF64,
    ...tee(10),
    ...f64Zero,
    op.f64Ge,
    ...get(10),
    ...f64Infinity,
    op.f64Lt,
    op.i32And,
    op.i32Eqz,
    op.if,
    EMPTY,
    ...returnBadEntry,
    op.end,
    // if (c === i) { out[i] = v; largest = max(largest, v) }
    ...get(12),
    ...get(7),
    op.i32Eq,
    op.if,
    EMPTY,
    ...address(4, 7, 3),
    ...get(10),
    ...storeF64,
    ...get(11),
    ...get(10),
    op.f64Max,
    ...set(11),
    op.end,
    ...get(8),
    ...i32(1),
    op.i32Add,
    ...set(8),
    op.br,
    0,
    op.end,
    op.end,
  ],
});

function code(body: number[]): number[] {
  return [...uleb(body.length), ...body];
}

/**
 * The module's bytes: imports `env.memory`, exports sweep, residual, push, prepare, scatter, absorb and
 * pushOne; the sweep and the residual sum each row in `chains` (1, 2 or 4) independent chains. Two is the
 * default: at 10⁶ products one sweep took 35–40 CPU ms with one, two or four chains alike (issue 14, fifth
 * pass), so the gathers of x, not the additions, bound it; the other counts stay selectable to measure that
 * again.
 */
export function sweepModuleBytes(chains: 1 | 2 | 4 = 2, shared = false): Uint8Array<ArrayBuffer> {
  const seven = [7, I32, I32, I32, I32, I32, I32, I32];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // types: 0 = (7 × i32) → f64, 1 = (7 × i32) → ()
    ...section(
      1,
      vec([
        [0x60, ...seven, 1, F64],
        [0x60, ...seven, 0],
      ]),
    ),
    // A shared memory must declare its maximum: the whole wasm32 space (65,536 pages).
    ...section(
      2,
      vec([
        [...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, 0x01, ...uleb(65_536)] : [0x00, 0x01])],
      ]),
    ),
    ...section(3, vec([[0], [0], [1], [0], [1], [0], [1]])),
    // global 0 `from`: the first row the kernels visit (mutable i32, 0).
    // global 1 `outbox`: where the push kernel sends what it pushes to the other thread's rows (mutable i32, 0).
    // globals 2 `inbox` and 3 `taken`: the other thread's outbox and what of it this thread has added into r
    // (push and absorb; mutable i32, 0: none).
    ...section(
      6,
      vec([
        [I32, 0x01, op.i32Const, 0x00, op.end],
        [I32, 0x01, op.i32Const, 0x00, op.end],
        [I32, 0x01, op.i32Const, 0x00, op.end],
        [I32, 0x01, op.i32Const, 0x00, op.end],
      ]),
    ),
    ...section(
      7,
      vec([
        [...name('from'), 0x03, 0],
        [...name('outbox'), 0x03, 1],
        [...name('inbox'), 0x03, 2],
        [...name('taken'), 0x03, 3],
        [...name('sweep'), 0x00, 0],
        [...name('residual'), 0x00, 1],
        [...name('push'), 0x00, 2],
        [...name('prepare'), 0x00, 3],
        [...name('scatter'), 0x00, 4],
        [...name('absorb'), 0x00, 5],
        [...name('pushOne'), 0x00, 6],
      ]),
    ),
    ...section(
      10,
      vec([
        code(sweepBody(chains)),
        code(residualBody(chains)),
        code(pushBody(true)),
        code(prepareBody),
        code(scatterBody),
        code(absorbBody),
        code(pushBody(false)),
      ]),
    ),
  ];
  return Uint8Array.from(bytes);
}
