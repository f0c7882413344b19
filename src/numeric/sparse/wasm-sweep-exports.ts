// The sweep module's exports as TypeScript sees them: one declaration for the calling thread
// (wasm-sweeps.ts) and the helper thread's host (wasm-helper-thread.ts), which drive the same kernels.

/** The kernels and globals of one instance of the sweep module (wasm-sweep-module.ts). */
export interface SweepExports {
  sweep(n: number, rowStart: number, col: number, val: number, x: number, b: number, diag: number): number;
  residual(n: number, rowStart: number, col: number, val: number, x: number, b: number, out: number): number;
  push(n: number, rowStart: number, col: number, val: number, x: number, r: number, diag: number): void;
  /** push for one thread sweeping all rows (no outbox, no inbox): the same arithmetic, fewer instructions a non-zero. */
  pushOne(n: number, rowStart: number, col: number, val: number, x: number, r: number, diag: number): void;
  prepare(
    n: number,
    rowStart: number,
    col: number,
    val: number,
    out: number,
    columns: number,
    _: number,
  ): number;
  scatter(n: number, rowStart: number, col: number, val: number, x: number, out: number, _: number): void;
  /** After two threads' push sweeps: adds the rest of the inbox into r for rows [from, n), zeroes inbox and taken, answers Σ r_i² there. */
  absorb(n: number, _1: number, _2: number, _3: number, _4: number, r: number, _5: number): number;
  /** The first row the kernels visit (0 unless a thread sweeps a block of rows). */
  from: WebAssembly.Global;
  /** Where the push kernel sends what it pushes to rows outside [from, n) (two threads only). */
  outbox: WebAssembly.Global;
  /** The other thread's outbox, which the push kernel takes from as it settles each row (two threads only). */
  inbox: WebAssembly.Global;
  /** What of the inbox this thread has added into r so far, by row (two threads only). */
  taken: WebAssembly.Global;
}
