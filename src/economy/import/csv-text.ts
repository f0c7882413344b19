// Shared reading of text and CSV input: decoding, parsing with line numbers, strict number cells.
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../core/errors';
import { parserFault } from '../../core/parse-error';

/** Decodes a file's bytes as UTF-8 text, without a byte-order mark. */
export function toText(content: Buffer | string): string {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export interface CsvRow {
  /** 1-based line of the file where the record ends (records rarely span lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** Parses CSV text whose first line is a header; every record must have the header's column count. */
export function readCsv(content: Buffer | string): CsvTable {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's typings omit the `{ record, info }` shape that `info: true` produces.
    parsed = parse(toText(content), {
      trim: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    const lines = (e as { lines?: number }).lines;
    throw new DomainError('invalid', `the file is not valid CSV: ${parserFault(e)}`, {
      issues: [{ field: lines === undefined ? '(file)' : `line ${lines}`, message: parserFault(e) }],
      fix: 'save the table as comma-separated values with one header line and the same number of cells on every line',
    });
  }
  const [head, ...body] = parsed;
  if (head === undefined) {
    throw new DomainError('invalid', 'the CSV file is empty', {
      issues: [{ field: 'line 1', message: 'no header line' }],
      fix: 'start the file with a header line naming the columns',
    });
  }
  return { header: head.record, rows: body.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number in a cell, or undefined when the cell is not a plain decimal number. */
export function parseNumber(cell: string): number | undefined {
  if (!DECIMAL.test(cell)) return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}
