// The Student-t CDF by the power series of I_y(½, ν/2) (forecast-interval.ts, the forecast interval of BOCPD
// and Harrison–Stevens) against the continued fraction it replaces there and against 40-digit values, and the
// intervals either gives.
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { fastStudentTCdf, mixtureInterval, seriesStudentTCdf } from './forecast-interval';

const standard = (df: number) => ({ df, loc: 0, scale2: 1 });

/** Degrees of freedom from ½ to 5,000: every quarter up to 60 (fractional priors), then 3 % apart. */
function grid(): number[] {
  const dfs: number[] = [];
  for (let d = 0.5; d <= 60; d += 0.25) dfs.push(d);
  for (let d = 61; d <= 5000; d = Math.ceil(d * 1.03)) dfs.push(d);
  return dfs;
}

describe('the series Student-t CDF', () => {
  it('agrees with the continued fraction to 1e-12 up to 800 degrees of freedom and 1e-11 up to 5,000, |z| ≤ 40', () => {
    let near = 0;
    let far = 0;
    let moved = 0;
    for (const df of grid())
      for (let k = -800; k <= 800; k++) {
        const z = k / 20;
        const old = fastStudentTCdf(z, standard(df));
        const now = seriesStudentTCdf(z, standard(df));
        if (now !== old) moved++;
        const gap = Math.abs(now - old);
        if (df <= 800) near = Math.max(near, gap);
        else far = Math.max(far, gap);
      }
    expect(near).toBeLessThanOrEqual(1e-12);
    expect(far).toBeLessThanOrEqual(1e-11);
    // The series is taken over much of the grid (not only where the fraction is), or this proves nothing.
    expect(moved).toBeGreaterThan(50_000);
  });

  it('matches 40-digit values to 5e-15 up to ν = 5·10⁶, where the fraction is off by up to 2e-9 (large ν near the mean)', () => {
    // mpmath at 40 digits, rounded to doubles: betainc(ν/2, ½, 0, ν/(ν + z²), regularized) / 2, its complement
    // for z > 0.
    const exact: [number, number, number][] = [
      [7, -2.4, 0.02373307655519908],
      [7, 0.3, 0.6135549747989328],
      [12.5, 1.7, 0.943070508163106],
      [30, -2.04, 0.02511978736954344],
      [131, -0.01, 0.4960182501335896],
      [200, 1.97, 0.9748906977409376],
      [960, 0.01, 0.5039883174859683],
      [1000, -2.5, 0.006289283900545398],
      [3671, 0.01, 0.5039890846252857],
      [4000, -1.96, 0.025032559558874866],
      [4000, 3.2, 0.9993074905451055],
      // Harrison–Stevens' ν is its reading count, so it grows without bound: the fraction is off by 2e-9 at 10⁶.
      [20000, 0.01, 0.5039893064446651],
      [20000, -1.96, 0.025004827499202714],
      [100000, 2.33, 0.9900959347971343],
      [100000, -0.5, 0.308538088827209],
      [1000000, 0.01, 0.5039893553172262],
      [1000000, -2.58, 0.004940086402013159],
      [5000000, 1.64, 0.9494973850727586],
    ];
    for (const [df, z, value] of exact)
      expect(Math.abs(seriesStudentTCdf(z, standard(df)) - value)).toBeLessThan(5e-15);
    expect(Math.abs(fastStudentTCdf(0.01, standard(3671)) - 0.5039890846252857)).toBeGreaterThan(5e-12);
    expect(Math.abs(fastStudentTCdf(0.01, standard(1000000)) - 0.5039893553172262)).toBeGreaterThan(1e-9);
  });

  it('gives BOCPD-like mixture intervals within 1e-9 of the fraction’s, relative, in both tails', () => {
    const rng = new Random(7);
    let worst = 0;
    for (let trial = 0; trial < 2000; trial++) {
      // A sharp long run, a few shorter ones and the vague new-run law (BOCPD's df are 2α + n).
      const count = 1 + Math.floor(rng.next() * 6);
      const laws = Array.from({ length: count }, (_, i) => ({
        df: i === 0 ? 6 : 6 + Math.floor(rng.next() * 1500),
        loc: 50 + 5 * rng.next(),
        scale2: i === 0 ? 400 * (0.5 + rng.next()) : 0.2 + rng.next(),
      }));
      const w = laws.map(() => rng.next() + 1e-6);
      for (const level of [0.9, 0.95, 0.99]) {
        const old = mixtureInterval(w, laws, level, 'heaviest');
        const now = mixtureInterval(w, laws, level, 'heaviest', 'series');
        expect(now.mean).toBe(old.mean);
        for (const side of ['lower', 'upper'] as const)
          worst = Math.max(worst, Math.abs(now[side] - old[side]) / Math.abs(old[side]));
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-9);
  });
});
