// holarchy.unit.path names every unit from the root down to one the caller may read, and for units on the way
// that the caller may not read it gives the name and nothing else the unit holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../core/principal';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';

describe('holarchy.unit.path', () => {
  let app: TestApp;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  let shopManager: Principal;
  let plantId: string;
  let shopId: string;

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    // Codes and attributes on the closed units: none of them may reach the shop manager.
    const plant = (await app.call('holarchy.unit.create', {
      parentId: tree.energy.id,
      name: 'Secret plant',
      kind: 'enterprise',
      code: 'SECRET-PLANT',
      attributes: { note: 'SECRET-NOTE' },
    })) as { id: string };
    plantId = plant.id;
    const shop = (await app.call('holarchy.unit.create', {
      parentId: plant.id,
      name: 'Press shop',
      kind: 'shop',
    })) as { id: string };
    shopId = shop.id;
    shopManager = await app.person('press@energy.test', [[shop.id, 'manager']]);
  });
  afterAll(() => app.close());

  it('names the closed units above the shop manager, with nothing else and readable: false', async () => {
    const { units } = (await app.call('holarchy.unit.path', { id: shopId }, shopManager)) as {
      units: Record<string, unknown>[];
    };
    expect(units.map((u) => u.name)).toEqual(['Federation', 'Energy', 'Secret plant', 'Press shop']);
    expect(units.map((u) => u.readable)).toEqual([true, false, false, true]);
    for (const u of units) expect(Object.keys(u).sort()).toEqual(['id', 'kind', 'name', 'path', 'readable']);
    expect(JSON.stringify(units)).not.toMatch(/SECRET-PLANT|SECRET-NOTE/);
    // The names are all it gets: the closed units themselves stay refused.
    await expect(app.call('holarchy.unit.get', { id: plantId }, shopManager)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('refuses the path of a unit the caller may not read at all', async () => {
    await expect(app.call('holarchy.unit.path', { id: tree.bakery.id }, shopManager)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});
