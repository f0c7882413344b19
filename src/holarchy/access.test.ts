// Roles hold on their subtree only: each role is refused outside it, and listings never leak other units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError, type ErrorKind } from '../core/errors';
import { ANONYMOUS, type Principal, type Role } from '../core/principal';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';

async function refusal(p: Promise<unknown>): Promise<ErrorKind | 'allowed'> {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    if (isDomainError(e)) return e.kind;
    throw e;
  }
}

describe('access on subtrees', () => {
  let app: TestApp;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  const people = new Map<Role, Principal>();

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    for (const role of ['member', 'manager', 'planner', 'auditor', 'admin'] as const) {
      people.set(role, await app.person(`${role}@energy.test`, [[tree.energy.id, role]]));
    }
  });
  afterAll(() => app.close());

  const as = (role: Role): Principal => {
    const p = people.get(role);
    if (!p) throw new Error(role);
    return p;
  };

  it.each(['member', 'manager', 'planner', 'auditor', 'admin'] as const)(
    'a %s of Energy reads Energy and below, and is refused on the non-public Food enterprise',
    async (role) => {
      expect(await refusal(app.call('holarchy.unit.get', { id: tree.turbine.id }, as(role)))).toBe('allowed');
      expect(await refusal(app.call('holarchy.unit.get', { id: tree.bakery.id }, as(role)))).toBe(
        'forbidden',
      );
    },
  );

  it.each(['manager', 'admin'] as const)(
    'a %s of Energy creates units inside Energy but not inside Food',
    async (role) => {
      expect(
        await refusal(
          app.call(
            'holarchy.unit.create',
            { parentId: tree.plant.id, name: `Cell ${role}`, kind: 'cell' },
            as(role),
          ),
        ),
      ).toBe('allowed');
      expect(
        await refusal(
          app.call('holarchy.unit.create', { parentId: tree.food.id, name: 'x', kind: 'cell' }, as(role)),
        ),
      ).toBe('forbidden');
    },
  );

  it.each(['member', 'planner', 'auditor'] as const)(
    'a %s cannot change the tree even in its own subtree',
    async (role) => {
      expect(
        await refusal(app.call('holarchy.unit.update', { id: tree.plant.id, name: 'Renamed' }, as(role))),
      ).toBe('forbidden');
    },
  );

  it('a manager cannot move a unit out of its subtree into one it does not manage', async () => {
    expect(
      await refusal(
        app.call('holarchy.unit.move', { id: tree.plant.id, parentId: tree.food.id }, as('manager')),
      ),
    ).toBe('forbidden');
  });

  it('only an admin of the unit grants roles there', async () => {
    const target = as('member');
    if (target.kind !== 'person') throw new Error('person expected');
    expect(
      await refusal(
        app.call(
          'auth.grant.add',
          { personId: target.personId, unitId: tree.food.id, role: 'admin' },
          as('admin'),
        ),
      ),
    ).toBe('forbidden');
    expect(
      await refusal(
        app.call(
          'auth.grant.add',
          { personId: target.personId, unitId: tree.plant.id, role: 'manager' },
          as('manager'),
        ),
      ),
    ).toBe('forbidden');
  });

  it('the public reads public units only, and must sign in for the rest', async () => {
    expect(await refusal(app.call('holarchy.unit.get', { id: tree.food.id }, ANONYMOUS))).toBe('allowed');
    expect(await refusal(app.call('holarchy.unit.get', { id: tree.energy.id }, ANONYMOUS))).toBe(
      'unauthenticated',
    );
  });

  it('search and listings never show units outside what the reader may see', async () => {
    const found = (await app.call('holarchy.unit.search', { q: 'a' }, as('member'))) as {
      units: { name: string }[];
    };
    const names = found.units.map((u) => u.name);
    expect(names).toContain('Power plant');
    expect(names).not.toContain('Bakery co-op');
    const anon = (await app.call('holarchy.unit.search', { q: 'e' }, ANONYMOUS)) as {
      units: { name: string; public: boolean }[];
    };
    expect(anon.units.length).toBeGreaterThan(0);
    expect(anon.units.every((u) => u.public)).toBe(true);
    const rootKids = (await app.call('holarchy.unit.subtree', { id: tree.root.id }, ANONYMOUS)) as {
      units: { name: string }[];
    };
    expect(rootKids.units.map((u) => u.name).sort()).toEqual(['Federation', 'Food']);
    const tops = (await app.call('holarchy.unit.tops', {}, as('member'))) as { units: { name: string }[] };
    expect(tops.units.map((u) => u.name)).toEqual(['Federation']);
  });

  it('a machine token reports only on its own unit and cannot manage', async () => {
    const issued = (await app.call('auth.machine-token.issue', {
      unitId: tree.turbine.id,
      name: 'sensor-1',
    })) as { token: string };
    const machine = await app.services.auth.principalFor(issued.token);
    expect(machine.kind).toBe('machine');
    expect(await refusal(app.call('holarchy.unit.get', { id: tree.turbine.id }, machine))).toBe('allowed');
    expect(await refusal(app.call('holarchy.unit.get', { id: tree.plant.id }, machine))).toBe('forbidden');
    expect(await refusal(app.call('holarchy.unit.update', { id: tree.turbine.id, name: 'x' }, machine))).toBe(
      'forbidden',
    );
  });

  it('signs in with the right password only, and a signed-out token stops working', async () => {
    const bad = await refusal(
      app.call('auth.login', { email: 'member@energy.test', password: 'wrong' }, ANONYMOUS),
    );
    expect(bad).toBe('unauthenticated');
    const ok = (await app.call(
      'auth.login',
      { email: 'member@energy.test', password: 'correct horse battery' },
      ANONYMOUS,
    )) as {
      token: string;
    };
    const principal = await app.services.auth.principalFor(ok.token);
    expect(principal.kind).toBe('person');
    await app.services.auth.logout(ok.token);
    expect(await refusal(app.services.auth.principalFor(ok.token))).toBe('unauthenticated');
  });
});
