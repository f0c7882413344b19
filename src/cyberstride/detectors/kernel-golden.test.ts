// Pins the outputs and states of the Bayesian detectors bit for bit: a SHA-256 of every output (forecast,
// score, probabilities, change point, signals) and of the state every 25 readings, over series with shifts,
// a trend, a season and outliers. The digests were taken from the kernels before they were rewritten for
// speed (typed scratch arrays, no per-run objects, selection instead of sorting), so a rewrite that changes
// any result by even one bit fails here.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { gaussianSampler } from '../../numeric/stats/gaussian-sampler';
import { createDetector } from './registry';
import type { DetectorKind } from './detector';

function series(seed: number): number[] {
  const rng = new Random(seed);
  const g = gaussianSampler(() => rng.next());
  return Array.from({ length: 600 }, (_, i) => {
    const shift = i >= 150 ? 6 : 0;
    const trend = i >= 300 && i < 420 ? 0.05 * (i - 300) : i >= 420 ? 6 : 0;
    const season = i >= 450 ? 3 * Math.sin((2 * Math.PI * i) / 12) : 0;
    const outlier = i === 80 || i === 500 ? 25 : 0;
    return 1000 + shift + trend + season + outlier + 2 * g();
  });
}

function digest(kind: DetectorKind, settings: unknown, seeds: number[]) {
  const hash = createHash('sha256');
  let critical = 0;
  for (const seed of seeds) {
    const d = createDetector(kind, settings);
    let s = d.initialState();
    series(seed).forEach((x, i) => {
      const r = d.update(s, x, i * 60_000);
      s = r.state;
      hash.update(JSON.stringify(r.output));
      critical += r.output.signals.filter((g) => g.severity === 'critical').length;
      if (i % 25 === 24) hash.update(JSON.stringify(s));
    });
  }
  return { hex: hash.digest('hex'), critical };
}

describe('detector kernels, bit for bit', () => {
  const cases: [DetectorKind, unknown, string][] = [
    // pruneMass 0: the kernel as it was pinned, before the mass pruning (now on by default) existed.
    ['bocpd', { pruneMass: 0 }, 'fe5c23f0f2ee9f3577ec563e62d82c7cb8dc64587a3590fc431ac43c40ee5b68'],
    [
      'bocpd',
      { model: 'constant', maxRuns: 30, lambda: 50, pruneMass: 0 },
      'd5074e28f66063c02534ec4d5ce8bb359d94a504e31bfd9bdbf39c3dc57eb803',
    ],
    ['harrison-stevens', {}, 'ad898855fab3a0ebcf2a2b260816d636dc945605992b6fec937c86fdd5451ad0'],
    [
      'harrison-stevens',
      { changeRule: 'posterior' },
      '9091d7fe60b26bffcabd50facf1a3bebd4fe4a51344538ed281cc0a07c92d881',
    ],
  ];
  for (const [kind, settings, expected] of cases)
    it(`${kind} ${JSON.stringify(settings)} gives the pinned outputs and states`, () => {
      const { hex, critical } = digest(kind, settings, [1, 2, 3]);
      // The series raise changes, so the signal paths (and their evidence) are in the digest too.
      expect(critical).toBeGreaterThanOrEqual(3);
      expect(hex).toBe(expected);
    });
});
