// A whole OGAS app over a test store, with helpers to act as people of given roles.
import { buildApp, type App } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { ManualClock } from '../core/clock';
import { createLogger } from '../core/logger';
import { SYSTEM, type Principal, type Role } from '../core/principal';
import { openTestStore, type Backend } from '../store/test-store';

/** Every test person's password (TestApp.person). */
export const TEST_PASSWORD = 'correct horse battery';
export interface TestApp extends App {
  clock: ManualClock;
  call(name: string, input: unknown, as?: Principal): Promise<unknown>;
  person(email: string, grants: [unitId: string, role: Role][]): Promise<Principal>;
}

const log = createLogger('test');

export async function createTestApp(backend: Backend = 'pglite'): Promise<TestApp> {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const app = buildApp(await openTestStore(backend), clock);
  return {
    ...app,
    clock,
    call: (name, input, as = SYSTEM) => {
      const op = findOperation(name);
      if (!op) throw new Error(`no operation ${name}`);
      return invoke(app, op, input, { principal: as, log });
    },
    person: async (email, grants) => {
      const p = await app.services.auth.register({
        email,
        name: email.split('@')[0] ?? email,
        password: TEST_PASSWORD,
      });
      for (const [unitId, role] of grants) await app.services.auth.grant(p.id, unitId, role);
      return app.services.auth.principalOf(p.id);
    },
  };
}

/** A small holarchy: root → two sectors → an enterprise each → a shop under the first. Reuses an existing root. */
export async function smallTree(app: TestApp) {
  const create = (parentId: string | null, name: string, kind: string, extra: Record<string, unknown> = {}) =>
    app.call('holarchy.unit.create', { parentId, name, kind, ...extra }) as Promise<{
      id: string;
      path: string;
    }>;
  const root =
    (await app.services.holarchy.root()) ?? (await create(null, 'Federation', 'economy', { public: true }));
  const energy = await create(root.id, 'Energy', 'sector');
  const food = await create(root.id, 'Food', 'sector', { public: true });
  const plant = await create(energy.id, 'Power plant', 'enterprise');
  const bakery = await create(food.id, 'Bakery co-op', 'co-op');
  const turbine = await create(plant.id, 'Turbine hall', 'shop');
  return { root, energy, food, plant, bakery, turbine };
}
