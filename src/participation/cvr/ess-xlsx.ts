// Reads ES&S cast-vote spreadsheets (.xlsx): one row a ballot, one column a rank, a candidate name per cell.
//
// As RCTab's ES&S reader: only the first sheet; rows from firstVoteRowIndex; rank columns from
// firstVoteColumnIndex, at most maxRankingsAllowed of them; cell text trimmed; the skipped-rank label
// and blank cells rank nobody (blank cells are write-ins with treatBlankAsUndeclaredWriteIn); the
// overvote label marks an overvote; an overvote delimiter splits a cell into several candidates.

import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { DomainError } from '../../core/errors';
import { OVERVOTE } from '../counting/ranked-ballots';
import type { CvrSourceConfig } from './rctab-config';
import { cellName, type ReadTarget } from './read-context';
import { parserFault } from '../../core/parse-error';

type CellValue = ExcelJS.CellValue;

/** The text RCTab would see in a cell (Apache POI's formatted value), or undefined if empty. */
export function cellText(value: CellValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return cellText(value.result as CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return undefined;
}

function rowCells(values: CellValue[] | Record<string, CellValue>): (index: number) => CellValue {
  return Array.isArray(values) ? (i) => values[i] : (i) => values[String(i)];
}

/** Adds the ballots of one ES&S spreadsheet; problems are located by file, row and column. */
export async function readEssXlsx(
  bytes: Buffer,
  file: string,
  source: CvrSourceConfig,
  target: ReadTarget,
): Promise<number> {
  const firstRow = source.firstVoteRowIndex ?? 2;
  const firstColumn = source.firstVoteColumnIndex ?? 1;
  const lastColumn = firstColumn + target.maxRankings - 1;
  const { candidates, issues } = target;
  let count = 0;
  // exceljs loads on first use: it is heavy, and the command line starts without it.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (row.number < firstRow) continue;
        const cell = rowCells(row.values as CellValue[]);
        const entries: [number, number][] = [];
        for (let col = firstColumn; col <= lastColumn; col++) {
          const rank = col - firstColumn + 1;
          const where = `${file} ${cellName(row.number, col)}`;
          const text = cellText(cell(col))?.trim();
          if (text === undefined || text === '') {
            if (source.treatBlankAsUndeclaredWriteIn) entries.push([rank, candidates.writeIn()]);
            continue;
          }
          const names =
            source.overvoteDelimiter === undefined
              ? [text]
              : text.split(source.overvoteDelimiter).map((s) => s.trim());
          if (names.length > 1 && names.some((n) => n === '' || n === source.skippedRankLabel)) {
            issues.add(where, 'a cell split by the overvote delimiter holds a blank or skipped-rank entry');
            continue;
          }
          for (const name of names) {
            if (name === source.skippedRankLabel) continue;
            if (name === source.overvoteLabel) entries.push([rank, OVERVOTE]);
            else if (name === source.undeclaredWriteInLabel) entries.push([rank, candidates.writeIn()]);
            else {
              const c = candidates.resolve(name);
              if (c === undefined)
                issues.add(
                  where,
                  `unknown candidate "${name}": not a candidate name or alias of the configuration`,
                );
              else entries.push([rank, c]);
            }
          }
        }
        // As RCTab: a configured precinct or batch column without a value groups the row under "missing".
        const idOf = (column: number | undefined, missing: string): string | undefined =>
          column === undefined ? undefined : (cellText(cell(column)) ?? missing);
        target.add(entries, {
          precinct: idOf(source.precinctColumnIndex, 'missing_precinct_id'),
          batch: idOf(source.batchColumnIndex, 'missing_batch_id'),
        });
        count++;
      }
      break;
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('invalid', `${file}: not a readable .xlsx workbook (${parserFault(e)})`, {
      issues: [{ field: file, message: 'not an .xlsx workbook' }],
      fix: 'ES&S cast-vote records are Excel workbooks (.xlsx); check provider and filePath',
    });
  }
  return count;
}
