// The default live detector: an anomaly likelihood (after Numenta's) over the predictive surprise of a
// learned transition table. The surprise of each reading is averaged over a short window and compared with
// its own long-run distribution; the tail probability of that average is the evidence, and a reading whose
// tail is below 1e-5 (score ≥ 0.5), or that leaves the range ever seen by more than 5% of it, raises one
// critical signal. After a signal the detector rests for a day of readings, so one problem is one signal.
// While it learns (the warm-up), only a reading far from the median of the readings so far (robust z ≥ 6)
// is critical, so a young series is not left unwatched.
import { z } from 'zod';
import { normalUpperTail } from '../../numeric/stats/normal-tail';
import { carrySorted, sortedRobustZ } from './warm-median';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import type { Detector, DetectorOutput, Signal } from './detector';
import {
  levelOf,
  recordTransition,
  transitionForecast,
  transitionSurprise,
  type TransitionCounts,
  type TransitionGrid,
} from './transition-surprise';

export const anomalyLikelihoodSettingsSchema = z
  .object({
    /** Readings that fix the grid of levels (their range split into `bins`) before anything is scored. */
    warmup: z.number().int().min(10).default(300),
    bins: z.number().int().min(2).max(200).default(20),
    /** A transition seen this often is no surprise. */
    familiar: z.number().int().min(1).default(3),
    /** Readings in the short average of surprise. */
    shortWindow: z.number().int().min(1).default(3),
    /** Effective length (readings) of the exponentially weighted long-run mean and variance of surprise. */
    longWindow: z.number().int().min(10).default(2000),
    /** Surprises needed after warm-up before the long-run distribution is trusted. */
    estimation: z.number().int().min(1).default(100),
    /** Tail probability at or below which a reading is critical (score = −log10(tail)/10, so 1e-5 ↔ 0.5). */
    criticalTail: z.number().gt(0).lt(0.5).default(1e-5),
    /** A reading beyond the range seen so far by more than this fraction of it is critical at once. */
    rangeTolerance: z.number().min(0).default(0.05),
    /** Readings after a critical signal during which the score is capped below critical. */
    restReadings: z.number().int().min(0).default(300),
  })
  .strict();

export type AnomalyLikelihoodSettings = z.infer<typeof anomalyLikelihoodSettingsSchema>;

export interface AnomalyLikelihoodState {
  step: number;
  /** Range of the readings so far (the warm-up range fixes the grid). */
  min: number | null;
  max: number | null;
  grid: TransitionGrid | null;
  previousLevel: number | null;
  counts: TransitionCounts;
  /** The last `shortWindow` surprises. */
  recent: number[];
  /** Exponentially weighted mean and mean square of the surprises, and how many went in. */
  mean: number;
  meanSquare: number;
  surprises: number;
  /** The step until which the detector rests after a critical signal (exclusive). */
  restUntil: number;
  /** Exponentially weighted recent level of the readings (what "about" means in an alert). */
  level: number | null;
  /** The warm-up readings (emptied once the grid is fixed). */
  warm: number[];
}

const nullableNumber = z.number().nullable();

/** What a stored state must hold to be continued. */
const anomalyLikelihoodStateSchema = z.object({
  step: z.number().int().min(0),
  min: nullableNumber,
  max: nullableNumber,
  grid: z.object({ low: z.number(), width: z.number().gt(0), bins: z.number().int().min(2) }).nullable(),
  previousLevel: nullableNumber,
  counts: z.record(z.string(), z.number()),
  recent: z.array(z.number()),
  mean: z.number(),
  meanSquare: z.number(),
  surprises: z.number().int().min(0),
  restUntil: z.number(),
  level: nullableNumber,
  warm: z.array(z.number()),
});

/** Numenta's lower bounds on the long-run distribution, so a series that was never surprising is not fragile. */
const MEAN_FLOOR = 0.03;
const VARIANCE_FLOOR = 0.0003;
/** Weight of a new reading in the recent level (about the last ten readings). */
const LEVEL_WEIGHT = 0.1;
/** Score of a reading while the detector rests: below any sensible threshold, above the quiet ones. */
const RESTING_SCORE = 0.3;
/** During warm-up: readings needed before the robust check, and the robust z that is critical. */
const WARM_MINIMUM = 20;
const WARM_Z = 6;

/** Score in [0, 1] of a tail probability: −log10(tail)/10, so 1e-5 scores 0.5 and 1e-10 or less scores 1. */
export function tailScore(tail: number): number {
  return Math.min(1, Math.max(0, -Math.log10(tail + 1e-10) / 10));
}

