// The residual balancing of Halpern PDLP's primal weight: the square-root rule, the gap counted with the primal
// residual, the factor bounded to [1/2, 2], and no change without a dual residual to balance against.
import { describe, expect, it } from 'vitest';
import type { IterateMeasure } from './convergence';
import { balanceWeight } from './halpern';

function measure(primal: number, dual: number, gap: number): IterateMeasure {
  return {
    primalScaled: 0,
    dualScaled: 0,
    primalRelative: primal,
    dualRelative: dual,
    gapRelative: gap,
    primalObjective: 0,
    dualObjective: 0,
  };
}

describe('balanceWeight', () => {
  it('shrinks ω by the square root of primal over dual when the dual residual lags', () => {
    // (1e-7 / 2.25e-7)^0.5 = 2/3, inside the bounds.
    expect(balanceWeight(0.3, measure(1e-7, 2.25e-7, 5e-8))).toBeCloseTo(0.2, 12);
  });

  it('grows ω when the gap lags, even with primal and dual residuals level', () => {
    // max(primal, gap) / dual = 1.69: factor 1.3.
    expect(balanceWeight(0.1, measure(1e-8, 1e-8, 1.69e-8))).toBeCloseTo(0.13, 12);
  });

  it('bounds the factor to [1/2, 2]', () => {
    expect(balanceWeight(1, measure(1e-6, 1e-10, 0))).toBe(2);
    expect(balanceWeight(1, measure(1e-10, 1e-6, 1e-11))).toBe(0.5);
  });

  it('leaves ω alone while any criterion is above 1e-5', () => {
    expect(balanceWeight(0.3, measure(1e-7, 2e-5, 5e-8))).toBe(0.3);
    expect(balanceWeight(0.3, measure(1e-7, 2.25e-7, 2e-5))).toBe(0.3);
  });

  it('leaves ω alone when a residual it compares is 0', () => {
    expect(balanceWeight(0.7, measure(1e-6, 0, 1e-6))).toBe(0.7);
    expect(balanceWeight(0.7, measure(0, 1e-6, 0))).toBe(0.7);
  });
});
