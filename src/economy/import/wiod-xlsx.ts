// Reads one year of a WIOD national input–output table (.xlsx, 2016 release) into an economy model.
import type ExcelJS from 'exceljs';
import { DomainError } from '../../core/errors';
import type { EconomyModel, Skill, Technology } from '../economy';
import { modelIssues } from '../validate-model';
import type { ImportResult } from './import-result';
import { modelCounts } from './import-result';
import { kindFromIndustry } from './nace-kind';
import { refusal } from './refusal';
import { TableAudit } from './table-audit';
import { WIOD_COLUMN_PARTS, WIOD_SHEET, wiodBlock, wiodYears } from './wiod-sheet';
import type { WiodRow } from './wiod-sheet';
import { parserFault } from '../../core/parse-error';

export interface WiodOptions {
  year: number;
  name?: string;
  /**
   * WIOD national tables carry no employment. 'value-added-proxy' (the default) adds the skill
   * "labour" with value added ÷ output per unit (USD per USD), labelled as a proxy; 'none' adds no labour.
   */
  labour?: 'value-added-proxy' | 'none';
  /** Employment by industry code (any unit, e.g. thousand persons); replaces the proxy when given. */
  employment?: Record<string, number>;
  /** Relative difference above which a row or column total is refused (default 1e-4). */
  tolerance?: number;
}

const FIX =
  'use an unmodified WIOD national input–output table (2016 release); docs/formats/io-tables.md describes the layout';
const CITATION =
  'WIOD 2016 release national input–output table (Timmer et al. 2015, CC BY 4.0), via the niotables repository';

