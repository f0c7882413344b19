import { describe, expect, it } from 'vitest';
import { complementaryStart, type ComplementaryStart } from './complementary-start';
import { generalLp } from './general-lp';
import { highsSolver } from './highs-solver';
import type { LinearProgram } from './lp';
import { createPdlpSolver } from './pdlp/pdlp-solver';
import { chairsAndTables, dantzigTransport, rangedWithFreeColumn } from './reference-lps';

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/**
 * IPX's acceptance test, as HiGHS applies it: x within its column bounds; each row's slack, bound − activity
 * summed in column order and clipped to its sign, within its bounds; a nonzero reduced cost or row dual only on
 * the bound its sign allows (the slack exactly 0). Also that the reduced costs are c' − Aᵀy of the nearby LP.
 * Returns the violations found.
 */
function ipxViolations(s: ComplementaryStart): string[] {
  const lp = s.nearby;
  const { rows: m, cols: n, colStart, rowIndex, values } = lp.matrix;
  const bad: string[] = [];
  const activity = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const v = s.x[j]!;
    const lo = lp.colLower[j]!;
    const hi = lp.colUpper[j]!;
    if (v < lo || v > hi) bad.push(`column ${j} outside its bounds`);
    let d = lp.objective[j]!;
    for (let k = colStart[j]!; k < colStart[j + 1]!; k++) {
      d -= values[k]! * s.rowDual[rowIndex[k]!]!;
      activity[rowIndex[k]!] = activity[rowIndex[k]!]! + values[k]! * v;
    }
    const z = s.colDual[j]!;
    if (Math.abs(z - d) > 1e-9 * (1 + Math.abs(lp.objective[j]!))) bad.push(`column ${j}: z ≠ c' − Aᵀy`);
    if (lo !== hi && z > 0 && v !== lo) bad.push(`column ${j}: positive reduced cost off its lower bound`);
    if (lo !== hi && z < 0 && v !== hi) bad.push(`column ${j}: negative reduced cost off its upper bound`);
  }
  for (let i = 0; i < m; i++) {
    const lo = lp.rowLower[i]!;
    const hi = lp.rowUpper[i]!;
    const a = activity[i]!;
    const y = s.rowDual[i]!;
    if (lo === hi) continue; // an equality row's slack is 0 by definition
    // One-sided rows are what the general LP has: slack = bound − activity, clipped to its sign.
    const slack = hi < Number.POSITIVE_INFINITY ? Math.max(hi - a, 0) : Math.min(lo - a, 0);
    if (y > 0 && slack !== 0) bad.push(`row ${i}: positive dual off its lower bound`);
    if (y < 0 && slack !== 0) bad.push(`row ${i}: negative dual off its upper bound`);
    if (y > 0 && !(lo > Number.NEGATIVE_INFINITY)) bad.push(`row ${i}: positive dual without a lower bound`);
    if (y < 0 && !(hi < Number.POSITIVE_INFINITY)) bad.push(`row ${i}: negative dual without an upper bound`);
    if (y === 0 && (a < lo || a > hi)) bad.push(`row ${i}: activity outside its bounds`);
  }
  return bad;
}

/** The optimum of the nearby LP, by HiGHS, against the objective of the start's x in it. */
async function nearbyOptimum(s: ComplementaryStart): Promise<{ optimum: number; atStart: number }> {
  const exact = await highsSolver.solve(s.nearby);
  expect(exact.status).toBe('optimal');
  let atStart = s.nearby.objectiveOffset ?? 0;
  for (let j = 0; j < s.x.length; j++) atStart += s.nearby.objective[j]! * s.x[j]!;
  return { optimum: exact.objective, atStart };
}

describe('complementaryStart', () => {
  it.each([
    [1500, 3, 1e-4],
    [3000, 2026, 3e-4],
  ])(
    "makes PDLP's point (%i columns, seed %i, to %s) exactly complementary, and optimal, for a nearby LP",
    async (columns, seed, tolerance) => {
      const lp = generalLp({ columns, seed });
      const first = await createPdlpSolver({ method: 'halpern' }).solve(lp, { tolerance });
      expect(first.status).toBe('optimal');
      const start = complementaryStart(lp, first);
      expect(ipxViolations(start)).toEqual([]);
      // Complementary and feasible means optimal: HiGHS finds nothing better in the nearby LP.
      const { optimum, atStart } = await nearbyOptimum(start);
      expect(relDiff(atStart, optimum)).toBeLessThan(1e-9);
      // And the nearby LP is near: its optimum is the true one to about PDLP's tolerance.
      const exact = await highsSolver.solve(lp);
      expect(relDiff(optimum, exact.objective)).toBeLessThan(10 * tolerance);
      expect(start.movedCosts).toBeGreaterThan(0);
    },
  );

  it('leaves an exact optimum and its LP as they are, up to the hair past each binding activity', async () => {
    const lp = dantzigTransport();
    const exact = await highsSolver.solve(lp);
    const start = complementaryStart(lp, exact);
    expect(ipxViolations(start)).toEqual([]);
    for (let j = 0; j < lp.matrix.cols; j++)
      expect(start.nearby.objective[j]).toBeCloseTo(lp.objective[j]!, 9);
    for (let i = 0; i < lp.matrix.rows; i++) {
      expect(start.nearby.rowLower[i]).toBeCloseTo(lp.rowLower[i]!, 6);
      expect(start.nearby.rowUpper[i]).toBeCloseTo(lp.rowUpper[i]!, 6);
    }
  });

  it('turns a maximisation into the minimisation HiGHS crosses over, negating costs and duals', async () => {
    const lp: LinearProgram = chairsAndTables();
    const exact = await highsSolver.solve(lp);
    const start = complementaryStart(lp, exact);
    expect(start.nearby.sense).toBe('min');
    expect(ipxViolations(start)).toEqual([]);
    for (let j = 0; j < lp.matrix.cols; j++)
      expect(start.nearby.objective[j]).toBeCloseTo(-lp.objective[j]!, 9);
    // Both resources bind, with shadow prices 70/3 and 10/3 in the maximisation: −70/3 and −10/3 as a minimum.
    expect(start.rowDual[0]).toBeCloseTo(-70 / 3, 9);
    expect(start.rowDual[1]).toBeCloseTo(-10 / 3, 9);
    const { optimum, atStart } = await nearbyOptimum(start);
    expect(relDiff(atStart, optimum)).toBeLessThan(1e-11);
    expect(relDiff(optimum, -1100)).toBeLessThan(1e-11);
  });

  it('keeps one side of each two-sided row, the one its dual or activity names, and stays optimal', async () => {
    const lp = rangedWithFreeColumn();
    const twoSided = (p: LinearProgram, i: number) =>
      Number.isFinite(p.rowLower[i]!) && Number.isFinite(p.rowUpper[i]!) && p.rowLower[i] !== p.rowUpper[i];
    expect(Array.from({ length: lp.matrix.rows }, (_, i) => twoSided(lp, i))).toContain(true);
    const exact = await highsSolver.solve(lp);
    const start = complementaryStart(lp, exact);
    for (let i = 0; i < lp.matrix.rows; i++) expect(twoSided(start.nearby, i)).toBe(false);
    expect(ipxViolations(start)).toEqual([]);
    const { optimum, atStart } = await nearbyOptimum(start);
    expect(relDiff(atStart, optimum)).toBeLessThan(1e-11);
    expect(relDiff(optimum, exact.objective)).toBeLessThan(1e-9);
  });
});
