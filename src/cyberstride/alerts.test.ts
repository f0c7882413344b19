// Alerts on PGlite: raised with evidence, flapping folded into one, climbing on the manual clock, ack and resolve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { Alert, AlertEvent } from './alert';

let app: TestApp;
let tree: Awaited<ReturnType<typeof smallTree>>;
let n = 0;

beforeAll(async () => {
  app = await createTestApp();
  tree = await smallTree(app);
  await app.call('indicator.create', {
    unitId: tree.turbine.id,
    code: 'temp',
    name: 'Turbine hall temperature',
    measure: '°C',
    detector: 'spc',
    detectorSettings: { centre: 50, sigma: 1 },
  });
  await app.call('escalation.set', { defaultSeconds: 600, byDepth: { '3': 300 } });
});
afterAll(() => app.close());

async function send(...values: number[]) {
  await app.call('readings.submit', {
    unitId: tree.turbine.id,
    readings: values.map((value) => ({ indicator: 'temp', value, sourceId: `r-${n++}` })),
  });
}
const open = async () =>
  ((await app.call('alert.list', { status: 'unresolved' })) as { alerts: Alert[] }).alerts;

describe('alerts', () => {
  it('opens one alert on the owning unit with the rule, the forecast and the actual', async () => {
    await send(50.2, 49.9, 57);
    const alerts = await open();
    expect(alerts).toHaveLength(1);
    const a = alerts[0] as Alert;
    expect(a).toMatchObject({ unitId: tree.turbine.id, status: 'open', rule: 'western-electric-1' });
    expect(a.level).toMatchObject({ unitId: tree.turbine.id, depth: 3 });
    expect(a.evidence).toMatchObject({ actual: 57, forecast: { mean: 50, lower: 47, upper: 53 } });
  });

  it('folds a flapping series into the same alert', async () => {
    await send(58, 50, 59, 50, 60);
    const alerts = await open();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.signalCount).toBe(4);
  });

  it('climbs one level per deadline up to the root when nobody acknowledges it', async () => {
    app.clock.advance(299_000);
    expect(await app.call('cyberstride.escalate', {})).toEqual({ escalated: 0, steps: 0 });
    app.clock.advance(1_000 + 600_000 + 600_000 + 3_600_000);
    expect(await app.call('cyberstride.escalate', {})).toEqual({ escalated: 1, steps: 3 });
    const a = (await open())[0] as Alert;
    expect(a.level).toMatchObject({ unitId: tree.root.id, depth: 0 });
    expect(a.escalateDueAt).toBeNull();
    const got = (await app.call('alert.get', { id: a.id })) as { timeline: AlertEvent[] };
    expect(got.timeline.map((e) => [e.kind, e.level.depth])).toEqual([
      ['opened', 3],
      ['escalated', 2],
      ['escalated', 1],
      ['escalated', 0],
    ]);
  });

  it('stops climbing once acknowledged, and a resolved alert lets the next signal open a new one', async () => {
    const first = (await open())[0] as Alert;
    const manager = await app.person('plant@x.org', [[tree.plant.id, 'manager']]);
    await app.call('alert.resolve', { id: first.id, note: 'sensor recalibrated' }, manager);
    await send(61);
    const second = (await open())[0] as Alert;
    expect(second.id).not.toBe(first.id);
    await app.call('alert.acknowledge', { id: second.id }, manager);
    app.clock.advance(86_400_000);
    await app.call('cyberstride.escalate', {});
    const after = (await app.call('alert.get', { id: second.id })) as Alert & { timeline: AlertEvent[] };
    expect(after.status).toBe('acknowledged');
    expect(after.level.depth).toBe(3);
    expect(after.timeline.map((e) => e.kind)).toEqual(['opened', 'acknowledged']);
    expect(after.timeline[1]?.actor).toMatch(/^person:/);
  });

  it('forbids acknowledging for someone who only reads the unit', async () => {
    const a = (await open())[0] as Alert;
    const reader = await app.person('reader@x.org', [[tree.plant.id, 'member']]);
    await expect(app.call('alert.resolve', { id: a.id }, reader)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});
