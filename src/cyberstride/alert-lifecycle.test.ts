// The alert lifecycle through the real ingest path on PGlite: an alert is one problem, said in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { Alert, AlertEvent } from './alert';
import { DEFAULT_QUIET_READINGS } from './monitor.service';

let app: TestApp;
let tree: Awaited<ReturnType<typeof smallTree>>;
let n = 0;
const start = Date.parse('2026-02-20T08:00:00Z');

beforeAll(async () => {
  app = await createTestApp();
  tree = await smallTree(app);
  await app.call('indicator.create', {
    unitId: tree.turbine.id,
    code: 'cars',
    name: 'Cars finished per hour',
    measure: 'cars',
    detector: 'spc',
    detectorSettings: { centre: 43, sigma: 1 },
  });
  await app.call('indicator.create', {
    unitId: tree.bakery.id,
    code: 'loaves',
    name: 'Loaves baked per hour',
    measure: 'loaves',
    detector: 'spc',
    detectorSettings: { baseline: 20, rebaseline: false },
  });
});
afterAll(() => app.close());

/** Readings five minutes apart, continuing the series' clock. */
async function send(unitId: string, indicator: string, values: number[]) {
  await app.call('readings.submit', {
    unitId,
    readings: values.map((value) => {
      const i = n++;
      return { indicator, value, at: new Date(start + i * 300_000).toISOString(), sourceId: `r-${i}` };
    }),
  });
}
const wobble = (k: number) => Array.from({ length: k }, (_, i) => 43 + 0.3 * Math.sin(i));
const alertsOf = async (unitId: string) =>
  ((await app.call('alert.list', { unitId, status: 'all' })) as { alerts: Alert[] }).alerts;

describe('alert lifecycle', () => {
  it('says what happened in words, with the statistics on demand', async () => {
    await send(tree.turbine.id, 'cars', [...wobble(3), 0]);
    const [a] = await alertsOf(tree.turbine.id);
    expect(a?.message).toBe('Cars finished per hour fell from about 43 to 0 cars at 08:15 UTC on 20 Feb.');
    expect(a?.statistics).toContain('centre 43');
    expect(a?.message).not.toMatch(/σ|centre/);
  });

  it('updates its one alert while the series stays abnormal', async () => {
    await send(tree.turbine.id, 'cars', [0, 0, 43, 0, 1]);
    const alerts = await alertsOf(tree.turbine.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.signalCount).toBe(5);
    expect(alerts[0]?.message).toContain('to 1 cars');
  });

  it('closes the alert itself after a quiet stretch, and a new anomaly opens a new one', async () => {
    await send(tree.turbine.id, 'cars', wobble(DEFAULT_QUIET_READINGS - 1));
    expect((await alertsOf(tree.turbine.id))[0]?.status).toBe('open');
    await send(tree.turbine.id, 'cars', [...wobble(1), 60]);
    const alerts = await alertsOf(tree.turbine.id);
    expect(alerts.map((a) => a.status).sort()).toEqual(['open', 'resolved']);
    const closed = alerts.find((a) => a.status === 'resolved') as Alert;
    expect(closed.resolvedBy).toBe('system:quiet');
    const { timeline } = (await app.call('alert.get', { id: closed.id })) as { timeline: AlertEvent[] };
    expect(timeline.map((e) => e.kind)).toEqual(['opened', 'resolved']);
    expect(alerts.find((a) => a.status === 'open')?.message).toContain('rose from about 43 to 60 cars');
  });

  it('counts the quiet stretch in time: after two days without reports one normal reading closes the alert', async () => {
    await app.call('indicator.create', {
      unitId: tree.turbine.id,
      code: 'press',
      name: 'Press strokes per minute',
      measure: 'strokes',
      cadenceSeconds: 300,
      detector: 'spc',
      detectorSettings: { centre: 20, sigma: 1 },
    });
    const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
    const submit = (rows: [number, number][]) =>
      app.call('readings.submit', {
        unitId: tree.turbine.id,
        readings: rows.map(([m, value]) => ({ indicator: 'press', value, at: at(m), sourceId: `p-${m}` })),
      });
    await submit([
      [0, 20],
      [5, 20.2],
      [10, 40],
    ]);
    const opened = (await alertsOf(tree.turbine.id)).find((a) => a.message.startsWith('Press'));
    expect(opened?.status).toBe('open');
    // 576 intervals of five minutes is two days; the series was silent for two days and five minutes.
    await submit([[10 + 2 * 24 * 60 + 5, 20.1]]);
    const after = (await alertsOf(tree.turbine.id)).find((a) => a.id === opened?.id);
    expect(after?.status).toBe('resolved');
    expect(after?.resolvedBy).toBe('system:quiet');
  });

  it('takes an acknowledged change as the new baseline', async () => {
    const level = (centre: number, k: number) => Array.from({ length: k }, (_, i) => centre + Math.sin(i));
    await send(tree.bakery.id, 'loaves', [...level(50, 30), ...level(80, 5)]);
    const [a] = await alertsOf(tree.bakery.id);
    expect(a?.signalCount).toBe(5);
    await app.call('alert.acknowledge', { id: a?.id });
    await send(tree.bakery.id, 'loaves', level(80, 40));
    const [after] = await alertsOf(tree.bakery.id);
    expect(after?.id).toBe(a?.id);
    expect(after?.status).toBe('acknowledged');
    expect(after?.signalCount).toBe(5);
  });

  it('without the acknowledgement the same change keeps signalling', async () => {
    await app.call('indicator.create', {
      unitId: tree.food.id,
      code: 'flour',
      name: 'Flour used',
      measure: 'kg',
      detector: 'spc',
      detectorSettings: { baseline: 20, rebaseline: false },
    });
    const level = (centre: number, k: number) => Array.from({ length: k }, (_, i) => centre + Math.sin(i));
    await send(tree.food.id, 'flour', [...level(50, 30), ...level(80, 5)]);
    await send(tree.food.id, 'flour', level(80, 40));
    const alerts = await alertsOf(tree.food.id);
    expect(alerts.find((x) => x.message.startsWith('Flour used'))?.signalCount).toBe(45);
  });
});
