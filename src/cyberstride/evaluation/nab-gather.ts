// Gathers a NAB folder on the CLI's machine (data/<category>/<name>.csv, labels/combined_windows.json,
// config/profiles.json) into the monitor.nab operation's input, so the server only ever sees content.
import { DomainError } from '../../core/errors';
import type { LocalFiles } from '../../core/operation';

/** Each data file and the labels may be at most this large; NAB's largest file is about 1 MB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** The whole upload stays under the server's body limit (64 MB). */
const MAX_TOTAL_BYTES = 60 * 1024 * 1024;

function refuse(field: string, message: string, fix: string): DomainError {
  return new DomainError('invalid', `--nab: ${field} ${message}`, { issues: [{ field, message }], fix });
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the content: say only where and what.
    throw refuse(path, 'is not valid JSON', `give NAB's ${path}`);
  }
}

/** Reads the labelled data files, the windows and (when present) the profiles of a NAB folder. */
export async function gatherNabFolder(dir: string, files: LocalFiles): Promise<Record<string, unknown>> {
  const listed = await files.list(dir, { maxFiles: 5000 });
  const slash = (p: string) => p.split(/[\\/]/).join('/');
  const paths = listed.map(slash);
  const labelsPath = 'labels/combined_windows.json';
  if (!paths.includes(labelsPath))
    throw refuse(
      labelsPath,
      'is missing',
      'give a folder laid out like NAB (data/, labels/combined_windows.json)',
    );
  let total = 0;
  const read = async (path: string) => {
    const bytes = await files.read(files.join(dir, ...path.split('/')), { maxBytes: MAX_FILE_BYTES });
    total += bytes.length;
    if (total > MAX_TOTAL_BYTES)
      throw refuse('data', `is larger than ${MAX_TOTAL_BYTES} bytes in all`, 'give fewer data files');
    return bytes.toString('utf8');
  };
  const windows = parseJson(labelsPath, await read(labelsPath));
  if (windows === null || typeof windows !== 'object' || Array.isArray(windows))
    throw refuse(labelsPath, 'is not an object of data paths to windows', `give NAB's ${labelsPath}`);
  const labelled = new Set(Object.keys(windows));
  const data = paths.filter(
    (p) => /^data\/[^/]+\/[^/]+\.csv$/.test(p) && labelled.has(p.slice('data/'.length)),
  );
  if (data.length === 0)
    throw refuse(
      'data',
      'has no data/<category>/<name>.csv named in the labels',
      'give a NAB folder with its data',
    );
  const out: Record<string, unknown> = {
    windows,
    files: await Promise.all(data.map(async (p) => ({ path: p.slice('data/'.length), csv: await read(p) }))),
  };
  if (paths.includes('config/profiles.json'))
    out.profiles = parseJson('config/profiles.json', await read('config/profiles.json'));
  return out;
}
