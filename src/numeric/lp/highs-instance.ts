// HiGHS instances from one compiled WebAssembly module per process (or worker thread).
//
// highs-js's loader reads and compiles its 3.5 MB `highs.wasm` on every `loadHighs()` call. The adapters load a
// fresh instance per solve on purpose (Wasm memory never shrinks, so an instance dropped after its solve gives
// its memory back), but the compiled code can be shared: instantiating a compiled module costs a few
// milliseconds, against 0.06–0.12 s of CPU for reading and compiling the file again (measured at 10⁴ columns of
// the general LP, load 14–16). The compiled module also keeps the code V8 has optimised for HiGHS's hot
// functions, which every instance then runs from its first call. Should compiling by hand fail (no file where
// the package says, or no WebAssembly), highs-js's own loader is used.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Highs } from 'highs';

let compiled: Promise<WebAssembly.Module | null> | undefined;

async function compileHighs(): Promise<WebAssembly.Module | null> {
  try {
    const path = createRequire(import.meta.url).resolve('highs/runtime');
    return await WebAssembly.compile(await readFile(path));
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
