// The lockout after failed sign-ins: a few free tries per email, then a lock that doubles with each failure.
import type { AuditEntry } from '../audit/audit.repository';
import type { Clock } from '../core/clock';
import { DomainError } from '../core/errors';
import type { CredentialsRepository } from './credentials.repository';

export interface LockoutPolicy {
  /** Failures in a row before the first lock. */
  freeFailures: number;
  firstLockMs: number;
  maxLockMs: number;
  /** A run of failures this old is forgotten. */
  forgetAfterMs: number;
}

export const LOCKOUT: LockoutPolicy = {
  freeFailures: 5,
  firstLockMs: 60_000,
  maxLockMs: 3_600_000,
  forgetAfterMs: 86_400_000,
};

/** The lock that follows the `failures`-th failure in a row: none within the free tries, then 1, 2, 4, … minutes. */
export function lockAfter(failures: number, now: Date, policy: LockoutPolicy = LOCKOUT): Date | null {
  if (failures < policy.freeFailures) return null;
  const ms = Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** (failures - policy.freeFailures));
  return new Date(now.getTime() + ms);
}

/** Where a lock is written down so that auditors see it. */
export type AuditSink = (entry: AuditEntry) => Promise<void>;

/**
 * Counts failed attempts per email, known or not (so a lock tells nothing about who has an account), and
 * stores them: a restart does not reset a lock.
 */
export class SignInGuard {
  constructor(
    private readonly repo: CredentialsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditSink,
    private readonly policy: LockoutPolicy = LOCKOUT,
  ) {}

  /** Refuses while the email is locked, saying when to try again. */
  async check(email: string): Promise<void> {
    const record = await this.repo.failures(email);
    const now = this.clock.now();
    if (!record?.lockedUntil || record.lockedUntil <= now) return;
    const retryAfterSeconds = Math.ceil((record.lockedUntil.getTime() - now.getTime()) / 1000);
    throw new DomainError(
      'rate-limited',
      `too many failed sign-ins for this email; try again in ${retryAfterSeconds} s`,
      {
        fix: 'wait, or ask an admin of your unit for a password reset code',
        data: { retryAfterSeconds },
      },
    );
  }

  async failed(email: string): Promise<void> {
    const now = this.clock.now();
    const failures = await this.repo.addFailure(
      email,
      now,
      new Date(now.getTime() - this.policy.forgetAfterMs),
    );
    const until = lockAfter(failures, now, this.policy);
    if (!until) return;
    await this.repo.lock(email, until);
    await this.audit({
      at: now,
      actor: 'anonymous',
      operation: 'auth.login.locked',
      unitId: null,
      detail: { email, failures, lockedUntil: until.toISOString() },
    });
  }

  async succeeded(email: string): Promise<void> {
    await this.repo.clearFailures(email);
  }
}
