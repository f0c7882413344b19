import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generalLp } from './general-lp';
import { createHighsSolver, highsSolver } from './highs-solver';
import { lpResiduals } from './lp-residuals';
import { parseMps } from './mps';
import {
  chairsAndTables,
  dantzigTransport,
  infeasibleLp,
  rangedWithFreeColumn,
  unboundedLp,
} from './reference-lps';

// netlib lp/data/readme: AFIRO optimal value -4.6475314286E+02.
const AFIRO_OPTIMUM = -464.7531428571;

function afiro() {
  const parsed = parseMps(readFileSync(new URL('./fixtures/afiro.mps', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`afiro.mps line ${parsed.line}: ${parsed.message}`);
  return parsed.lp;
}

describe('HiGHS adapter', () => {
  it('restarts from the previous basis after one coefficient changes: same optimum, far fewer iterations', async () => {
    const base = generalLp({ columns: 1500, seed: 4 });
    const first = await highsSolver.solve(base);
    expect(first.status).toBe('optimal');
    expect(first.basis?.colStatus.length).toBe(base.matrix.cols);
    // One coefficient of a making column falls by a fifth (an input or use saved).
    const values = Float64Array.from(base.matrix.values);
    values[base.matrix.colStart[1]! + 3] = 0.8 * values[base.matrix.colStart[1]! + 3]!;
    const changed = { ...base, matrix: { ...base.matrix, values } };
    const cold = await createHighsSolver({ algorithm: 'simplex' }).solve(changed);
    const warm = await highsSolver.solve(changed, {
      warmStart: { x: first.x, rowDual: first.rowDual, basis: first.basis! },
    });
    expect(cold.status).toBe('optimal');
    expect(warm.status).toBe('optimal');
    expect(Math.abs(warm.objective - cold.objective) / Math.abs(cold.objective)).toBeLessThan(1e-9);
    expect(warm.objective).not.toBe(first.objective);
    expect(warm.iterations).toBeLessThan(cold.iterations / 10);
  });

  it.each([
    [600, 11],
    [2000, 12],
  ])(
    'the primal simplex from a rough basis (%i columns, seed %i) reaches the cold optimum, feasible to 1e-9',
    async (columns, seed) => {
      const lp = generalLp({ columns, seed });
      const cold = await highsSolver.solve(lp);
      // A rough basis, far from optimal: every sixth column swapped into the basis for the slack of its first row,
      // the rest at their lower bounds. The simplex repairs it; only the number of pivots depends on the start.
      const colStatus = new Int32Array(lp.matrix.cols);
      const rowStatus = new Int32Array(lp.matrix.rows).fill(1);
      for (let j = 0; j < lp.matrix.cols; j += 6) {
        const row = lp.matrix.rowIndex[lp.matrix.colStart[j]!]!;
        if (rowStatus[row] !== 1) continue; // one swap per row keeps m basic variables
        colStatus[j] = 1;
        rowStatus[row] = 0;
      }
      const warm = await createHighsSolver({
        algorithm: 'simplex',
        warmStartEdgeWeights: 'devex',
        warmStartSimplex: 'primal',
      }).solve(lp, { warmStart: { x: cold.x, rowDual: cold.rowDual, basis: { colStatus, rowStatus } } });
      expect(cold.status).toBe('optimal');
      expect(warm.status).toBe('optimal');
      expect(Math.abs(warm.objective - cold.objective) / Math.abs(cold.objective)).toBeLessThan(1e-6);
      const r = lpResiduals(lp, warm.x, warm.rowDual);
      expect(Math.max(r.primal, r.dual, r.gap)).toBeLessThan(1e-9);
    },
  );

  it('reads netlib AFIRO with its published dimensions', () => {
    const lp = afiro();
    expect([lp.matrix.rows, lp.matrix.cols, lp.matrix.values.length]).toEqual([27, 32, 83]);
  });

  it('solves netlib AFIRO to its published optimum', async () => {
    const s = await highsSolver.solve(afiro());
    expect(s.status).toBe('optimal');
    expect(Math.abs(s.objective - AFIRO_OPTIMUM) / Math.abs(AFIRO_OPTIMUM)).toBeLessThan(1e-9);
    expect(s.residual).toBeLessThan(1e-7);
    expect(s.iterations).toBeGreaterThan(0);
    expect(s.solver).toBe('highs');
  });

  it("solves Dantzig's transportation problem with the published cost and demand marginals", async () => {
    const s = await highsSolver.solve(dantzigTransport());
    expect(s.status).toBe('optimal');
    expect(s.objective).toBeCloseTo(153.675, 9);
    const duals = Array.from(s.rowDual);
    [0, 0, 0.225, 0.153, 0.126].forEach((d, i) => expect(duals[i]).toBeCloseTo(d, 9));
    expect(Array.from(s.rowActivity.slice(2))).toEqual([325, 300, 275].map((v) => expect.closeTo(v, 9)));
  });

  it('reports shadow prices of a maximisation as the gain per unit of capacity', async () => {
    const s = await highsSolver.solve(chairsAndTables());
    expect(s.objective).toBeCloseTo(1100, 9);
    expect(Array.from(s.x)).toEqual([expect.closeTo(20, 9), expect.closeTo(10, 9)]);
    expect(s.rowDual[0]).toBeCloseTo(70 / 3, 9);
    expect(s.rowDual[1]).toBeCloseTo(10 / 3, 9);
  });

  it('handles a free column, a ranged row and an equality row with their analytic duals', async () => {
    const s = await highsSolver.solve(rangedWithFreeColumn());
    expect(s.status).toBe('optimal');
    expect(s.objective).toBeCloseTo(-6, 9);
    expect(s.rowDual[0]).toBeCloseTo(-1.5, 9);
    expect(s.rowDual[1]).toBeCloseTo(0.5, 9);
  });

  it('reports an infeasible LP as infeasible with an infinite objective', async () => {
    const s = await highsSolver.solve(infeasibleLp());
    expect(s.status).toBe('infeasible');
    expect(s.objective).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports an unbounded maximisation as unbounded', async () => {
    const s = await highsSolver.solve(unboundedLp());
    expect(s.status).toBe('unbounded');
    expect(s.objective).toBe(Number.POSITIVE_INFINITY);
  });

  it('returns cancelled without solving when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const s = await highsSolver.solve(afiro(), { signal: controller.signal });
    expect(s.status).toBe('cancelled');
    expect(s.iterations).toBe(0);
  });

  it('stops at the iteration limit and says so', async () => {
    const s = await highsSolver.solve(afiro(), { maxIterations: 1 });
    expect(s.status).toBe('iteration-limit');
  });

  it('solves repeatedly on fresh Wasm instances with identical answers', async () => {
    const lp = afiro();
    const objectives = [];
    for (let k = 0; k < 5; k++) objectives.push((await highsSolver.solve(lp)).objective);
    expect(new Set(objectives).size).toBe(1);
  });
});

describe('lpResiduals', () => {
  it('measures a violated row bound as primal infeasibility', () => {
    const lp = chairsAndTables();
    const r = lpResiduals(lp, new Float64Array([30, 5]), new Float64Array([70 / 3, 10 / 3]));
    // Row 1: 30 + 2·5 = 40 holds; row 2: 2·30 + 5 = 65 exceeds 50 by 15; finite bounds ‖(40, 50)‖.
    expect(r.primal).toBeCloseTo(15 / (1 + Math.hypot(40, 50)), 12);
    expect(r.dual).toBeLessThan(1e-15);
  });
});
