// Writes an EconomyModel as OGAS economy CSV, the format importOgasCsv reads back unchanged.
import type { EconomyModel } from '../economy';
import { OGAS_CSV_COLUMNS } from '../import/ogas-csv-layout';
import type { OgasCsvColumn } from '../import/ogas-csv-layout';

type Line = Partial<Record<OgasCsvColumn, string | number | null | undefined>>;

/** Quotes a cell when CSV needs it; quoting also protects leading and trailing spaces from trimming. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One line per record: the economy, products, skills, resources, then each technology followed by
 * its inputs, labour and resource uses, then the targets. Absent optional values are empty cells.
 */
export function exportEconomyCsv(model: EconomyModel): string {
  const lines: Line[] = [{ record: 'economy', name: model.name, source: model.source }];
  for (const p of model.products) {
    lines.push({ record: 'product', code: p.code, name: p.name, unit: p.unit, kind: p.kind });
  }
  for (const s of model.skills)
    lines.push({ record: 'skill', code: s.code, name: s.name, available: s.available });
  for (const r of model.resources) {
    lines.push({ record: 'resource', code: r.code, name: r.name, unit: r.unit, capacity: r.capacity });
  }
  for (const t of model.technologies) {
    lines.push({
      record: 'technology',
      code: t.code,
      name: t.name,
      product: t.product,
      output_per_run: t.outputPerRun,
      capacity: t.capacity,
      value_added_per_unit: t.valueAddedPerUnit,
      operating_unit: t.unit,
    });
    for (const c of t.inputs) {
      lines.push({ record: 'input', technology: t.code, product: c.product, per_unit: c.perUnit });
    }
    for (const c of t.labour)
      lines.push({ record: 'labour', technology: t.code, skill: c.skill, per_unit: c.perUnit });
    for (const c of t.resources) {
      lines.push({ record: 'resource-use', technology: t.code, resource: c.resource, per_unit: c.perUnit });
    }
  }
  for (const d of model.targets) {
    lines.push({ record: 'target', product: d.product, period: d.period, quantity: d.quantity });
  }
  const rows = lines.map((l) => OGAS_CSV_COLUMNS.map((c) => cell(l[c])).join(','));
  return `${[OGAS_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
