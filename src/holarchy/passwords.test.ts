// Passwords through the operations: change your own, reset with a one-time code from an admin over you, and the root keeps an admin.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError, type ErrorKind } from '../core/errors';
import { SYSTEM, type Principal } from '../core/principal';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';

const PASSWORD = 'correct horse battery';

async function outcome(p: Promise<unknown>): Promise<ErrorKind | 'allowed'> {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    if (isDomainError(e)) return e.kind;
    throw e;
  }
}

describe('passwords', () => {
  let app: TestApp;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  let bakeryAdmin: Principal;
  let energyAdmin: Principal;
  let bakeryManager: Principal;

  const signIn = (email: string, password: string) =>
    app.call('auth.login', { email, password }) as Promise<{ token: string }>;
  const as = async (token: string) => app.services.auth.principalFor(token);

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    bakeryAdmin = await app.person('admin@bakery.test', [[tree.bakery.id, 'admin']]);
    energyAdmin = await app.person('admin@energy.test', [[tree.energy.id, 'admin']]);
    bakeryManager = await app.person('manager@bakery.test', [[tree.bakery.id, 'manager']]);
    await app.person('baker@bakery.test', [[tree.bakery.id, 'member']]);
  });
  afterAll(() => app.close());

  it('changes your own password with the current one, and ends your other sessions only', async () => {
    await app.person('changer@food.test', [[tree.food.id, 'member']]);
    const here = await signIn('changer@food.test', PASSWORD);
    const elsewhere = await signIn('changer@food.test', PASSWORD);
    const me = await as(here.token);
    const out = await app.services.auth.changePassword(
      me.kind === 'person' ? me.personId : '',
      here.token,
      PASSWORD,
      'a much better passphrase',
    );
    expect(out.endedSessions).toBe(1);
    expect((await as(here.token)).kind).toBe('person');
    expect(await outcome(as(elsewhere.token))).toBe('unauthenticated');
    expect(await outcome(signIn('changer@food.test', PASSWORD))).toBe('unauthenticated');
    expect(await outcome(signIn('changer@food.test', 'a much better passphrase'))).toBe('allowed');
  });

  it('refuses a change without the right current password, naming the field', async () => {
    await app.person('forgetful@food.test', []);
    const { token } = await signIn('forgetful@food.test', PASSWORD);
    const err = await app
      .call(
        'auth.password.change',
        { currentPassword: 'not it', newPassword: 'whatever-long' },
        await as(token),
      )
      .catch((e: unknown) => e);
    expect(isDomainError(err) && err.issues.map((i) => i.field)).toEqual(['currentPassword']);
    expect(await outcome(signIn('forgetful@food.test', PASSWORD))).toBe('allowed');
  });

  it('lets an admin over the person issue a code shown once and stored only as a hash', async () => {
    const issued = (await app.call(
      'auth.password.reset-code',
      { email: 'baker@bakery.test' },
      bakeryAdmin,
    )) as {
      code: string;
      expiresAt: Date;
    };
    expect(issued.code).toMatch(/^ogr_/);
    expect(issued.expiresAt.getTime() - app.clock.now().getTime()).toBe(24 * 3_600_000);
    const stored = await sql<{ row: string }>`select to_jsonb(r)::text as row from password_resets r`.execute(
      app.store.db,
    );
    expect(stored.rows.length).toBeGreaterThan(0);
    for (const r of stored.rows) expect(r.row).not.toContain(issued.code);
  });

  it('refuses reset codes to a manager of the unit and to an admin of another subtree', async () => {
    expect(
      await outcome(app.call('auth.password.reset-code', { email: 'baker@bakery.test' }, bakeryManager)),
    ).toBe('forbidden');
    expect(
      await outcome(app.call('auth.password.reset-code', { email: 'baker@bakery.test' }, energyAdmin)),
    ).toBe('forbidden');
    // An admin of the bakery is not over a person who also holds a role elsewhere.
    await app.person('two-hats@food.test', [
      [tree.bakery.id, 'member'],
      [tree.plant.id, 'member'],
    ]);
    expect(
      await outcome(app.call('auth.password.reset-code', { email: 'two-hats@food.test' }, bakeryAdmin)),
    ).toBe('forbidden');
  });

  it('answers an unknown email like a known one to anyone but an admin of the root', async () => {
    const forUnknown = await outcome(
      app.call('auth.password.reset-code', { email: 'nobody@nowhere.test' }, bakeryAdmin),
    );
    const forRootless = await outcome(
      app.call('auth.password.reset-code', { email: 'admin@energy.test' }, bakeryAdmin),
    );
    expect([forUnknown, forRootless]).toEqual(['forbidden', 'forbidden']);
    expect(
      await outcome(app.call('auth.password.reset-code', { email: 'nobody@nowhere.test' }, SYSTEM)),
    ).toBe('not-found');
  });

  it('sets a new password with the code once, ends every session, and refuses the code again', async () => {
    const before = await signIn('baker@bakery.test', PASSWORD);
    const { code } = (await app.call(
      'auth.password.reset-code',
      { email: 'baker@bakery.test' },
      bakeryAdmin,
    )) as {
      code: string;
    };
    await app.call('auth.password.reset', {
      email: 'baker@bakery.test',
      code,
      newPassword: 'fresh start 2026',
    });
    expect(await outcome(as(before.token))).toBe('unauthenticated');
    expect(await outcome(signIn('baker@bakery.test', 'fresh start 2026'))).toBe('allowed');
    expect(
      await outcome(
        app.call('auth.password.reset', { email: 'baker@bakery.test', code, newPassword: 'again again' }),
      ),
    ).toBe('unauthenticated');
  });

  it('refuses an expired code, and a code used for another person', async () => {
    const { code } = (await app.call('auth.password.reset-code', { email: 'baker@bakery.test' }, SYSTEM)) as {
      code: string;
    };
    expect(
      await outcome(
        app.call('auth.password.reset', {
          email: 'manager@bakery.test',
          code,
          newPassword: 'not mine at all',
        }),
      ),
    ).toBe('unauthenticated');
    app.clock.advance(24 * 3_600_000 + 1000);
    expect(
      await outcome(
        app.call('auth.password.reset', { email: 'baker@bakery.test', code, newPassword: 'too late now' }),
      ),
    ).toBe('unauthenticated');
  });

  it('refuses to remove the last admin role of the root, and allows it once another admin exists', async () => {
    const first = await app.person('root-admin@fed.test', [[tree.root.id, 'admin']]);
    const firstId = first.kind === 'person' ? first.personId : '';
    const remove = { personId: firstId, unitId: tree.root.id, role: 'admin' };
    const refused = await app.call('auth.grant.remove', remove, first).catch((e: unknown) => e);
    expect(isDomainError(refused) && refused.kind).toBe('conflict');
    expect(isDomainError(refused) && refused.message).toMatch(/last admin of the root/);
    expect((await app.services.auth.grantsOf(firstId)).map((g) => g.role)).toEqual(['admin']);
    const second = await app.person('second-admin@fed.test', [[tree.root.id, 'admin']]);
    expect(await app.call('auth.grant.remove', remove, first)).toEqual({ removed: true });
    const secondId = second.kind === 'person' ? second.personId : '';
    expect(
      await outcome(
        app.call('auth.grant.remove', { personId: secondId, unitId: tree.root.id, role: 'admin' }, second),
      ),
    ).toBe('conflict');
  });
});
