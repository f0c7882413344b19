// Checks the special functions, the Student-t law, log-sum-exp and the Normal–Gamma update against SciPy 1.17
// (scipy.special.gammaln, betainc; scipy.stats.t) and closed forms.
import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta } from './special-functions';
import { studentTCdf, studentTLogPdf, studentTMixtureQuantile } from './student-t';
import { logSumExp, normalizeLogWeights } from './log-sum-exp';
import { normalGammaPredictive, normalGammaUpdate } from './normal-gamma';
import { gaussianSampler } from './gaussian-sampler';

describe('special functions', () => {
  it('log-gamma matches scipy.special.gammaln to 1e-12 relative', () => {
    expect(logGamma(0.3)).toBeCloseTo(1.0957979948180756, 12);
    expect(logGamma(7.5)).toBeCloseTo(7.534364236758734, 12);
    expect(logGamma(123.4)).toBeCloseTo(469.3360974421906, 10);
  });

  it('the regularised incomplete beta matches scipy.special.betainc on both sides of the mean', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 0.5)).toBeCloseTo(0.018927124071945658, 13);
    expect(regularizedIncompleteBeta(0.97, 10, 0.5)).toBeCloseTo(0.4408041535957583, 13);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('Student-t', () => {
  it('log density and distribution function match scipy.stats.t', () => {
    expect(studentTLogPdf(1.7, { df: 4.5, loc: 0.3, scale2: 4 })).toBeCloseTo(-1.951443780564913, 12);
    expect(studentTCdf(-2.2, { df: 3, loc: 0.5, scale2: 2.25 })).toBeCloseTo(0.08483996445062911, 12);
    expect(studentTCdf(4, { df: 30, loc: 0, scale2: 1 })).toBeCloseTo(0.9998090771819581, 12);
  });

  it('the quantile of a one-law mixture is the t quantile (t_5 0.975 = 2.5705818356363146)', () => {
    expect(studentTMixtureQuantile([1], [{ df: 5, loc: 0, scale2: 1 }], 0.975)).toBeCloseTo(2.5705818356, 5);
  });

  it('the quantile of a two-law mixture solves the mixture distribution function (scipy brentq)', () => {
    const laws = [
      { df: 5, loc: 0, scale2: 1 },
      { df: 12, loc: 3, scale2: 16 },
    ];
    expect(studentTMixtureQuantile([0.7, 0.3], laws, 0.9)).toBeCloseTo(4.829544802175068, 5);
  });
});

describe('log-sum-exp', () => {
  it('sums in log space without overflow and normalises', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([])).toBe(-Infinity);
    const p = normalizeLogWeights([-1000, -1000 + Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(normalizeLogWeights([-Infinity, -Infinity])).toEqual([0.5, 0.5]);
  });
});

describe('Normal–Gamma', () => {
  it('updating one observation at a time gives the batch posterior (Murphy 2007, eq. 86–89)', () => {
    const xs = [1.2, -0.4, 2.5, 0.7];
    let p = { mu: 0.5, kappa: 2, alpha: 1.5, beta: 0.8 };
    for (const x of xs) p = normalGammaUpdate(p, x);
    const n = xs.length;
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
    expect(p.kappa).toBe(2 + n);
    expect(p.mu).toBeCloseTo((2 * 0.5 + n * mean) / (2 + n), 14);
    expect(p.alpha).toBe(1.5 + n / 2);
    expect(p.beta).toBeCloseTo(0.8 + ss / 2 + (2 * n * (mean - 0.5) ** 2) / (2 * (2 + n)), 14);
  });

  it('the predictive law has 2α degrees of freedom and scale² β(κ+1)/(ακ)', () => {
    expect(normalGammaPredictive({ mu: 1, kappa: 1, alpha: 1, beta: 1 })).toEqual({
      df: 2,
      loc: 1,
      scale2: 2,
    });
  });
});

describe('gaussian sampler', () => {
  it('draws with mean near 0 and variance near 1 (20,000 draws, 4 standard errors)', () => {
    let s = 0x12345;
    const uniform = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const draw = gaussianSampler(uniform);
    const n = 20_000;
    const xs = Array.from({ length: n }, draw);
    const mean = xs.reduce((a, x) => a + x, 0) / n;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
