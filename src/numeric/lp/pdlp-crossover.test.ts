import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessBasis } from './basis-guess';
import { generalLp } from './general-lp';
import { highsSolver } from './highs-solver';
import type { LinearProgram, LpSolver } from './lp';
import { lpResiduals } from './lp-residuals';
import { solutionWithoutPoint } from './lp-solution';
import { parseMps } from './mps';
import { createPdlpCrossoverSolver, pdlpCrossoverSolver, unverified } from './pdlp-crossover';
import { randomFeasibleLp } from './random-lp';
import {
  chairsAndTables,
  dantzigTransport,
  infeasibleLp,
  rangedWithFreeColumn,
  unboundedLp,
} from './reference-lps';

// netlib lp/data/readme: AFIRO optimal value -4.6475314286E+02 (11 significant digits).
const AFIRO_OPTIMUM = -464.7531428571;
const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function afiro(): LinearProgram {
  const parsed = parseMps(readFileSync(new URL('./fixtures/afiro.mps', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`afiro.mps line ${parsed.line}: ${parsed.message}`);
  return parsed.lp;
}

/** The LP with every row repeated: each optimal vertex is degenerate (twice the active rows it needs). */
function withRowsRepeated(lp: LinearProgram): LinearProgram {
  const { rows: m, cols: n, colStart, rowIndex, values } = lp.matrix;
  const start = new Int32Array(n + 1);
  const index = new Int32Array(2 * rowIndex.length);
  const vals = new Float64Array(2 * values.length);
  for (let j = 0, k = 0; j < n; j++) {
    for (let p = colStart[j]!; p < colStart[j + 1]!; p++) {
      index[k] = rowIndex[p]!;
      vals[k++] = values[p]!;
    }
    for (let p = colStart[j]!; p < colStart[j + 1]!; p++) {
      index[k] = m + rowIndex[p]!;
      vals[k++] = values[p]!;
    }
    start[j + 1] = k;
  }
  const twice = (a: Float64Array) => Float64Array.from([...a, ...a]);
  return {
    ...lp,
    matrix: { rows: 2 * m, cols: n, colStart: start, rowIndex: index, values: vals },
    rowLower: twice(lp.rowLower),
    rowUpper: twice(lp.rowUpper),
  };
}

describe('guessBasis', () => {
  it('recovers the optimal basis of the chairs-and-tables LP from its exact solution', async () => {
    const lp = chairsAndTables();
    const exact = await highsSolver.solve(lp);
    const guess = guessBasis(lp, exact);
    // Both products are made (basic) and both resources are used up (slacks nonbasic at their upper bounds).
    expect(Array.from(guess.colStatus)).toEqual([1, 1]);
    expect(Array.from(guess.rowStatus)).toEqual([2, 2]);
    expect(guess.basicColumns).toBe(2);
  });

  it('always makes exactly one variable basic per row, filling with slacks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const lp = randomFeasibleLp({ rows: 8, cols: 5, perColumn: 3, seed });
        const { rows: m, cols: n } = lp.matrix;
        // A point with every column interior: more candidates than rows, so the cap must hold.
        const point = {
          x: new Float64Array(n).fill(0.5),
          rowActivity: new Float64Array(m),
          colDual: new Float64Array(n),
          rowDual: new Float64Array(m).fill(1),
        };
        const guess = guessBasis(lp, point);
        const basic =
          guess.colStatus.filter((s) => s === 1).length + guess.rowStatus.filter((s) => s === 1).length;
        expect(basic).toBe(m);
      }),
      { seed: 7, numRuns: 30 },
    );
  });
});

