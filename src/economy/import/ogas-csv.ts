// Reads the OGAS economy CSV format: one table whose `record` column says what each line is.
import type { FieldIssue } from '../../core/errors';
import { PRODUCT_KINDS } from '../economy';
import type { EconomyModel, ProductKind, Technology } from '../economy';
import { modelIssues } from '../validate-model';
import { parseNumber, readCsv } from './csv-text';
import type { ImportResult } from './import-result';
import { modelCounts } from './import-result';
import { refusal } from './refusal';
import { OGAS_CSV_COLUMNS, OGAS_CSV_RECORDS } from './ogas-csv-layout';
import type { OgasCsvColumn } from './ogas-csv-layout';

const FIX = 'correct the named cells; docs/formats/economy-csv-json.md lists the columns each record uses';

export async function importOgasCsv(content: Buffer | string): Promise<ImportResult> {
  const table = readCsv(content);
  const issues: FieldIssue[] = [];
  const columnIndex = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (!(OGAS_CSV_COLUMNS as readonly string[]).includes(h)) {
      issues.push({ field: `line 1, column ${i + 1}`, message: `unknown column "${h}"` });
    } else if (columnIndex.has(h)) {
      issues.push({ field: `line 1, column ${i + 1}`, message: `column "${h}" appears twice` });
    } else columnIndex.set(h, i);
  });
  if (!columnIndex.has('record'))
    issues.push({ field: 'line 1', message: 'the header has no "record" column' });
  if (issues.length > 0) throw refusal('economy CSV', issues, FIX);

  const model: EconomyModel = {
    name: '',
    products: [],
    skills: [],
    resources: [],
    technologies: [],
    targets: [],
  };
  const lineOf = new Map<string, number>();
  const coefficients: { technology: string; line: number; attach: (t: Technology) => string }[] = [];
  let economyLines = 0;

  for (const { line, cells } of table.rows) {
    const cell = (c: OgasCsvColumn): string => {
      const i = columnIndex.get(c);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const at = (c: OgasCsvColumn): string => `line ${line}, column '${c}'`;
    const record = cell('record');
    const layout = OGAS_CSV_RECORDS[record];
    if (layout === undefined) {
      issues.push({
        field: at('record'),
        message: `unknown record "${record}"; expected one of ${Object.keys(OGAS_CSV_RECORDS).join(', ')}`,
      });
      continue;
    }
    if (record === 'economy') economyLines++;
    const before = issues.length;
    for (const c of layout.required) {
      if (cell(c) === '') issues.push({ field: at(c), message: `a '${record}' record needs a value here` });
    }
    for (const c of OGAS_CSV_COLUMNS) {
      if (c !== 'record' && cell(c) !== '' && !layout.required.includes(c) && !layout.optional.includes(c)) {
        issues.push({ field: at(c), message: `not used by a '${record}' record; leave it empty` });
      }
    }
    const num = (c: OgasCsvColumn): number => {
      const v = parseNumber(cell(c));
      if (v === undefined) issues.push({ field: at(c), message: `"${cell(c)}" is not a number` });
      return v ?? 0;
    };
    const optNum = (c: OgasCsvColumn): number | undefined => (cell(c) === '' ? undefined : num(c));
    if (issues.length > before) continue;

    switch (record) {
      case 'economy':
        model.name = cell('name');
        if (cell('source') !== '') model.source = cell('source');
        break;
      case 'product': {
        const kind = cell('kind');
        if (!(PRODUCT_KINDS as readonly string[]).includes(kind)) {
          issues.push({ field: at('kind'), message: `"${kind}" is not one of ${PRODUCT_KINDS.join(', ')}` });
          break;
        }
        lineOf.set(`products[${model.products.length}]`, line);
        model.products.push({
          code: cell('code'),
          name: cell('name'),
          unit: cell('unit'),
          kind: kind as ProductKind,
        });
        break;
      }
      case 'skill': {
        const available = optNum('available');
        lineOf.set(`skills[${model.skills.length}]`, line);
        model.skills.push({
          code: cell('code'),
          name: cell('name'),
          ...(available === undefined ? {} : { available }),
        });
        break;
      }
      case 'resource':
        lineOf.set(`resources[${model.resources.length}]`, line);
        model.resources.push({
          code: cell('code'),
          name: cell('name'),
          unit: cell('unit'),
          capacity: num('capacity'),
        });
        break;
      case 'technology': {
        const capacity = optNum('capacity');
        const valueAddedPerUnit = optNum('value_added_per_unit');
        const unit = cell('operating_unit');
        lineOf.set(`technologies[${model.technologies.length}]`, line);
        model.technologies.push({
          code: cell('code'),
          name: cell('name'),
          product: cell('product'),
          outputPerRun: num('output_per_run'),
          inputs: [],
          labour: [],
          resources: [],
          ...(capacity === undefined ? {} : { capacity }),
          ...(valueAddedPerUnit === undefined ? {} : { valueAddedPerUnit }),
          ...(unit === '' ? {} : { unit }),
        });
        break;
      }
      case 'input': {
        const c = { product: cell('product'), perUnit: num('per_unit') };
        coefficients.push({
          technology: cell('technology'),
          line,
          attach: (t) => `inputs[${t.inputs.push(c) - 1}]`,
        });
        break;
      }
      case 'labour': {
        const c = { skill: cell('skill'), perUnit: num('per_unit') };
        coefficients.push({
          technology: cell('technology'),
          line,
          attach: (t) => `labour[${t.labour.push(c) - 1}]`,
        });
        break;
      }
      case 'resource-use': {
        const c = { resource: cell('resource'), perUnit: num('per_unit') };
        coefficients.push({
          technology: cell('technology'),
          line,
          attach: (t) => `resources[${t.resources.push(c) - 1}]`,
        });
        break;
      }
      case 'target':
        lineOf.set(`targets[${model.targets.length}]`, line);
        model.targets.push({ product: cell('product'), period: num('period'), quantity: num('quantity') });
        break;
    }
  }
  if (economyLines !== 1) {
    issues.push({
      field: 'record economy',
      message: `the file needs exactly one 'economy' record (found ${economyLines})`,
    });
  }

  const byCode = new Map(model.technologies.map((t, i) => [t.code, i]));
  for (const c of coefficients) {
    const ti = byCode.get(c.technology);
    const tech = ti === undefined ? undefined : model.technologies[ti];
    if (ti === undefined || tech === undefined) {
      issues.push({
        field: `line ${c.line}, column 'technology'`,
        message: `unknown technology "${c.technology}"`,
      });
      continue;
    }
    lineOf.set(`technologies[${ti}].${c.attach(tech)}`, c.line);
  }
  if (issues.length > 0) throw refusal('economy CSV', issues, FIX);

  const integrity = modelIssues(model).map((i) => ({ field: locate(i.field, lineOf), message: i.message }));
  if (integrity.length > 0) throw refusal('economy CSV', integrity, FIX);
  return { model, report: { format: 'ogas-csv', ...modelCounts(model), warnings: [] } };
}

/** Prefixes a model path with the CSV line it came from, using the longest recorded prefix. */
function locate(path: string, lineOf: Map<string, number>): string {
  let best: number | undefined;
  let bestLength = -1;
  for (const [prefix, line] of lineOf) {
    if (path.startsWith(prefix) && prefix.length > bestLength) {
      best = line;
      bestLength = prefix.length;
    }
  }
  return best === undefined ? path : `line ${best} (${path})`;
}
