// The holarchy storage suite: a tree of any depth, moves that never create cycles, subtree reads and archiving.
// The same suite runs on PGlite (npm test) and PostgreSQL (npm run test:services).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { Backend } from '../store/test-store';

export function holarchySuite(backend: Backend): void {
  describe(`holarchy on ${backend}`, () => {
    let app: TestApp;
    let tree: Awaited<ReturnType<typeof smallTree>>;
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    // Each test gets its own branches under the one root: one database per file keeps the suite fast.
    beforeEach(async () => {
      tree = await smallTree(app);
    });
    afterAll(() => app.close());

    it('reads the subtree, the children and the path to the root', async () => {
      const sub = (await app.call('holarchy.unit.subtree', { id: tree.energy.id })) as {
        units: { name: string }[];
      };
      expect(sub.units.map((u) => u.name)).toEqual(['Energy', 'Power plant', 'Turbine hall']);
      const kids = (await app.call('holarchy.unit.children', { id: tree.energy.id })) as {
        units: { name: string }[];
      };
      expect(kids.units.map((u) => u.name)).toEqual(['Power plant']);
      const path = (await app.call('holarchy.unit.path', { id: tree.turbine.id })) as {
        units: { name: string }[];
      };
      expect(path.units.map((u) => u.name)).toEqual(['Federation', 'Energy', 'Power plant', 'Turbine hall']);
    });

    it('moves a unit with its whole subtree and rewrites the paths', async () => {
      await app.call('holarchy.unit.move', { id: tree.plant.id, parentId: tree.food.id });
      const path = (await app.call('holarchy.unit.path', { id: tree.turbine.id })) as {
        units: { name: string }[];
      };
      expect(path.units.map((u) => u.name)).toEqual(['Federation', 'Food', 'Power plant', 'Turbine hall']);
      const energy = (await app.call('holarchy.unit.subtree', { id: tree.energy.id })) as {
        units: unknown[];
      };
      expect(energy.units).toHaveLength(1);
    });

    it('refuses to move a unit under its own subtree, and changes nothing', async () => {
      const err = await app
        .call('holarchy.unit.move', { id: tree.energy.id, parentId: tree.turbine.id })
        .catch((e: unknown) => e);
      expect(isDomainError(err) && err.kind).toBe('invalid');
      expect(isDomainError(err) && err.issues[0]?.field).toBe('parentId');
      const path = (await app.call('holarchy.unit.path', { id: tree.turbine.id })) as {
        units: { name: string }[];
      };
      expect(path.units.map((u) => u.name)).toEqual(['Federation', 'Energy', 'Power plant', 'Turbine hall']);
    });

    it('refuses a second root', async () => {
      const err = await app
        .call('holarchy.unit.create', { parentId: null, name: 'Rival', kind: 'economy' })
        .catch((e: unknown) => e);
      expect(isDomainError(err) && err.kind).toBe('conflict');
    });

    it('archives a subtree and hides it from listings unless asked', async () => {
      const r = (await app.call('holarchy.unit.archive', { id: tree.plant.id })) as { archived: number };
      expect(r.archived).toBe(2);
      const sub = (await app.call('holarchy.unit.subtree', { id: tree.energy.id })) as { units: unknown[] };
      expect(sub.units).toHaveLength(1);
      const all = (await app.call('holarchy.unit.subtree', {
        id: tree.energy.id,
        includeArchived: true,
      })) as { units: unknown[] };
      expect(all.units).toHaveLength(3);
    });

    it('renames a unit and keeps free attributes', async () => {
      const u = (await app.call('holarchy.unit.update', {
        id: tree.bakery.id,
        name: 'Bread co-op',
        attributes: { members: 12 },
      })) as {
        name: string;
        attributes: Record<string, unknown>;
      };
      expect(u.name).toBe('Bread co-op');
      expect(u.attributes.members).toBe(12);
    });

    it('answers not-found for an unknown unit', async () => {
      const err = await app.call('holarchy.unit.get', { id: 'u_nope' }).catch((e: unknown) => e);
      expect(isDomainError(err) && err.kind).toBe('not-found');
    });
  });
}