describe('PDLP then crossover', () => {
  it('reaches the published optimum of netlib AFIRO to 1e-10 relative, as a vertex with exact duals', async () => {
    const s = await pdlpCrossoverSolver.solve(afiro());
    expect(s.status).toBe('optimal');
    expect(s.solver).toBe('pdlp+crossover');
    expect(s.message).toContain('HiGHS crossover');
    expect(relDiff(s.objective, AFIRO_OPTIMUM)).toBeLessThan(1e-10);
    expect(s.residual).toBeLessThan(1e-9);
    expect(s.basis).toBeDefined();
  });

  it("gives Dantzig's published demand marginals exactly", async () => {
    const s = await pdlpCrossoverSolver.solve(dantzigTransport());
    expect(s.objective).toBeCloseTo(153.675, 9);
    [0, 0, 0.225, 0.153, 0.126].forEach((d, i) => expect(s.rowDual[i]).toBeCloseTo(d, 9));
  });

  it('keeps the shadow-price sign convention of a maximisation, and handles free columns and ranges', async () => {
    const max = await pdlpCrossoverSolver.solve(chairsAndTables());
    expect(max.objective).toBeCloseTo(1100, 9);
    expect(max.rowDual[0]).toBeCloseTo(70 / 3, 9);
    expect(max.rowDual[1]).toBeCloseTo(10 / 3, 9);
    const ranged = await pdlpCrossoverSolver.solve(rangedWithFreeColumn());
    expect(ranged.objective).toBeCloseTo(-6, 9);
    expect(ranged.rowDual[0]).toBeCloseTo(-1.5, 9);
    expect(ranged.rowDual[1]).toBeCloseTo(0.5, 9);
  });

  it('reports infeasible and unbounded LPs, confirmed by HiGHS', async () => {
    const infeasible = await pdlpCrossoverSolver.solve(infeasibleLp());
    expect(infeasible.status).toBe('infeasible');
    expect(infeasible.message).toContain('HiGHS from a cold start');
    const unbounded = await pdlpCrossoverSolver.solve(unboundedLp());
    expect(unbounded.status).toBe('unbounded');
  });

  it.each([
    [300, 1, 'highs', 'HiGHS crossover'],
    [1500, 3, 'highs', 'HiGHS crossover'],
    [3000, 2026, 'highs', 'HiGHS crossover'],
    [1500, 3, 'guessed-basis', 'guessed basis'],
    [3000, 2026, 'guessed-basis', 'guessed basis'],
  ] as const)(
    'equals HiGHS on a general capacity LP (%i columns, seed %i, crossover %s) to 1e-9, feasible to 1e-9',
    async (columns, seed, crossover, says) => {
      const lp = generalLp({ columns, seed });
      const exact = await highsSolver.solve(lp);
      const ours = await createPdlpCrossoverSolver({ crossover }).solve(lp);
      expect(exact.status).toBe('optimal');
      expect(ours.status).toBe('optimal');
      // The crossover asked for did the work: no fallback to the other one or to a cold HiGHS solve.
      expect(ours.message).toContain(says);
      expect(ours.message).not.toContain('failed');
      expect(relDiff(ours.objective, exact.objective)).toBeLessThan(1e-9);
      const r = lpResiduals(lp, ours.x, ours.rowDual);
      expect(Math.max(r.primal, r.dual, r.gap)).toBeLessThan(1e-9);
    },
  );

  it('equals HiGHS on random LPs, degenerate ones included (every row repeated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 2, max: 40 }),
        fc.boolean(),
        async (seed, rows, cols, degenerate) => {
          const base = randomFeasibleLp({ rows, cols, perColumn: 3, seed });
          const lp = degenerate ? withRowsRepeated(base) : base;
          const exact = await highsSolver.solve(lp);
          const ours = await pdlpCrossoverSolver.solve(lp);
          expect(ours.status).toBe(exact.status);
          if (exact.status === 'optimal') {
            expect(relDiff(ours.objective, exact.objective)).toBeLessThan(1e-9);
            expect(ours.residual).toBeLessThan(1e-7);
          }
        },
      ),
      { seed: 20261130, numRuns: 25 },
    );
  });

  it('turns to HiGHS crossover when the simplex fails on the guessed basis, and says so', async () => {
    const failing: LpSolver = {
      name: 'failing',
      solve: async (lp) => solutionWithoutPoint(lp, 'error', 'ill-conditioned basis', 'failing', 0),
    };
    const lp = generalLp({ columns: 300, seed: 1 });
    const exact = await highsSolver.solve(lp);
    const s = await createPdlpCrossoverSolver({ crossover: 'guessed-basis', simplex: failing }).solve(lp);
    expect(s.status).toBe('optimal');
    expect(s.message).toContain('HiGHS crossover');
    expect(relDiff(s.objective, exact.objective)).toBeLessThan(1e-9);
  });

  it('never reports an answer that fails its own check: a wrong "optimal" vertex is set aside', async () => {
    const lp = generalLp({ columns: 300, seed: 1 });
    const exact = await highsSolver.solve(lp);
    // A simplex that claims optimality for a point that breaks the balance rows (every column at zero).
    const lying: LpSolver = {
      name: 'lying',
      solve: async (p) => ({ ...exact, x: new Float64Array(p.matrix.cols), objective: 0, residual: 0 }),
    };
    expect(unverified(lp, exact)).toBeNull();
    expect(unverified(lp, await lying.solve(lp))).toContain('failed the check');
    const s = await createPdlpCrossoverSolver({ crossover: 'guessed-basis', simplex: lying }).solve(lp);
    expect(s.status).toBe('optimal');
    expect(s.message).toContain('HiGHS crossover');
    expect(relDiff(s.objective, exact.objective)).toBeLessThan(1e-9);
  });

  it('falls back to a plain HiGHS solve when both crossovers fail, and says why', async () => {
    const failing: LpSolver = {
      name: 'failing',
      solve: async (lp) => solutionWithoutPoint(lp, 'error', 'ill-conditioned basis', 'failing', 0),
    };
    // A maximisation with a free column and a ranged row: HiGHS's crossover gets a two-sided row, and with the
    // simplex failing too the cold solve must decide.
    const lp = rangedWithFreeColumn();
    const s = await createPdlpCrossoverSolver({ crossover: 'guessed-basis', simplex: failing }).solve(lp);
    expect(s.status).toBe('optimal');
    expect(s.objective).toBeCloseTo(-6, 9);
    if (s.message?.includes('HiGHS from a cold start')) expect(s.message).toContain('ill-conditioned basis');
    else expect(s.message).toContain('HiGHS crossover');
  });

  it('stops at its time limit without a crossover', async () => {
    const lp = generalLp({ columns: 3000, seed: 5 });
    const s = await pdlpCrossoverSolver.solve(lp, { timeLimitSeconds: 0 });
    expect(s.status).toBe('time-limit');
    expect(s.message).toContain('before the crossover');
  });

  it("above its size bound answers with PDLP's own point, checked to 1e-7, equal to HiGHS", async () => {
    const lp = generalLp({ columns: 1500, seed: 3 });
    const exact = await highsSolver.solve(lp);
    const s = await createPdlpCrossoverSolver({ directAboveNonzeros: 0 }).solve(lp);
    expect(s.status).toBe('optimal');
    expect(s.message).toContain('no crossover');
    const r = lpResiduals(lp, s.x, s.rowDual);
    expect(Math.max(r.primal, r.dual, r.gap)).toBeLessThanOrEqual(1e-7);
    // A relative gap of 1e-7 bounds the objective's distance to the optimum by about that much.
    expect(relDiff(s.objective, exact.objective)).toBeLessThan(1e-6);
  }, 60_000);
});
