// Reads RCTab's generic CSV: a header row of candidate names, one row a ballot, the rank in each cell.
//
// As RCTab's CSV reader: candidates are the header cells from firstVoteColumnIndex on; a blank cell
// ranks nobody; the column headed by the undeclared write-in label holds write-ins.

import { parse } from 'csv-parse/sync';
import { DomainError } from '../../core/errors';
import type { CvrSourceConfig } from './rctab-config';
import { cellName, type ReadTarget } from './read-context';
import { parserFault } from '../../core/parse-error';

/** Adds the ballots of one generic CSV file. */
export function readGenericCsv(
  text: string,
  file: string,
  source: CvrSourceConfig,
  target: ReadTarget,
): number {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (e) {
    throw new DomainError('invalid', `${file}: not readable as CSV (${parserFault(e)})`, {
      issues: [{ field: file, message: parserFault(e) }],
      fix: 'give a comma-separated file with a header row of candidate names',
    });
  }
  const header = rows[0] ?? [];
  const firstColumn = (source.firstVoteColumnIndex ?? 1) - 1;
  const firstRow = Math.max(source.firstVoteRowIndex ?? 2, 2) - 1;
  const { candidates, issues } = target;
  const columns: (number | undefined)[] = header.map((name, col) => {
    if (col < firstColumn) return undefined;
    if (name === source.undeclaredWriteInLabel) return candidates.writeIn();
    const c = candidates.resolve(name);
    if (c === undefined) {
      issues.add(`${file} ${cellName(1, col + 1)}`, `unknown candidate "${name}" in the header`);
    }
    return c;
  });
  let count = 0;
  for (let r = firstRow; r < rows.length; r++) {
    const row = rows[r] as string[];
    const entries: [number, number][] = [];
    for (let col = firstColumn; col < row.length; col++) {
      const cell = (row[col] as string).trim();
      if (cell === '') continue;
      const rank = Number(cell);
      if (!/^\d+$/.test(cell) || rank < 1 || rank > 0xffff) {
        issues.add(
          `${file} ${cellName(r + 1, col + 1)}`,
          `expected a rank (a whole number from 1), got "${cell}"`,
        );
        continue;
      }
      const c = columns[col];
      if (c === undefined) {
        if (col >= header.length)
          issues.add(`${file} ${cellName(r + 1, col + 1)}`, 'a rank in a column without a candidate');
        continue;
      }
      entries.push([rank, c]);
    }
    const idOf = (column: number | undefined, missing: string): string | undefined => {
      if (column === undefined) return undefined;
      const v = (row[column - 1] ?? '').trim();
      return v === '' ? missing : v;
    };
    target.add(entries, {
      precinct: idOf(source.precinctColumnIndex, 'no precinct id'),
      batch: idOf(source.batchColumnIndex, 'no batch id'),
    });
    count++;
  }
  return count;
}
