// The economy storage suite: a model written and read back whole, atomically, on either database.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import type { Backend } from '../store/test-store';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { EconomyModel } from './economy';

const EXAMPLE = readFileSync(new URL('./fixtures/example-economy.json', import.meta.url), 'utf8');
const WIOD = readFileSync(new URL('./fixtures/wiod-niot-2016-DEU.xlsx', import.meta.url));

export function economyStoreSuite(backend: Backend): void {
  describe(`economy storage on ${backend}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp(backend);
      await app.call('holarchy.unit.create', { parentId: null, name: 'Root', kind: 'economy' });
    });
    afterAll(() => app.close());

    it('reads back exactly the model it stored', async () => {
      const r = (await app.call('economy.import', { content: EXAMPLE, format: 'json' })) as {
        economy: { id: string };
      };
      const stored = (await app.call('economy.model', { id: r.economy.id })) as EconomyModel;
      const original = JSON.parse(EXAMPLE) as EconomyModel;
      const norm = (m: EconomyModel) => ({
        products: m.products,
        // Skills are a set: their order carries no meaning and is not kept.
        skills: m.skills
          .map((s) => ({ ...s, available: s.available ?? null }))
          .sort((a, b) => a.code.localeCompare(b.code)),
        technologies: m.technologies.map((t) => ({
          code: t.code,
          inputs: [...t.inputs].sort((a, b) => a.product.localeCompare(b.product)),
          labour: [...t.labour].sort((a, b) => a.skill.localeCompare(b.skill)),
          capacity: t.capacity ?? null,
        })),
        targets: [...m.targets].sort((a, b) => a.period - b.period || a.product.localeCompare(b.product)),
      });
      expect(norm(stored)).toEqual(norm(original));
    });

    it('imports the WIOD table of Germany for 2014 as 56 products', async () => {
      const r = (await app.call('economy.import', {
        content: WIOD.toString('base64'),
        encoding: 'base64',
        format: 'wiod',
        year: 2014,
      })) as {
        economy: { id: string };
        report: { products: number };
      };
      expect(r.report.products).toBe(56);
      const summary = (await app.call('economy.get', { id: r.economy.id })) as {
        products: number;
        technologies: number;
      };
      expect(summary).toMatchObject({ products: 56, technologies: 56 });
    });

    it('refuses an inconsistent file and stores nothing of it', async () => {
      const before = ((await app.call('economy.list', {})) as { economies: unknown[] }).economies.length;
      const broken = JSON.stringify({ ...(JSON.parse(EXAMPLE) as object), technologies: [{ code: 'x' }] });
      const err = await app
        .call('economy.import', { content: broken, format: 'json' })
        .catch((e: unknown) => e);
      expect(isDomainError(err) && err.kind).toBe('invalid');
      expect(isDomainError(err) && err.issues.length).toBeGreaterThan(0);
      const after = ((await app.call('economy.list', {})) as { economies: unknown[] }).economies.length;
      expect(after).toBe(before);
    });

    it('bumps the version when targets change, so plans know what they were computed from', async () => {
      const r = (await app.call('economy.import', { content: EXAMPLE, format: 'json' })) as {
        economy: { id: string; version: number };
      };
      const v = (await app.call('economy.targets.set', {
        id: r.economy.id,
        targets: [{ product: 'bread', period: 1, quantity: 1234 }],
      })) as { version: number };
      expect(v.version).toBe(r.economy.version + 1);
      const model = (await app.call('economy.model', { id: r.economy.id })) as EconomyModel;
      expect(model.targets.find((t) => t.product === 'bread' && t.period === 1)?.quantity).toBe(1234);
    });
  });
}
