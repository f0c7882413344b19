import { describe, expect, it } from 'vitest';
import { compiledHighsModule, loadHighsInstance } from './highs-instance';
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

  it('warms up on an LP that PDLP then the crossover solve to HiGHS’s own optimum', async () => {
    const warmed = await warmHighs();
    expect(warmed.status).toBe('optimal');
    expect(warmed.solver).toBe('pdlp+crossover');
    const exact = await highsSolver.solve(warmUpLp());
    expect(Math.abs(warmed.objective - exact.objective) / Math.abs(exact.objective)).toBeLessThan(1e-9);
  });
});
