// Reads the four input tables of Cockshott's 5yearplan software (wc22m/5yearplan): flows.csv, cap.csv,
// dep.csv and labtarg.csv. The format is documented in docs/formats/5yearplan.md; this is our own parser.
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../core/errors';
import type { FieldIssue } from '../../core/errors';

/** The texts of the four files. */
export interface FiveYearFiles {
  flows: string;
  cap: string;
  dep: string;
  labtarg: string;
}

/** Matrices are indexed [row product][column product] exactly as in the files: row = input, column = user. */
export interface FiveYearData {
  products: string[];
  /** flows[i][j]: product i used in producing the base-year output of product j. */
  flows: number[][];
  /** Labour used in the base-year output of each product. */
  labour: number[];
  /** Base-year gross output of each product. */
  output: number[];
  /** cap[i][j]: stock of product i held by industry j at the start of year 1. */
  capital: number[][];
  /** dep[i][j]: share of that stock worn out per year. */
  depreciation: number[][];
  /** Labour available per year (the labtarg "labour" column). */
  labourSupply: number[];
  /** targets[y][j]: final consumption wanted of product j in year y + 1. */
  targets: number[][];
}

type Table = { file: string; header: string[]; rows: { head: string; cells: string[] }[] };

function readTable(file: string, text: string): Table {
  const records = parse(text, { relax_column_count: true, trim: true, skip_empty_lines: true }) as string[][];
  const nonEmpty = records.filter((r) => r.some((c) => c !== ''));
  if (nonEmpty.length === 0)
    throw new DomainError('invalid', `${file}: the file is empty`, {
      issues: [{ field: file, message: 'no rows' }],
      fix: 'give a header row of product names and one row per product',
    });
  const [head, ...rest] = nonEmpty;
  return {
    file,
    header: head!.slice(1),
    rows: rest.map((r) => ({ head: r[0] ?? '', cells: r.slice(1) })),
  };
}

function numberAt(t: Table, row: Table['rows'][number], col: number, issues: FieldIssue[]): number {
  const raw = row.cells[col] ?? '';
  if (raw === '') return 0;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) {
    issues.push({
      field: `${t.file}!row ${row.head}, column ${t.header[col] ?? col + 1}`,
      message: `"${raw}" is not a non-negative number`,
    });
    return 0;
  }
  return v;
}

/**
 * Every row must have a cell for every column of the header: a short row would otherwise read as zeros,
 * and a product that has a row but no column would silently leave the economy.
 */
function checkShape(t: Table, products: string[], issues: FieldIssue[], extraRows: string[] = []): void {
  const known = new Set(products);
  for (const row of t.rows) {
    if (row.cells.length < t.header.length) {
      const col = t.header[row.cells.length] ?? String(row.cells.length + 2);
      issues.push({
        field: `${t.file}!row ${row.head}, column ${col}`,
        message: `the row is short: ${row.cells.length} cell(s) where the header has ${t.header.length} columns; give every column a value (0 for none)`,
      });
    }
    if (!known.has(row.head) && !extraRows.includes(row.head) && !row.head.startsWith('year'))
      issues.push({
        field: `${t.file}!row ${row.head}`,
        message: `product "${row.head}" has a row but no column in the header of flows.csv; add its column or remove the row`,
      });
  }
}

function squareMatrix(
  t: Table,
  products: string[],
  issues: FieldIssue[],
  extraRows: string[] = [],
): number[][] {
  const byName = new Map(t.rows.map((r) => [r.head, r]));
  checkHeader(t, products, issues);
  checkShape(t, products, issues, extraRows);
  return products.map((p) => {
    const row = byName.get(p);
    if (row === undefined) {
      issues.push({ field: `${t.file}!row ${p}`, message: `missing row for product "${p}"` });
      return products.map(() => 0);
    }
    return products.map((_, j) => numberAt(t, row, j, issues));
  });
}

function checkHeader(t: Table, products: string[], issues: FieldIssue[]): void {
  products.forEach((p, j) => {
    if (t.header[j] !== p)
      issues.push({
        field: `${t.file}!header column ${j + 2}`,
        message: `expected product "${p}" (the flows.csv order), found "${t.header[j] ?? ''}"`,
      });
  });
}

/** Parses and cross-checks the four tables; throws DomainError('invalid') naming each bad cell. */
export function parseFiveYearFiles(files: FiveYearFiles): FiveYearData {
  const issues: FieldIssue[] = [];
  const flowsT = readTable('flows.csv', files.flows);
  const products = flowsT.header.filter((h) => h !== '');
  const special = (name: string) => {
    const row = flowsT.rows.find((r) => r.head === name);
    if (row === undefined) {
      issues.push({ field: `flows.csv!row ${name}`, message: `flows.csv needs a row named "${name}"` });
      return products.map(() => 0);
    }
    return products.map((_, j) => numberAt(flowsT, row, j, issues));
  };
  const flows = squareMatrix(flowsT, products, issues, ['labour', 'output']);
  const labour = special('labour');
  const output = special('output');
  output.forEach((o, j) => {
    if (!(o > 0))
      issues.push({
        field: `flows.csv!row output, column ${products[j]}`,
        message: 'base-year output must be positive: coefficients are flows divided by it',
      });
  });
  const capital = squareMatrix(readTable('cap.csv', files.cap), products, issues);
  const depreciation = squareMatrix(readTable('dep.csv', files.dep), products, issues);
  depreciation.forEach((row, i) =>
    row.forEach((d, j) => {
      if (d > 1)
        issues.push({
          field: `dep.csv!row ${products[i]}, column ${products[j]}`,
          message: `depreciation ${d} exceeds 1`,
        });
    }),
  );

  const targT = readTable('labtarg.csv', files.labtarg);
  checkHeader(targT, products, issues);
  checkShape(targT, products, issues);
  const labourCol = targT.header.indexOf('labour');
  if (labourCol < 0)
    issues.push({
      field: 'labtarg.csv!header',
      message: 'needs a "labour" column with the labour supply of each year',
    });
  const years = targT.rows.filter((r) => r.head.startsWith('year'));
  if (years.length === 0) issues.push({ field: 'labtarg.csv', message: 'needs rows named year1, year2, …' });
  const targets = years.map((r) => products.map((_, j) => numberAt(targT, r, j, issues)));
  const labourSupply = years.map((r) => (labourCol < 0 ? 0 : numberAt(targT, r, labourCol, issues)));
  labourSupply.forEach((l, y) => {
    if (labourCol >= 0 && !(l > 0))
      issues.push({
        field: `labtarg.csv!row ${years[y]!.head}, column labour`,
        message: 'the labour supply must be positive: without labour nothing is produced',
      });
  });

  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `5yearplan files have ${issues.length} problem(s): ${issues[0]!.field}: ${issues[0]!.message}`,
      {
        issues,
        fix: 'see docs/formats/5yearplan.md for the layout of flows.csv, cap.csv, dep.csv and labtarg.csv',
      },
    );
  }
  return { products, flows, labour, output, capital, depreciation, labourSupply, targets };
}
