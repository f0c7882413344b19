// The one entry point for importing an economy: detects or takes the format and calls its importer.
import { DomainError } from '../../core/errors';
import { guardInput } from '../../core/input-guard';
import { detectFormat } from './detect-format';
import type { ImportFormat, ImportResult } from './import-result';
import { importIotCsv } from './iot-csv';
import type { IotCsvOptions } from './iot-csv';
import { importMatrixJson } from './matrix-json';
import { importOgasCsv } from './ogas-csv';
import { importOgasJson } from './ogas-json';
import { importWiod } from './wiod-xlsx';
import type { WiodOptions } from './wiod-xlsx';

export interface ImportEconomyOptions extends IotCsvOptions, Omit<WiodOptions, 'year'> {
  format?: 'auto' | ImportFormat;
  /** The file's name, which helps detection (an `.xlsx` is a WIOD table). */
  filename?: string;
  /** The year to read from tables that stack several (WIOD). */
  year?: number;
}

/**
 * Imports and guards what came out of the file: text decoded from a spreadsheet or from base64 has not
 * passed the input guard, and a NUL in a product name would reach the database.
 */
export async function importEconomy(
  content: Buffer | string,
  options: ImportEconomyOptions = {},
): Promise<ImportResult> {
  const result = await importByFormat(content, options);
  guardInput(result.model, { prefix: ['(file)'] }, 'file');
  return result;
}

async function importByFormat(
  content: Buffer | string,
  options: ImportEconomyOptions,
): Promise<ImportResult> {
  const { format = 'auto', filename, year, ...rest } = options;
  const chosen = format === 'auto' ? detectFormat(filename, content) : format;
  switch (chosen) {
    case 'ogas-json':
      return importOgasJson(content);
    case 'ogas-csv':
      return importOgasCsv(content);
    case 'iot-csv':
      return importIotCsv(content, rest);
    case 'matrix-json':
      return importMatrixJson(content);
    case 'wiod-xlsx':
      if (year === undefined) {
        throw new DomainError('invalid', 'year: a WIOD table stacks several years; say which one to read', {
          issues: [{ field: 'year', message: 'required for WIOD tables' }],
          fix: 'pass the year, e.g. 2014 (WIOD 2016 release tables hold 2000–2014)',
        });
      }
      return importWiod(content, { ...rest, year });
  }
}
