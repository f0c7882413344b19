import { describe, expect, it } from 'vitest';
import {
  compiledHighsModule,
  compileWithBudget,
  HIGHS_TIERING_BUDGET,
  highsTiering,
  loadHighsInstance,
  setHighsTiering,
  V8_TIERING_BUDGET,
} from './highs-instance';
import { highsSolver } from './highs-solver';
import { warmHighs, warmUpLp } from './highs-warm';

// Dantzig's transportation problem (reference-lps.ts) in CPLEX LP form: optimum 153.675.
const TRANSPORT = `Minimize
 obj: 0.225 x11 + 0.153 x12 + 0.162 x13 + 0.225 x21 + 0.162 x22 + 0.126 x23
Subject To
 s1: x11 + x12 + x13 <= 350
 s2: x21 + x22 + x23 <= 600
 d1: x11 + x21 >= 325
 d2: x12 + x22 >= 300
 d3: x13 + x23 >= 275
End
`;

describe('HiGHS instances from one compiled module', () => {
  it('compiles the module once and gives each call its own working instance', async () => {
    const module = await compiledHighsModule();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(await compiledHighsModule()).toBe(module);
    const a = await loadHighsInstance();
    const b = await loadHighsInstance();
    expect(a).not.toBe(b);
    for (const highs of [a, b]) {
      const solution = highs.solve(TRANSPORT);
      expect(solution.Status).toBe('Optimal');
      expect(solution.ObjectiveValue * 1000).toBeCloseTo(153.675 * 1000, 6);
    }
  });

  it('keeps a module per tiering, each giving working instances, and uses the thread’s choice', async () => {
    expect(highsTiering()).toBe('sparing');
    const sparing = await compiledHighsModule('sparing');
    const eager = await compiledHighsModule('eager');
    expect(sparing).toBeInstanceOf(WebAssembly.Module);
    expect(eager).toBeInstanceOf(WebAssembly.Module);
    expect(eager).not.toBe(sparing);
    // The sparing module's bytes carry the custom section that keeps it apart from the plain one.
    expect(WebAssembly.Module.customSections(sparing!, 'ogas-sparing-tiering')).toHaveLength(1);
    expect(WebAssembly.Module.customSections(eager!, 'ogas-sparing-tiering')).toHaveLength(0);
    expect(await compiledHighsModule()).toBe(sparing);
    setHighsTiering('eager');
    try {
      expect(await compiledHighsModule()).toBe(eager);
      const solution = (await loadHighsInstance()).solve(TRANSPORT);
      expect(solution.ObjectiveValue * 1000).toBeCloseTo(153.675 * 1000, 6);
    } finally {
      setHighsTiering('sparing');
    }
  });

  it('warms up on an LP that PDLP then the crossover solve to HiGHS’s own optimum', async () => {
    const warmed = await warmHighs();
    expect(highsTiering()).toBe('eager');
    setHighsTiering('sparing');
    expect(warmed.status).toBe('optimal');
    expect(warmed.solver).toBe('pdlp+crossover');
    const exact = await highsSolver.solve(warmUpLp());
    expect(Math.abs(warmed.objective - exact.objective) / Math.abs(exact.objective)).toBeLessThan(1e-9);
  });
});

// The smallest valid Wasm module: the magic number and version 1, no sections.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

describe('compiling with HiGHS’s tiering budget', () => {
  it('sets the budget for the compile only, then sets V8’s default back', () => {
    const flags: string[] = [];
    const module = compileWithBudget(EMPTY_MODULE, (f) => flags.push(f));
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(flags).toEqual([
      `--wasm-tiering-budget=${HIGHS_TIERING_BUDGET}`,
      `--wasm-tiering-budget=${V8_TIERING_BUDGET}`,
    ]);
  });

  it('sets the default back when the compile fails', () => {
    const flags: string[] = [];
    expect(() => compileWithBudget(EMPTY_MODULE.subarray(0, 6), (f) => flags.push(f))).toThrow(
      WebAssembly.CompileError,
    );
    expect(flags.at(-1)).toBe(`--wasm-tiering-budget=${V8_TIERING_BUDGET}`);
  });
});
