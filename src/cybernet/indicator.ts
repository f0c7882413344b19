// Indicators a unit reports, Beer's triple index, and the pure rules behind them.
import { z } from 'zod';

/** The detectors Cyberstride offers (it validates their settings through the monitor port). */
export const DETECTORS = ['anomaly-likelihood', 'harrison-stevens', 'bocpd', 'spc'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export const GOOD_DIRECTIONS = ['up', 'down', 'target'] as const;
export const AGGREGATIONS = ['sum', 'mean', 'weighted-mean'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" (at most 64): it is a topic segment');

export const indicatorInputSchema = z.object({
  unitId: z.string().min(1).describe('the unit that owns the indicator'),
  code: code.describe('short code, unique on the unit; names the indicator in MQTT topics and CSV rows'),
  name: z.string().trim().min(1).max(200),
  measure: z.string().trim().min(1).max(40).describe('unit of measure, e.g. "°C" or "cars"'),
  cadenceSeconds: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe('expected seconds between readings'),
  goodDirection: z.enum(GOOD_DIRECTIONS).default('up'),
  aggregation: z.enum(AGGREGATIONS).default('sum').describe('how a parent unit combines its subtree'),
  weight: z.number().positive().default(1).describe('weight in a weighted mean'),
  min: z.number().nullable().optional().describe('physical lower bound; readings below are quarantined'),
  max: z.number().nullable().optional().describe('physical upper bound; readings above are quarantined'),
  detector: z.enum(DETECTORS).default('anomaly-likelihood'),
  detectorSettings: z.record(z.string(), z.unknown()).default({}),
  productCode: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .describe('product of the plan this indicator measures'),
  technologyCode: z.string().min(1).nullable().optional(),
  expected: z.number().nullable().optional().describe('expected value (the plan target, when known)'),
});
export type IndicatorInput = z.output<typeof indicatorInputSchema>;

export const indicatorSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  code: z.string(),
  name: z.string(),
  measure: z.string(),
  cadenceSeconds: z.number().nullable(),
  goodDirection: z.enum(GOOD_DIRECTIONS),
  aggregation: z.enum(AGGREGATIONS),
  weight: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  detector: z.enum(DETECTORS),
  detectorSettings: z.record(z.string(), z.unknown()),
  productCode: z.string().nullable(),
  technologyCode: z.string().nullable(),
  expected: z.number().nullable(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const tripleIndexSchema = z.object({
  unitId: z.string(),
  period: z.string(),
  actuality: z.number(),
  capability: z.number(),
  potentiality: z.number(),
  /** Null when the denominator is zero. */
  productivity: z.number().nullable(),
  latency: z.number().nullable(),
  performance: z.number().nullable(),
  reportedAt: z.date(),
});
export type TripleIndex = z.infer<typeof tripleIndexSchema>;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Beer's triple index: productivity = A/C, latency = C/P, performance = A/P (= productivity × latency). */
export function deriveTripleIndex(a: number, c: number, p: number) {
  return { productivity: ratio(a, c), latency: ratio(c, p), performance: ratio(a, p) };
}
