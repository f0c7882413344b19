// The plan-shortfall rule, pure: is a unit's actual for an indicator in the plan's terms further below the
// plan's expectation than the unit tolerates, and what that means for its one open shortfall episode.

/** Five per cent below the plan before an alert opens, unless the unit or its planners set otherwise. */
export const DEFAULT_SHORTFALL_TOLERANCE = 0.05;
/** The window is the newest reading: one cadence period (a month of a monthly report) or the latest rate. */
export const DEFAULT_SHORTFALL_WINDOW = 1;
/** The most readings a window may hold (a year of daily reports). */
export const MAX_SHORTFALL_WINDOW = 366;

export const SHORTFALL_RULE = 'plan-shortfall';

export interface ShortfallSetting {
  /** The fraction of the target an actual may fall short by without an alert: 0.05 is five per cent. */
  tolerance: number;
  /** How many of the newest readings are averaged into the actual. */
  window: number;
}

export type Verdict =
  | { state: 'short' | 'on-plan'; target: number; actual: number; fulfilment: number; readingAt: Date }
  /** No reading yet: nothing can be said, and an open episode stays as it is. */
  | { state: 'no-reading' }
  /** The plan in force sets no target for it (or not one in the indicator's terms). */
  | { state: 'no-target'; reason: string };

/**
 * The actual is the mean of the window's readings (the newest `window` of them): for an amount per reading
 * (monthly output) and for a rate (cars per hour) alike, that is what the target per reading is set against,
 * pro rata as unit-progress puts it. Short when actual < (1 − tolerance) × target.
 */
export function shortfallVerdict(
  targetPerReading: number | null,
  newestFirst: readonly { at: Date; value: number }[],
  setting: ShortfallSetting,
  noTargetReason = 'the plan in force sets no target for it',
): Verdict {
  if (targetPerReading === null || !(targetPerReading > 0))
    return { state: 'no-target', reason: noTargetReason };
  const window = newestFirst.slice(0, Math.max(1, setting.window));
  const newest = window[0];
  if (!newest) return { state: 'no-reading' };
  const actual = window.reduce((s, r) => s + r.value, 0) / window.length;
  const fulfilment = actual / targetPerReading;
  return {
    state: fulfilment < 1 - setting.tolerance ? 'short' : 'on-plan',
    target: targetPerReading,
    actual,
    fulfilment,
    readingAt: newest.at,
  };
}

/** The indicator's open episode: the plan it was measured by and the newest reading it has judged. */
export interface OpenEpisode {
  planId: string;
  readingAt: Date;
}

export type Decision =
  | { do: 'nothing' }
  | { do: 'open' }
  /** Another short reading of the same episode: the alert is updated, no new one. */
  | { do: 'update' }
  | { do: 'resolve'; reason: 'back-on-plan' | 'plan-replaced' | 'no-target' }
  /** The plan it was measured by is no longer in force and the new one finds it short too. */
  | { do: 'replace' };

/** What to do with the indicator's episode given the plan in force now and the verdict against it. */
export function decide(open: OpenEpisode | null, planInForce: string | null, verdict: Verdict): Decision {
  if (open && open.planId !== planInForce)
    return verdict.state === 'short' ? { do: 'replace' } : { do: 'resolve', reason: 'plan-replaced' };
  switch (verdict.state) {
    case 'no-reading':
      return { do: 'nothing' };
    case 'no-target':
      return open ? { do: 'resolve', reason: 'no-target' } : { do: 'nothing' };
    case 'on-plan':
      return open ? { do: 'resolve', reason: 'back-on-plan' } : { do: 'nothing' };
    case 'short':
      if (!open) return { do: 'open' };
      // The same reading judged again (a second plan adoption, a re-queued check) is not a new signal.
      return verdict.readingAt.getTime() > open.readingAt.getTime() ? { do: 'update' } : { do: 'nothing' };
  }
}

/** Validates a setting; returns the field at fault and the fix in words, or null. */
export function settingFault(s: ShortfallSetting): { field: string; message: string } | null {
  if (!Number.isFinite(s.tolerance) || s.tolerance < 0 || s.tolerance >= 1)
    return {
      field: 'tolerance',
      message: 'a fraction from 0 (any shortfall alerts) up to but not including 1: 0.05 is five per cent',
    };
  if (!Number.isInteger(s.window) || s.window < 1 || s.window > MAX_SHORTFALL_WINDOW)
    return { field: 'window', message: `a whole number of readings from 1 to ${MAX_SHORTFALL_WINDOW}` };
  return null;
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toLocaleString('en')} %`;
const num = (x: number) => (Math.round(x * 100) / 100).toLocaleString('en');

/** The alert's sentence: the indicator, the actual against the target, and the plan, in the operator's words. */
export function shortfallSentence(s: {
  indicatorName: string;
  measure: string;
  actual: number;
  target: number;
  fulfilment: number;
  tolerance: number;
  window: number;
  planName: string;
  /** The plan period judged; named when past the first. */
  period?: number;
  /** How many units below reported the sum judged (the unit reports nothing itself). */
  rolledUpUnits?: number;
}): string {
  const each = s.window === 1 ? 'the newest reading' : `the mean of the newest ${s.window} readings`;
  const over =
    s.rolledUpUnits === undefined
      ? each
      : `the sum of ${s.rolledUpUnits} unit${s.rolledUpUnits === 1 ? '' : 's'} below, ${each} of each`;
  const when = s.period !== undefined && s.period > 1 ? ` (period ${s.period})` : '';
  return `${s.indicatorName} is at ${pct(s.fulfilment)} of plan "${s.planName}"${when}: ${num(s.actual)} ${s.measure} (${over}) against a target of ${num(s.target)}, more than the ${pct(s.tolerance)} tolerated below it`;
}

/** One indicator of the same code below a unit, with its newest readings (newest first). */
export interface BelowSeries {
  /** The materialised path of the indicator's unit. */
  unitPath: string;
  newestFirst: readonly { at: Date; value: number }[];
}

/**
 * The actual of an additive indicator ("sum") of a unit that reports nothing itself: the sum, over the units
 * below that report the same code, of each one's window mean. A unit that reports counts for its whole
 * subtree, so the units below it are not added again (no double counting where a shop and its enterprise both
 * report). Null when nothing below has reported; `at` is the newest reading counted.
 */
export function rolledUpActual(
  series: readonly BelowSeries[],
  window: number,
): { at: Date; value: number; units: number } | null {
  const reporting = series.filter((s) => s.newestFirst.length > 0);
  const counted = reporting.filter(
    (s) => !reporting.some((o) => o !== s && o.unitPath !== s.unitPath && s.unitPath.startsWith(o.unitPath)),
  );
  if (counted.length === 0) return null;
  let value = 0;
  let at = 0;
  for (const s of counted) {
    const w = s.newestFirst.slice(0, Math.max(1, window));
    value += w.reduce((sum, r) => sum + r.value, 0) / w.length;
    at = Math.max(at, w[0]!.at.getTime());
  }
  return { at: new Date(at), value, units: counted.length };
}
