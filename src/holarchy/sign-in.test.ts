// Sign-in as an attacker meets it: unknown emails cost the same work, and repeated failures lock the email, across restarts.
import type { ScryptOptions } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app/container';
import { isDomainError, type DomainError } from '../core/errors';
import { createTestApp, type TestApp } from '../testing/test-app';
import { AuthService } from './auth.service';
import { CredentialsRepository } from './credentials.repository';
import { PasswordHasher, scrypt, type Kdf } from './password';
import { PeopleRepository } from './people.repository';
import { LOCKOUT, lockAfter } from './sign-in-guard';

const PASSWORD = 'correct horse battery';

interface KdfCall {
  password: string;
  saltBytes: number;
  keylen: number;
  options: ScryptOptions;
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isDomainError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

describe('sign-in', () => {
  let app: TestApp;
  let calls: KdfCall[];
  let auth: AuthService;

  beforeAll(async () => {
    app = await createTestApp();
    await app.person('known@sign-in.test', []);
    calls = [];
    const recording: Kdf = (password, salt, keylen, options) => {
      calls.push({ password, saltBytes: salt.length, keylen, options });
      return scrypt(password, salt, keylen, options);
    };
    auth = new AuthService(new PeopleRepository(app.store.db), app.clock, {
      credentials: new CredentialsRepository(app.store.db),
      audit: (entry) => app.services.audit.record(entry),
      hasher: new PasswordHasher(recording),
    });
  });
  afterAll(() => app.close());

  it('does the same password-hash work for an unknown email as for a known one with a wrong password', async () => {
    calls.length = 0;
    await failure(auth.login('known@sign-in.test', 'a wrong guess'));
    const known = [...calls];
    calls.length = 0;
    await failure(auth.login('nobody@sign-in.test', 'a wrong guess'));
    const unknown = [...calls];
    expect(known).toHaveLength(1);
    expect(unknown).toEqual(known);
  });

  it('answers an unknown email and a wrong password alike', async () => {
    const a = await failure(auth.login('known@sign-in.test', 'wrong'));
    const b = await failure(auth.login('nobody-else@sign-in.test', 'wrong'));
    expect([a.kind, a.message]).toEqual([b.kind, b.message]);
  });

  it('locks an email after repeated failures, even to the right password, and says when to retry', async () => {
    await app.person('target@sign-in.test', []);
    for (let i = 0; i < LOCKOUT.freeFailures; i += 1) {
      expect((await failure(app.services.auth.login('target@sign-in.test', `guess ${i}`))).kind).toBe(
        'unauthenticated',
      );
    }
    const locked = await failure(app.services.auth.login('target@sign-in.test', PASSWORD));
    expect(locked.kind).toBe('rate-limited');
    expect(locked.data?.retryAfterSeconds).toBe(LOCKOUT.firstLockMs / 1000);
  });

  it('keeps the lock across a restart, records it in the audit trail, and lifts it when it expires', async () => {
    const restarted = buildApp(app.store, app.clock);
    expect((await failure(restarted.services.auth.login('target@sign-in.test', PASSWORD))).kind).toBe(
      'rate-limited',
    );
    const trail = await app.services.audit.forUnits('everywhere', 50);
    const lock = trail.find((e) => e.operation === 'auth.login.locked');
    expect(lock?.detail).toMatchObject({ email: 'target@sign-in.test', failures: LOCKOUT.freeFailures });
    app.clock.advance(LOCKOUT.firstLockMs + 1000);
    const session = await restarted.services.auth.login('target@sign-in.test', PASSWORD);
    expect(session.person.email).toBe('target@sign-in.test');
    // A success clears the run of failures: the next wrong guess is the first again, not a longer lock.
    expect((await failure(restarted.services.auth.login('target@sign-in.test', 'again'))).kind).toBe(
      'unauthenticated',
    );
  });

  it('locks an unknown email the same way, so a lock does not tell who has an account', async () => {
    for (let i = 0; i < LOCKOUT.freeFailures; i += 1) {
      await failure(app.services.auth.login('ghost@sign-in.test', `guess ${i}`));
    }
    const locked = await failure(app.services.auth.login('ghost@sign-in.test', PASSWORD));
    expect(locked.kind).toBe('rate-limited');
    expect(locked.message).toMatch(/too many failed sign-ins for this email/);
  });

  it('doubles the lock with each further failure, up to an hour', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const minutes = (n: number) => ((lockAfter(n, now)?.getTime() ?? now.getTime()) - now.getTime()) / 60_000;
    expect([4, 5, 6, 7, 20].map(minutes)).toEqual([0, 1, 2, 4, 60]);
  });
});
