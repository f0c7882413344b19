// Checks BOCPD on seeded synthetic series: known mean shifts are found within a few samples, pure noise
// raises few change points, and the run-length posterior stays truncated.
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { gaussianSampler } from '../../numeric/stats/gaussian-sampler';
import { bocpdDetector } from './bocpd';

function noise(seed: number, n: number, mean: (i: number) => number, sd = 1): number[] {
  const rng = new Random(seed);
  const g = gaussianSampler(() => rng.next());
  return Array.from({ length: n }, (_, i) => mean(i) + sd * g());
}

function changePoints(xs: number[], settings?: unknown): number[] {
  const d = bocpdDetector(settings);
  let s = d.initialState();
  const found: number[] = [];
  xs.forEach((x, i) => {
    const r = d.update(s, x, i);
    s = r.state;
    if (r.output.changePoint) found.push(i - r.output.changePoint.lag);
  });
  return found;
}

describe('BOCPD', () => {
  it('finds mean shifts of 3σ at 100, 200 and 300 within 3 samples, and nothing else', () => {
    const xs = noise(7, 400, (i) => (i < 100 ? 0 : i < 200 ? 3 : i < 300 ? -1 : 2));
    const found = changePoints(xs);
    expect(found).toHaveLength(3);
    [100, 200, 300].forEach((t, k) => expect(Math.abs((found[k] as number) - t)).toBeLessThanOrEqual(3));
  });

  it('raises at most 2 change points on 2,000 readings of pure noise, on the scale of the data (mean 500, σ 20)', () => {
    expect(changePoints(noise(11, 2000, () => 500, 20)).length).toBeLessThanOrEqual(2);
  });

  it('keeps at most maxRuns run lengths, and signals the change as critical with the forecast', () => {
    const d = bocpdDetector({ maxRuns: 30 });
    let s = d.initialState();
    const xs = noise(3, 300, (i) => (i < 150 ? 0 : 5));
    let signal = null;
    for (const [i, x] of xs.entries()) {
      const r = d.update(s, x, i);
      s = r.state;
      expect(s.lengths.length).toBeLessThanOrEqual(30);
      signal ??= r.output.signals.find((g) => g.rule === 'change-point') ?? null;
    }
    expect(signal?.severity).toBe('critical');
    expect(signal?.evidence).toHaveProperty('forecast');
  });
});
