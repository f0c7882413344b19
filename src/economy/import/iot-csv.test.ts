// The symmetric-table importer on Eurostat Manual table 15.4, and its refusals of broken tables.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import type { EconomyModel } from '../economy';
import { importIotCsv } from './iot-csv';

const DATA = new URL('../fixtures/', import.meta.url);
const TABLE = readFileSync(new URL('eurostat-manual-table-15-4.csv', DATA), 'utf8');
const EXPECTED = JSON.parse(
  readFileSync(new URL('eurostat-manual-table-15-4.expected.json', DATA), 'utf8'),
) as {
  tolerance: number;
  output_multipliers: number[];
  gva_multipliers: number[];
  employment_multipliers: number[];
};
const SOURCE =
  'Eurostat Manual of Supply, Use and Input-Output Tables (2008), table 15.4, via rOpenGov iotables';

function coefficient(model: EconomyModel, input: string, technology: string): number {
  const tech = model.technologies.find((t) => t.code === technology);
  return tech?.inputs.find((i) => i.product === input)?.perUnit ?? 0;
}

/** Column sums of (I − A)⁻¹ weighted by `weights`, by Gauss–Jordan elimination on the small dense table. */
function multipliers(A: number[][], weights: number[]): number[] {
  const n = A.length;
  const m = A.map((row, i) => [
    ...row.map((a, j) => (i === j ? 1 : 0) - a),
    ...row.map((_, j) => (i === j ? 1 : 0)),
  ]);
  for (let k = 0; k < n; k++) {
    const pivot = m[k] as number[];
    const p = pivot[k] as number;
    for (let j = 0; j < 2 * n; j++) pivot[j] = (pivot[j] as number) / p;
    m.forEach((row, i) => {
      if (i === k) return;
      const f = row[k] as number;
      for (let j = 0; j < 2 * n; j++) row[j] = (row[j] as number) - f * (pivot[j] as number);
    });
  }
  return A.map((_, j) => m.reduce((sum, row, i) => sum + (weights[i] as number) * (row[n + j] as number), 0));
}

