// The readings pipeline on PGlite: quarantine reasons, idempotence, forecasts stored, aggregation, triple index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { Principal } from '../core/principal';

let app: TestApp;
let tree: Awaited<ReturnType<typeof smallTree>>;
let machine: Principal;

interface Result {
  received: number;
  accepted: number;
  duplicates: number;
  quarantined: { index: number; reason: string }[];
}

beforeAll(async () => {
  app = await createTestApp();
  tree = await smallTree(app);
  await app.call('indicator.create', {
    unitId: tree.turbine.id,
    code: 'temp',
    name: 'Turbine hall temperature',
    measure: '°C',
    min: -40,
    max: 200,
    aggregation: 'mean',
    detector: 'spc',
  });
  await app.call('indicator.create', {
    unitId: tree.plant.id,
    code: 'temp',
    name: 'Plant temperature',
    measure: '°C',
    aggregation: 'mean',
    detector: 'spc',
  });
  const { token } = (await app.call('auth.machine-token.issue', {
    unitId: tree.turbine.id,
    name: 'sensor',
  })) as {
    token: string;
  };
  machine = await app.services.auth.principalFor(token);
});
afterAll(() => app.close());

const at = (minute: number) => new Date(Date.parse('2026-03-01T07:00:00Z') + minute * 60_000).toISOString();

