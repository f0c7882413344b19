// The detector pool gives, series by series, exactly what the in-process pass gives.
import { afterAll, describe, expect, it } from 'vitest';
import { DetectorPool } from './detector-pool';
import { DetectorCache, runSeries, type SeriesJob } from './series-run';
import type { DetectorKind } from './detectors/detector';

const pool = new DetectorPool(2);
afterAll(() => pool.close());

/** A level with a step and an outlier, so every detector forecasts, scores and signals. */
function job(kind: DetectorKind, series: number): SeriesJob {
  const n = 120;
  const values = Float64Array.from({ length: n }, (_, i) => {
    const noise = Math.sin(i * 12.9898 + series * 78.233) * 43758.5453;
    return 50 + (i > 60 ? 8 : 0) + (i === 30 ? 25 : 0) + (noise - Math.floor(noise) - 0.5) * 2;
  });
  const times = Float64Array.from({ length: n }, (_, i) => 1.8e12 + i * 60_000);
  return { kind, settings: {}, state: null, stateKind: null, values, times };
}

describe('DetectorPool', () => {
  it('returns the same forecasts, signals and states as running each series in process', async () => {
    const kinds: DetectorKind[] = ['harrison-stevens', 'bocpd', 'spc'];
    const jobs = () => kinds.flatMap((k) => [0, 1, 2].map((s) => job(k, s)));
    const expected = jobs().map((j) => runSeries(new DetectorCache(), j));
    const all = jobs();
    const [a, b] = await Promise.all([pool.run(all.slice(0, 4)), pool.run(all.slice(4))]);
    const got = [...a, ...b];
    expect(got).toEqual(expected);
    expect(expected.some((r) => r.critical.length > 0)).toBe(true);
  });

  it('carries a stored state across calls exactly as one long pass does', async () => {
    const whole = runSeries(new DetectorCache(), job('bocpd', 7));
    const first = job('bocpd', 7);
    const half = { ...first, values: first.values.slice(0, 60), times: first.times.slice(0, 60) };
    const rest = { ...first, values: first.values.slice(60), times: first.times.slice(60) };
    const [r1] = await pool.run([half]);
    const [r2] = await pool.run([{ ...rest, state: r1?.state ?? null }]);
    expect(JSON.parse(r2?.state ?? 'null')).toEqual(JSON.parse(whole.state));
    expect(Array.from(r2?.mean ?? [])).toEqual(Array.from(whole.mean.slice(60)));
  });
});

describe('DetectorPool whose worker does not start in time', () => {
  it('runs the jobs on the calling thread with the same results, and keeps doing so', async () => {
    // No worker loads in a millisecond: the batch must not wait for one.
    const slow = new DetectorPool(2, { startTimeoutMs: 1 });
    try {
      const expected = [job('bocpd', 3), job('spc', 4)].map((j) => runSeries(new DetectorCache(), j));
      const [a, b] = await Promise.all([slow.run([job('bocpd', 3)]), slow.run([job('spc', 4)])]);
      expect([...(a ?? []), ...(b ?? [])]).toEqual(expected);
      expect(slow.active).toBe(false);
      expect(await slow.run([job('spc', 4)])).toEqual([expected[1]]);
    } finally {
      await slow.close();
    }
  });
});
