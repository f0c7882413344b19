// The columns and record kinds of the OGAS economy CSV format (docs/formats/economy-csv-json.md).

export const OGAS_CSV_COLUMNS = [
  'record',
  'code',
  'name',
  'unit',
  'kind',
  'technology',
  'product',
  'skill',
  'resource',
  'per_unit',
  'output_per_run',
  'capacity',
  'available',
  'value_added_per_unit',
  'operating_unit',
  'period',
  'quantity',
  'source',
] as const;
export type OgasCsvColumn = (typeof OGAS_CSV_COLUMNS)[number];

/** For each record kind, the columns it uses: required ones, then optional ones. Others must stay empty. */
export const OGAS_CSV_RECORDS: Record<string, { required: OgasCsvColumn[]; optional: OgasCsvColumn[] }> = {
  economy: { required: [], optional: ['name', 'source'] },
  product: { required: ['code', 'kind'], optional: ['name', 'unit'] },
  skill: { required: ['code'], optional: ['name', 'available'] },
  resource: { required: ['code', 'capacity'], optional: ['name', 'unit'] },
  technology: {
    required: ['code', 'product', 'output_per_run'],
    optional: ['name', 'capacity', 'value_added_per_unit', 'operating_unit'],
  },
  input: { required: ['technology', 'product', 'per_unit'], optional: [] },
  labour: { required: ['technology', 'skill', 'per_unit'], optional: [] },
  'resource-use': { required: ['technology', 'resource', 'per_unit'], optional: [] },
  target: { required: ['product', 'period', 'quantity'], optional: [] },
};
