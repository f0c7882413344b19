// A detector's `scan` (the batch path runSeries takes) must give what its `update`, reading by reading, gives:
// every forecast, score, change point and critical signal, and the last state's JSON, bit for bit; across batch
// boundaries (the state stored as JSON and restored), with the warm-up ending inside a batch, and from a state
// stored before the second-order collapse (four Harrison–Stevens components).
import { describe, expect, it } from 'vitest';
import { DetectorCache, runSeries, type SeriesJob, type SeriesRun } from './series-run';
import { createDetector } from './detectors/registry';
import type { Detector, DetectorKind } from './detectors/detector';

/** The same detectors with their scan taken away, so runSeries calls update reading by reading. */
class UpdateOnly extends DetectorCache {
  override get(kind: DetectorKind, settings: Record<string, unknown>): Detector<unknown> {
    const d = super.get(kind, settings);
    return { ...d, scan: undefined, update: d.update.bind(d) };
  }
}

function readings(seed: number, n: number) {
  let s = seed;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const noise = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    values[i] = 50 + (i >= 120 ? 7 : 0) + 2 * Math.sin(i / 4) + (i === 60 ? 40 : 0) + noise;
    times[i] = 1_700_000_000_000 + 60_000 * i;
  }
  return { values, times };
}

/** Every field of the runs as one comparable text (the float arrays by their bits). */
function bits(runs: SeriesRun[]): string {
  return runs
    .map((r) =>
      JSON.stringify({
        state: r.state,
        restarted: r.restarted,
        mean: Buffer.from(r.mean.buffer).toString('hex'),
        lower: Buffer.from(r.lower.buffer).toString('hex'),
        upper: Buffer.from(r.upper.buffer).toString('hex'),
        score: Buffer.from(r.score.buffer).toString('hex'),
        changePoint: Array.from(r.changePoint),
        critical: r.critical,
      }),
    )
    .join('\n');
}

function batches(
  cache: DetectorCache,
  kind: DetectorKind,
  settings: Record<string, unknown>,
  state: string | null,
) {
  const { values, times } = readings(7, 260);
  const runs: SeriesRun[] = [];
  // Uneven batches: the warm-up (20 readings by default) ends inside the second.
  for (const [from, to] of [
    [0, 7],
    [7, 31],
    [31, 32],
    [32, 150],
    [150, 260],
  ] as const) {
    const job: SeriesJob = {
      kind,
      settings,
      state,
      stateKind: state === null ? null : kind,
      values: values.subarray(from, to),
      times: times.subarray(from, to),
    };
    const run = runSeries(cache, job);
    runs.push(run);
    state = run.state;
  }
  return runs;
}

describe('a detector scan gives what its updates give', () => {
  const cases: [DetectorKind, Record<string, unknown>][] = [
    ['harrison-stevens', {}],
    ['harrison-stevens', { changeRule: 'posterior' }],
    ['harrison-stevens', { warmup: 3 }],
  ];
  for (const [kind, settings] of cases)
    it(`${kind} ${JSON.stringify(settings)}`, () => {
      expect(createDetector(kind, settings).scan).toBeDefined();
      const scanned = batches(new DetectorCache(), kind, settings, null);
      const updated = batches(new UpdateOnly(), kind, settings, null);
      expect(scanned.some((r) => r.critical.length > 0)).toBe(true);
      expect(bits(scanned)).toBe(bits(updated));
    });

  it('harrison-stevens from a state of four components (before the second-order collapse)', () => {
    const d = createDetector('harrison-stevens', {});
    let state = d.initialState();
    const { values, times } = readings(3, 40);
    for (let i = 0; i < 40; i++) state = d.update(state, values[i] as number, times[i] as number).state;
    const stored = state as { components: { p: number }[] };
    // One component per current state: the first of each group of four, carrying the group's probability.
    const four = [0, 4, 8, 12].map((k) => {
      const c = stored.components[k] as { p: number };
      return { ...c, p: c.p * 4 };
    });
    const old = JSON.stringify({ ...stored, components: four });
    expect(bits(batches(new DetectorCache(), 'harrison-stevens', {}, old))).toBe(
      bits(batches(new UpdateOnly(), 'harrison-stevens', {}, old)),
    );
  });
});
