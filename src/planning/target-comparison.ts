// Puts a plan target and an indicator's readings in the same terms, or says why they cannot be: a yearly
// target in USD million and a reading in cars per hour are not comparable, and a percentage of one against
// the other means nothing.

/** The plan's period: the economies OGAS imports (WIOD, input–output tables, 5-year plans) are yearly. */
export const PLAN_PERIOD = { words: 'year', seconds: 365.25 * 24 * 3600 } as const;

const RATE_PERIODS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  min: 60,
  minute: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
  week: 7 * 86_400,
  month: PLAN_PERIOD.seconds / 12,
  a: PLAN_PERIOD.seconds,
  y: PLAN_PERIOD.seconds,
  yr: PLAN_PERIOD.seconds,
  year: PLAN_PERIOD.seconds,
};

/** "cars/h" → { base: "cars", per: "h", seconds: 3600 }; "°F" → { base: "°F" }. */
export function parseMeasure(measure: string): { base: string; per?: string; seconds?: number } {
  const m = /^(.*?)\s*(?:\/|\bper\s+|\ba\s+)\s*(\w+)$/i.exec(measure.trim());
  if (m) {
    const per = (m[2] ?? '').toLowerCase();
    const seconds = RATE_PERIODS[per] ?? RATE_PERIODS[per.replace(/s$/, '')];
    if (seconds !== undefined && (m[1] ?? '').trim() !== '')
      return { base: (m[1] ?? '').trim(), per, seconds };
  }
  return { base: measure.trim() };
}

const same = (a: string, b: string) =>
  a.trim().toLowerCase().replace(/\s+/g, ' ') === b.trim().toLowerCase().replace(/\s+/g, ' ');

export interface IndicatorTerms {
  name: string;
  measure: string;
  cadenceSeconds: number | null;
  aggregation: 'sum' | 'mean' | 'weighted-mean';
}

export type Comparison =
  { comparable: true; target: number; basis: string } | { comparable: false; reason: string };

/**
 * The target of one plan period (`quantity` of a product counted in `productUnit`) in the indicator's own
 * measure and period:
 * - a rate ("cars/h") of the same base measure: the yearly quantity divided evenly over the year, per hour;
 * - an amount per reading ("cars", summed over the subtree) with a cadence: the share of the year one
 *   reading covers (quantity × cadence / year);
 * anything else is not comparable, with the reason in words.
 */
export function compareTargetToIndicator(
  quantity: number,
  productUnit: string,
  indicator: IndicatorTerms,
): Comparison {
  const parsed = parseMeasure(indicator.measure);
  if (!same(parsed.base, productUnit)) {
    return {
      comparable: false,
      reason: `the plan counts this output in ${productUnit} a ${PLAN_PERIOD.words}; "${indicator.name}" reports ${indicator.measure}, and no conversion from ${productUnit} to ${parsed.base} is known`,
    };
  }
  if (parsed.seconds !== undefined) {
    return {
      comparable: true,
      target: (quantity * parsed.seconds) / PLAN_PERIOD.seconds,
      basis: `the ${PLAN_PERIOD.words}'s target spread evenly, per ${parsed.per}`,
    };
  }
  if (indicator.aggregation !== 'sum') {
    return {
      comparable: false,
      reason: `"${indicator.name}" reports a level (combined as a ${indicator.aggregation}), not an amount produced, so it cannot be set against an output target`,
    };
  }
  if (indicator.cadenceSeconds === null) {
    return {
      comparable: false,
      reason: `"${indicator.name}" has no cadence, so the share of the ${PLAN_PERIOD.words} one reading covers is unknown: give the indicator a cadence or a rate measure such as "${productUnit}/day"`,
    };
  }
  return {
    comparable: true,
    target: (quantity * indicator.cadenceSeconds) / PLAN_PERIOD.seconds,
    basis: `the ${PLAN_PERIOD.words}'s target spread evenly over readings every ${indicator.cadenceSeconds} s`,
  };
}
