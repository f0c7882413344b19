import { describe, expect, it } from 'vitest';
import { chooseSolver, PDLP_ABOVE_NONZEROS } from './choose-solver';
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
});
