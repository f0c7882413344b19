// The cheap forecast interval against exact quantiles: a single Student-t exactly, a mixture approximately.
import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTLogPdf, studentTMixtureQuantile } from '../../numeric/stats/student-t';
import { fastStudentTCdf, fastStudentTLogPdf, mixtureInterval, standardTQuantile } from './forecast-interval';

describe('forecast intervals', () => {
  it('gives the published t quantiles: t(0.975; 10) = 2.2281, t(0.975; 30) = 2.0423', () => {
    expect(standardTQuantile(10, 0.975)).toBeCloseTo(2.2281, 4);
    expect(standardTQuantile(30, 0.975)).toBeCloseTo(2.0423, 4);
  });

  it('is exact for one Student-t law', () => {
    const law = { df: 12, loc: 100, scale2: 4 };
    const i = mixtureInterval([1], [law], 0.95);
    expect(i.upper).toBeCloseTo(studentTMixtureQuantile([1], [law], 0.975), 5);
    expect(i.lower).toBeCloseTo(studentTMixtureQuantile([1], [law], 0.025), 5);
  });

  it('finds the quantiles of a four-state mixture with a wide outlier component (to bisection tolerance, 1e-7 of its bracket)', () => {
    const laws = [
      { df: 20, loc: 10, scale2: 1 },
      { df: 20, loc: 10, scale2: 100 },
      { df: 20, loc: 10.5, scale2: 2 },
      { df: 20, loc: 11, scale2: 1.5 },
    ];
    const w = [0.85, 0.07, 0.05, 0.03];
    const i = mixtureInterval(w, laws, 0.95);
    expect(i.lower).toBeCloseTo(studentTMixtureQuantile(w, laws, 0.025), 4);
    expect(i.upper).toBeCloseTo(studentTMixtureQuantile(w, laws, 0.975), 4);
  });

  it('reaches the exact quantiles when a component has four or fewer degrees of freedom', () => {
    const laws = [
      { df: 3, loc: 0, scale2: 1 },
      { df: 3, loc: 2, scale2: 1 },
    ];
    const i = mixtureInterval([0.5, 0.5], laws, 0.9);
    // to the bisection's own tolerance (1e-7 of a bracket some 40 scales wide)
    expect(i.upper).toBeCloseTo(studentTMixtureQuantile([0.5, 0.5], laws, 0.95), 5);
  });

  it('computes the same log density as the uncached one', () => {
    const law = { df: 7.5, loc: 3, scale2: 2.5 };
    expect(fastStudentTLogPdf(4.2, law)).toBeCloseTo(studentTLogPdf(4.2, law), 12);
  });

  it('computes the same distribution function as the uncached one, in both tails and the middle', () => {
    for (const df of [2.5, 7, 31.5, 400]) {
      const law = { df, loc: -1, scale2: 3 };
      for (const x of [-40, -5, -1, 0.3, 4, 60])
        expect(fastStudentTCdf(x, law)).toBeCloseTo(studentTCdf(x, law), 12);
    }
  });

  it('solves a BOCPD-like mixture (a vague new-run law beside sharp long runs) to |F − p| ≤ 2e-9 from either start', () => {
    // Halley steps, the last taken from |F − p| < 1e-4 without a check: its cubic error keeps F within 2e-9 of
    // p (the exact check stops at 1e-9). The mixture CDF here is the uncached one, an independent evaluation.
    const laws = [
      { df: 60, loc: 50, scale2: 0.4 },
      { df: 59, loc: 50.1, scale2: 0.42 },
      { df: 40, loc: 49.8, scale2: 0.5 },
      { df: 6, loc: 48, scale2: 150 },
    ];
    const w = [0.6, 0.25, 0.14, 0.01];
    const cdf = (x: number) => laws.reduce((a, law, i) => a + (w[i] as number) * studentTCdf(x, law), 0);
    for (const start of ['moments', 'heaviest'] as const) {
      const i = mixtureInterval(w, laws, 0.95, start);
      expect(Math.abs(cdf(i.lower) - 0.025)).toBeLessThan(2e-9);
      expect(Math.abs(cdf(i.upper) - 0.975)).toBeLessThan(2e-9);
      // and the bisection to its own tolerance, 1e-7 of a bracket some hundreds wide here
      expect(i.upper).toBeCloseTo(studentTMixtureQuantile(w, laws, 0.975), 3);
    }
  });
});
