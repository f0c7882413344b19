// The sweep module compiled once per process and its kernels run once on a tiny system, so that a solve's
// first sweep, first residual and checking pass run optimised code.
//
// Why: V8 (Node 20) compiles a WebAssembly module with its baseline compiler (Liftoff) first and recompiles a
// function with its optimising one (TurboFan) only after it has run for a while, in the background, for its
// next call: a call already running stays on the baseline code. A sweep at 10⁶ products is one call, so the
// first sweep, the first residual pass and the checking pass of a process all ran on baseline code: at 10⁶
// products the first sweep took 100–120 ms against 30 ms for the others, the first residual 58 ms against 28
// (load 14–23, issue 14's tenth balance pass). A few thousand rows of a zero matrix, a few times over, use up
// the tiering budget of every kernel in 2–3 ms, and the optimised code (shared by the helper thread's instance,
// which runs the same compiled module) is ready before the real calls start.
import type { SweepExports } from './wasm-sweep-exports';
import { sweepModuleBytes } from './wasm-sweep-module';

/** The warm-up system: rows, non-zeros a row and rounds of every kernel (measured enough to tier up). */
const ROWS = 4096;
const PER_ROW = 8;
const ROUNDS = 4;

const modules = new Map<boolean, WebAssembly.Module>();

/**
 * The sweep module (two chains; importing a shared memory when `shared`), compiled on first use in this
 * process and warmed up (see above). Throws what WebAssembly.Module or the memory throws.
 */
export function warmSweepModule(shared: boolean): WebAssembly.Module {
  const known = modules.get(shared);
  if (known) return known;
  const module = new WebAssembly.Module(sweepModuleBytes(2, shared));
  warmUp(module, shared);
  modules.set(shared, module);
  return module;
}

/** Runs every kernel ROUNDS times on a zero matrix of ROWS rows (column 0 everywhere, valid and harmless). */
function warmUp(module: WebAssembly.Module, shared: boolean): void {
  const count = ROWS * PER_ROW;
  // Offset 0 unused (the kernels read a 0 output pointer as "none"); rowStart, columns, values, x, b, diag, out.
  const rowStart = 8;
  const col = rowStart + 4 * (ROWS + 8);
  const val = col + 4 * count;
  const x = val + 8 * count;
  const b = x + 8 * ROWS;
  const diag = b + 8 * ROWS;
  const out = diag + 8 * ROWS;
  const pages = Math.ceil((out + 8 * ROWS) / 65_536);
  const memory = new WebAssembly.Memory(
    shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages },
  );
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SweepExports;
  const starts = new Int32Array(memory.buffer, rowStart, ROWS + 1);
  for (let i = 0; i <= ROWS; i++) starts[i] = i * PER_ROW;
  for (let round = 0; round < ROUNDS; round++) {
    k.prepare(ROWS, rowStart, col, val, diag, 0, 0);
    k.sweep(ROWS, rowStart, col, val, x, b, diag);
    k.residual(ROWS, rowStart, col, val, x, b, out);
    k.push(ROWS, rowStart, col, val, x, b, diag);
    k.pushOne(ROWS, rowStart, col, val, x, b, diag);
    k.scatter(ROWS, rowStart, col, val, x, out, 0);
  }
}
