// A stored detector state that cannot be continued (the constant-mean BOCPD's `posts` state, another kind's
// state, text that is not JSON) restarts the series' warm-up with a recorded reason and never fails ingestion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { DETECTOR_KINDS, createDetector } from './detectors/registry';
import { DetectorCache, runSeries, type SeriesJob } from './series-run';

/** A state as the constant-mean BOCPD stored it before runs became lines (Normal–Gamma runs in `posts`). */
const OLD_BOCPD_STATE = {
  step: 40,
  buffer: [],
  prior: { mu: 50, kappa: 1, alpha: 1, beta: 4 },
  lengths: [30, 31],
  logProbs: [-0.1, -2.35],
  posts: [
    { mu: 50.2, kappa: 31, alpha: 16, beta: 60 },
    { mu: 50.1, kappa: 32, alpha: 16.5, beta: 62 },
  ],
  lastStart: 10,
  mapLength: 30,
};

const values = Float64Array.from({ length: 60 }, (_, i) => 50 + Math.sin(i) + (i >= 40 ? 10 : 0));
const times = Float64Array.from(values, (_, i) => i);
const job = (state: string | null, stateKind: SeriesJob['stateKind'] = 'bocpd'): SeriesJob => ({
  kind: 'bocpd',
  settings: {},
  state,
  stateKind,
  values,
  times,
});

describe('restoring a stored detector state', () => {
  it('restarts from the warm-up, with the reason, when the state is the old constant-mean BOCPD one', () => {
    const run = runSeries(new DetectorCache(), job(JSON.stringify(OLD_BOCPD_STATE)));
    expect(run.restarted).toMatch(/does not fit the bocpd detector/);
    const fresh = runSeries(new DetectorCache(), job(null));
    expect(fresh.restarted).toBeNull();
    expect(run.state).toBe(fresh.state);
    expect(Array.from(run.mean)).toEqual(Array.from(fresh.mean));
  });

  it('restarts when the state was written by another kind of detector, or is not JSON', () => {
    const spc = createDetector('spc');
    const spcState = JSON.stringify(spc.update(spc.initialState(), 1, 0).state);
    expect(runSeries(new DetectorCache(), job(spcState, 'spc')).restarted).toMatch(
      /belongs to a spc detector/,
    );
    expect(runSeries(new DetectorCache(), job(spcState, null)).restarted).toMatch(/does not fit/);
    expect(runSeries(new DetectorCache(), job('{"step":', null)).restarted).toMatch(/not valid JSON/);
  });

  for (const kind of DETECTOR_KINDS)
    it(`a ${kind} detector reads back its own state, and refuses every other kind's`, () => {
      const d = createDetector(kind);
      let s = d.initialState();
      for (let i = 0; i < 400; i++) s = d.update(s, 10 + Math.sin(i / 3) + (i % 7) / 10, i).state;
      expect(d.restore(JSON.parse(JSON.stringify(s)))).toEqual(s);
      for (const other of DETECTOR_KINDS.filter((k) => k !== kind)) {
        const o = createDetector(other);
        let os = o.initialState();
        for (let i = 0; i < 400; i++) os = o.update(os, 10 + Math.sin(i / 3), i).state;
        expect(d.restore(JSON.parse(JSON.stringify(os)))).toBeNull();
      }
    });
});

describe('ingesting onto a series whose stored state cannot be read', () => {
  let app: TestApp;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
  });
  afterAll(() => app.close());

  it('stores the readings, restarts the warm-up and records when and why', async () => {
    const indicator = (await app.call('indicator.create', {
      unitId: tree.turbine.id,
      code: 'old-bocpd',
      name: 'Old BOCPD series',
      measure: 'units',
      detector: 'bocpd',
    })) as { id: string };
    await sql`update series_state set state = ${JSON.stringify(OLD_BOCPD_STATE)}::jsonb
      where indicator_id = ${indicator.id}`.execute(app.store.db);
    const readings = Array.from(values, (value, i) => ({
      indicator: 'old-bocpd',
      value,
      at: new Date(Date.parse('2026-03-01T06:00:00Z') + i * 60_000).toISOString(),
      sourceId: `o-${i}`,
    }));
    const result = (await app.call('readings.submit', { unitId: tree.turbine.id, readings })) as {
      accepted: number;
    };
    expect(result.accepted).toBe(values.length);
    const row = await app.services.monitor.seriesState(indicator.id);
    expect(row?.restart_reason).toMatch(/does not fit the bocpd detector/);
    expect(row?.restarted_at).toBeInstanceOf(Date);
    expect((row?.state as { prior: { centre: number } | null }).prior?.centre).toBeCloseTo(50, 0);
    expect(Number(row?.readings)).toBe(values.length);
  });
});
