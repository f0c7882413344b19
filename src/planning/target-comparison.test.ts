import { describe, expect, it } from 'vitest';
import { compareTargetToIndicator, parseMeasure, PLAN_PERIOD } from './target-comparison';

const ind = (measure: string, extra: Partial<Parameters<typeof compareTargetToIndicator>[2]> = {}) => ({
  name: 'Output',
  measure,
  cadenceSeconds: 3600,
  aggregation: 'sum' as const,
  ...extra,
});

describe('target comparison', () => {
  it('reads rates from measures', () => {
    expect(parseMeasure('cars/h')).toEqual({ base: 'cars', per: 'h', seconds: 3600 });
    expect(parseMeasure('t per day')).toEqual({ base: 't', per: 'day', seconds: 86_400 });
    expect(parseMeasure('°F')).toEqual({ base: '°F' });
  });

  it('refuses to compare USD million a year with cars per hour, saying why', () => {
    const c = compareTargetToIndicator(138_600, 'USD million', ind('cars/h'));
    expect(c.comparable).toBe(false);
    if (!c.comparable) expect(c.reason).toMatch(/USD million a year.*cars\/h.*no conversion/);
  });

  it('spreads a yearly target over the hour of a rate measure (8766 hours in a year)', () => {
    const c = compareTargetToIndicator(8766, 'cars', ind('cars/h'));
    expect(c.comparable && c.target).toBeCloseTo(1, 12);
    expect(PLAN_PERIOD.seconds / 3600).toBe(8766);
  });

  it('gives an amount per reading its share of the year by cadence', () => {
    const c = compareTargetToIndicator(8766 * 2, 'cars', ind('cars', { cadenceSeconds: 1800 }));
    expect(c.comparable && c.target).toBeCloseTo(1, 12);
    const none = compareTargetToIndicator(1, 'cars', ind('cars', { cadenceSeconds: null }));
    expect(none.comparable).toBe(false);
    const level = compareTargetToIndicator(1, 'cars', ind('cars', { aggregation: 'mean' }));
    expect(!level.comparable && level.reason).toMatch(/level/);
  });
});
