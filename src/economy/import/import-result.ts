// What every importer returns: the model, a report of what was read, and the observed table data.
import type { EconomyModel } from '../economy';

export const IMPORT_FORMATS = ['ogas-json', 'ogas-csv', 'iot-csv', 'wiod-xlsx', 'matrix-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportReport {
  format: ImportFormat;
  products: number;
  skills: number;
  resources: number;
  technologies: number;
  targets: number;
  /** Non-zero input coefficients over all technologies. */
  nonZeros: number;
  /** The table year read, for tables that stack several years. */
  year?: number;
  /** Things that were read but look doubtful, or were deliberately left out. */
  warnings: string[];
}

/** Totals observed in a source table, each array aligned with `products` (the model's product order). */
export interface ObservedData {
  products: string[];
  grossOutput: number[];
  valueAdded: number[];
  finalDemand: number[];
  /** Imported intermediate inputs used by each product's industry (column sums of the import rows). */
  importedInputs?: number[];
  /** Employment by industry, in the table's units (e.g. thousand persons). */
  employment?: number[];
}

/** The matrices of the plain researchers' form, kept as read for analysis. */
export interface RawMatrices {
  A: number[][];
  l: number[];
  Q: number[];
  D?: number[][];
  b?: number[];
}

export interface ImportResult {
  model: EconomyModel;
  report: ImportReport;
  observed?: ObservedData;
  matrices?: RawMatrices;
}

/** Counts of what a model holds, for the report. */
export function modelCounts(
  model: EconomyModel,
): Pick<ImportReport, 'products' | 'skills' | 'resources' | 'technologies' | 'targets' | 'nonZeros'> {
  let nonZeros = 0;
  for (const t of model.technologies) for (const i of t.inputs) if (i.perUnit !== 0) nonZeros++;
  return {
    products: model.products.length,
    skills: model.skills.length,
    resources: model.resources.length,
    technologies: model.technologies.length,
    targets: model.targets.length,
    nonZeros,
  };
}