async function refusal(csv: string, options = {}): Promise<DomainError> {
  const error = await importIotCsv(csv, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** The table with the cell at (row code, column name) replaced. */
function withCell(row: string, col: string, value: string): string {
  const lines = TABLE.trimEnd().split('\n');
  const j = (lines[0] ?? '').split(',').indexOf(col);
  return lines.map((l) => (l.startsWith(`${row},`) ? l.split(',').with(j, value).join(',') : l)).join('\n');
}

describe('importIotCsv on Eurostat table 15.4', () => {
  it('reads six products with one technology each, coefficients flow ÷ output', async () => {
    const { model, report } = await importIotCsv(TABLE, { source: SOURCE });
    expect(report).toMatchObject({
      format: 'iot-csv',
      products: 6,
      technologies: 6,
      targets: 6,
      nonZeros: 36,
    });
    expect(model.products.map((p) => p.code)).toEqual([
      'cpa_a',
      'cpa_c',
      'cpa_f',
      'cpa_g_i',
      'cpa_business',
      'cpa_other',
    ]);
    expect(coefficient(model, 'cpa_c', 'cpa_a')).toBe(7930 / 43910);
    expect(coefficient(model, 'cpa_a', 'cpa_c')).toBe(25480 / 1079446);
    expect(coefficient(model, 'cpa_business', 'cpa_business')).toBe(193176 / 692487);
    expect(coefficient(model, 'cpa_a', 'cpa_f')).toBe(1 / 245606);
    const trade = model.technologies.find((t) => t.code === 'cpa_g_i');
    expect(trade?.valueAddedPerUnit).toBe(311407 / 540063);
    expect(trade?.labour).toEqual([{ skill: 'employment', perUnit: 9251 / 540063 }]);
    expect(model.targets[0]).toEqual({ product: 'cpa_a', period: 1, quantity: 8500 + 16 + 2975 - 6 + 3734 });
    expect(model.source).toBe(SOURCE);
  });

  it('reproduces the published output, GVA and employment multipliers', async () => {
    const { model, observed } = await importIotCsv(TABLE);
    const codes = model.products.map((p) => p.code);
    const A = codes.map((i) => codes.map((j) => coefficient(model, i, j)));
    const va = model.technologies.map((t) => t.valueAddedPerUnit ?? 0);
    const emp = model.technologies.map((t) => t.labour[0]?.perUnit ?? 0);
    const close = (got: number[], want: number[]): void =>
      got.forEach((g, k) =>
        expect(Math.abs(g - (want[k] as number))).toBeLessThanOrEqual(EXPECTED.tolerance),
      );
    close(multipliers(A, [1, 1, 1, 1, 1, 1]), EXPECTED.output_multipliers);
    close(multipliers(A, va), EXPECTED.gva_multipliers);
    close(multipliers(A, emp), EXPECTED.employment_multipliers);
    expect(observed?.grossOutput).toEqual([43910, 1079446, 245606, 540063, 692487, 508918]);
    expect(observed?.importedInputs?.[1]).toBe(156703);
  });

  it('warns about the published manufacturing row, whose total is 46 short of its uses', async () => {
    const { report } = await importIotCsv(TABLE);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^row 'cpa_c' \(line 3\), column 'output_bp': .* 1079446 .* 1079400/);
  });

  it('refuses that row when the tolerance is tightened to rounding only', async () => {
    const error = await refusal(TABLE, { tolerance: 1e-6 });
    expect(error.issues.map((i) => i.field)).toEqual(["row 'cpa_c' (line 3), column 'output_bp'"]);
  });
});

describe('importIotCsv refusals', () => {
  it('refuses negative output, naming the P1 cell', async () => {
    const error = await refusal(withCell('P1', 'construction_group', '-245606'));
    expect(error.kind).toBe('invalid');
    expect(error.issues[0]).toEqual({
      field: "row 'P1' (line 17), column 'construction_group'",
      message: 'output must not be negative (got -245606)',
    });
  });

  it('refuses a flow that breaks its row and column totals, naming both cells', async () => {
    const error = await refusal(withCell('cpa_f', 'trade_group', '6296'));
    const fields = error.issues.map((i) => i.field);
    expect(fields).toContain("row 'cpa_f' (line 4), column 'output_bp'");
    expect(fields).toContain("row 'cpa_total' (line 8), column 'trade_group'");
    expect(fields).toContain("row 'P2PP' (line 11), column 'trade_group'");
  });

  it('refuses a table whose industry column lacks its product row', async () => {
    const csv = TABLE.split('\n')
      .filter((l) => !l.startsWith('cpa_f,'))
      .join('\n');
    const error = await refusal(csv);
    expect(error.issues[0]).toEqual({
      field: "column 'construction_group'",
      message: "no product row (quadrant 10) has iotables_row 'construction_group' for this industry column",
    });
  });

  it('refuses a table whose product row lacks its industry column', async () => {
    const lines = TABLE.trimEnd().split('\n');
    const j = (lines[0] ?? '').split(',').indexOf('construction_group');
    const csv = lines.map((l) => l.split(',').toSpliced(j, 1).join(',')).join('\n');
    const error = await refusal(csv);
    expect(error.issues[0]?.field).toBe("row 'cpa_f' (line 4), column 'iotables_row'");
  });

  it('refuses a cell that is not a number', async () => {
    const error = await refusal(withCell('cpa_a', 'trade_group', 'n/a'));
    expect(error.issues).toEqual([
      { field: "row 'cpa_a' (line 2), column 'trade_group'", message: '"n/a" is not a number' },
    ]);
  });

  it('refuses a table without the output row', async () => {
    const csv = TABLE.split('\n')
      .filter((l) => !l.startsWith('P1,'))
      .join('\n');
    const error = await refusal(csv);
    expect(error.issues[0]?.message).toMatch(/no row with iotables_row 'output_bp'/);
  });
});
