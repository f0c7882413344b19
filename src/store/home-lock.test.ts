// The lock on an embedded database folder: the refusal names the holder and, for a server, its real port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors';
import { lockHome, readLockHolder } from './home-lock';

const dirs: string[] = [];
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Rewrites the lock as if `pid` (another live process: our parent) had written it. */
function heldBy(dir: string, pid: number): void {
  const file = join(dir, 'ogas.lock');
  const holder = readLockHolder(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...holder, pid }));
}

function refusal(dir: string): DomainError {
  try {
    lockHome(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('lockHome took a lock held by a live process');
}

describe('lockHome', () => {
  it('records the port of a server, and a second process is told that port', () => {
    const dir = home();
    lockHome(dir, { port: 9123 });
    expect(readLockHolder(readFileSync(join(dir, 'ogas.lock'), 'utf8'))).toEqual({
      pid: process.pid,
      port: 9123,
    });
    heldBy(dir, process.ppid);
    const e = refusal(dir);
    expect(e.kind).toBe('unavailable');
    expect(e.message).toContain(`process ${process.ppid} (a server on port 9123)`);
    expect(e.fix).toContain('--server http://localhost:9123');
    expect(e.fix).not.toContain('8080');
  });

  it('tells to wait when the holder is a command, not a server', () => {
    const dir = home();
    lockHome(dir);
    heldBy(dir, process.ppid);
    const e = refusal(dir);
    expect(e.fix).not.toContain('--server');
    expect(e.fix).toContain('wait for that command to finish');
  });

  it('takes over the lock of a process that is gone, and reads the bare pid of earlier versions', () => {
    const dir = home();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, 'ogas.lock'), String(gone));
    expect(readLockHolder(String(gone))).toEqual({ pid: gone });
    const release = lockHome(dir, { port: 8181 });
    expect(readLockHolder(readFileSync(join(dir, 'ogas.lock'), 'utf8'))?.port).toBe(8181);
    release();
    expect(() => readFileSync(join(dir, 'ogas.lock'))).toThrow();
  });
});
