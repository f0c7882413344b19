import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { localFiles } from './local-files';

describe('local files of the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-local-'));
  mkdirSync(join(dir, 'datasets', 'a'), { recursive: true });
  writeFileSync(join(dir, 'datasets', 'a', 'a.json'), '{"secret":"do not echo me"}');
  writeFileSync(join(dir, 'top.txt'), 'x'.repeat(100));

  it('lists the files under a folder recursively, relative and sorted', async () => {
    expect(await localFiles.list(dir)).toEqual([join('datasets', 'a', 'a.json'), 'top.txt']);
  });

  it('refuses a file over the limit without echoing its content', async () => {
    const error: unknown = await localFiles.read(join(dir, 'top.txt'), { maxBytes: 10 }).catch((e) => e);
    expect(isDomainError(error) && error.kind).toBe('invalid');
    expect((error as Error).message).toContain('larger than 10 bytes');
    expect((error as Error).message).not.toContain('xxx');
  });

  it('refuses a device such as /dev/urandom instead of reading without end', async () => {
    const error: unknown = await localFiles.read('/dev/urandom').catch((e) => e);
    expect((error as Error).message).toContain('not a regular file');
  });

  it('refuses a missing path and a folder given as a file', async () => {
    await expect(localFiles.read(join(dir, 'nope'))).rejects.toThrow('no such file');
    await expect(localFiles.read(dir)).rejects.toThrow('not a regular file');
    await expect(localFiles.list(join(dir, 'top.txt'))).rejects.toThrow('not a readable directory');
  });
});