export async function importWiod(content: Buffer | string, options: WiodOptions): Promise<ImportResult> {
  if (typeof content === 'string') {
    throw new DomainError('invalid', 'a WIOD table is an .xlsx file: pass its bytes, not text', {
      issues: [{ field: '(file)', message: 'expected the bytes of an .xlsx file' }],
      fix: 'read the file as a Buffer',
    });
  }
  // exceljs loads on first use: it is heavy, and the command line starts without it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new DomainError('invalid', `the file is not a readable .xlsx workbook: ${parserFault(e)}`, {
      issues: [{ field: '(file)', message: parserFault(e) }],
      fix: FIX,
    });
  }
  const sheet = workbook.getWorksheet(WIOD_SHEET);
  if (sheet === undefined) {
    const names = workbook.worksheets.map((w) => `"${w.name}"`).join(', ');
    throw refusal(
      'WIOD table',
      [{ field: '(workbook)', message: `no sheet "${WIOD_SHEET}" (found ${names})` }],
      FIX,
    );
  }
  const years = wiodYears(sheet);
  if (!years.includes(options.year)) {
    throw new DomainError(
      'invalid',
      `year ${options.year} is not in the table; it holds ${years.join(', ')}`,
      {
        issues: [{ field: 'year', message: `not in the table; available years: ${years.join(', ')}` }],
        fix: `choose one of the years ${years[0]}–${years.at(-1)}`,
        data: { years },
      },
    );
  }

  const audit = new TableAudit(options.tolerance);
  const block = wiodBlock(sheet, options.year, audit.issues);
  if (audit.issues.length > 0) throw refusal('WIOD table', audit.issues, FIX);
  const cellRef = (row: WiodRow, column: number): string =>
    `${WIOD_SHEET}!${sheet.getCell(row.row, column).address}`;
  const number = (row: WiodRow, column: number): number => {
    const v = row.values[column];
    if (v === null || v === undefined) return 0;
    const value = typeof v === 'object' && 'result' in v ? v.result : v;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    audit.refuse(cellRef(row, column), `"${String(value)}" is not a number`);
    return 0;
  };

  const { industries, finalDemandColumns, outputColumn, domestic, imports, totals } = block;
  const rowsOf = (map: Map<string, WiodRow>): WiodRow[] => industries.map((i) => map.get(i.code) as WiodRow);
  const domesticRows = rowsOf(domestic);
  const importRows = industries.map((i) => imports.get(i.code)).filter((r): r is WiodRow => r !== undefined);
  const goRow = totals.get('GO') as WiodRow;
  const vaRow = totals.get('VA') as WiodRow;
  const flows = domesticRows.map((r) => industries.map((i) => number(r, i.column)));
  const finalDemand = domesticRows.map((r) => finalDemandColumns.reduce((s, c) => s + number(r, c), 0));
  const output = industries.map((i) => number(goRow, i.column));
  const valueAdded = industries.map((i) => number(vaRow, i.column));
  const importedInputs = industries.map((i) => importRows.reduce((s, r) => s + number(r, i.column), 0));
  const warnings: string[] = [];

  // Negative outputs first: they are the plainest reason to refuse, and they upset every sum after them.
  domesticRows.forEach((row) => {
    const stated = number(row, outputColumn);
    if (stated < 0) audit.refuse(cellRef(row, outputColumn), `output must not be negative (got ${stated})`);
  });
  industries.forEach(({ column }, j) => {
    const out = output[j] ?? 0;
    if (out < 0) audit.refuse(cellRef(goRow, column), `output must not be negative (got ${out})`);
  });
  domesticRows.forEach((row, i) => {
    const stated = number(row, outputColumn);
    const used = (flows[i] ?? []).reduce((a, b) => a + b, 0) + (finalDemand[i] ?? 0);
    audit.sum(cellRef(row, outputColumn), 'the sum of the row (intermediate and final uses)', stated, used);
    const industry = industries[i] as { column: number };
    audit.sum(
      cellRef(goRow, industry.column),
      `output of the industry (its GO column, ${cellRef(row, outputColumn)})`,
      output[i] ?? 0,
      stated,
    );
  });
  industries.forEach(({ code, column }, j) => {
    const out = output[j] ?? 0;
    const intermediate = flows.reduce((s, f) => s + (f[j] ?? 0), 0) + (importedInputs[j] ?? 0);
    const fob = totals.get('II_fob');
    if (fob)
      audit.sum(
        cellRef(fob, column),
        `intermediate consumption of ${code}`,
        number(fob, column),
        intermediate,
      );
    const parts = WIOD_COLUMN_PARTS.reduce((s, p) => {
      const row = totals.get(p);
      return row ? s + number(row, column) : s;
    }, 0);
    audit.sum(
      cellRef(goRow, column),
      `the sum of column ${code} (inputs, taxes, margins, value added)`,
      out,
      intermediate + parts,
    );
  });
  if (audit.issues.length > 0) throw refusal('WIOD table', audit.issues, FIX);

  const skills = labourSkills(options);
  const technologies: Technology[] = industries.map(({ code }, j) => {
    const out = output[j] ?? 0;
    const row = domesticRows[j] as WiodRow;
    const tech: Technology = {
      code,
      name: row.description,
      product: code,
      outputPerRun: 1,
      inputs: [],
      labour: [],
      resources: [],
    };
    if (out === 0) {
      warnings.push(
        `industry ${code} has zero output in ${options.year}: its technology has no coefficients`,
      );
      return tech;
    }
    industries.forEach((input, i) => {
      const flow = flows[i]?.[j] ?? 0;
      if (flow !== 0) tech.inputs.push({ product: input.code, perUnit: flow / out });
    });
    const va = valueAdded[j] ?? 0;
    tech.valueAddedPerUnit = va / out;
    if (options.employment) {
      const persons = options.employment[code];
      if (persons === undefined || !Number.isFinite(persons) || persons < 0) {
        audit.refuse(`employment.${code}`, 'needs a finite number ≥ 0 for every industry of the table');
      } else tech.labour.push({ skill: 'employment', perUnit: persons / out });
    } else if (skills.length > 0) {
      if (va < 0) warnings.push(`industry ${code} has negative value added: its labour proxy is set to 0`);
      tech.labour.push({ skill: 'labour', perUnit: Math.max(va, 0) / out });
    }
    return tech;
  });
  if (audit.issues.length > 0) throw refusal('WIOD table', audit.issues, FIX);
  finalDemand.forEach((d, i) => {
    if (d < 0) warnings.push(`industry ${industries[i]?.code} has negative domestic final demand ${d}`);
  });

  const country = countryOf(workbook);
  const proxy = !options.employment && skills.length > 0;
  const model: EconomyModel = {
    name: options.name ?? `${country ?? 'WIOD'} ${options.year} (WIOD national input–output table)`,
    source: `${CITATION}; year ${options.year}; million US$${proxy ? '; labour is a PROXY: value added per unit of output, not hours or persons' : ''}`,
    products: industries.map(({ code }, j) => {
      const name = (domesticRows[j] as WiodRow).description;
      return { code, name, unit: 'USD million', kind: kindFromIndustry(code, name) };
    }),
    skills,
    resources: [],
    technologies,
    targets: industries.map(({ code }, i) => ({ product: code, period: 1, quantity: finalDemand[i] ?? 0 })),
  };
  const integrity = modelIssues(model);
  if (integrity.length > 0) throw refusal('WIOD table', integrity, FIX);
  return {
    model,
    report: {
      format: 'wiod-xlsx',
      ...modelCounts(model),
      year: options.year,
      warnings: [...audit.warnings, ...warnings],
    },
    observed: {
      products: industries.map((i) => i.code),
      grossOutput: output,
      valueAdded,
      finalDemand,
      importedInputs,
    },
  };
}

function labourSkills(options: WiodOptions): Skill[] {
  if (options.employment) return [{ code: 'employment', name: 'Employment (as given with the import)' }];
  if (options.labour === 'none') return [];
  return [
    {
      code: 'labour',
      name: 'Labour (proxy: value added, USD million per USD million of output)',
      unit: 'USD million',
    },
  ];
}

/** The country named on the WIOD "Notes" sheet ("Country", "Germany"), if present. */
function countryOf(workbook: ExcelJS.Workbook): string | undefined {
  const value = workbook.getWorksheet('Notes')?.getRow(1).values as ExcelJS.CellValue[] | undefined;
  return value?.[1] === 'Country' && typeof value[2] === 'string' ? value[2] : undefined;
}
