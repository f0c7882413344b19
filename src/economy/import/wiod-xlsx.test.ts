// The WIOD national-table importer on Germany 2014, checked against cells read directly from the sheet.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import type { ImportResult } from './import-result';
import { importWiod } from './wiod-xlsx';

const DEU = readFileSync(new URL('../fixtures/wiod-niot-2016-DEU.xlsx', import.meta.url));

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('importWiod on Germany 2014', () => {
  let result: ImportResult;
  let sheet: ExcelJS.Worksheet;
  const cell = (address: string): number => sheet.getCell(address).value as number;
  const coefficient = (input: string, technology: string): number =>
    result.model.technologies.find((t) => t.code === technology)?.inputs.find((i) => i.product === input)
      ?.perUnit ?? 0;

  beforeAll(async () => {
    result = await importWiod(DEU, { year: 2014 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(DEU as unknown as ExcelJS.Buffer);
    sheet = workbook.getWorksheet('National IO-tables') as ExcelJS.Worksheet;
  });

  it('reads 56 products with one technology each', () => {
    expect(result.report).toMatchObject({ format: 'wiod-xlsx', year: 2014, products: 56, technologies: 56 });
    expect(result.model.products[0]).toEqual({
      code: 'A01',
      name: 'Crop and animal production, hunting and related service activities',
      unit: 'USD million',
      kind: 'means-of-production',
    });
    expect(result.model.name).toBe('Germany 2014 (WIOD national input–output table)');
  });

  it('sets coefficients to domestic flow ÷ output, as read from the cells', () => {
    // The 2014 block starts at row 1683 (A01, Domestic); GO is row 1802; industry columns run E..BH.
    expect([
      sheet.getCell('A1683').value,
      sheet.getCell('B1683').value,
      sheet.getCell('B1802').value,
    ]).toEqual([2014, 'A01', 'GO']);
    expect([sheet.getCell('I1').value, sheet.getCell('B1687').value]).toEqual(['C10-C12', 'C10-C12']);
    expect(coefficient('A01', 'C10-C12')).toBe(cell('I1683') / cell('I1802'));
    expect(coefficient('C10-C12', 'A01')).toBe(cell('E1687') / cell('E1802'));
    expect(coefficient('A01', 'A01')).toBe(cell('E1683') / cell('E1802'));
    expect(sheet.getCell('BH1').value).toBe('U');
    expect([sheet.getCell('AE1').value, sheet.getCell('B1711').value]).toEqual(['F', 'G46']);
    expect(coefficient('G46', 'F')).toBe(cell('AE1711') / cell('AE1802'));
    expect([sheet.getCell('O1').value, sheet.getCell('B1693').value]).toEqual(['C20', 'C20']);
    expect(coefficient('C20', 'C20')).toBe(cell('O1693') / cell('O1802'));
  });

  it('takes value added per unit and the labour proxy from the VA row', () => {
    const food = result.model.technologies.find((t) => t.code === 'C10-C12');
    expect(food?.valueAddedPerUnit).toBe(cell('I1800') / cell('I1802'));
    expect(food?.labour).toEqual([{ skill: 'labour', perUnit: cell('I1800') / cell('I1802') }]);
    expect(result.model.source).toMatch(/PROXY/);
  });

  it('sets targets to the domestic final demand of each industry', () => {
    const fd = ['BI', 'BJ', 'BK', 'BL', 'BM', 'BN'].reduce((s, c) => s + cell(`${c}1687`), 0);
    expect(result.model.targets.find((t) => t.product === 'C10-C12')).toEqual({
      product: 'C10-C12',
      period: 1,
      quantity: fd,
    });
    expect(result.observed?.grossOutput[4]).toBe(cell('BO1687'));
  });

  it('leaves the zero-output industry U without coefficients and says so', () => {
    expect(result.model.technologies.find((t) => t.code === 'U')?.inputs).toEqual([]);
    expect(result.report.warnings).toContain(
      'industry U has zero output in 2014: its technology has no coefficients',
    );
  });

  it('refuses 1999, listing the years the table holds', async () => {
    const error = await refusalOf(importWiod(DEU, { year: 1999 }));
    expect(error.kind).toBe('invalid');
    expect(error.issues[0]?.field).toBe('year');
    expect(error.data?.years).toEqual([
      2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014,
    ]);
  });
});

// A three-industry table in the WIOD layout, consistent by construction, that a test may break.
const CODES = ['A01', 'C20', 'G45'];
const FD = ['CONS_h', 'CONS_np', 'CONS_g', 'GFCF', 'INVEN', 'EXP'];

async function tinyWiod(edit: (sheet: ExcelJS.Worksheet) => void = () => {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('National IO-tables');
  sheet.addRow(['Year', 'Code', 'Description', 'Origin', ...CODES, ...FD, 'GO']);
  sheet.addRow([
    'Year',
    'Code',
    'Description',
    'Origin',
    ...CODES.map((c) => `${c} industry`),
    ...FD,
    'Total',
  ]);
  for (const year of [2013, 2014]) {
    const z = CODES.map((_, i) => CODES.map((_, j) => 10 * (i + 1) + j));
    const m = CODES.map((_, i) => CODES.map((_, j) => i + j));
    const fd = CODES.map((_, i) => FD.map((_, k) => 100 + 10 * i + k));
    const x = CODES.map((_, i) => [...(z[i] ?? []), ...(fd[i] ?? [])].reduce((a, b) => a + b, 0));
    const col = (rows: number[][], j: number): number => rows.reduce((s, r) => s + (r[j] ?? 0), 0);
    CODES.forEach((c, i) =>
      sheet.addRow([year, c, `${c} industry`, 'Domestic', ...(z[i] ?? []), ...(fd[i] ?? []), x[i]]),
    );
    CODES.forEach((c, i) =>
      sheet.addRow([year, c, `${c} industry`, 'Imports', ...(m[i] ?? []), ...FD.map(() => 1), 0]),
    );
    const intermediate = CODES.map((_, j) => col(z, j) + col(m, j));
    const taxes = CODES.map(() => 2);
    const va = CODES.map((_, j) => (x[j] ?? 0) - (intermediate[j] ?? 0) - 2);
    const tot = (code: string, values: number[]): void => {
      sheet.addRow([year, code, code, 'TOT', ...values, ...FD.map(() => 0), 0]);
    };
    tot('II_fob', intermediate);
    tot('TXSP', taxes);
    for (const code of ['EXP_adj', 'PURR', 'PURNR'])
      tot(
        code,
        CODES.map(() => 0),
      );
    tot('VA', va);
    tot(
      'IntTTM',
      CODES.map(() => 0),
    );
    tot('GO', x);
  }
  edit(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('importWiod refusals', () => {
  it('reads a consistent three-industry table in the same layout', async () => {
    const { model, report } = await importWiod(await tinyWiod(), { year: 2013, labour: 'none' });
    expect(report).toMatchObject({ products: 3, skills: 0, nonZeros: 9, warnings: [] });
    // In 2013, A01 delivers 11 to C20, whose output is 63 + 675 (its row of flows and final demand).
    expect(model.technologies[1]?.inputs[0]).toEqual({ product: 'A01', perUnit: 11 / 738 });
  });

  it('uses given employment instead of the proxy', async () => {
    const employment = { A01: 3, C20: 4, G45: 5 };
    const { model } = await importWiod(await tinyWiod(), { year: 2014, employment });
    expect(model.skills.map((s) => s.code)).toEqual(['employment']);
    expect(model.technologies[0]?.labour).toEqual([{ skill: 'employment', perUnit: 3 / 648 }]);
  });

  it('refuses negative output, naming the cell', async () => {
    const buffer = await tinyWiod((s) => {
      s.getCell('E30').value = -648;
    });
    const error = await refusalOf(importWiod(buffer, { year: 2014 }));
    expect(error.issues[0]).toEqual({
      field: 'National IO-tables!E30',
      message: 'output must not be negative (got -648)',
    });
  });

  it('refuses a row that does not add up to its output', async () => {
    const buffer = await tinyWiod((s) => {
      s.getCell('G17').value = 500;
    });
    const error = await refusalOf(importWiod(buffer, { year: 2014 }));
    const fields = error.issues.map((i) => i.field);
    expect(fields).toContain('National IO-tables!N17');
    expect(fields).toContain('National IO-tables!G30');
  });

  it('refuses a cell that is not a number', async () => {
    const buffer = await tinyWiod((s) => {
      s.getCell('F18').value = 'n/a';
    });
    const error = await refusalOf(importWiod(buffer, { year: 2014 }));
    expect(error.issues[0]).toEqual({ field: 'National IO-tables!F18', message: '"n/a" is not a number' });
  });

  it('refuses an industry column without its domestic row', async () => {
    const buffer = await tinyWiod((s) => {
      s.getCell('B18').value = 'G47';
      s.getCell('B21').value = 'G47';
    });
    const error = await refusalOf(importWiod(buffer, { year: 2014 }));
    expect(error.issues.map((i) => i.field)).toEqual(['National IO-tables!F1', 'National IO-tables!B18']);
  });

  it('refuses a workbook without the national sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const error = await refusalOf(importWiod(buffer, { year: 2014 }));
    expect(error.issues[0]?.message).toBe('no sheet "National IO-tables" (found "Sheet1")');
  });
});
