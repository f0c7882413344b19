// Statistical process control: a Shewhart individuals chart with Western Electric and Nelson rules. The
// centre line and σ are given, or estimated from a baseline window (mean, and average moving range / 1.128).
import { z } from 'zod';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import type { Detector, DetectorOutput, Signal } from './detector';
import { evaluateRules, RULE_WINDOW } from './spc-rules';

export const spcSettingsSchema = z
  .object({
    centre: z.number().optional(),
    sigma: z.number().gt(0).optional(),
    /** Readings used to estimate what is not given. */
    baseline: z.number().int().min(2).default(20),
    /**
     * How σ is estimated from the baseline: the average moving range / 1.128 (the individuals-chart
     * default, blind to slow drifts), or the sample standard deviation (wider for autocorrelated sensors).
     */
    sigmaEstimator: z.enum(['moving-range', 'standard-deviation']).default('moving-range'),
    ruleSets: z
      .array(z.enum(['western-electric', 'nelson']))
      .min(1)
      .default(['western-electric', 'nelson']),
    /**
     * After a sustained shift (eight or nine on one side) re-estimate the limits from a new baseline, as a
     * chart is recomputed once a process change is confirmed; only for estimated limits.
     */
    rebaseline: z.boolean().default(true),
  })
  .strict();

export type SpcSettings = z.infer<typeof spcSettingsSchema>;

export interface SpcState {
  step: number;
  centre: number | null;
  sigma: number | null;
  baseline: number[];
  /** The last RULE_WINDOW standardised readings. */
  recent: number[];
}

const spcStateSchema = z.object({
  step: z.number().int().min(0),
  centre: z.number().nullable(),
  sigma: z.number().gt(0).nullable(),
  baseline: z.array(z.number()),
  recent: z.array(z.number()),
});

/** d2 for subgroups of two: E|X1 − X2| = 1.128 σ. */
const D2 = 1.128;

function estimate(
  xs: readonly number[],
  estimator: SpcSettings['sigmaEstimator'],
): { centre: number; sigma: number } {
  const centre = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sigma =
    estimator === 'moving-range'
      ? xs.slice(1).reduce((a, x, i) => a + Math.abs(x - (xs[i] as number)), 0) / (xs.length - 1) / D2
      : Math.sqrt(xs.reduce((a, x) => a + (x - centre) ** 2, 0) / (xs.length - 1));
  return { centre, sigma: Math.max(sigma, 1e-12 * (1 + Math.abs(centre))) };
}

const SHIFT_RULES = new Set(['western-electric-4', 'nelson-2']);

export function spcDetector(input?: unknown): Detector<SpcState> {
  const s = parseSettings('spc', spcSettingsSchema, input);
  const estimated = s.centre === undefined || s.sigma === undefined;
  const quiet: DetectorOutput = {
    forecast: null,
    score: 0,
    probabilities: {},
    changePoint: null,
    signals: [],
  };

  return {
    kind: 'spc',
    settings: s as unknown as Record<string, unknown>,
    initialState: () => ({
      step: 0,
      centre: estimated ? null : (s.centre as number),
      sigma: estimated ? null : (s.sigma as number),
      baseline: [],
      recent: [],
    }),
    restore: stateReader<SpcState>(spcStateSchema),
    update(state, value, t) {
      assertFiniteReading('spc', value);
      if (state.centre === null || state.sigma === null) {
        const baseline = [...state.baseline, value];
        if (baseline.length < s.baseline)
          return { state: { ...state, step: state.step + 1, baseline }, output: quiet };
        const e = estimate(baseline, s.sigmaEstimator);
        const limits = { centre: s.centre ?? e.centre, sigma: s.sigma ?? e.sigma };
        return { state: { step: state.step + 1, ...limits, baseline: [], recent: [] }, output: quiet };
      }
      const { centre, sigma } = state;
      const zValue = (value - centre) / sigma;
      const recent = [...state.recent, zValue].slice(-RULE_WINDOW);
      const hits = evaluateRules(recent, s.ruleSets);
      const signals: Signal[] = hits.map((h) => ({
        rule: h.rule,
        severity: h.rule.endsWith('-1') ? 'critical' : 'warning',
        message: `${h.description} (reading ${value}, centre ${centre.toPrecision(6)}, σ ${sigma.toPrecision(4)})`,
        evidence: { t, value, z: zValue, centre, sigma, points: recent.slice(-h.span) },
      }));
      const shift = hits.find((h) => SHIFT_RULES.has(h.rule));
      const changePoint = shift === undefined ? null : { lag: shift.span - 1 };
      const output: DetectorOutput = {
        forecast: { mean: centre, lower: centre - 3 * sigma, upper: centre + 3 * sigma, level: 0.9973 },
        score: Math.min(1, Math.abs(zValue) / 3),
        probabilities: {},
        changePoint,
        signals,
      };
      if (shift !== undefined && estimated && s.rebaseline) {
        // Restart the chart on the readings of the new regime that are already known.
        const baseline = recent.slice(-shift.span).map((zz) => centre + zz * sigma);
        return { state: { step: state.step + 1, centre: null, sigma: null, baseline, recent: [] }, output };
      }
      return { state: { ...state, step: state.step + 1, recent }, output };
    },
  };
}
