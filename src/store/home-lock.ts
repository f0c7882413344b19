// One process at a time on an embedded database folder: PGlite is single-process, and two writers corrupt it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../core/errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock on `dir` or throws `unavailable` naming the holder; returns the release function. */
export function lockHome(dir: string): () => void {
  const file = join(dir, 'ogas.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new DomainError('unavailable', `the database in ${dir} is in use by process ${pid}`, {
        fix: 'stop that process, or talk to the running server with --server http://localhost:8080, or set OGAS_HOME to another folder',
      });
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
