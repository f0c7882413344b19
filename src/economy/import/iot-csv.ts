// Reads a symmetric input–output table in the iotables layout (Eurostat Manual table 15.4 and kin).
import type { EconomyModel, Technology } from '../economy';
import { modelIssues } from '../validate-model';
import { parseNumber, readCsv } from './csv-text';
import type { ImportResult } from './import-result';
import { modelCounts } from './import-result';
import { kindFromIndustry } from './nace-kind';
import { refusal } from './refusal';
import { TableAudit } from './table-audit';

export interface IotCsvOptions {
  name?: string;
  source?: string;
  /** Unit of the monetary flows; the iotables tables are in million EUR. */
  unit?: string;
  /** Relative difference above which a row or column total is refused (default 1e-4). */
  tolerance?: number;
}

const LABEL_COLUMNS = new Set(['t_rows2_lab', 'numeric_label', 'quadrant', 'iotables_row']);
const FINAL_DEMAND = /consumption|capital_formation|inventor|valuables|export|final/i;
const OUTPUT = 'output_bp';
const FIX =
  'correct the named cells so that every product row and industry column adds up to its total; ' +
  'docs/formats/io-tables.md describes the accepted layout';

interface Row {
  line: number;
  code: string;
  label: string;
  cells: string[];
}

