// Checks each Western Electric and Nelson rule on a series built to trigger exactly it (centre 0, σ 1 given),
// and that a seeded in-control series stays nearly free of 3σ alarms over 1,000 readings.
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { gaussianSampler } from '../../numeric/stats/gaussian-sampler';
import { spcDetector } from './spc';
import type { RuleSet } from './spc-rules';

/** A quiet stretch (in σ) that completes no rule of either set: short runs, no trends, no alternation. */
const QUIET = [0.3, -0.6, 1.2, -0.2, 0.4, -1.3, 0.1, 0.5, -0.4, -0.1];

function firedRules(series: number[], set: RuleSet): Set<string> {
  const d = spcDetector({ centre: 0, sigma: 1, ruleSets: [set] });
  let s = d.initialState();
  const fired = new Set<string>();
  series.forEach((x, i) => {
    const r = d.update(s, x, i);
    s = r.state;
    r.output.signals.forEach((g) => fired.add(g.rule));
  });
  return fired;
}

const withQuiet = (pattern: number[]) => [...QUIET, ...QUIET, ...pattern, ...QUIET];

const cases: [RuleSet, string, number[]][] = [
  ['western-electric', 'western-electric-1', [3.5]],
  ['western-electric', 'western-electric-2', [2.5, 0.5, 2.4]],
  ['western-electric', 'western-electric-3', [1.5, 1.4, -0.5, 1.6, 1.3]],
  ['western-electric', 'western-electric-4', [0.3, 0.5, 0.2, 0.6, 0.4, 0.2, 0.7, 0.3]],
  ['nelson', 'nelson-1', [-3.4]],
  ['nelson', 'nelson-2', [0.3, 1.5, 0.2, 0.6, 1.4, 0.2, 0.7, 0.3, 0.5]],
  ['nelson', 'nelson-3', [-0.8, -0.5, -0.2, 0.1, 0.4, 0.7]],
  ['nelson', 'nelson-4', [0.5, -0.5, 1.2, -0.4, 0.5, -1.2, 0.4, -0.5, 1.1, -0.4, 0.5, -1.1, 0.4, -0.5]],
  ['nelson', 'nelson-5', [-2.2, -2.5, 0.2]],
  ['nelson', 'nelson-6', [-1.5, -1.4, 0.5, -1.6, -1.3]],
  ['nelson', 'nelson-7', [0.3, -0.2, 0.1, -0.4, 0.2, 0.5, -0.1, 0.4, -0.3, 0.2, 0.6, -0.5, 0.1, 0.3, -0.2]],
  ['nelson', 'nelson-8', [1.5, -1.5, 1.6, 1.4, -1.6, -1.3, 1.7, -1.5]],
];

describe('SPC rules', () => {
  for (const set of ['western-electric', 'nelson'] as const) {
    it(`the quiet stretch fires no ${set} rule`, () => {
      expect([...firedRules([...QUIET, ...QUIET, ...QUIET], set)]).toEqual([]);
    });
  }
  for (const [set, rule, pattern] of cases) {
    it(`a series built for ${rule} fires exactly ${rule}`, () => {
      expect([...firedRules(withQuiet(pattern), set)]).toEqual([rule]);
    });
  }
});

describe('SPC chart', () => {
  it('estimates the centre and σ from the baseline and stays free of 3σ alarms on 1,000 in-control readings', () => {
    const rng = new Random(2024);
    const g = gaussianSampler(() => rng.next());
    const d = spcDetector({ baseline: 100, centreLine: 'constant', ruleSets: ['western-electric'] });
    let s = d.initialState();
    let critical = 0;
    const xs = Array.from({ length: 1100 }, () => 50 + 2 * g());
    xs.forEach((x, i) => {
      const r = d.update(s, x, i);
      s = r.state;
      critical += r.output.signals.filter((y) => y.severity === 'critical').length;
    });
    // A chart re-estimated after a run keeps that run's nine readings in its new baseline (measured: one
    // re-estimate, centre 50.58); the standard error of a 100-reading mean is 0.2.
    expect(Math.abs((s.centre as number) - 50)).toBeLessThan(1);
    expect(Math.abs((s.sigma as number) - 2)).toBeLessThan(0.4);
    // P(|z| > 3) = 0.0027 per reading: 2.7 expected in 1,000; 8 or more has probability < 0.5%.
    expect(critical).toBeLessThan(8);
  });

  it('reports a sustained shift as a change point starting where the run began, then re-estimates the limits', () => {
    const d = spcDetector({ baseline: 10, ruleSets: ['western-electric'] });
    let s = d.initialState();
    const xs = [...QUIET, ...QUIET.map((q) => 5 + q * 0.2), ...QUIET.map((q) => 5 + q)];
    const cps: number[] = [];
    xs.forEach((x, i) => {
      const r = d.update(s, x, i);
      s = r.state;
      if (r.output.changePoint) cps.push(i - r.output.changePoint.lag);
    });
    expect(cps).toEqual([10]);
  });
});
