// Gathers a TCPD folder on the caller's machine into uploaded files (the CLI's --tcpd option): only the JSON files
// a TCPD evaluation reads, each size-limited, so a repository checkout with plots and sources uploads little.
import { DomainError } from '../../core/errors';
import type { LocalFiles } from '../../core/operation';
import type { TcpdFile } from './tcpd-dataset';

/** Bounds of one upload (also enforced by the operation's input schema). */
export const TCPD_UPLOAD_LIMITS = { files: 500, bytesPerFile: 8 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 };

const wanted = (path: string) => {
  const parts = path.split(/[\\/]+/);
  const file = parts[parts.length - 1] ?? '';
  if (!file.endsWith('.json')) return false;
  if (parts.length === 1) return true;
  return (
    parts.length >= 3 && parts[parts.length - 3] === 'datasets' && file === `${parts[parts.length - 2]}.json`
  );
};

/** Reads annotations.json and the series files of `dir` (flat, or TCPD's datasets/<name>/<name>.json). */
export async function gatherTcpdFolder(dir: string, files: LocalFiles): Promise<TcpdFile[]> {
  const paths = (await files.list(dir, { maxFiles: 20_000 })).filter(wanted);
  if (paths.length > TCPD_UPLOAD_LIMITS.files)
    throw new DomainError(
      'invalid',
      `"${dir}" has ${paths.length} JSON files, more than ${TCPD_UPLOAD_LIMITS.files}`,
      {
        issues: [{ field: 'tcpd', message: `at most ${TCPD_UPLOAD_LIMITS.files} files` }],
        fix: 'evaluate a smaller folder',
      },
    );
  const out: TcpdFile[] = [];
  let total = 0;
  for (const path of paths) {
    const content = (
      await files.read(files.join(dir, path), { maxBytes: TCPD_UPLOAD_LIMITS.bytesPerFile })
    ).toString('utf8');
    total += content.length;
    if (total > TCPD_UPLOAD_LIMITS.totalBytes)
      throw new DomainError(
        'invalid',
        `"${dir}" holds more than ${TCPD_UPLOAD_LIMITS.totalBytes} bytes of JSON`,
        {
          issues: [{ field: 'tcpd', message: 'too large' }],
          fix: 'evaluate a smaller folder',
        },
      );
    out.push({ path: path.split(/[\\/]+/).join('/'), content });
  }
  if (out.length === 0)
    throw new DomainError('invalid', `"${dir}" holds no TCPD dataset (no JSON files)`, {
      issues: [{ field: 'tcpd', message: 'empty folder' }],
      fix: 'give a folder with annotations.json and the series files (<name>.json or datasets/<name>/<name>.json)',
    });
  return out;
}
