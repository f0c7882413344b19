// Reads files on the CLI's own machine for operations that gather local paths into uploaded content.
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DomainError } from '../core/errors';
import type { LocalFiles } from '../core/operation';

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_FILES = 10_000;

function unreadable(path: string, why: string, fix: string): DomainError {
  // The message names the path and the reason, never the file's content.
  return new DomainError('invalid', `cannot read "${path}": ${why}`, {
    issues: [{ field: path, message: why }],
    fix,
  });
}

async function readLimited(path: string, maxBytes: number): Promise<Buffer> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw unreadable(path, 'no such file', 'give the path of an existing file');
  }
  if (!info.isFile()) throw unreadable(path, 'not a regular file', 'give the path of a regular file');
  const handle = await open(path, 'r');
  try {
    // Read in chunks up to the limit: a device or a growing file must not be read without end.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes)
        throw unreadable(path, `larger than ${maxBytes} bytes`, 'split the file or give a smaller one');
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

async function listFiles(dir: string, maxFiles: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      throw unreadable(folder, 'not a readable directory', 'give the path of an existing directory');
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        out.push(relative(dir, full));
        if (out.length > maxFiles)
          throw unreadable(dir, `more than ${maxFiles} files`, 'give a smaller directory');
      }
    }
  };
  await walk(dir);
  return out.sort();
}

export const localFiles: LocalFiles = {
  read: (path, options) => readLimited(path, options?.maxBytes ?? DEFAULT_MAX_BYTES),
  list: (dir, options) => listFiles(dir, options?.maxFiles ?? DEFAULT_MAX_FILES),
  join: (...parts) => join(...parts),
};
