// Reads a CSV batch of readings: a header naming the columns, then one reading per row.
import { parse } from 'csv-parse/sync';
import { DomainError } from '../core/errors';
import type { RawReading } from './reading';
import { parserFault } from '../core/parse-error';

type Column = 'unit' | 'indicator' | 'at' | 'value' | 'sourceId';
const ALIASES: Record<string, Column> = {
  unit: 'unit',
  indicator: 'indicator',
  at: 'at',
  time: 'at',
  timestamp: 'at',
  value: 'value',
  sourceid: 'sourceId',
  source_id: 'sourceId',
};

/** Readings of one CSV batch, as for a JSON batch. */
export const MAX_CSV_READINGS = 100_000;

/** Each row becomes a raw reading (values stay text, so non-numeric ones are quarantined, not lost). */
export function parseReadingsCsv(text: string): RawReading[] {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new DomainError('invalid', `csv: ${parserFault(e)}`, {
      issues: [{ field: 'csv', message: 'not valid CSV' }],
      fix: 'send comma-separated rows with a header such as "unit,indicator,at,value,sourceId"',
    });
  }
  const header = (rows[0] ?? []).map((h) => ALIASES[h.toLowerCase()]);
  const missing = ['indicator', 'value'].filter((c) => !header.includes(c as Column));
  if (missing.length > 0) {
    throw new DomainError('invalid', `csv: the header lacks ${missing.join(' and ')}`, {
      issues: [{ field: 'csv row 1', message: `needs columns ${missing.join(', ')}` }],
      fix: 'start the CSV with a header such as "unit,indicator,at,value,sourceId"',
    });
  }
  if (rows.length - 1 > MAX_CSV_READINGS) {
    throw new DomainError(
      'invalid',
      `csv: ${rows.length - 1} readings is more than ${MAX_CSV_READINGS} in one batch`,
      {
        issues: [{ field: 'csv', message: `at most ${MAX_CSV_READINGS} rows` }],
        fix: 'split the file into batches',
        data: { limit: MAX_CSV_READINGS, size: rows.length - 1 },
      },
    );
  }
  return rows.slice(1).map((cells) => {
    const r: Record<string, string> = {};
    header.forEach((name, i) => {
      const cell = cells[i];
      if (name !== undefined && cell !== undefined && cell !== '') r[name] = cell;
    });
    return {
      indicator: r.indicator ?? '',
      value: r.value,
      ...(r.unit === undefined ? {} : { unit: r.unit }),
      ...(r.at === undefined ? {} : { at: /^\d+$/.test(r.at) ? Number(r.at) : r.at }),
      ...(r.sourceId === undefined ? {} : { sourceId: r.sourceId }),
    };
  });
}
