// Parses an uploaded Turing Change Point Dataset folder (flat or TCPD's own layout) from in-memory files: no I/O,
// and no message ever quotes a file's content (only its path and what is wrong).
import { z } from 'zod';
import { DomainError } from '../../core/errors';

/** One uploaded file: its path relative to the folder ('/'-separated) and its text. */
export interface TcpdFile {
  path: string;
  content: string;
}

const seriesFileSchema = z.object({
  name: z.string(),
  n_obs: z.number().int().positive(),
  n_dim: z.number().int().positive(),
  series: z.array(z.object({ label: z.string().optional(), raw: z.array(z.number().nullable()) })).min(1),
});

const annotationsSchema = z.record(z.string(), z.record(z.string(), z.array(z.number().int().nonnegative())));

/** One univariate series; missing readings are null, as in the dataset. */
export interface TcpdSeries {
  name: string;
  values: (number | null)[];
  /** Change points marked by each annotator (annotator ids in file order). */
  annotations: number[][];
}

export interface TcpdDataset {
  series: TcpdSeries[];
  /** Series present but not evaluated, with why (multivariate, or no annotations). */
  skipped: { name: string; reason: string }[];
}

const FIX =
  'give a folder laid out like the TCPD: annotations.json and either <name>.json series files beside it or ' +
  "TCPD's own datasets/<name>/<name>.json (n_obs, n_dim, series[].raw)";

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid', `${field}: ${message}`, { issues: [{ field, message }], fix: FIX });
}

function parseJson(path: string, content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    // JSON.parse messages quote the text around the error: say only where it is.
    throw invalid(path, 'is not valid JSON');
  }
}

const segments = (path: string) => path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');

/**
 * The series files of the folder: TCPD's own layout (`datasets/<name>/<name>.json`, any depth above `datasets`)
 * when present, otherwise the `.json` files at the top beside `annotations.json`.
 */
function seriesFiles(files: readonly TcpdFile[]): TcpdFile[] {
  const nested = files.filter((f) => {
    const p = segments(f.path);
    const file = p[p.length - 1] ?? '';
    return p.length >= 3 && p[p.length - 3] === 'datasets' && file === `${p[p.length - 2]}.json`;
  });
  if (nested.length > 0) return nested;
  return files.filter((f) => {
    const p = segments(f.path);
    return p.length === 1 && p[0]?.endsWith('.json') === true && p[0] !== 'annotations.json';
  });
}

/** The shallowest annotations.json (TCPD keeps it at the top of the repository). */
function annotationsFile(files: readonly TcpdFile[]): TcpdFile | undefined {
  return files
    .filter((f) => segments(f.path).at(-1) === 'annotations.json')
    .sort((a, b) => segments(a.path).length - segments(b.path).length)[0];
}

/** Parses every univariate series with its annotations; multivariate or unannotated series are skipped with a reason. */
export function parseTcpdFiles(files: readonly TcpdFile[], source = 'files'): TcpdDataset {
  const annotationsEntry = annotationsFile(files);
  const candidates = seriesFiles(files);
  if (annotationsEntry === undefined || candidates.length === 0)
    throw new DomainError(
      'invalid',
      `${source} holds no TCPD dataset: ${annotationsEntry === undefined ? 'annotations.json is missing' : 'there is no series file'}`,
      { issues: [{ field: source, message: 'no annotations.json with series files' }], fix: FIX },
    );
  const annotationsResult = annotationsSchema.safeParse(
    parseJson(annotationsEntry.path, annotationsEntry.content),
  );
  if (!annotationsResult.success)
    throw invalid(annotationsEntry.path, 'must map each series name to {annotator id: [indices]}');
  const annotations = annotationsResult.data;
  const series: TcpdSeries[] = [];
  const skipped: TcpdDataset['skipped'] = [];
  for (const file of [...candidates].sort((a, b) => a.path.localeCompare(b.path))) {
    const parsed = seriesFileSchema.safeParse(parseJson(file.path, file.content));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(file.path, `${issue?.path.join('.') ?? ''} ${issue?.message ?? 'bad format'}`.trim());
    }
    const { name, n_obs, n_dim } = parsed.data;
    const marked = annotations[name];
    if (n_dim !== 1 || parsed.data.series.length !== 1) {
      skipped.push({ name, reason: `multivariate (${n_dim} dimensions): the detectors are univariate` });
      continue;
    }
    if (marked === undefined) {
      skipped.push({ name, reason: 'no entry in annotations.json' });
      continue;
    }
    const values = (parsed.data.series[0] as { raw: (number | null)[] }).raw;
    if (values.length !== n_obs)
      throw invalid(file.path, `series[0].raw has ${values.length} values but n_obs is ${n_obs}`);
    series.push({ name, values, annotations: Object.values(marked) });
  }
  return { series, skipped };
}

/** z-scores a series as TCPDBench does: (x − mean) / population standard deviation, ignoring missing values. */
export function zScore(values: readonly (number | null)[]): (number | null)[] {
  const present = values.filter((v): v is number => v !== null);
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  const sd = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / present.length);
  return values.map((v) => (v === null ? null : sd > 0 ? (v - mean) / sd : 0));
}
