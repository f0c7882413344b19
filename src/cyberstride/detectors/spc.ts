// Statistical process control: a Shewhart individuals chart with Western Electric and Nelson rules. The centre
// line and σ are given, or estimated from a baseline window: by default the centre line follows a robust local
// trend (the Theil–Sen line of the latest in-control readings), so a trend is not a run of shifts; σ is the
// larger of the average moving range / 1.128 and the robust spread about that line (so a season counts as spread).
import { z } from 'zod';
import { robustLine } from '../../numeric/stats/robust-line';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import type { Detector, DetectorOutput, Signal } from './detector';
import { evaluateRules, RULE_WINDOW } from './spc-rules';

export const spcSettingsSchema = z
  .object({
    centre: z.number().optional(),
    sigma: z.number().gt(0).optional(),
    /** Readings used to estimate what is not given, and the length of the trend window. */
    baseline: z.number().int().min(2).default(20),
    /**
     * The estimated centre line: 'trend' the robust line of the latest `baseline` in-control readings,
     * extrapolated one reading; 'constant' the baseline's mean (the textbook chart).
     */
    centreLine: z.enum(['trend', 'constant']).default('trend'),
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
  /** The trend centre line's latest in-control readings and their steps (empty for a constant line). */
  window: number[];
  windowSteps: number[];
}

const spcStateSchema = z.object({
  step: z.number().int().min(0),
  centre: z.number().nullable(),
  sigma: z.number().gt(0).nullable(),
  baseline: z.array(z.number()),
  recent: z.array(z.number()),
  window: z.array(z.number()),
  windowSteps: z.array(z.number()),
});

/** d2 for subgroups of two: E|X1 − X2| = 1.128 σ. */
const D2 = 1.128;

function estimate(
  xs: readonly number[],
  estimator: SpcSettings['sigmaEstimator'],
  centreLine: SpcSettings['centreLine'],
): { centre: number; sigma: number } {
  const centre = xs.reduce((a, b) => a + b, 0) / xs.length;
  let sigma =
    estimator === 'moving-range'
      ? xs.slice(1).reduce((a, x, i) => a + Math.abs(x - (xs[i] as number)), 0) / (xs.length - 1) / D2
      : Math.sqrt(xs.reduce((a, x) => a + (x - centre) ** 2, 0) / (xs.length - 1));
  if (centreLine === 'trend') sigma = Math.max(sigma, robustLine(xs).scale);
  return { centre, sigma: Math.max(sigma, 1e-12 * (1 + Math.abs(centre))) };
}

/**
 * [...xs, x].slice(-max) in one allocation: the detector appends to three windows at every step, and the
 * spread and slice made two arrays each (garbage the runner's profile showed).
 */
function appended(xs: readonly number[], x: number, max: number): number[] {
  const from = Math.max(0, xs.length + 1 - max);
  const out = new Array<number>(xs.length + 1 - from);
  for (let i = from; i < xs.length; i++) out[i - from] = xs[i] as number;
  out[out.length - 1] = x;
  return out;
}

const SHIFT_RULES = new Set(['western-electric-4', 'nelson-2']);

export function spcDetector(input?: unknown): Detector<SpcState> {
  const s = parseSettings('spc', spcSettingsSchema, input);
  const estimated = s.centre === undefined || s.sigma === undefined;
  const trend = estimated && s.centre === undefined && s.centreLine === 'trend';
  const quiet: DetectorOutput = {
    forecast: null,
    score: 0,
    probabilities: {},
    changePoint: null,
    signals: [],
  };

  /** The centre line at this step: the window's robust line extrapolated, or the fixed centre. */
  function centreAt(state: SpcState): number {
    if (!trend || state.window.length < 2) return state.centre as number;
    const line = robustLine(state.window, state.windowSteps);
    return line.intercept + line.slope * state.step;
  }

  return {
    kind: 'spc',
    settings: s as unknown as Record<string, unknown>,
    initialState: () => ({
      step: 0,
      centre: estimated ? null : (s.centre as number),
      sigma: estimated ? null : (s.sigma as number),
      baseline: [],
      recent: [],
      window: [],
      windowSteps: [],
    }),
    restore: stateReader<SpcState>(spcStateSchema),
    update(state, value, t) {
      assertFiniteReading('spc', value);
      if (state.centre === null || state.sigma === null) {
        const baseline = [...state.baseline, value];
        if (baseline.length < s.baseline)
          return { state: { ...state, step: state.step + 1, baseline }, output: quiet };
        const e = estimate(baseline, s.sigmaEstimator, s.centreLine);
        const limits = { centre: s.centre ?? e.centre, sigma: s.sigma ?? e.sigma };
        const steps = baseline.map((_, k) => state.step + 1 - baseline.length + k);
        return {
          state: {
            step: state.step + 1,
            ...limits,
            baseline: [],
            recent: [],
            window: trend ? baseline : [],
            windowSteps: trend ? steps : [],
          },
          output: quiet,
        };
      }
      const { sigma } = state;
      const centre = centreAt(state);
      const zValue = (value - centre) / sigma;
      const recent = appended(state.recent, zValue, RULE_WINDOW);
      const hits = evaluateRules(recent, s.ruleSets);
      const signals: Signal[] = hits.map((h) => ({
        rule: h.rule,
        severity: h.rule.endsWith('-1') ? 'critical' : 'warning',
        message: `${h.description} (reading ${value}, centre ${centre.toPrecision(6)}, σ ${sigma.toPrecision(4)})`,
        evidence: { t, value, z: zValue, centre, sigma, points: recent.slice(-h.span) },
      }));
      // A run on one side is a change only when its mean is 3 standard errors off the centre line: in-control
      // readings complete the eight-or-nine run now and then (about 1 in 250), a real shift does it that far off.
      const shift = hits.find((h) => {
        if (!SHIFT_RULES.has(h.rule)) return false;
        const run = recent.slice(-h.span);
        return Math.abs(run.reduce((a, x) => a + x, 0) / h.span) >= 3 / Math.sqrt(h.span);
      });
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
        return {
          state: {
            step: state.step + 1,
            centre: null,
            sigma: null,
            baseline,
            recent: [],
            window: [],
            windowSteps: [],
          },
          output,
        };
      }
      // Only in-control readings move the trend line: an outlier beyond 3σ is left out of it.
      const inControl = trend && Math.abs(zValue) <= 3;
      const window = inControl ? appended(state.window, value, s.baseline) : state.window;
      const windowSteps = inControl ? appended(state.windowSteps, state.step, s.baseline) : state.windowSteps;
      return { state: { ...state, step: state.step + 1, recent, window, windowSteps }, output };
    },
  };
}
