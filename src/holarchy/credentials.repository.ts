// SQL for what guards passwords: failed sign-ins per email, password changes that end sessions, reset codes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database';
import { inTransaction } from '../store/transaction';

export interface FailureRecord {
  failures: number;
  lastFailedAt: Date;
  lockedUntil: Date | null;
}

export class CredentialsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async failures(email: string): Promise<FailureRecord | null> {
    const r = await this.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    return r ? { failures: r.failures, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until } : null;
  }

  /**
   * Counts one more failure in a row, atomically (parallel guesses all count); a run of failures older than
   * `forgetBefore` starts again from one. Returns the count.
   */
  async addFailure(email: string, at: Date, forgetBefore: Date): Promise<number> {
    const r = await this.db
      .insertInto('sign_in_failures')
      .values({ email, failures: 1, last_failed_at: at, locked_until: null })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          failures: sql<number>`case when sign_in_failures.last_failed_at < ${forgetBefore} then 1 else sign_in_failures.failures + 1 end`,
          last_failed_at: at,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return r.failures;
  }

  async lock(email: string, until: Date): Promise<void> {
    await this.db
      .updateTable('sign_in_failures')
      .set({ locked_until: until })
      .where('email', '=', email)
      .execute();
  }

  async clearFailures(email: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
  }

  /** Sets a new password hash and ends every session of the person but the one kept; returns how many ended. */
  async replacePassword(personId: string, passwordHash: string, keepSession: string | null): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      await tx
        .updateTable('people')
        .set({ password_hash: passwordHash })
        .where('id', '=', personId)
        .execute();
      let q = tx.deleteFrom('sessions').where('person_id', '=', personId);
      if (keepSession !== null) q = q.where('token_hash', '!=', keepSession);
      return Number((await q.executeTakeFirst()).numDeletedRows);
    });
  }

  /** Stores a new reset code for the person, replacing any earlier one. */
  async insertReset(r: {
    codeHash: string;
    personId: string;
    issuedBy: string;
    expiresAt: Date;
  }): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('password_resets').where('person_id', '=', r.personId).execute();
      await tx
        .insertInto('password_resets')
        .values({
          code_hash: r.codeHash,
          person_id: r.personId,
          issued_by: r.issuedBy,
          expires_at: r.expiresAt,
        })
        .execute();
    });
  }

  /**
   * Uses a reset code once: when it is the person's and has not expired, sets the new password, ends every
   * session and clears the failed sign-ins, all or nothing. False when the code does not hold.
   */
  async redeemReset(r: {
    codeHash: string;
    personId: string;
    email: string;
    passwordHash: string;
    now: Date;
  }): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const used = await tx
        .deleteFrom('password_resets')
        .where('code_hash', '=', r.codeHash)
        .where('person_id', '=', r.personId)
        .where('expires_at', '>', r.now)
        .returning('code_hash')
        .executeTakeFirst();
      if (!used) return false;
      await tx
        .updateTable('people')
        .set({ password_hash: r.passwordHash })
        .where('id', '=', r.personId)
        .execute();
      await tx.deleteFrom('sessions').where('person_id', '=', r.personId).execute();
      await tx.deleteFrom('sign_in_failures').where('email', '=', r.email).execute();
      return true;
    });
  }
}
