// Password hashing with scrypt from node:crypto, in a self-describing string so parameters can change later.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;
const SALT_BYTES = 16;

/** The key-derivation function; injectable so tests can see how it is called. */
export type Kdf = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) => Promise<Buffer>;

export const scrypt: Kdf = (password, salt, keylen, options) =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

export class PasswordHasher {
  /** Random salt and key with today's parameters: a hash that no password matches. */
  private readonly dummy = ['scrypt', N, R, P, randomBytes(SALT_BYTES), randomBytes(KEYLEN)]
    .map((part) => (Buffer.isBuffer(part) ? part.toString('base64url') : part))
    .join('$');

  constructor(private readonly kdf: Kdf = scrypt) {}

  /** "scrypt$N$r$p$salt$hash", salt and hash in base64url. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.kdf(password, salt, KEYLEN, { N, r: R, p: P });
    return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const key = await this.kdf(password, Buffer.from(salt, 'base64url'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Does for an unknown account the work of checking a known one (against a hash that no password matches),
   * so neither the answer nor its time tells which accounts exist. Always false.
   */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(password, this.dummy);
    return false;
  }
}