export async function importIotCsv(
  content: Buffer | string,
  options: IotCsvOptions = {},
): Promise<ImportResult> {
  const table = readCsv(content);
  const audit = new TableAudit(options.tolerance);
  const header = table.header;
  const column = new Map(header.map((h, i) => [h, i]));
  for (const needed of ['quadrant', 'iotables_row', OUTPUT]) {
    if (!column.has(needed)) audit.refuse(`header (line 1)`, `no column named '${needed}'`);
  }
  if (audit.issues.length > 0) throw refusal('input–output table', audit.issues, FIX);

  const at = (row: Row, col: string): string => `row '${row.code}' (line ${row.line}), column '${col}'`;
  const text = (row: Row, col: string): string => row.cells[column.get(col) ?? -1] ?? '';
  const number = (row: Row, col: string, emptyIsZero = false): number => {
    const cell = text(row, col);
    if (cell === '' && emptyIsZero) return 0;
    const v = parseNumber(cell);
    if (v === undefined)
      audit.refuse(at(row, col), cell === '' ? 'the cell is empty' : `"${cell}" is not a number`);
    return v ?? 0;
  };

  const rows: Row[] = table.rows.map((r) => ({
    line: r.line,
    code: r.cells[0] ?? '',
    label: r.cells[column.get('t_rows2_lab') ?? 0] ?? '',
    cells: r.cells,
  }));
  const role = (row: Row): string => text(row, 'iotables_row');
  const productRows = rows.filter((r) => text(r, 'quadrant') === '10' && role(r) !== 'total');
  const named = (name: string): Row | undefined => rows.find((r) => role(r) === name);
  const outputRow = named(OUTPUT);
  const totalRow = named('total');
  const importRow = named('import_goods_services');
  const taxRow = named('net_tax_production');
  const intermediateRow = named('intermediate_consumption_pp');
  const valueAddedRow = named('gva_bp');
  const employmentRow = named('employment_total');
  const warnings: string[] = [];

  const dataColumns = header.slice(1).filter((h) => !LABEL_COLUMNS.has(h) && h !== OUTPUT);
  const finalDemandColumns = dataColumns.filter((h) => FINAL_DEMAND.test(h));
  const sectorColumns = dataColumns.filter((h) => !FINAL_DEMAND.test(h));
  const sectors = productRows.map(role);
  for (const row of productRows) {
    if (!column.has(role(row))) {
      audit.refuse(
        at(row, 'iotables_row'),
        `the table has no industry column '${role(row)}' for this product row`,
      );
    }
  }
  for (const col of sectorColumns) {
    if (!sectors.includes(col)) {
      audit.refuse(
        `column '${col}'`,
        `no product row (quadrant 10) has iotables_row '${col}' for this industry column`,
      );
    }
  }
  if (productRows.length === 0) audit.refuse('rows', 'no product rows (quadrant 10) found');
  if (outputRow === undefined)
    audit.refuse('rows', `no row with iotables_row '${OUTPUT}' (output at basic prices, P1)`);
  if (audit.issues.length > 0 || outputRow === undefined)
    throw refusal('input–output table', audit.issues, FIX);

  // Flows Z[i][j] (product row i, industry column j), final demand and the row totals.
  const flows = productRows.map((r) => sectors.map((s) => number(r, s)));
  const finalDemand = productRows.map((r) =>
    finalDemandColumns.reduce((sum, c) => sum + number(r, c, true), 0),
  );
  const rowTotals = productRows.map((r) => number(r, OUTPUT));
  const sectorRow = (r: Row | undefined): number[] | undefined =>
    r ? sectors.map((s) => number(r, s)) : undefined;
  const output = sectors.map((s) => number(outputRow, s));
  const imports = sectorRow(importRow);
  const taxes = sectorRow(taxRow);
  const valueAdded = sectorRow(valueAddedRow);
  const employment = sectorRow(employmentRow);
  if (audit.issues.length > 0) throw refusal('input–output table', audit.issues, FIX);

  productRows.forEach((row, i) => {
    const stated = rowTotals[i] ?? 0;
    if (stated < 0) audit.refuse(at(row, OUTPUT), `output must not be negative (got ${stated})`);
    const used = (flows[i] ?? []).reduce((a, b) => a + b, 0) + (finalDemand[i] ?? 0);
    audit.sum(at(row, OUTPUT), 'the sum of the row (intermediate and final uses)', stated, used);
    if ((finalDemand[i] ?? 0) < 0)
      warnings.push(`product '${row.code}' has negative final demand ${finalDemand[i]}`);
  });
  sectors.forEach((s, j) => {
    const out = output[j] ?? 0;
    if (out < 0) audit.refuse(at(outputRow, s), `output must not be negative (got ${out})`);
    const domestic = flows.reduce((sum, f) => sum + (f[j] ?? 0), 0);
    if (totalRow)
      audit.sum(at(totalRow, s), 'the sum of the domestic product rows', number(totalRow, s), domestic);
    const intermediate = domestic + (imports?.[j] ?? 0) + (taxes?.[j] ?? 0);
    if (intermediateRow) {
      const what = 'domestic plus imported inputs plus net taxes';
      audit.sum(at(intermediateRow, s), what, number(intermediateRow, s), intermediate);
    }
    if (valueAdded) {
      audit.sum(
        at(outputRow, s),
        'intermediate consumption plus value added',
        out,
        intermediate + (valueAdded[j] ?? 0),
      );
    }
  });
  if (audit.issues.length > 0) throw refusal('input–output table', audit.issues, FIX);
  if (!valueAdded)
    warnings.push("no 'gva_bp' row: value added per unit left out and columns not checked against output");
  if (!employment) warnings.push("no 'employment_total' row: the model has no labour");

  const unit = options.unit ?? 'EUR million';
  const technologies: Technology[] = productRows.map((row, j) => {
    const out = output[j] ?? 0;
    const tech: Technology = {
      code: row.code,
      name: row.label,
      product: row.code,
      outputPerRun: 1,
      inputs: [],
      labour: [],
      resources: [],
    };
    if (out === 0) {
      warnings.push(`industry '${sectors[j]}' has zero output: its technology has no coefficients`);
      return tech;
    }
    productRows.forEach((input, i) => {
      const flow = flows[i]?.[j] ?? 0;
      if (flow !== 0) tech.inputs.push({ product: input.code, perUnit: flow / out });
    });
    if (employment) tech.labour.push({ skill: 'employment', perUnit: (employment[j] ?? 0) / out });
    if (valueAdded) tech.valueAddedPerUnit = (valueAdded[j] ?? 0) / out;
    return tech;
  });
  const model: EconomyModel = {
    name: options.name ?? 'Symmetric input–output table',
    source: options.source ?? 'symmetric input–output table (iotables layout)',
    products: productRows.map((r) => ({
      code: r.code,
      name: r.label,
      unit,
      kind: kindFromIndustry(r.code, r.label),
    })),
    skills: employment
      ? [{ code: 'employment', name: 'Employment (persons, in the unit of the table)' }]
      : [],
    resources: [],
    technologies,
    targets: productRows.map((r, i) => ({ product: r.code, period: 1, quantity: finalDemand[i] ?? 0 })),
  };
  const integrity = modelIssues(model);
  if (integrity.length > 0) throw refusal('input–output table', integrity, FIX);
  return {
    model,
    report: { format: 'iot-csv', ...modelCounts(model), warnings: [...audit.warnings, ...warnings] },
    observed: {
      products: model.products.map((p) => p.code),
      grossOutput: output,
      valueAdded: valueAdded ?? sectors.map(() => 0),
      finalDemand,
      ...(imports ? { importedInputs: imports } : {}),
      ...(employment ? { employment } : {}),
    },
  };
}
