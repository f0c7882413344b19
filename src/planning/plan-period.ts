// The plan's period calendar, one for everything that asks "which period is this": the shortfall rule judging a
// reading, and the unit page's targets showing the period in force. Pure.

/**
 * Period 1 begins when the plan came into force on the unit (its adoption, or the arrival of the targets from
 * the parent node) and each period lasts one plan period (a year: the economies OGAS imports are yearly). A
 * reading from before that start counts in period 1, as the plan's first year is the one it was made for.
 */
export function planPeriodOf(startsAt: Date, at: Date, periodSeconds: number): number {
  const elapsed = (at.getTime() - startsAt.getTime()) / 1000;
  return elapsed <= 0 ? 1 : Math.floor(elapsed / periodSeconds) + 1;
}

/**
 * When period `period` begins and ends (the end is the next period's start, not part of it), by the same
 * calendar as planPeriodOf. Period 1 also holds what came before its start (see planPeriodOf); `from` is its
 * nominal start.
 */
export function planPeriodSpan(
  startsAt: Date,
  period: number,
  periodSeconds: number,
): { from: Date; to: Date } {
  const ms = periodSeconds * 1000;
  return {
    from: new Date(startsAt.getTime() + (period - 1) * ms),
    to: new Date(startsAt.getTime() + period * ms),
  };
}
