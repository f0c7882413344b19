// Puts life into a fresh demo federation for screenshots: a computed plan, a monitored shop with a
// level shift that raises an alert, and a few periods of triple index. Uses only the public API.
import { callApi, tokenFor } from './harness';

interface Unit {
  id: string;
  code: string | null;
}

export interface DemoActivity {
  shopId: string;
  planId: string;
}

async function unitByCode(url: string, token: string, code: string): Promise<string> {
  const found = await callApi<{ units: Unit[] }>(url, 'holarchy.unit.search', { q: code }, token);
  const unit = found.units.find((u) => u.code === code);
  if (!unit) throw new Error(`no unit ${code} in the demo`);
  return unit.id;
}

/** Deterministic readings around `centre` (a fixed pseudo-random wobble, so screenshots are stable). */
function wobble(i: number): number {
  return Math.sin(i * 12.9898) * 0.6 + Math.sin(i * 3.1) * 0.3;
}

export async function addDemoActivity(url: string): Promise<DemoActivity> {
  const planner = await tokenFor(url, 'planner@ogas.local');
  const shop = await tokenFor(url, 'shop@ogas.local');
  const { economies } = await callApi<{ economies: { id: string }[] }>(url, 'economy.list', {}, planner);
  const economyId = economies[0]?.id ?? '';
  const model = await callApi<{ targets: { product: string; period: number; quantity: number }[] }>(
    url,
    'economy.model',
    { id: economyId },
    planner,
  );
  const cars = model.targets.find((t) => t.product === 'C29' && t.period === 1)?.quantity ?? 0;
  const plan = await callApi<{ id: string }>(
    url,
    'planning.compute',
    { economyId, name: 'Plan 2015 (least labour)' },
    planner,
  );
  await callApi(
    url,
    'planning.compute',
    {
      economyId,
      basePlanId: plan.id,
      name: 'Scenario: 10 % more motor vehicles',
      changes: [{ kind: 'target', product: 'C29', period: 1, quantity: Math.round(cars * 1.1) }],
    },
    planner,
  );
  const shopId = await unitByCode(url, shop, 'C29-SHOP-1');
  await callApi(
    url,
    'indicator.create',
    {
      unitId: shopId,
      code: 'bodies',
      name: 'Car bodies welded per shift',
      measure: 'bodies',
      goodDirection: 'up',
      technologyCode: 'C29',
      detector: 'spc',
      detectorSettings: { centre: 120, sigma: 2 },
    },
    shop,
  );
  const start = Date.UTC(2026, 10, 1, 6);
  const shift = 8 * 3600 * 1000;
  const readings = Array.from({ length: 60 }, (_, i) => ({
    indicator: 'bodies',
    value: Math.round((i < 45 ? 120 : 111) + wobble(i) * 3),
    at: new Date(start + i * shift).toISOString(),
    sourceId: `demo-bodies-${i}`,
  }));
  await callApi(url, 'readings.submit', { unitId: shopId, readings }, shop);
  for (const [period, a, c, p] of [
    ['2026-08', 102, 118, 140],
    ['2026-09', 110, 120, 140],
    ['2026-10', 96, 121, 142],
  ] as const) {
    await callApi(
      url,
      'triple-index.set',
      { unitId: shopId, period, actuality: a, capability: c, potentiality: p },
      shop,
    );
  }
  return { shopId, planId: plan.id };
}
