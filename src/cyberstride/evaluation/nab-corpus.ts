// Reads a NAB corpus from content (data CSVs, combined_windows.json, profiles.json) into typed series and
// windows. Errors name the file and the row, never the file's content.
import { DomainError } from '../../core/errors';
import { windowRows, type CostMatrix, type WindowRows } from './nab-scorer';

export interface NabSeries {
  /** The file's path under data/, e.g. "realKnownCause/nyc_taxi.csv" (NAB's key in the labels). */
  path: string;
  times: Float64Array;
  values: Float64Array;
  windows: WindowRows[];
  /** Labelled windows that cover no reading (dropped, as they cannot be scored). */
  emptyWindows: number;
}

/** NAB's three profiles, as in its config/profiles.json. */
export const NAB_PROFILES: Record<string, CostMatrix> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/** Epoch ms of a NAB timestamp ("2014-04-10 07:15:00" or with ".000000"), read as UTC; NaN if malformed. */
export function nabTime(text: string): number {
  const m = STAMP.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

function invalid(field: string, message: string, fix: string): DomainError {
  return new DomainError('invalid', `${field}: ${message}`, { issues: [{ field, message }], fix });
}

/**
 * Parses one NAB data file ("timestamp,value" with a header); a bad row is named by its number only. Rows stay
 * in file order, as NAB scores them: NAB's own files repeat or step back a timestamp at clock changes.
 */
export function parseNabCsv(path: string, csv: string): { times: Float64Array; values: Float64Array } {
  const lines = csv.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const header = (lines[0] ?? '').trim().toLowerCase();
  if (!header.startsWith('timestamp,value'))
    throw invalid(
      `files[${path}]`,
      'the first line is not the header "timestamp,value"',
      'give a NAB data file',
    );
  const n = lines.length - 1;
  if (n < 1) throw invalid(`files[${path}]`, 'has no readings', 'give a NAB data file with readings');
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const line = lines[i + 1] as string;
    const comma = line.indexOf(',');
    const t = comma < 0 ? NaN : nabTime(line.slice(0, comma));
    const rest = comma < 0 ? '' : line.slice(comma + 1);
    const next = rest.indexOf(',');
    const v = Number(next < 0 ? rest : rest.slice(0, next));
    if (Number.isNaN(t) || rest.trim() === '' || !Number.isFinite(v))
      throw invalid(
        `files[${path}] row ${i + 2}`,
        'is not "timestamp,value" with a timestamp like 2014-04-10 07:15:00 and a finite number',
        'correct or remove that row',
      );
    times[i] = t;
    values[i] = v;
  }
  return { times, values };
}

export interface CorpusContent {
  files: { path: string; csv: string }[];
  /** labels/combined_windows.json: data path → list of [start, end] timestamps. */
  windows: Record<string, [string, string][]>;
}

/**
 * The corpus's series with their windows as row ranges. Data files that the labels do not name are skipped
 * (as NAB's runner skips them), and so are labels for files that were not given.
 */
export function readCorpus(content: CorpusContent): {
  series: NabSeries[];
  skipped: { path: string; reason: string }[];
} {
  const series: NabSeries[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const file of [...content.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (seen.has(file.path))
      throw invalid(`files[${file.path}]`, 'is given twice', 'give each data file once');
    seen.add(file.path);
    const labels = content.windows[file.path];
    if (labels === undefined) {
      skipped.push({ path: file.path, reason: 'not named in the labels (combined_windows.json)' });
      continue;
    }
    const { times, values } = parseNabCsv(file.path, file.csv);
    const spans = labels.map(([start, end], k) => {
      const from = nabTime(start);
      const to = nabTime(end);
      if (Number.isNaN(from) || Number.isNaN(to) || to < from)
        throw invalid(
          `windows[${file.path}][${k}]`,
          'is not [start, end] with timestamps like 2014-04-10 07:15:00.000000 and start ≤ end',
          'correct the labels file',
        );
      return { start: from, end: to };
    });
    spans.sort((a, b) => a.start - b.start);
    const rows = windowRows(times, spans);
    series.push({ path: file.path, times, values, windows: rows, emptyWindows: spans.length - rows.length });
  }
  if (series.length === 0)
    throw invalid(
      'files',
      'no data file is named in the labels',
      'give NAB data files (data/<category>/<name>.csv) and the labels that name them',
    );
  return { series, skipped };
}
