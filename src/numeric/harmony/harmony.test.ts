import { describe, expect, it } from 'vitest';
import { fulfilment, harmony, harmonyCurvature, harmonyOf, harmonySlope } from './harmony';
import { harmonyCuts, harmonyEnvelope } from './harmony-cuts';

// Formula source: wc22m/5yearplan, plancode/planning/Harmony.java — s = (net − target)/target,
// H = ln(1+s) for s ≥ 0 and s − s²/2 for s < 0.
describe('harmony', () => {
  it('matches the published formula on both sides of the target', () => {
    expect(harmonyOf(2, 3)).toBeCloseTo(Math.log(1.5), 14);
    expect(harmonyOf(2, 1)).toBeCloseTo(-0.5 - 0.125, 14);
    expect(harmonyOf(4, 4)).toBe(0);
    expect(fulfilment(4, 0)).toBe(-1);
    expect(harmony(-1)).toBe(-1.5);
  });

  it('penalises a shortfall more than it rewards the same surplus', () => {
    for (const d of [0.01, 0.2, 0.7]) expect(-harmony(-d)).toBeGreaterThan(harmony(d));
  });

  it('has slope and curvature that agree with finite differences', () => {
    for (const s of [-0.9, -0.3, 0.25, 2]) {
      const h = 1e-6;
      expect(harmonySlope(s)).toBeCloseTo((harmony(s + h) - harmony(s - h)) / (2 * h), 7);
      expect(harmonyCurvature(s)).toBeCloseTo((harmonySlope(s + h) - harmonySlope(s - h)) / (2 * h), 5);
    }
  });
});

describe('harmonyCuts', () => {
  it('gives an envelope above H and within the stated bound on the whole range', () => {
    for (const maxError of [1e-2, 1e-3]) {
      const cuts = harmonyCuts({ maxError, sMax: 4 });
      let worst = 0;
      for (let i = 0; i <= 5_000; i++) {
        const s = -1 + (5 * i) / 5_000;
        const gap = harmonyEnvelope(cuts, s) - harmony(s);
        expect(gap).toBeGreaterThanOrEqual(-1e-12);
        worst = Math.max(worst, gap);
      }
      expect(worst).toBeLessThanOrEqual(cuts.errorBound);
      // The bound is not loose by more than a small factor: the worst gap is at least a quarter of it.
      expect(worst).toBeGreaterThan(cuts.errorBound / 4);
    }
  });

  it('uses about 1/√(8ε) pieces below the target and ln(1+sMax)/ln(1+√(8ε)) above it', () => {
    const cuts = harmonyCuts({ maxError: 1e-3, sMax: 4 });
    const delta = Math.sqrt(8e-3);
    const expected = Math.ceil(1 / delta) + Math.ceil(Math.log(5) / Math.log(1 + delta)) + 1;
    expect(cuts.points.length).toBe(expected);
    expect(cuts.points[0]).toBe(-1);
    expect(cuts.points[cuts.points.length - 1]).toBe(4);
  });

  it('rejects a non-positive error bound', () => {
    expect(() => harmonyCuts({ maxError: 0 })).toThrow(RangeError);
  });
});
