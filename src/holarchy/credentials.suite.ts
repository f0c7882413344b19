// The credentials storage suite: failed sign-ins all count under concurrency, a reset code works once, the root keeps an admin.
// The same suite runs on PGlite (npm test) and PostgreSQL (npm run test:services), where the requests really overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { CredentialsRepository } from './credentials.repository';
import { LOCKOUT } from './sign-in-guard';

export function credentialsSuite(backend: Backend): void {
  describe(`credentials on ${backend}`, () => {
    let app: TestApp;
    let tree: Awaited<ReturnType<typeof smallTree>>;
    beforeAll(async () => {
      app = await createTestApp(backend);
      tree = await smallTree(app);
    });
    afterAll(() => app.close());

    const settle = (ps: Promise<unknown>[]) =>
      Promise.all(
        ps.map((p) =>
          p.then(
            () => 'ok' as const,
            (e: unknown) => (isDomainError(e) ? e.kind : e),
          ),
        ),
      );

    it('counts every one of many failed sign-ins sent at once, and locks the email', async () => {
      await app.person('burst@credentials.test', []);
      const n = 12;
      await settle(
        Array.from({ length: n }, (_, i) => app.services.auth.login('burst@credentials.test', `guess ${i}`)),
      );
      const record = await new CredentialsRepository(app.store.db).failures('burst@credentials.test');
      expect(record?.failures).toBe(n);
      expect(record?.lockedUntil?.getTime()).toBeGreaterThan(app.clock.now().getTime());
      expect(n).toBeGreaterThan(LOCKOUT.freeFailures);
    });

    it('lets a reset code be used only once, even by two requests at once', async () => {
      await app.person('twice@credentials.test', []);
      const { code } = (await app.call('auth.password.reset-code', { email: 'twice@credentials.test' })) as {
        code: string;
      };
      const outcomes = await settle(
        ['first new password', 'second new password'].map((newPassword) =>
          app.call('auth.password.reset', { email: 'twice@credentials.test', code, newPassword }),
        ),
      );
      expect([...outcomes].sort()).toEqual(['ok', 'unauthenticated']);
    });

    it('keeps one admin on the root when its last two admins remove each other at once', async () => {
      const a = await app.person('admin-a@credentials.test', [[tree.root.id, 'admin']]);
      const b = await app.person('admin-b@credentials.test', [[tree.root.id, 'admin']]);
      const idOf = (p: typeof a) => (p.kind === 'person' ? p.personId : '');
      const outcomes = await settle([
        app.call('auth.grant.remove', { personId: idOf(b), unitId: tree.root.id, role: 'admin' }, a),
        app.call('auth.grant.remove', { personId: idOf(a), unitId: tree.root.id, role: 'admin' }, b),
      ]);
      expect([...outcomes].sort()).toEqual(['conflict', 'ok']);
      const admins = (await app.services.auth.grantsOnSubtree(tree.root.path)).filter(
        (g) => g.unitId === tree.root.id && g.role === 'admin',
      );
      expect(admins).toHaveLength(1);
    });
  });
}
