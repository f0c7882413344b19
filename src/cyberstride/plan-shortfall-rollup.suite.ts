// Plan-shortfall on PGlite, beyond the indicator's own unit and the plan's first period: a unit that does not
// report an additive indicator itself is judged against its own target by the sum of the units below that
// report it, and a reading is judged against the target of the plan period it falls in.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../store/test-store';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { Alert } from './alert';

const ECONOMY = readFileSync('src/economy/fixtures/example-economy.json', 'utf8');
const YEAR_MS = 365.25 * 86_400_000;

export function planShortfallRollupSuite(backend: Backend): void {
  describe(`plan-shortfall beyond the own unit and the first period (${backend})`, () => {
    let app: TestApp;
    let farm: { id: string };
    let fieldA: { id: string };
    let fieldB: { id: string };
    let adoptedAt = 0;
    const monthly: Record<number, number> = {};
    let n = 0;

    const unit = (parentId: string | null, name: string, code: string, kind = 'shop') =>
      app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;
    const grain = (unitId: string, technologyCode?: string) =>
      app.call('indicator.create', {
        unitId,
        code: 'grain',
        name: 'Grain harvested',
        measure: 't/month',
        aggregation: 'sum',
        detector: 'spc',
        detectorSettings: { centre: 1_000_000, sigma: 1_000_000 },
        ...(technologyCode ? { technologyCode } : {}),
      });
    const report = (unitId: string, value: number, at: Date) =>
      app.call('readings.submit', {
        unitId,
        readings: [{ indicator: 'grain', value, at: at.toISOString(), sourceId: `r-${n++}` }],
      });
    const sweep = () =>
      app.call('cyberstride.shortfalls.sweep', {}) as Promise<{
        opened: number;
        updated: number;
        resolved: number;
      }>;
    const shortfalls = async (status = 'unresolved') =>
      ((await app.call('alert.list', { status, limit: 100 })) as { alerts: Alert[] }).alerts.filter(
        (a) => a.kind === 'plan-shortfall',
      );

    beforeAll(async () => {
      app = await createTestApp(backend);
      const root = await unit(null, 'Valley', 'valley', 'economy');
      farm = await unit(root.id, 'North farm', 'farm-north', 'co-op');
      fieldA = await unit(farm.id, 'Field A', 'field-a');
      fieldB = await unit(farm.id, 'Field B', 'field-b');
      // The farm's own indicator names the technology its target is set for; it reports nothing itself.
      await grain(farm.id, 'grain-field');
      await grain(fieldA.id);
      await grain(fieldB.id);
      const eco = (await app.call('economy.import', {
        content: ECONOMY,
        format: 'json',
        unitId: root.id,
      })) as {
        economy: { id: string };
      };
      const plan = (await app.call('planning.compute', { economyId: eco.economy.id })) as { id: string };
      await app.call('planning.adopt', { planId: plan.id });
      adoptedAt = app.clock.now().getTime();
      const record = (await app.call('planning.get', { id: plan.id })) as {
        record: { unitTargets: { unit: string; technology: string; period: number; quantity: number }[] };
      };
      for (const t of record.record.unitTargets)
        if (t.unit === 'farm-north' && t.technology === 'grain-field')
          monthly[t.period] = (monthly[t.period] ?? 0) + t.quantity / 12;
    }, 120_000);
    afterAll(async () => {
      await app.close();
    });

    describe('a unit judged by the sum of the units below', () => {
      it("opens on the farm's own target when its fields together fall short", async () => {
        const t1 = monthly[1]!;
        expect(t1).toBeGreaterThan(0);
        await report(fieldA.id, 0.3 * t1, new Date(adoptedAt - 3_600_000));
        await report(fieldB.id, 0.3 * t1, new Date(adoptedAt - 3_000_000));
        // The fields have no target of their own; only the farm's indicator opens an alert.
        expect(await sweep()).toMatchObject({ opened: 1 });
        const [a] = await shortfalls();
        expect(a!.unitId).toBe(farm.id);
        expect(a!.evidence).toMatchObject({ period: 1, rolledUpUnits: 2 });
        expect(a!.evidence.target as number).toBeCloseTo(t1, 9);
        expect(a!.evidence.actual as number).toBeCloseTo(0.6 * t1, 9);
        expect(a!.evidence.fulfilment as number).toBeCloseTo(0.6, 12);
        expect(a!.message).toMatch(/at 60 % of plan .*the sum of 2 units below, the newest reading of each/);
      });

      it('resolves when the fields together are back on plan', async () => {
        await report(fieldB.id, 0.7 * monthly[1]!, new Date(adoptedAt - 1_000_000));
        expect(await sweep()).toMatchObject({ resolved: 1 });
        expect(await shortfalls()).toEqual([]);
      });
    });

    describe('the plan period a reading falls in', () => {
      it('judges a reading of the second year against the second period’s target', async () => {
        const [t1, t2] = [monthly[1]!, monthly[2]!];
        // The example economy asks more bread in period 2: the grain field's target differs between the years.
        expect(Math.abs(t2 - t1)).toBeGreaterThan(1e-6 * t1);
        app.clock.advance(1.5 * YEAR_MS);
        const at = new Date(adoptedAt + 1.5 * YEAR_MS - 60_000);
        await report(fieldA.id, 0.25 * t2, at);
        await report(fieldB.id, 0.25 * t2, at);
        expect(await sweep()).toMatchObject({ opened: 1 });
        const [a] = await shortfalls();
        expect(a!.evidence).toMatchObject({ period: 2 });
        expect(a!.evidence.target as number).toBeCloseTo(t2, 9);
        expect(a!.evidence.fulfilment as number).toBeCloseTo(0.5, 12);
        expect(a!.message).toMatch(/\(period 2\)/);
      });

      it('says why past the last period of the plan, and closes the episode', async () => {
        app.clock.advance(YEAR_MS);
        await report(fieldA.id, 1, new Date(adoptedAt + 2.5 * YEAR_MS - 60_000));
        expect(await sweep()).toMatchObject({ resolved: 1 });
        const [gone] = await shortfalls('resolved');
        const full = (await app.call('alert.get', { id: gone!.id })) as {
          timeline: { kind: string; detail: { reason?: string; why?: string } }[];
        };
        const resolved = full.timeline.find((e) => e.kind === 'resolved')!;
        expect(resolved.detail.reason).toBe('no-target');
        expect(resolved.detail.why).toMatch(/no target for period 3 \(its targets run to period 2\)/);
      });
    });
  });
}
