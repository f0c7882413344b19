// The dual polish against HiGHS's exact answer: from HiGHS's vertex with its duals disturbed, CGLS on the basic
// columns must bring back duals that pass all three KKT criteria (lpResiduals, in original units) and equal
// HiGHS's duals, which are unique at these nondegenerate vertices.
import { describe, expect, it } from 'vitest';
import { generalLp } from '../general-lp';
import { highsSolver } from '../highs-solver';
import type { LinearProgram } from '../lp';
import { lpResiduals } from '../lp-residuals';
import { prng } from '../random-lp';
import { dantzigTransport } from '../reference-lps';
import { measureIterate } from './convergence';
import { DualPolisher, polishDuals } from './dual-polish';
import { newIterate, type Iterate } from './pdhg';
import { scaleProblem, type ScaledProblem } from './scaled-problem';
import { multiplyCompressed } from './sparse-multiply';

const TOLERANCE = 1e-7;

/** HiGHS's optimal pair in PDHG's scaled space, products included. */
async function exactIterate(
  lp: LinearProgram,
): Promise<{ p: ScaledProblem; z: Iterate; rowDual: Float64Array }> {
  const exact = await highsSolver.solve(lp);
  expect(exact.status).toBe('optimal');
  const p = scaleProblem(lp);
  const z = newIterate(p.cols, p.rows);
  for (let j = 0; j < p.cols; j++) z.x[j] = (exact.x[j] as number) / (p.colScale[j] as number);
  for (let i = 0; i < p.rows; i++)
    z.y[i] = (p.sign * (exact.rowDual[i] as number)) / (p.rowScale[i] as number);
  multiplyCompressed(p.rowStart, p.colIndex, p.rowValues, z.x, z.ax);
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, z.y, z.aty);
  return { p, z, rowDual: Float64Array.from(exact.rowDual) };
}

/** Disturbs the non-zero duals by up to `size` relative, keeping their signs, and refreshes Aᵀy. */
function disturb(p: ScaledProblem, z: Iterate, size: number, seed: number): void {
  const rand = prng(seed);
  for (let i = 0; i < p.rows; i++) {
    const y = z.y[i] as number;
    if (y !== 0) z.y[i] = y * (1 + size * (2 * rand() - 1));
  }
  multiplyCompressed(p.colStart, p.rowIndex, p.colValues, z.y, z.aty);
}

const cases: [string, () => LinearProgram][] = [
  ['the general capacity LP at 300 columns', () => generalLp({ columns: 300, seed: 11 })],
  ['the general capacity LP at 900 columns', () => generalLp({ columns: 900, seed: 12 })],
  ["Dantzig's transport problem", dantzigTransport],
];

describe('polishDuals', () => {
  it.each(cases)('restores the KKT conditions on %s', async (_, build) => {
    const lp = build();
    const { p, z, rowDual } = await exactIterate(lp);
    disturb(p, z, 1e-3, 7);
    const before = measureIterate(p, z.x, z.ax, z.y, z.aty);
    // The disturbance must break the dual criterion, or the test would prove nothing.
    expect(before.dualRelative).toBeGreaterThan(10 * TOLERANCE);

    const r = polishDuals(p, z, TOLERANCE, 4 * p.rows);
    expect(r.point).toBeDefined();
    const point = r.point as Iterate;
    const polishedDual = new Float64Array(p.rows);
    const x = new Float64Array(p.cols);
    for (let i = 0; i < p.rows; i++)
      polishedDual[i] = p.sign * (point.y[i] as number) * (p.rowScale[i] as number);
    for (let j = 0; j < p.cols; j++) x[j] = (point.x[j] as number) * (p.colScale[j] as number);
    // Checked independently in original units, not by the polish's own measure.
    const check = lpResiduals(lp, x, polishedDual);
    expect(check.primal).toBeLessThanOrEqual(TOLERANCE);
    expect(check.dual).toBeLessThanOrEqual(TOLERANCE);
    expect(check.gap).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(cases)('converges to HiGHS duals on %s when asked for more', async (_, build) => {
    const lp = build();
    const { p, z, rowDual } = await exactIterate(lp);
    disturb(p, z, 1e-3, 7);
    const r = polishDuals(p, z, 1e-12, 20 * p.rows);
    expect(r.point).toBeDefined();
    const point = r.point as Iterate;
    const polishedDual = new Float64Array(p.rows);
    for (let i = 0; i < p.rows; i++)
      polishedDual[i] = p.sign * (point.y[i] as number) * (p.rowScale[i] as number);
    let worst = 0;
    for (let i = 0; i < p.rows; i++)
      worst = Math.max(
        worst,
        Math.abs((polishedDual[i] as number) - (rowDual[i] as number)) / (1 + Math.abs(rowDual[i] as number)),
      );
    expect(worst).toBeLessThan(1e-6);
  });

  it('reports no point when the budget is too small to meet the tolerance', async () => {
    const { p, z } = await exactIterate(generalLp({ columns: 900, seed: 12 }));
    disturb(p, z, 1e-2, 8);
    const r = polishDuals(p, z, TOLERANCE, 1);
    expect(r.point).toBeUndefined();
    expect(r.measure.dualRelative).toBeGreaterThan(TOLERANCE);
  });
});

describe('DualPolisher', () => {
  it('polishes only when the primal residual and gap already pass, at most once per stretch of iterations', async () => {
    const { p, z } = await exactIterate(generalLp({ columns: 300, seed: 11 }));
    disturb(p, z, 1e-5, 9);
    const m = measureIterate(p, z.x, z.ax, z.y, z.aty);
    const polisher = new DualPolisher(p, TOLERANCE);
    // A primal residual above the tolerance: no attempt.
    expect(
      polisher.tryAt(z, { ...m, primalRelative: 2 * TOLERANCE, dualRelative: 2 * TOLERANCE }, 5000),
    ).toBeUndefined();
    expect(polisher.attempts).toBe(0);
    const ready = { ...m, primalRelative: 0, gapRelative: 0, dualRelative: 2 * TOLERANCE };
    const first = polisher.tryAt(z, ready, 5000);
    expect(polisher.attempts).toBe(1);
    expect(first?.point).toBeDefined();
    // Too soon after the last attempt.
    expect(polisher.tryAt(z, ready, 5100)).toBeUndefined();
    expect(polisher.attempts).toBe(1);
  });
});
