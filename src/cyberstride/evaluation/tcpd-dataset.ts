// Reads a directory laid out like the Turing Change Point Dataset: one JSON file per series and annotations.json.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../core/errors';

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

function invalid(file: string, message: string): DomainError {
  return new DomainError('invalid', `${file}: ${message}`, {
    issues: [{ field: file, message }],
    fix: 'give a directory laid out like the TCPD: <name>.json series files (n_obs, n_dim, series[].raw) and annotations.json',
  });
}

/** Loads every `<name>.json` series with its annotations; multivariate series are skipped with a reason. */
export async function loadTcpdDirectory(dir: string): Promise<TcpdDataset> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    throw new DomainError('not-found', `TCPD directory "${dir}" cannot be read`, {
      fix: 'check the --tcpd path',
    });
  }
  if (!files.includes('annotations.json'))
    throw invalid(join(dir, 'annotations.json'), 'the file is missing');
  const annotationsResult = annotationsSchema.safeParse(
    JSON.parse(await readFile(join(dir, 'annotations.json'), 'utf8')),
  );
  if (!annotationsResult.success)
    throw invalid('annotations.json', annotationsResult.error.issues[0]?.message ?? 'bad format');
  const annotations = annotationsResult.data;
  const series: TcpdSeries[] = [];
  const skipped: TcpdDataset['skipped'] = [];
  for (const file of files.filter((f) => f !== 'annotations.json')) {
    const parsed = seriesFileSchema.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(file, `${issue?.path.join('.') ?? ''} ${issue?.message ?? 'bad format'}`.trim());
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
      throw invalid(file, `series[0].raw has ${values.length} values but n_obs is ${n_obs}`);
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
