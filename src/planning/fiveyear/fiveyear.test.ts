import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/errors';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { solvePlan } from '../formulation/solve-plan';
import { parseFiveYearFiles } from './fiveyear-files';
import type { FiveYearFiles } from './fiveyear-files';
import { fiveYearLp } from './fiveyear-lp';
import { fiveYearPlanSpec } from './fiveyear-spec';

// Fixtures: our own four-product, five-year economy in the 5yearplan format (see fixtures/README.md).
const dir = join(import.meta.dirname, 'fixtures');
const files: FiveYearFiles = {
  flows: readFileSync(join(dir, 'flows.csv'), 'utf8'),
  cap: readFileSync(join(dir, 'cap.csv'), 'utf8'),
  dep: readFileSync(join(dir, 'dep.csv'), 'utf8'),
  labtarg: readFileSync(join(dir, 'labtarg.csv'), 'utf8'),
};

describe('5yearplan files', () => {
  it('reads products, flows, labour, output, stocks, depreciation, labour supply and targets', () => {
    const d = parseFiveYearFiles(files);
    expect(d.products).toEqual(['steel', 'power', 'grain', 'cloth']);
    expect(d.flows[1]).toEqual([3, 0.5, 0.4, 1]);
    expect(d.labour).toEqual([2, 1, 6, 3]);
    expect(d.output).toEqual([20, 12, 30, 8]);
    expect(d.capital[0]).toEqual([30, 40, 5, 6]);
    expect(d.depreciation[3]![3]).toBe(0.25);
    expect(d.labourSupply).toEqual([40, 41, 42, 43, 44]);
    expect(d.targets[2]).toEqual([2.1, 3.2, 20, 6]);
  });

  it('names the cell of a bad number and a product missing from a header', () => {
    const bad = {
      ...files,
      cap: files.cap.replace('steel,30', 'steel,lots'),
      labtarg: files.labtarg.replace('grain,cloth', 'grain,wool'),
    };
    try {
      parseFiveYearFiles(bad);
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e)).toBe(true);
      if (!isDomainError(e)) return;
      expect(e.kind).toBe('invalid');
      expect(e.issues.map((i) => i.field)).toEqual([
        'cap.csv!row steel, column steel',
        'labtarg.csv!header column 5',
      ]);
    }
  });

  it('names the file, row and column of a short row, instead of reading zeros', () => {
    const short = { ...files, cap: files.cap.replace(/^(power,[^,\n]*,[^,\n]*),[^\n]*$/m, '$1') };
    try {
      parseFiveYearFiles(short);
      expect.unreachable();
    } catch (e) {
      if (!isDomainError(e)) throw e;
      expect(e.issues.map((i) => i.field)).toContain('cap.csv!row power, column grain');
    }
  });

  it('refuses a product that has a row but no column in flows.csv', () => {
    const lines = files.flows.trim().split('\n');
    // Drop the cloth column everywhere: the cloth row is left without a column.
    const dropped = lines.map((l) => l.split(',').slice(0, 4).join(',')).join('\n');
    try {
      parseFiveYearFiles({ ...files, flows: dropped });
      expect.unreachable();
    } catch (e) {
      if (!isDomainError(e)) throw e;
      expect(e.issues.map((i) => i.field)).toContain('flows.csv!row cloth');
    }
  });

  it('refuses a year without labour', () => {
    const none = { ...files, labtarg: files.labtarg.replace(/,40\s*$/m, ',0') };
    expect(() => parseFiveYearFiles(none)).toThrow(/labour supply must be positive/);
  });

  it('refuses a flows table without an output row', () => {
    expect(() => parseFiveYearFiles({ ...files, flows: files.flows.replace(/output.*\n/, '') })).toThrow(
      /output/,
    );
  });
});

describe('5yearplan LP', () => {
  it('reaches the same optimum as our own formulation of the same plan', async () => {
    const d = parseFiveYearFiles(files);
    const theirs = await highsSolver.solve(fiveYearLp(d));
    const ours = await solvePlan(fiveYearPlanSpec(d), highsSolver);
    expect(theirs.status).toBe('optimal');
    expect(ours.result.status).toBe('optimal');
    expect(Math.abs(ours.result.objectiveValue - theirs.objective)).toBeLessThanOrEqual(
      1e-7 * theirs.objective,
    );
    // Each year's λ matches the 5yearplan's target-fulfilment variable T_y in the sum, and the
    // plan uses accumulation: year 5 fulfils more than year 1's stocks alone would allow.
    const lambda = Array.from(ours.result.lambda);
    expect(lambda.reduce((a, b) => a + b, 0)).toBeCloseTo(theirs.objective, 6);
    expect(ours.result.investment.some((v) => v > 1e-6)).toBe(true);
  });

  it('gives a lower optimum with less labour, in both formulations alike', async () => {
    const d = parseFiveYearFiles(files);
    const scarce = { ...d, labourSupply: d.labourSupply.map((l) => l / 4) };
    const theirs = await highsSolver.solve(fiveYearLp(scarce));
    const ours = await solvePlan(fiveYearPlanSpec(scarce), highsSolver);
    const full = await highsSolver.solve(fiveYearLp(d));
    expect(theirs.objective).toBeLessThan(full.objective - 1e-6);
    expect(Math.abs(ours.result.objectiveValue - theirs.objective)).toBeLessThanOrEqual(
      1e-7 * theirs.objective,
    );
    expect(ours.result.binding.some((b) => b.kind === 'skill')).toBe(true);
  });
});
