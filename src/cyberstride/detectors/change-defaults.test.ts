// The change-point defaults on seeded synthetic series: a trend and a seasonal series with no change give no
// change point (no critical signal for the default live detector), and a 4σ level shift in 40 noisy readings is
// found within two readings of where it happened. Seeds 1–4 must pass outright for Harrison–Stevens and BOCPD;
// over seeds 1–20 each detector's pass count is pinned at what was measured, so a regression shows (the few
// failures are seeds with a 3.6σ+2σ noise pair, or a shift whose first readings land inside the noise). The
// default live detector is quiet on both, but finds the short shift in only 6 of 20 seeds: 40 readings are
// all inside its 300-reading warm-up, where only a reading 6 robust standard deviations out is critical.
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { gaussianSampler } from '../../numeric/stats/gaussian-sampler';
import { detectChangePoints } from '../evaluation/tcpd-evaluate';
import { penalisedSegmentation } from './penalised-segmentation';
import { createDetector } from './registry';
import type { DetectorKind } from './detector';

function series(seed: number, n: number, mean: (t: number) => number, sd: number): number[] {
  const rng = new Random(seed);
  const g = gaussianSampler(() => rng.next());
  return Array.from({ length: n }, (_, t) => mean(t) + sd * g());
}
const trend = (seed: number) => series(seed, 300, (t) => 100 + 0.5 * t, 2);
const seasonal = (seed: number) => series(seed, 300, (t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12), 2);
/** 40 readings, σ = 2, the level rising by 4σ at reading 20. */
const shift = (seed: number) => series(seed, 40, (t) => 10 + (t >= 20 ? 8 : 0), 2);

/** Where a detector says something changed: its change points, or for the live default its critical signals. */
function changes(kind: DetectorKind, xs: number[]): number[] {
  if (kind !== 'anomaly-likelihood') return detectChangePoints(kind, {}, xs);
  const d = createDetector(kind);
  let s = d.initialState();
  const at: number[] = [];
  xs.forEach((x, i) => {
    const r = d.update(s, x, i);
    s = r.state;
    if (r.output.signals.some((g) => g.severity === 'critical')) at.push(i);
  });
  return at;
}
const quiet = (kind: DetectorKind, xs: number[]) => changes(kind, xs).length === 0;
/** Found: a change point within two readings of 20, or a critical signal within five readings after it. */
const found = (kind: DetectorKind, xs: number[]) =>
  kind === 'anomaly-likelihood'
    ? changes(kind, xs).some((c) => c >= 20 && c <= 25)
    : changes(kind, xs).some((c) => Math.abs(c - 20) <= 2);
const passes = (test: (seed: number) => boolean) =>
  Array.from({ length: 20 }, (_, k) => k + 1).filter(test).length;

const MEETING: DetectorKind[] = ['harrison-stevens', 'bocpd'];

describe('change-point defaults', () => {
  for (const kind of MEETING)
    it(`${kind}: no change on a trend or a seasonal series, the 4σ shift found (seeds 1–4)`, () => {
      for (const seed of [1, 2, 3, 4]) {
        expect(changes(kind, trend(seed))).toEqual([]);
        expect(changes(kind, seasonal(seed))).toEqual([]);
        expect(found(kind, shift(seed))).toBe(true);
      }
    });

  // Measured over seeds 1–20 (trend quiet / seasonal quiet / shift found): anomaly-likelihood 20/20/6,
  // Harrison–Stevens 19/20/18, BOCPD 20/20/19, SPC 17/20/15 (a 4σ shift is first seen by the 3σ rule and
  // reported as a change only once nine readings sit on one side, far enough off).
  const measured: Record<DetectorKind, [number, number, number]> = {
    'anomaly-likelihood': [20, 20, 6],
    'harrison-stevens': [19, 20, 18],
    bocpd: [20, 20, 19],
    spc: [17, 20, 15],
  };
  for (const [kind, [t, s, f]] of Object.entries(measured) as [DetectorKind, number[]][])
    it(`${kind}: over 20 seeds, quiet on at least ${t} trends and ${s} seasonal series, finds at least ${f} shifts`, () => {
      expect(passes((seed) => quiet(kind, trend(seed)))).toBeGreaterThanOrEqual(t as number);
      expect(passes((seed) => quiet(kind, seasonal(seed)))).toBeGreaterThanOrEqual(s as number);
      expect(passes((seed) => found(kind, shift(seed)))).toBeGreaterThanOrEqual(f as number);
    });

  it('the constant-mean BOCPD of before reads the same trend as a stream of changes', () => {
    expect(detectChangePoints('bocpd', { model: 'constant' }, trend(1)).length).toBeGreaterThan(10);
  });

  it('the retrospective segmentation: no change in a trend, the 4σ shift found exactly (seeds 1–4)', () => {
    for (const seed of [1, 2, 3, 4]) {
      expect(penalisedSegmentation(trend(seed))).toEqual([]);
      expect(penalisedSegmentation(shift(seed))).toEqual([20]);
    }
  });
});
