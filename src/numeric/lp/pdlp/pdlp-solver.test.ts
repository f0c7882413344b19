import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../highs-solver';
import type { LinearProgram } from '../lp';
import { parseMps } from '../mps';
import { generalLp } from '../general-lp';
import { randomFeasibleLp } from '../random-lp';
import {
  chairsAndTables,
  dantzigTransport,
  infeasibleLp,
  rangedWithFreeColumn,
  unboundedLp,
} from '../reference-lps';
import { createPdlpSolver, pdlpSolver } from './pdlp-solver';

// netlib lp/data/readme: AFIRO optimal value -4.6475314286E+02.
const AFIRO_OPTIMUM = -464.7531428571;
const relDiff = (a: number, b: number) => Math.abs(a - b) / (1 + Math.abs(b));

function afiro(): LinearProgram {
  const parsed = parseMps(readFileSync(new URL('../fixtures/afiro.mps', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`afiro.mps line ${parsed.line}: ${parsed.message}`);
  return parsed.lp;
}

const METHODS = ['adaptive', 'halpern'] as const;

/** Feasible and bounded by construction, so "infeasible" or "unbounded" from PDLP is always wrong. */
async function expectNoFalseRay(lp: LinearProgram): Promise<'optimal' | 'other'> {
  const exact = await highsSolver.solve(lp);
  expect(exact.status).toBe('optimal');
  let optimal = true;
  for (const method of METHODS) {
    const ours = await createPdlpSolver({ method }).solve(lp, { tolerance: 1e-8 });
    expect(['infeasible', 'unbounded'], method).not.toContain(ours.status);
    if (ours.status === 'optimal') {
      const rel = Math.abs(ours.objective - exact.objective) / Math.max(1, Math.abs(exact.objective));
      expect(rel, method).toBeLessThan(1e-6);
    } else optimal = false;
  }
  return optimal ? 'optimal' : 'other';
}

describe('PDLP certificates on feasible LPs', () => {
  // Seeds 5 and 25 (10 rows, 3 columns) were reported infeasible after 128 iterations: the difference of two
  // iterates had dual entries of a sign no finite row bound supports, which the ray test used to drop.
  it.each([5, 25])('never reports a ray on random feasible LP seed %i, and matches HiGHS', async (seed) => {
    const lp = randomFeasibleLp({ rows: 10, cols: 3, perColumn: 3, seed });
    expect(await expectNoFalseRay(lp)).toBe('optimal');
  });

  it('never reports a ray on random feasible LPs (a known feasible point by construction)', async () => {
    const outcomes: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        async (seed, rows, cols, perColumn) => {
          outcomes.push(await expectNoFalseRay(randomFeasibleLp({ rows, cols, perColumn, seed })));
        },
      ),
      { seed: 20261130, numRuns: 40 },
    );
    // The objective comparison must not be vacuous: nearly every run ends optimal.
    expect(outcomes.filter((o) => o === 'optimal').length).toBeGreaterThanOrEqual(37);
  });
});