export function anomalyLikelihoodDetector(input?: unknown): Detector<AnomalyLikelihoodState> {
  const s = parseSettings('anomaly-likelihood', anomalyLikelihoodSettingsSchema, input);
  const critical = tailScore(s.criticalTail);

  return {
    kind: 'anomaly-likelihood',
    settings: s as unknown as Record<string, unknown>,
    initialState: () => ({
      step: 0,
      min: null,
      max: null,
      grid: null,
      previousLevel: null,
      counts: {},
      recent: [],
      mean: 0,
      meanSquare: 0,
      surprises: 0,
      restUntil: 0,
      level: null,
      warm: [],
    }),
    restore: stateReader<AnomalyLikelihoodState>(anomalyLikelihoodStateSchema),
    update(state, value, t) {
      assertFiniteReading('anomaly-likelihood', value);
      const step = state.step + 1;
      const { min, max } = state;
      const usual = state.level;
      const level = usual === null ? value : usual + LEVEL_WEIGHT * (value - usual);
      const next = {
        ...state,
        step,
        level,
        min: Math.min(min ?? value, value),
        max: Math.max(max ?? value, value),
      };
      let grid = state.grid;
      if (grid === null) {
        if (step < s.warmup) return warmingUp(state, next, value, t, s.restReadings);
        const range = (next.max as number) - (next.min as number);
        const width = range > 0 ? range / s.bins : Math.max(Math.abs(value), 1) * 1e-6;
        grid = { low: next.min as number, width, bins: s.bins };
        return {
          state: { ...next, grid, previousLevel: levelOf(grid, value), warm: [] },
          output: quietOutput(),
        };
      }
      const b = levelOf(grid, value);
      const previous = state.previousLevel as number;
      const forecast = transitionForecast(grid, state.counts, previous, 0.95, s.familiar);
      const surprise = transitionSurprise(state.counts, previous, b, s.familiar);
      recordTransition(state.counts, previous, b);
      const recent = [...state.recent, surprise].slice(-s.shortWindow);
      const average = recent.reduce((a, x) => a + x, 0) / recent.length;

      let tail = 1;
      if (state.surprises >= s.estimation) {
        const mu = Math.max(state.mean, MEAN_FLOOR);
        const variance = Math.max(state.meanSquare - state.mean * state.mean, VARIANCE_FLOOR);
        tail = normalUpperTail((average - mu) / Math.sqrt(variance));
      }
      const weight = Math.max(1 / (state.surprises + 1), 1 / s.longWindow);
      const range = (max as number) - (min as number);
      const outside =
        range > 0 &&
        (value > (max as number) + s.rangeTolerance * range ||
          value < (min as number) - s.rangeTolerance * range);
      let score = outside ? 1 : tailScore(tail);
      const resting = step <= state.restUntil;
      if (resting) score = Math.min(score, RESTING_SCORE);
      const fired = score >= critical;
      const signals: Signal[] = [];
      if (fired) {
        const evidence = {
          t,
          value,
          usual,
          expected: forecast === null ? null : { lower: forecast.lower, upper: forecast.upper },
          min,
          max,
          tail: outside ? null : tail,
          surprise: average,
        };
        signals.push(
          outside
            ? {
                rule: 'new-extreme',
                severity: 'critical',
                message: `reading ${value} is beyond the range seen so far (${min} to ${max}) by more than ${Math.round(100 * s.rangeTolerance)}% of it`,
                evidence,
              }
            : {
                rule: 'unusual-pattern',
                severity: 'critical',
                message: `the last ${recent.length} readings moved in a way rarely seen before (tail probability ${tail.toExponential(1)})`,
                evidence,
              },
        );
      }
      const output: DetectorOutput = {
        forecast,
        score,
        probabilities: { tail, surprise: average },
        changePoint: null,
        signals,
      };
      return {
        state: {
          ...next,
          grid,
          previousLevel: b,
          recent,
          mean: state.mean + weight * (average - state.mean),
          meanSquare: state.meanSquare + weight * (average * average - state.meanSquare),
          surprises: state.surprises + 1,
          restUntil: fired ? step + s.restReadings : state.restUntil,
        },
        output,
      };
    },
  };
}

/** A warm-up step: the reading joins the warm-up set; one far from its median is critical (unless resting). */
function warmingUp(
  state: AnomalyLikelihoodState,
  next: AnomalyLikelihoodState,
  value: number,
  t: number,
  restReadings: number,
): { state: AnomalyLikelihoodState; output: DetectorOutput } {
  const warm = [...state.warm, value];
  if (state.warm.length < WARM_MINIMUM) return { state: { ...next, warm }, output: quietOutput() };
  // |x − median| / (1.4826·MAD) of the readings before this one, from their sorted copy (warm-median.ts).
  const { z, centre } = sortedRobustZ(state.warm, value);
  carrySorted(state.warm, warm, value);
  const fired = z >= WARM_Z && next.step > state.restUntil;
  const score = Math.min(1, z / (2 * WARM_Z));
  const signals: Signal[] = fired
    ? [
        {
          rule: 'far-from-usual',
          severity: 'critical',
          message: `reading ${value} is ${z.toFixed(1)} robust standard deviations from the median ${centre.toPrecision(6)} of the ${state.warm.length} readings so far`,
          evidence: { t, value, usual: centre, z, expected: null },
        },
      ]
    : [];
  return {
    state: { ...next, warm, restUntil: fired ? next.step + restReadings : state.restUntil },
    output: { forecast: null, score, probabilities: { robustZ: z }, changePoint: null, signals },
  };
}

function quietOutput(): DetectorOutput {
  return { forecast: null, score: 0, probabilities: {}, changePoint: null, signals: [] };
}
