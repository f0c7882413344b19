// The plan period calendar: which period a moment falls in, and each period's bounds, agreeing with each other.
import { describe, expect, it } from 'vitest';
import { planPeriodOf, planPeriodSpan } from './plan-period';

const start = new Date('2026-03-01T08:00:00Z');
const year = 365.25 * 86_400;

describe('the plan period calendar', () => {
  it('counts period 1 from the start, and a reading from before it in period 1 too', () => {
    expect(planPeriodOf(start, new Date('2025-12-31T00:00:00Z'), year)).toBe(1);
    expect(planPeriodOf(start, start, year)).toBe(1);
    expect(planPeriodOf(start, new Date(start.getTime() + year * 1000 - 1), year)).toBe(1);
    expect(planPeriodOf(start, new Date(start.getTime() + year * 1000), year)).toBe(2);
    expect(planPeriodOf(start, new Date(start.getTime() + 2.5 * year * 1000), year)).toBe(3);
  });

  it('bounds each period so that its first moment is in it and its end is in the next', () => {
    expect(planPeriodSpan(start, 1, year).from).toEqual(start);
    expect(planPeriodSpan(start, 2, year).from.toISOString()).toBe('2027-03-01T14:00:00.000Z');
    for (const period of [1, 2, 3, 7]) {
      const { from, to } = planPeriodSpan(start, period, year);
      expect(planPeriodOf(start, from, year)).toBe(period);
      expect(planPeriodOf(start, new Date(to.getTime() - 1), year)).toBe(period);
      expect(planPeriodOf(start, to, year)).toBe(period + 1);
    }
  });
});
