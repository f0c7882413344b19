// Identifiers and secrets: random ids with a readable prefix, tokens and their hashes.
import { createHash, randomBytes } from 'node:crypto';

/** A new id such as "u_3f9a1c0b7d2e4a51"; the prefix says what it names. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** A secret with a prefix saying what it is ("ogs_" session, "ogm_" machine token, "ogr_" password reset code). */
export function newSecret(prefix: 'ogs' | 'ogm' | 'ogr'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** Secrets are stored only as their SHA-256: a leaked table does not leak tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
