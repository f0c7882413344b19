// Locates one year's block in a WIOD national I-O sheet: the industry, final-demand and total cells.
import type ExcelJS from 'exceljs';
import type { FieldIssue } from '../../core/errors';

export const WIOD_SHEET = 'National IO-tables';
export const WIOD_FINAL_DEMAND = ['CONS_h', 'CONS_np', 'CONS_g', 'GFCF', 'INVEN', 'EXP'] as const;
/** Rows under the industries that, with the domestic and imported inputs, add up to output (GO). */
export const WIOD_COLUMN_PARTS = ['TXSP', 'EXP_adj', 'PURR', 'PURNR', 'VA', 'IntTTM'] as const;

export interface WiodRow {
  /** 1-based sheet row. */
  row: number;
  code: string;
  description: string;
  values: ExcelJS.CellValue[];
}

export interface WiodBlock {
  /** Industry codes in column order, with their 1-based sheet columns. */
  industries: { code: string; column: number }[];
  finalDemandColumns: number[];
  outputColumn: number;
  domestic: Map<string, WiodRow>;
  imports: Map<string, WiodRow>;
  totals: Map<string, WiodRow>;
}

const text = (v: ExcelJS.CellValue): string => (v === null || v === undefined ? '' : String(v)).trim();

/** Years present in column A, in sheet order. */
export function wiodYears(sheet: ExcelJS.Worksheet): number[] {
  const years: number[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const v = sheet.getRow(r).getCell(1).value;
    if (typeof v === 'number' && !years.includes(v)) years.push(v);
  }
  return years;
}

/** Reads the header and the rows of `year`; problems with the layout are pushed to `issues`. */
export function wiodBlock(sheet: ExcelJS.Worksheet, year: number, issues: FieldIssue[]): WiodBlock {
  const header = sheet.getRow(1).values as ExcelJS.CellValue[];
  const at = (c: number): string => `${WIOD_SHEET}!${sheet.getCell(1, c).address}`;
  const expected = ['Year', 'Code', 'Description', 'Origin'];
  expected.forEach((name, i) => {
    if (text(header[i + 1]) !== name)
      issues.push({ field: at(i + 1), message: `expected the header "${name}"` });
  });
  const industries: { code: string; column: number }[] = [];
  const finalDemandColumns: number[] = [];
  let outputColumn = 0;
  for (let c = 5; c < header.length; c++) {
    const code = text(header[c]);
    if (code === '') continue;
    if (code === 'GO') outputColumn = c;
    else if ((WIOD_FINAL_DEMAND as readonly string[]).includes(code)) finalDemandColumns.push(c);
    else industries.push({ code, column: c });
  }
  if (outputColumn === 0) issues.push({ field: `${WIOD_SHEET}!1:1`, message: 'no total output column "GO"' });

  const domestic = new Map<string, WiodRow>();
  const imports = new Map<string, WiodRow>();
  const totals = new Map<string, WiodRow>();
  for (let r = 2; r <= sheet.rowCount; r++) {
    const values = sheet.getRow(r).values as ExcelJS.CellValue[];
    if (values[1] !== year) continue;
    const row: WiodRow = { row: r, code: text(values[2]), description: text(values[3]), values };
    const origin = text(values[4]);
    const target = origin === 'Domestic' ? domestic : origin === 'Imports' ? imports : totals;
    target.set(row.code, row);
  }
  for (const { code, column } of industries) {
    if (!domestic.has(code)) {
      issues.push({ field: at(column), message: `industry column "${code}" has no Domestic row in ${year}` });
    }
  }
  for (const row of domestic.values()) {
    if (!industries.some((i) => i.code === row.code)) {
      issues.push({
        field: `${WIOD_SHEET}!B${row.row}`,
        message: `Domestic row "${row.code}" has no industry column`,
      });
    }
  }
  for (const code of ['VA', 'GO']) {
    if (!totals.has(code))
      issues.push({ field: `${WIOD_SHEET}!B:B`, message: `no "${code}" row for ${year}` });
  }
  return { industries, finalDemandColumns, outputColumn, domestic, imports, totals };
}
