// Receipt codes: random, readable aloud, shown to the voter once and published with the ballots after closing.
import { randomBytes } from 'node:crypto';

/** Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 100 random bits as four groups of five characters, e.g. "7K3QX-9XWDM-M2PAF-8RTZ0". */
export function newReceiptCode(): string {
  const bytes = randomBytes(13);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return groups(out);
}

function groups(plain: string): string {
  const parts: string[] = [];
  for (let i = 0; i < plain.length; i += 5) parts.push(plain.slice(i, i + 5));
  return parts.join('-');
}

/** Upper-cases and maps the letters people confuse (O→0, I/L→1), so a hand-copied code still matches. */
export function normaliseReceipt(code: string): string {
  const plain = code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return plain.length === 20 ? groups(plain) : plain;
}
