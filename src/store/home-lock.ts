// One process at a time on an embedded database folder: PGlite is single-process, and two writers corrupt it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../core/errors';

/** Who holds the folder: the process, and the port it serves on when it is a server. */
export interface LockHolder {
  pid: number;
  port?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads the lock file: JSON `{pid, port}`, or a bare pid as written by earlier versions. */
export function readLockHolder(text: string): LockHolder | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const doc = JSON.parse(trimmed) as { pid?: unknown; port?: unknown };
    if (!Number.isInteger(doc.pid)) return null;
    return { pid: doc.pid as number, ...(Number.isInteger(doc.port) ? { port: doc.port as number } : {}) };
  } catch {
    return null;
  }
}

function busy(dir: string, holder: LockHolder): DomainError {
  const fix =
    holder.port === undefined
      ? 'wait for that command to finish (or stop it), or set OGAS_HOME to another folder'
      : `stop that process, or talk to the running server with --server http://localhost:${holder.port}, or set OGAS_HOME to another folder`;
  const what = holder.port === undefined ? '' : ` (a server on port ${holder.port})`;
  return new DomainError('unavailable', `the database in ${dir} is in use by process ${holder.pid}${what}`, {
    fix,
  });
}

/**
 * Takes the lock on `dir` or throws `unavailable` naming the holder and how to reach it; returns the release
 * function. A server passes the port it will listen on, so that others are told where to find it.
 */
export function lockHome(dir: string, serving: { port?: number } = {}): () => void {
  const file = join(dir, 'ogas.lock');
  if (existsSync(file)) {
    const holder = readLockHolder(readFileSync(file, 'utf8'));
    if (holder && holder.pid !== process.pid && alive(holder.pid)) throw busy(dir, holder);
  }
  const mine: LockHolder = {
    pid: process.pid,
    ...(serving.port === undefined ? {} : { port: serving.port }),
  };
  writeFileSync(file, `${JSON.stringify(mine)}\n`);
  return () => rmSync(file, { force: true });
}
