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
// The module is compiled with a larger tiering budget than V8's default (HIGHS_TIERING_BUDGET): the first solve
// in a process otherwise spent more CPU in V8's optimising compiles of HiGHS's large functions than they saved.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Highs } from 'highs';

let compiled: Promise<WebAssembly.Module | null> | undefined;

async function compileHighs(): Promise<WebAssembly.Module | null> {
  try {
    const path = createRequire(import.meta.url).resolve('highs/runtime');
    return compileWithBudget(await readFile(path));
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

/** The process's compiled HiGHS module, compiled on first use; null if it could not be (highs-js then loads). */
export function compiledHighsModule(): Promise<WebAssembly.Module | null> {
  compiled ??= compileHighs();
  return compiled;
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
 * V8's tiering budget for HiGHS's module: a Wasm function is recompiled by the optimising compiler (TurboFan) once
 * it has used up this much (roughly, bytes of its baseline code executed). V8's default, 1,800,000, suits small
 * hot functions; HiGHS's crossover and simplex are large, and the first exact solve in a process sent so many of
 * them to TurboFan that the compiles cost more CPU than they saved. At 10⁴ columns of the general LP, in a fresh
 * process after one tiny solve, PDLP then the crossover took 1.36–1.59 s of CPU with V8's default, 0.94–1.06 with
 * this budget, 0.92–0.98 with ten times it (load 13–14; a later solve of the same LP 0.5–0.7 s in each case). A
 * function hot enough to matter in a long solve still uses this budget up early, and once optimised it serves
 * every later instance.
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
 */
export function compileWithBudget(
  bytes: BufferSource,
  setFlags: (flags: string) => void = setFlagsFromString,
): WebAssembly.Module {
  setFlags(`--wasm-tiering-budget=${HIGHS_TIERING_BUDGET}`);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setFlags(`--wasm-tiering-budget=${V8_TIERING_BUDGET}`);
  }
}
