// Halpern PDHG on two threads (halpern-split.ts, halpern-threads.ts) against the same method on one thread, and
// its answers against HiGHS's. Every array entry is computed by one thread in the one-thread order, so the two
// runs take the same iterations to the same point; only the step's three sums are added in two parts, which may
// move their last digits (the residual that decides restarts), hence objectives compared to 1e-9, not exactly.
import { describe, expect, it } from 'vitest';
import { generalLp } from '../general-lp';
import { highsSolver } from '../highs-solver';
import type { LinearProgram } from '../lp';
import { lpResiduals } from '../lp-residuals';
import { randomFeasibleLp } from '../random-lp';
import { middleOf } from './halpern-split';
import { ThreadModes } from './halpern-threads';
import { createPdlpSolver } from './pdlp-solver';

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** One thread (Infinity) and two threads forced on any size (0), on every iteration (not the faster lately). */
const oneThread = createPdlpSolver({ method: 'halpern', twoThreadsAboveNonzeros: Number.POSITIVE_INFINITY });
const twoThreads = createPdlpSolver({
  method: 'halpern',
  twoThreadsAboveNonzeros: 0,
  twoThreadsMeasured: false,
});
/** Two threads where they measure faster, one where not: switching between them keeps the same iterates. */
const measured = createPdlpSolver({ method: 'halpern', twoThreadsAboveNonzeros: 0 });

async function compare(lp: LinearProgram, tolerance: number, solver = twoThreads) {
  const one = await oneThread.solve(lp, { tolerance });
  const two = await solver.solve(lp, { tolerance });
  expect(two.status).toBe('optimal');
  expect(one.status).toBe('optimal');
  expect(two.iterations).toBe(one.iterations);
  expect(relDiff(two.objective, one.objective)).toBeLessThan(1e-9);
  let worst = 0;
  for (let j = 0; j < lp.matrix.cols; j++)
    worst = Math.max(worst, Math.abs(two.x[j]! - one.x[j]!) / (1 + Math.abs(one.x[j]!)));
  expect(worst).toBeLessThan(1e-9);
  const exact = await highsSolver.solve(lp);
  expect(exact.status).toBe('optimal');
  expect(relDiff(two.objective, exact.objective)).toBeLessThan(10 * tolerance);
  const r = lpResiduals(lp, two.x, two.rowDual);
  expect(Math.max(r.primal, r.dual, r.gap)).toBeLessThanOrEqual(tolerance);
}

describe('Halpern PDHG on two threads', () => {
  it('takes the one-thread iterations to the same point on the general LP (1,000 columns), checked by HiGHS', async () => {
    await compare(generalLp({ columns: 1_000, seed: 7 }), 1e-6);
  }, 60_000);

  it('does the same when it switches between one and two threads by their measured speed', async () => {
    await compare(generalLp({ columns: 1_000, seed: 7 }), 1e-6, measured);
  }, 60_000);

  it('does the same on random feasible LPs with free columns, ranges and empty rows', async () => {
    for (const seed of [3, 11, 19])
      await compare(randomFeasibleLp({ rows: 40, cols: 30, perColumn: 4, seed }), 1e-6);
  }, 60_000);

  it('stops at the iteration limit between batches, at the limit exactly', async () => {
    const lp = generalLp({ columns: 600, seed: 3 });
    const one = await oneThread.solve(lp, { tolerance: 1e-12, maxIterations: 150 });
    const two = await twoThreads.solve(lp, { tolerance: 1e-12, maxIterations: 150 });
    expect(two.status).toBe('iteration-limit');
    expect(two.iterations).toBe(150);
    expect(relDiff(two.objective, one.objective)).toBeLessThan(1e-9);
  }, 60_000);
});

describe('middleOf', () => {
  it('splits majors into two blocks of about equal weight (entries plus majors)', () => {
    // Majors of 10, 0, 0, 0, 10 entries: 20 entries plus 5 majors, half 12.5. Majors 0–2 weigh 10 + 3 = 13, the
    // first block to reach half; majors 3–4 weigh 10 + 2 = 12.
    expect(middleOf(Int32Array.from([0, 10, 10, 10, 10, 20]))).toBe(3);
    // Majors of 0, 0, 0, 6 entries, half 5: the three empty ones (3) are nearer half than all four (10).
    expect(middleOf(Int32Array.from([0, 0, 0, 0, 6]))).toBe(3);
    expect(middleOf(Int32Array.from([0]))).toBe(0);
  });
});

describe('ThreadModes', () => {
  it('measures both modes (skipping the first window after each switch), keeps the faster, probes the other again', () => {
    const modes = new ThreadModes(1_000);
    // Two threads first: their first window is not measured, the second (2 ms an iteration) is.
    expect(modes.choose(true, 99, 0)).toBe(true);
    expect(modes.choose(true, 2, 10)).toBe(false);
    // One thread: first window skipped, second measured at 3 ms: two threads were faster.
    expect(modes.choose(false, 0.1, 20)).toBe(false);
    expect(modes.choose(false, 3, 30)).toBe(true);
    expect(modes.choose(true, 50, 40)).toBe(true);
    // Two threads measured at 2.5 ms: still faster than one's 3 ms, until one's figure is 1,000 ms old.
    expect(modes.choose(true, 2.5, 500)).toBe(true);
    expect(modes.choose(true, 2.5, 1_031)).toBe(false);
    // The probe finds one thread faster now (1 ms against 2.5 ms): it stays there.
    expect(modes.choose(false, 9, 1_040)).toBe(false);
    expect(modes.choose(false, 1, 1_050)).toBe(false);
    expect(modes.choose(false, 1, 1_060)).toBe(false);
  });
});
