// Files of the library, stored content-addressed under one folder: blobs/<first two hex>/<sha256>. A file
// is streamed to a temporary name while it is hashed and counted, and renamed to its address only when it
// arrived whole and within the limit: a broken or oversized upload leaves nothing behind. The same content
// uploaded twice is stored once. The folder sits beside the embedded database ($OGAS_HOME/library), so a
// copy of $OGAS_HOME (or of it and the PostgreSQL dump) keeps the files with the records naming them.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../core/errors';

export interface StoredBlob {
  sha256: string;
  size: number;
}

const SHA = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(
    readonly root: string,
    /** The largest file accepted, in bytes. */
    readonly maxBytes: number,
  ) {}

  private pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new DomainError('invalid', 'not a SHA-256 content address');
    return join(this.root, 'blobs', sha256.slice(0, 2), sha256);
  }

  /** Streams `source` into the store; refuses (and removes) a file over the limit. */
  async put(source: Readable | AsyncIterable<Uint8Array>): Promise<StoredBlob> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const max = this.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) {
          done(tooLarge(max));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    await mkdir(join(this.root, 'blobs', sha256.slice(0, 2)), { recursive: true });
    // Same content, same address: renaming over an existing copy replaces identical bytes.
    await rename(tmp, target);
    return { sha256, size };
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** A stream of the stored file (the caller has checked that the reader may see it). */
  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  /** The whole file, for text extraction of files within the extraction limit only. */
  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }
}

export function tooLarge(max: number): DomainError {
  return new DomainError('invalid', `the file is larger than the limit of ${max} bytes`, {
    issues: [{ field: 'file', message: `at most ${max} bytes` }],
    fix: 'send a smaller file, or raise OGAS_LIBRARY_MAX_FILE_MB on the server',
  });
}

/** The upload limit from the environment (OGAS_LIBRARY_MAX_FILE_MB, default 100 MB). */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.OGAS_LIBRARY_MAX_FILE_MB ?? '100');
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : 100 * 1024 * 1024;
}