describe('readings.submit', () => {
  it('stores good readings and quarantines each bad one with its reason', async () => {
    const r = (await app.call(
      'readings.submit',
      {
        unitId: tree.turbine.id,
        readings: [
          { indicator: 'temp', value: 61.5, at: at(0), sourceId: 's-0' },
          { indicator: 'temp', value: 'hot', at: at(1), sourceId: 's-1' },
          { indicator: 'temp', value: 900, at: at(2), sourceId: 's-2' },
          { indicator: 'pressure', value: 1, at: at(3), sourceId: 's-3' },
          { unit: tree.bakery.id, indicator: 'temp', value: 20, at: at(4), sourceId: 's-4' },
          { indicator: 'temp', value: 60, at: '2026-03-02T08:00:00Z', sourceId: 's-5' },
          { indicator: 'temp', value: '62.25', at: at(6), sourceId: 's-6' },
        ],
      },
      machine,
    )) as Result;
    expect(r.accepted).toBe(2);
    expect(r.quarantined.map((q) => [q.index, q.reason])).toEqual([
      [1, 'non-numeric'],
      [2, 'out-of-range'],
      [3, 'unknown-indicator'],
      [4, 'unit-not-covered'],
      [5, 'too-far-in-future'],
    ]);
  });

  it('ignores a reading whose source id was already stored, in the same or a later batch', async () => {
    const batch = {
      unitId: tree.turbine.id,
      readings: [
        { indicator: 'temp', value: 61, at: at(10), sourceId: 'dup-1' },
        { indicator: 'temp', value: 61, at: at(10), sourceId: 'dup-1' },
      ],
    };
    const first = (await app.call('readings.submit', batch, machine)) as Result;
    const again = (await app.call('readings.submit', batch, machine)) as Result;
    expect([first.accepted, first.duplicates]).toEqual([1, 1]);
    expect([again.accepted, again.duplicates]).toEqual([0, 2]);
  });

  it('lets the sender list its quarantined readings', async () => {
    const q = (await app.call('readings.quarantine', { unitId: tree.turbine.id }, machine)) as {
      entries: { reason: string; channel: string }[];
    };
    expect(q.entries.map((e) => e.reason).sort()).toEqual([
      'non-numeric',
      'out-of-range',
      'too-far-in-future',
      'unit-not-covered',
      'unknown-indicator',
    ]);
  });

  it('refuses a machine token reporting for a unit other than its own', async () => {
    await expect(
      app.call('readings.submit', { unitId: tree.plant.id, readings: [] }, machine),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('accepts CSV batches through the same pipeline', async () => {
    const csv = `unit,indicator,at,value,sourceId\n${tree.turbine.id},temp,${at(20)},63,c-1\n${tree.turbine.id},temp,${at(21)},n/a,c-2\n`;
    const r = (await app.call('readings.csv', { unitId: tree.turbine.id, csv }, machine)) as Result;
    expect(r.accepted).toBe(1);
    expect(r.quarantined.map((q) => q.reason)).toEqual(['non-numeric']);
  });
});

describe('aggregation and the triple index', () => {
  it('averages the units of a subtree for a mean indicator', async () => {
    await app.call('readings.submit', {
      unitId: tree.plant.id,
      readings: [{ unit: tree.plant.id, indicator: 'temp', value: 30, at: at(30), sourceId: 'p-1' }],
    });
    await app.call('readings.submit', {
      unitId: tree.turbine.id,
      readings: [
        { indicator: 'temp', value: 70, at: at(31), sourceId: 't-31' },
        { indicator: 'temp', value: 80, at: at(32), sourceId: 't-32' },
      ],
    });
    const r = (await app.call('readings.aggregate', {
      unitId: tree.plant.id,
      code: 'temp',
      bucketSeconds: 3600,
      from: at(30),
      to: at(40),
    })) as { points: { value: number; units: number; readings: number }[] };
    // Turbine hall mean 75, plant 30: the mean of the two units is 52.5 (not the reading mean 60).
    expect(r.points).toEqual([expect.objectContaining({ value: 52.5, units: 2, readings: 3 })]);
  });

  it('derives productivity, latency and performance from the three figures', async () => {
    const t = (await app.call('triple-index.set', {
      unitId: tree.plant.id,
      period: '2026-03',
      actuality: 60,
      capability: 80,
      potentiality: 100,
    })) as { productivity: number; latency: number; performance: number };
    expect(t).toMatchObject({ productivity: 0.75, latency: 0.8, performance: 0.6 });
  });
});

describe('the units a batch names', () => {
  it('resolves each by code or by id (a code first), all at once, and quarantines a name that is neither', async () => {
    const create = (name: string, code?: string) =>
      app.call('holarchy.unit.create', {
        parentId: tree.food.id,
        name,
        kind: 'shop',
        ...(code ? { code } : {}),
      }) as Promise<{ id: string }>;
    const oven = await create('Oven', 'OVEN-1');
    const mill = await create('Mill');
    // A unit whose code is the mill's id: the name is read as that code, as the one-by-one look-up did.
    const decoy = await create('Decoy', mill.id);
    const indicator = async (unitId: string) =>
      (
        (await app.call('indicator.create', {
          unitId,
          code: 'load',
          name: 'Load',
          measure: '%',
          aggregation: 'mean',
          detector: 'spc',
        })) as { id: string }
      ).id;
    const ids = {
      oven: await indicator(oven.id),
      mill: await indicator(mill.id),
      decoy: await indicator(decoy.id),
    };
    const r = (await app.call('readings.submit', {
      unitId: tree.food.id,
      readings: [
        { unit: 'OVEN-1', indicator: 'load', value: 1, at: at(40), sourceId: 'u-0' },
        { unit: oven.id, indicator: 'load', value: 2, at: at(41), sourceId: 'u-1' },
        { unit: mill.id, indicator: 'load', value: 3, at: at(42), sourceId: 'u-2' },
        { unit: 'NO-SUCH-UNIT', indicator: 'load', value: 4, at: at(43), sourceId: 'u-3' },
      ],
    })) as Omit<Result, 'quarantined'> & {
      quarantined: { index: number; reason: string; message: string }[];
    };
    expect(r.accepted).toBe(3);
    expect(r.quarantined.map((q) => [q.index, q.reason, q.message])).toEqual([
      [3, 'unknown-indicator', 'unit "NO-SUCH-UNIT" does not exist'],
    ]);
    const values = async (id: string) =>
      (await app.services.cybernet.series(id, null, null, 10)).points.map((p) => p.value);
    expect(await values(ids.oven)).toEqual([1, 2]);
    expect(await values(ids.decoy)).toEqual([3]);
    expect(await values(ids.mill)).toEqual([]);
  });

  it('runs the detector over a batch in time order, whatever order the readings came in', async () => {
    const indicator = async (code: string) =>
      (
        (await app.call('indicator.create', {
          unitId: tree.food.id,
          code,
          name: code,
          measure: 'u',
          aggregation: 'mean',
          detector: 'spc',
        })) as { id: string }
      ).id;
    const ordered = await indicator('ord-a');
    const shuffled = await indicator('ord-b');
    // A ramp with a wobble: SPC's forecasts depend on the order it sees the readings in.
    const readings = (code: string) =>
      Array.from({ length: 30 }, (_, k) => ({
        indicator: code,
        value: 10 + k * 0.5 + (k % 3) * 0.7,
        at: at(30 + k), // the test clock stands at minute 60
        sourceId: `o-${k}`,
      }));
    const late = readings('ord-b');
    // Newest first: the reverse of the order the detector must consume them in.
    const sent = [...late].reverse();
    expect(new Set(sent.map((r) => r.sourceId)).size).toBe(30);
    for (const list of [readings('ord-a'), sent])
      expect(
        ((await app.call('readings.submit', { unitId: tree.food.id, readings: list })) as Result).accepted,
      ).toBe(30);
    const points = async (id: string) =>
      (await app.services.cybernet.series(id, null, null, 100)).points.map((p) => [p.sourceId, p.forecast]);
    const expected = await points(ordered);
    expect(expected.filter(([, f]) => f !== null).length).toBeGreaterThan(5);
    expect(await points(shuffled)).toEqual(expected);
  });
});
