// The compilation hints section (highs-hints.ts): where it goes, what it says, and that the module is unchanged
// otherwise, on a hand-made module with every kind of import; and that the installed highs.wasm is the build whose
// hot functions are listed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  EAGER_TOP_TIER,
  HIGHS_HOT_FUNCTIONS,
  hintedHighs,
  moduleLayout,
  withCompilationHints,
} from './highs-hints';
import { compileWithBudget } from './highs-instance';

const section = (id: number, payload: number[]) => [id, payload.length, ...payload];
const text = (s: string) => [s.length, ...new TextEncoder().encode(s)];

/**
 * Imports a function, a memory, a global and a table (4 imports, 1 of them a function), declares three functions
 * returning 10, 11 and 12, and exports them as f1, f2, f3 (function indices 1, 2, 3).
 */
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 0, 1, 0x7f]),
  ...section(2, [
    4,
    ...text('m'), ...text('f'), 0, 0,
    ...text('m'), ...text('mem'), 2, 1, 1, 2,
    ...text('m'), ...text('g'), 3, 0x7f, 0,
    ...text('m'), ...text('t'), 1, 0x70, 0, 1,
  ]),
  ...section(3, [3, 0, 0, 0]),
  ...section(7, [3, ...text('f1'), 0, 1, ...text('f2'), 0, 2, ...text('f3'), 0, 3]),
  ...section(10, [3, 4, 0, 0x41, 10, 0x0b, 4, 0, 0x41, 11, 0x0b, 4, 0, 0x41, 12, 0x0b]),
]); // prettier-ignore

function instantiate(bytes: Uint8Array<ArrayBuffer>): Record<string, () => number> {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    m: {
      f: () => 0,
      mem: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
      g: 7,
      t: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }),
    },
  });
  return instance.exports as Record<string, () => number>;
}

describe('withCompilationHints', () => {
  it('finds the code section and counts imported and declared functions', () => {
    const layout = moduleLayout(MODULE);
    expect(layout.imported).toBe(1);
    expect(layout.declared).toBe(3);
    expect(MODULE[layout.codeAt]).toBe(10);
    expect(MODULE.length - layout.codeAt).toBe(2 + 16);
  });

  it('puts one hint byte per declared function in a section just before the code, leaving the rest alone', () => {
    const before = moduleLayout(MODULE);
    const hinted = withCompilationHints(MODULE, [0, 2, 99], 0x27);
    expect(WebAssembly.validate(hinted)).toBe(true);
    const [payload] = WebAssembly.Module.customSections(new WebAssembly.Module(hinted), 'compilationHints');
    // Function 0 is the import and 99 is no function: only declared function 2 (the second declared) is hinted.
    expect([...new Uint8Array(payload!)]).toEqual([3, 0, 0x27, 0]);
    const after = moduleLayout(hinted);
    expect(hinted[before.codeAt]).toBe(0);
    expect(after.codeAt).toBe(hinted.length - (MODULE.length - before.codeAt));
    expect([...hinted.subarray(0, before.codeAt)]).toEqual([...MODULE.subarray(0, before.codeAt)]);
    expect([...hinted.subarray(after.codeAt)]).toEqual([...MODULE.subarray(before.codeAt)]);
    const f = instantiate(hinted);
    expect([f.f1!(), f.f2!(), f.f3!()]).toEqual([10, 11, 12]);
  });

  it('is a module V8 compiles and runs under its hints flag', () => {
    const hinted = withCompilationHints(MODULE, [1, 2, 3]);
    const flags: string[] = [];
    const module = compileWithBudget(hinted, (f) => flags.push(f), true);
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(flags).toContain('--experimental-wasm-compilation-hints');
    expect(flags.at(-2)).toBe('--no-experimental-wasm-compilation-hints');
  });
});

describe('HiGHS’s hot functions', () => {
  const bytes = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('highs/runtime')));

  it('belong to the installed highs.wasm (re-list them with scripts/highs-hot-functions.ts when it changes)', () => {
    const hinted = hintedHighs(bytes);
    expect(hinted).not.toBeNull();
    const { imported, declared } = moduleLayout(bytes);
    const [payload] = WebAssembly.Module.customSections(new WebAssembly.Module(hinted!), 'compilationHints');
    const hints = new Uint8Array(payload!).subarray(payload!.byteLength - declared);
    const marked = [...hints.keys()].filter((i) => hints[i] !== 0).map((i) => i + imported);
    expect(marked).toEqual([...HIGHS_HOT_FUNCTIONS]);
    expect(hints[(HIGHS_HOT_FUNCTIONS[0] as number) - imported]).toBe(EAGER_TOP_TIER);
  });

  it('are not applied to any other build', () => {
    const other = bytes.slice();
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    expect(hintedHighs(other)).toBeNull();
  });
});
