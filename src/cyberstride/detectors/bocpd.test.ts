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
  it('mass pruning drops at most pruneMass of posterior probability per reading, and most of the run lengths', () => {
    const xs = noise(5, 1200, (i) => (i < 400 ? 0 : i < 800 ? 3 : 1));
    const full = bocpdDetector({ pruneMass: 0 });
    const pruned = bocpdDetector({ pruneMass: 1e-4 });
    let s = full.initialState();
    let sp = pruned.initialState();
    let worst = 0;
    let keptFull = 0;
    let keptPruned = 0;
    let notSubset = 0;
    xs.forEach((x, i) => {
      // From the same state, one reading each way: the run lengths the pruned step lost held this much mass.
      const a = full.update(s, x, i).state;
      const b = pruned.update(s, x, i).state;
      const survived = new Set(b.lengths);
      let lost = 0;
      a.lengths.forEach((len, k) => {
        if (!survived.has(len)) lost += Math.exp(a.logProbs[k] as number);
      });
      // What survived is a subset of what the full step keeps.
      const all = new Set(a.lengths);
      notSubset += b.lengths.filter((len) => !all.has(len)).length;
      worst = Math.max(worst, lost);
      s = a;
      // Each on its own chain: how many run lengths each carries.
      sp = pruned.update(sp, x, i).state;
      keptFull += a.lengths.length;
      keptPruned += sp.lengths.length;
    });
    expect(notSubset).toBe(0);
    expect(worst).toBeLessThanOrEqual(1e-4 * (1 + 1e-9));
    expect(worst).toBeGreaterThan(1e-6);
    expect(keptPruned).toBeLessThan(keptFull / 2);
    // And the changes found are the same as without pruning.
    expect(changePoints(xs, { pruneMass: 1e-4 })).toEqual(changePoints(xs, { pruneMass: 0 }));
  });

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
