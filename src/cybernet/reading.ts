// Readings as senders give them, and the pure rules that accept one or quarantine it with a reason.
import { z } from 'zod';
import { textProblem } from '../core/input-guard';

export const CHANNELS = ['http', 'csv', 'mqtt', 'nats', 'internal'] as const;
export type Channel = (typeof CHANNELS)[number];

export const QUARANTINE_REASONS = [
  'malformed',
  'non-numeric',
  'out-of-range',
  'unknown-indicator',
  'unit-not-covered',
  'too-far-in-future',
  'unauthenticated',
  'undeliverable',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** One reading as sent: structure is checked here, meaning (number, range, unit...) by `classifyReading`. */
export const rawReadingSchema = z.object({
  unit: z.string().min(1).optional().describe('unit id or code; defaults to the reporting unit'),
  indicator: z.string().min(1).describe('indicator code on that unit'),
  value: z.unknown().describe('a number (or numeric text); anything else is quarantined'),
  at: z
    .union([z.string(), z.number()])
    .optional()
    .describe('ISO 8601 time or epoch milliseconds; defaults to the time of receipt'),
  sourceId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("the sender's id of the reading: a second reading with the same id is ignored"),
});
export type RawReading = z.infer<typeof rawReadingSchema>;

/** What the validator needs to know about the indicator a reading names. */
export interface IndicatorRef {
  id: string;
  unitId: string;
  unitPath: string;
  min: number | null;
  max: number | null;
}

export interface AcceptedReading {
  indicatorId: string;
  sourceId: string;
  at: Date;
  value: number;
}

export type Verdict =
  | { ok: true; reading: AcceptedReading }
  | { ok: false; reason: QuarantineReason; message: string; sourceId: string | null };

export interface ClassifyContext {
  now: Date;
  /** Readings later than now + this are refused (clocks drift; a day ahead is a bug). */
  futureToleranceMs: number;
  /** Materialised path of the unit the batch is reported for: readings must lie in its subtree. */
  reporterPath: string;
  /** Resolved unit of the reading's `unit` field, or null when no such unit exists. */
  unit: { id: string; path: string } | null;
  /** The indicator with that code on that unit, or null. */
  indicator: IndicatorRef | null;
}

/**
 * Why a reading's text cannot even be looked up (a NUL or a lone surrogate, which PostgreSQL cannot store),
 * or null. Such a reading is quarantined as malformed before any query runs, and the rest of its batch stored.
 */
export function readingTextFault(raw: RawReading): string | null {
  // Field by field, without a list of pairs per reading (ingestion runs this on every reading of a batch).
  return (
    fieldFault('unit', raw.unit) ??
    fieldFault('indicator', raw.indicator) ??
    fieldFault('sourceId', raw.sourceId) ??
    fieldFault('at', raw.at)
  );
}

function fieldFault(field: string, v: unknown): string | null {
  const p = typeof v === 'string' ? textProblem(v) : null;
  return p === null ? null : `${field} ${p}`;
}

/** Numbers pass; numeric text (CSV, MQTT plain payloads) is parsed; anything else is not a reading. */
export function numericValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function timeOf(at: string | number | undefined, now: Date): Date | null {
  if (at === undefined) return now;
  const d = typeof at === 'number' ? new Date(at) : new Date(at.trim());
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A refusal (a plain function: a closure made per reading cost more than the checks themselves). */
function refusal(sourceId: string | null, reason: QuarantineReason, message: string): Verdict {
  return { ok: false, reason, message, sourceId };
}

/**
 * Accepts a reading or names why it is quarantined. The source id defaults to "<unit>/<indicator>@<time>",
 * so a re-sent reading with an explicit time is still recognised as a duplicate.
 */
export function classifyReading(raw: RawReading, ctx: ClassifyContext): Verdict {
  const at = timeOf(raw.at, ctx.now);
  const given = raw.sourceId ?? null;
  if (at === null) return refusal(given, 'malformed', `at: "${String(raw.at)}" is not a time`);
  if (ctx.unit === null)
    return refusal(given, 'unknown-indicator', `unit "${raw.unit ?? ''}" does not exist`);
  if (!ctx.unit.path.startsWith(ctx.reporterPath)) {
    return refusal(
      given,
      'unit-not-covered',
      `unit "${raw.unit ?? ''}" is outside the subtree this sender reports for`,
    );
  }
  if (ctx.indicator === null) {
    return refusal(
      given,
      'unknown-indicator',
      `unit "${raw.unit ?? ctx.unit.id}" has no indicator "${raw.indicator}"`,
    );
  }
  const value = numericValue(raw.value);
  if (value === null)
    return refusal(given, 'non-numeric', `value ${JSON.stringify(raw.value) ?? 'undefined'} is not a number`);
  const { min, max } = ctx.indicator;
  if ((min !== null && value < min) || (max !== null && value > max)) {
    return refusal(
      given,
      'out-of-range',
      `value ${value} is outside the physical range [${min ?? '-∞'}, ${max ?? '∞'}]`,
    );
  }
  if (at.getTime() > ctx.now.getTime() + ctx.futureToleranceMs) {
    return refusal(
      given,
      'too-far-in-future',
      `at ${at.toISOString()} is ahead of the server clock ${ctx.now.toISOString()}`,
    );
  }
  const sourceId = given ?? `${ctx.unit.id}/${raw.indicator}@${at.toISOString()}`;
  return { ok: true, reading: { indicatorId: ctx.indicator.id, sourceId, at, value } };
}
