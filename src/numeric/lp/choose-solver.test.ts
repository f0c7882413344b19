import { describe, expect, it } from 'vitest';
import { generalLp } from './general-lp';
import { highsSolver } from './highs-solver';
import { chooseSolver, IPM_ABOVE_NONZEROS, PDLP_ABOVE_NONZEROS } from './choose-solver';
import { pdlpCrossoverSolver } from './pdlp-crossover';
import { randomFeasibleLp } from './random-lp';
import { dantzigTransport } from './reference-lps';

describe('chooseSolver', () => {
  it('picks HiGHS for a small LP under auto', () => {
    expect(chooseSolver(dantzigTransport()).name).toBe('highs');
  });

  it('picks PDLP once the matrix has more nonzeros than the measured threshold', () => {
    const cols = PDLP_ABOVE_NONZEROS / 4 + 1;
    const lp = randomFeasibleLp({ rows: Math.round(cols / 3), cols, perColumn: 4, seed: 1 });
    expect(chooseSolver(lp, { solver: 'auto' }).name).toBe('pdlp');
  });

  it('honours an explicit choice regardless of size', () => {
    expect(chooseSolver(dantzigTransport(), { solver: 'pdlp' }).name).toBe('pdlp');
    const lp = randomFeasibleLp({ rows: 20_000, cols: 60_000, perColumn: 1, seed: 1 });
    expect(chooseSolver(lp, { solver: 'highs' }).name).toBe('highs');
  });

  it('for an exact answer never picks PDLP alone: HiGHS simplex when small, PDLP then crossover when large', () => {
    const small = generalLp({ columns: 300, seed: 1 });
    expect(small.matrix.values.length).toBeLessThan(IPM_ABOVE_NONZEROS);
    expect(chooseSolver(small, { tolerance: 1e-7 })).toBe(highsSolver);
    const large = generalLp({ columns: 10_000, seed: 1 });
    expect(large.matrix.values.length).toBeGreaterThan(Math.max(IPM_ABOVE_NONZEROS, PDLP_ABOVE_NONZEROS));
    expect(chooseSolver(large, { tolerance: 1e-7 })).toBe(pdlpCrossoverSolver);
    // At planning accuracy the same LP goes to PDLP.
    expect(chooseSolver(large, { tolerance: 1e-4 }).name).toBe('pdlp');
    expect(chooseSolver(large).name).toBe('pdlp');
  });
});