describe('PDLP solver', () => {
  it('solves netlib AFIRO to within 1e-4 of the published optimum', async () => {
    const s = await pdlpSolver.solve(afiro(), { tolerance: 1e-6 });
    expect(s.status).toBe('optimal');
    expect(s.solver).toBe('pdlp');
    expect(relDiff(s.objective, AFIRO_OPTIMUM)).toBeLessThan(1e-4);
    expect(s.residual).toBeLessThan(1e-5);
  });

  it('meets its default relative tolerance of 1e-4 on AFIRO', async () => {
    const s = await pdlpSolver.solve(afiro());
    expect(s.status).toBe('optimal');
    expect(s.residual).toBeLessThan(1e-4);
  });

  it("recovers the published demand marginals of Dantzig's transportation problem", async () => {
    const s = await pdlpSolver.solve(dantzigTransport(), { tolerance: 1e-8 });
    expect(s.objective).toBeCloseTo(153.675, 4);
    [0, 0, 0.225, 0.153, 0.126].forEach((d, i) => expect(s.rowDual[i]).toBeCloseTo(d, 4));
  });

  it('reports shadow prices of a maximisation with the same sign convention as HiGHS', async () => {
    const s = await pdlpSolver.solve(chairsAndTables(), { tolerance: 1e-8 });
    expect(s.objective).toBeCloseTo(1100, 4);
    expect(s.rowDual[0]).toBeCloseTo(70 / 3, 4);
    expect(s.rowDual[1]).toBeCloseTo(10 / 3, 4);
  });

  it('handles a free column, a ranged row and an equality row', async () => {
    const s = await pdlpSolver.solve(rangedWithFreeColumn(), { tolerance: 1e-8 });
    expect(s.objective).toBeCloseTo(-6, 6);
    expect(s.rowDual[0]).toBeCloseTo(-1.5, 4);
    expect(s.rowDual[1]).toBeCloseTo(0.5, 4);
  });

  it.each(METHODS)('detects an infeasible LP from a dual ray (%s)', async (method) => {
    const s = await createPdlpSolver({ method }).solve(infeasibleLp());
    expect(s.status).toBe('infeasible');
  });

  it.each(METHODS)('detects an unbounded LP from a primal ray (%s)', async (method) => {
    const s = await createPdlpSolver({ method }).solve(unboundedLp());
    expect(s.status).toBe('unbounded');
  });

  it('agrees with HiGHS on random feasible LPs within 1e-4 relative', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 20 }),
        async (seed, rows, cols) => {
          const lp = randomFeasibleLp({ rows, cols, perColumn: 3, seed });
          const exact = await highsSolver.solve(lp);
          const ours = await pdlpSolver.solve(lp, { tolerance: 1e-6 });
          expect(exact.status).toBe('optimal');
          expect(ours.status).toBe('optimal');
          expect(relDiff(ours.objective, exact.objective)).toBeLessThan(1e-4);
        },
      ),
      { seed: 20240611, numRuns: 15 },
    );
  });

  it.each([
    [300, 1],
    [600, 2],
    [1500, 3],
  ])(
    'reaches HiGHS objective within 1e-6 relative on a general capacity LP (%i columns, seed %i), with binding limits',
    async (columns, seed) => {
      const lp = generalLp({ columns, seed });
      const exact = await highsSolver.solve(lp);
      expect(exact.status).toBe('optimal');
      // The generator promises several binding limits: rows with a finite upper bound and a non-zero dual.
      let binding = 0;
      for (let i = 0; i < lp.matrix.rows; i++)
        if (Number.isFinite(lp.rowUpper[i]) && Math.abs(exact.rowDual[i]!) > 1e-9) binding++;
      expect(binding).toBeGreaterThanOrEqual(3);
      for (const method of ['adaptive', 'halpern'] as const) {
        const ours = await createPdlpSolver({ method }).solve(lp, { tolerance: 1e-8 });
        expect(ours.status, method).toBe('optimal');
        expect(
          Math.abs(ours.objective - exact.objective) / Math.max(1, Math.abs(exact.objective)),
          method,
        ).toBeLessThan(1e-6);
      }
    },
  );

  it('warm-started from the optimum of a slightly perturbed problem needs far fewer iterations', async () => {
    const base = randomFeasibleLp({ rows: 200, cols: 600, perColumn: 4, seed: 11 });
    const first = await pdlpSolver.solve(base, { tolerance: 1e-6 });
    const perturbed: LinearProgram = {
      ...base,
      objective: base.objective.map((c, j) => c * (1 + 0.001 * Math.sin(j))),
    };
    const cold = await pdlpSolver.solve(perturbed, { tolerance: 1e-6 });
    const warm = await pdlpSolver.solve(perturbed, {
      tolerance: 1e-6,
      warmStart: { x: first.x, rowDual: first.rowDual },
    });
    expect(cold.status).toBe('optimal');
    expect(warm.status).toBe('optimal');
    expect(relDiff(warm.objective, cold.objective)).toBeLessThan(1e-4);
    expect(warm.iterations).toBeLessThan(cold.iterations / 3);
  });

  it('reports the iteration limit honestly with the residual it reached', async () => {
    const s = await pdlpSolver.solve(afiro(), { maxIterations: 64, tolerance: 1e-8 });
    expect(s.status).toBe('iteration-limit');
    expect(s.iterations).toBe(64);
    expect(s.residual).toBeGreaterThan(1e-8);
    expect(Number.isFinite(s.objective)).toBe(true);
  });

  it('stops with cancelled when the signal fires during the run', async () => {
    const lp = randomFeasibleLp({ rows: 300, cols: 900, perColumn: 4, seed: 3 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    // A zero tolerance never converges, so only the signal can end this run.
    const s = await createPdlpSolver({ maxIterations: 1e9 }).solve(lp, {
      tolerance: 0,
      signal: controller.signal,
    });
    expect(s.status).toBe('cancelled');
  });

  it('reports progress with non-decreasing fractions ending at 1', async () => {
    const fractions: number[] = [];
    const solver = createPdlpSolver({ progressEvery: 64 });
    await solver.solve(afiro(), { tolerance: 1e-6, onProgress: (p) => fractions.push(p.fraction ?? -1) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (fractions[i - 1] ?? 0)))).toBe(
      true,
    );
    expect(fractions.at(-1)).toBe(1);
  });
});
