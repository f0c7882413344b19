// HiGHS instances from one compiled WebAssembly module per process (or worker thread).
//
// highs-js's loader reads and compiles its 3.5 MB `highs.wasm` on every `loadHighs()` call. The adapters load a
// fresh instance per solve on purpose (Wasm memory never shrinks, so an instance dropped after its solve gives
// its memory back), but the compiled code can be shared: instantiating a compiled module costs a few
// milliseconds, against 0.06–0.12 s of CPU for reading and compiling the file again (measured at 10⁴ columns of
// the general LP, load 14–16). The compiled module also keeps the code V8 has optimised for HiGHS's hot
// functions, which every instance then runs from its first call. Should compiling by hand fail (no file where
// the package says, or no WebAssembly), highs-js's own loader is used.
//
// Two ways of compiling it (HighsTiering). 'sparing', the default, gives the module a larger tiering budget than
// V8's (HIGHS_TIERING_BUDGET): the first solve in a process otherwise spent more CPU in V8's optimising compiles of
// HiGHS's large functions than they saved, and it asks V8 to optimise HiGHS's hottest functions at once, as the
// module is compiled (highs-hints.ts), not once the first large solve has run them hot. 'eager' keeps V8's budget,
// so that one warm-up solve (highs-warm.ts) gets HiGHS's hot functions optimised for the solves after it; a
// long-lived process that warms up asks for it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Highs } from 'highs';
import { hintedHighs } from './highs-hints';

/**
 * How V8 optimises HiGHS's code in this thread. 'sparing' (the default): only the functions that run long get
 * optimised, which suits a process that solves once. 'eager': V8's own budget, for a process that warms HiGHS up
 * (highs-warm.ts) and then solves many times. Each is its own compiled module (their bytes differ by a custom
 * section, so that V8's cache of compiled modules, shared by the process's threads, keeps them apart).
 */
export type HighsTiering = 'sparing' | 'eager';

let tiering: HighsTiering = 'sparing';
const compiled = new Map<HighsTiering, Promise<WebAssembly.Module | null>>();

/** Sets this thread's HighsTiering for the instances loaded from now on (highs-thread.ts passes it on). */
export function setHighsTiering(choice: HighsTiering): void {
  tiering = choice;
}

/** This thread's HighsTiering. */
export function highsTiering(): HighsTiering {
  return tiering;
}

/**
 * A custom section (id 0) named "ogas-sparing-tiering" with no payload: it changes nothing in the module but its
 * bytes, which is what V8's module cache compares.
 */
const SPARING_MARK = (() => {
  const name = new TextEncoder().encode('ogas-sparing-tiering');
  return new Uint8Array([0, name.length + 1, name.length, ...name]);
})();

async function compileHighs(choice: HighsTiering): Promise<WebAssembly.Module | null> {
  try {
    const path = createRequire(import.meta.url).resolve('highs/runtime');
    const bytes = await readFile(path);
    if (choice === 'eager') return await WebAssembly.compile(bytes);
    // The sparing module also asks V8 to optimise HiGHS's hot functions at once (highs-hints.ts).
    const hinted = hintedHighs(bytes);
    const source = hinted ?? bytes;
    const marked = new Uint8Array(source.length + SPARING_MARK.length);
    marked.set(source);
    marked.set(SPARING_MARK, source.length);
    return compileWithBudget(marked, setFlagsFromString, hinted !== null);
  } catch {
    return null;
  }
}

/** Emscripten's hook for instantiating the module itself (highs-js passes it through to its runtime). */
interface InstantiateHook {
  instantiateWasm(
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance) => void,
  ): Record<string, never>;
}

/**
 * The thread's compiled HiGHS module for `choice` (this thread's HighsTiering by default), compiled on first use;
 * null if it could not be (highs-js then loads).
 */
export function compiledHighsModule(choice: HighsTiering = tiering): Promise<WebAssembly.Module | null> {
  let module = compiled.get(choice);
  if (module === undefined) {
    module = compileHighs(choice);
    compiled.set(choice, module);
  }
  return module;
}

/** A fresh HiGHS instance (its own memory), instantiated from the process's one compiled module. */
export async function loadHighsInstance(): Promise<Highs> {
  const { default: loadHighs } = await import('highs');
  const module = await compiledHighsModule();
  if (module === null) return loadHighs();
  // Instantiation happens inside highs-js's loader, which would wait forever if it failed: the failure is
  // raced against the loader, and highs-js's own loading is the fallback.
  let fail: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const hook: InstantiateHook = {
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then(receive, fail);
      return {};
    },
  };
  // The hook is Emscripten's (honoured by highs-js 1.15's runtime) but not among highs-js's declared options.
  const options = hook as unknown as Parameters<typeof loadHighs>[0];
  try {
    return await Promise.race([loadHighs(options), failure]);
  } catch {
    return loadHighs();
  }
}

/**
 * V8's tiering budget for HiGHS's 'sparing' module: a Wasm function is recompiled by the optimising compiler (TurboFan) once
 * it has used up this much (roughly, bytes of its baseline code executed). V8's default, 1,800,000, suits small
 * hot functions; HiGHS's crossover and simplex are large, and the first exact solve in a process sent so many of
 * them to TurboFan that the compiles cost more CPU than they saved. At 10⁴ columns of the general LP, in a fresh
 * process after one tiny solve, PDLP then the crossover took 1.36–1.59 s of CPU with V8's default, 0.94–1.06 with
 * this budget, 0.92–0.98 with ten times it (load 13–14; a later solve of the same LP 0.5–0.7 s in each case). A
 * function hot enough to matter in a long solve still uses this budget up early, and once optimised it serves
 * every later instance. But a warm-up solve then leaves more of HiGHS unoptimised (0.77–0.87 s against 0.70–0.71
 * at 10⁴ columns after warmHighs), hence the 'eager' module for a process that warms up.
 */
export const HIGHS_TIERING_BUDGET = 180_000_000;
/** V8's default (Node 20, V8 11.3), set back once HiGHS's module is compiled. */
export const V8_TIERING_BUDGET = 1_800_000;

/**
 * Compiles HiGHS's module with HIGHS_TIERING_BUDGET. V8 gives a module its functions' budgets when it creates the
 * module (not when an instance is made: setting the flag around instantiation changed nothing), so the flag is set
 * only around this synchronous compile and then set back; a compile of another module by another thread within
 * these milliseconds would get the larger budget too (its code is then optimised later; nothing else changes).
 * Synchronous, unlike WebAssembly.compile, so that the window is only this call: with lazy compilation V8 only
 * decodes and validates here (7–62 ms, load 14; the second thread's compile is served by V8's cache of modules).
 * `hints`: the bytes carry HiGHS's compilation hints (highs-hints.ts), which V8 reads only under their flag.
 */
export function compileWithBudget(
  bytes: BufferSource,
  setFlags: (flags: string) => void = setFlagsFromString,
  hints = false,
): WebAssembly.Module {
  setFlags(`--wasm-tiering-budget=${HIGHS_TIERING_BUDGET}`);
  // V8 reads a module's compilation hints (highs-hints.ts) only with this flag, also only while it compiles.
  if (hints) setFlags('--experimental-wasm-compilation-hints');
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    if (hints) setFlags('--no-experimental-wasm-compilation-hints');
    setFlags(`--wasm-tiering-budget=${V8_TIERING_BUDGET}`);
  }
}
