// Bayesian online change-point detection (Adams & MacKay 2007): each run is a line (level and slope, so a trend
// is one run) or a constant, constant hazard, and a run-length posterior truncated to the most probable runs,
// so each reading costs O(maxRuns).
import { z } from 'zod';
import { logSumExp } from '../../numeric/stats/log-sum-exp';
import type { NormalGamma } from '../../numeric/stats/normal-gamma';
import type { StudentT } from '../../numeric/stats/student-t';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import { fastStudentTLogPdf, mixtureInterval } from './forecast-interval';
import { addReading, EMPTY_RUN, linearRunPriorSchema, runPredictive, runSumsSchema } from './linear-run';
import type { LinearRunPrior, RunSums } from './linear-run';
import { differenceNoiseVariance } from './penalised-segmentation';
import { robustLine } from '../../numeric/stats/robust-line';
import type { Detector, DetectorOutput, Signal } from './detector';

export const bocpdSettingsSchema = z
  .object({
    /** Expected run length between change points: hazard H = 1 / lambda. */
    lambda: z.number().gt(1).default(100),
    /** 'linear': each run is a line (a trend is one run); 'constant': each run has a constant mean. */
    model: z.enum(['linear', 'constant']).default('linear'),
    /**
     * Prior of each run: level ~ N(mu, σ²/kappa), slope ~ N(0, σ²/slopePrecision) per reading (linear model),
     * σ² ~ InvGamma(alpha, beta). mu and beta, when absent, come from robust statistics of the first `warmup`
     * readings: their median, and β = α s² with s² the larger of the noise variance of their first differences
     * and noiseShare × the robust spread about their Theil–Sen line (scale-free; a season the first readings
     * span counts as noise, a trend as slope, and a shift or outlier among them moves neither).
     */
    prior: z
      .object({
        mu: z.number().optional(),
        /** Vague on the level of a new run (its level is what the change is about)... */
        kappa: z.number().gt(0).default(0.01),
        /** ...and about three readings' worth of confidence in the noise scale from the warm-up. */
        alpha: z.number().gt(0).default(3),
        beta: z.number().gt(0).optional(),
        slopePrecision: z.number().gt(0).default(1),
        /** The derived noise variance is at least this share of the first readings' robust spread about a line. */
        noiseShare: z.number().gte(0).default(1),
      })
      .default({ kappa: 0.01, alpha: 3, slopePrecision: 1, noiseShare: 1 }),
    /** Readings that set the prior: more than one season of a short cycle. */
    warmup: z.number().int().min(2).default(20),
    /** Truncation: keep at most this many run lengths... */
    maxRuns: z.number().int().min(2).default(100),
    /** ...and drop those whose posterior probability falls below this. */
    minProbability: z.number().gte(0).lt(1).default(1e-6),
    /** A newly recognised segment must start at least this many readings after the last reported one. */
    minSegment: z.number().int().min(1).default(5),
    interval: z.number().gt(0).lt(1).default(0.95),
  })
  .strict();

export type BocpdSettings = z.infer<typeof bocpdSettingsSchema>;

export interface BocpdState {
  step: number;
  buffer: number[];
  prior: LinearRunPrior | null;
  /** Run lengths (readings in the current segment, this one included) with log-probabilities and sums. */
  lengths: number[];
  logProbs: number[];
  runs: RunSums[];
  /** Index of the first reading of the last reported segment (0 = the series start). */
  lastStart: number;
  mapLength: number;
}

/** What a stored state must hold; the constant-mean BOCPD of before (runs in `posts`) does not fit. */
const bocpdStateSchema = z
  .object({
    step: z.number().int().min(0),
    buffer: z.array(z.number()),
    prior: linearRunPriorSchema.nullable(),
    lengths: z.array(z.number().int().min(1)),
    logProbs: z.array(z.number()),
    runs: z.array(runSumsSchema),
    lastStart: z.number(),
    mapLength: z.number(),
  })
  .refine((s) => s.lengths.length === s.logProbs.length && s.lengths.length === s.runs.length)
  .refine((s) => s.prior !== null || s.lengths.length === 0);

/** Weighted mixture of the most probable laws covering 99% of the mass (at most 16) for the interval. */
function truncatedMixture(weights: number[], laws: StudentT[]): { w: number[]; laws: StudentT[] } {
  const order = weights.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number));
  const w: number[] = [];
  const kept: StudentT[] = [];
  let mass = 0;
  for (const i of order) {
    if (mass >= 0.99 || w.length >= 16) break;
    w.push(weights[i] as number);
    kept.push(laws[i] as StudentT);
    mass += weights[i] as number;
  }
  return { w: w.map((x) => x / mass), laws: kept };
}

/**
 * The Normal–Gamma prior of every new run: the settings' mu and beta when given, otherwise the mean of the first
 * readings and β = α s² (with κ = 1 the prior predictive scale² is then 2 s²: the first readings set the scale).
 */
export function bocpdPrior(s: BocpdSettings, ys: readonly number[]): NormalGamma {
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const variance = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / (ys.length - 1);
  const alpha = s.prior.alpha;
  const beta = s.prior.beta ?? alpha * Math.max(variance, 1e-12 * (1 + mean * mean));
  return { mu: s.prior.mu ?? mean, kappa: s.prior.kappa, alpha, beta };
}

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}

/**
 * The prior of every run of the online detector. Given mu and beta it is used as is; otherwise the readings are
 * centred on the median of the first ones and scaled by their noise level (the larger of the spread of first
 * differences, robust to a jump, an outlier or a trend, and noiseShare × their variance), so β = α on that scale.
 */
export function linearRunPrior(s: BocpdSettings, ys: readonly number[]): LinearRunPrior {
  const slopePrecision = s.model === 'linear' ? s.prior.slopePrecision : 1e12;
  const common = { levelPrecision: s.prior.kappa, slopePrecision, alpha: s.prior.alpha };
  if (s.prior.mu !== undefined && s.prior.beta !== undefined)
    return { ...common, centre: s.prior.mu, scale: 1, beta: s.prior.beta };
  const centre = s.prior.mu ?? median(ys);
  const line = robustLine(ys);
  const noise = Math.max(
    differenceNoiseVariance(ys),
    s.prior.noiseShare * line.scale ** 2,
    1e-12 * (1 + centre * centre),
  );
  const scale = Math.sqrt(noise);
  return { ...common, centre, scale, beta: (s.prior.beta ?? s.prior.alpha * noise) / noise };
}

export function bocpdDetector(input?: unknown): Detector<BocpdState> {
  const s = parseSettings('bocpd', bocpdSettingsSchema, input);
  const logH = Math.log(1 / s.lambda);
  const log1mH = Math.log1p(-1 / s.lambda);

  function step(state: BocpdState, prior: LinearRunPrior, y: number, t: number) {
    const n = state.lengths.length;
    // Predictive laws before seeing y: each run continues (1 − H) or a new one starts (H) from the prior.
    const laws: StudentT[] = state.runs.map((r) => runPredictive(prior, r));
    laws.push(runPredictive(prior, EMPTY_RUN));
    const predictiveWeights = state.logProbs.map((lp) => Math.exp(lp + log1mH));
    predictiveWeights.push(n === 0 ? 1 : Math.exp(logH));
    const mix = truncatedMixture(predictiveWeights, laws);
    const forecast = { ...mixtureInterval(mix.w, mix.laws, s.interval), level: s.interval };

    const joint = predictiveWeights.map((w, i) => Math.log(w) + fastStudentTLogPdf(y, laws[i] as StudentT));
    const evidence = logSumExp(joint);
    const u = (y - prior.centre) / prior.scale;
    let lengths = [...state.lengths.map((l) => l + 1), 1];
    let logProbs = joint.map((j) => j - evidence);
    let runs = [...state.runs, EMPTY_RUN].map((r) => addReading(r, u));
    ({ lengths, logProbs, runs } = truncate(lengths, logProbs, runs));

    let best = 0;
    for (let i = 1; i < logProbs.length; i++)
      if ((logProbs[i] as number) > (logProbs[best] as number)) best = i;
    const mapLength = lengths[best] as number;
    const start = state.step - mapLength + 1;
    const pChangeNow = Math.exp(logProbs[lengths.indexOf(1)] ?? -Infinity);
    const signals: Signal[] = [];
    let changePoint: DetectorOutput['changePoint'] = null;
    let lastStart = state.lastStart;
    // A change is recognised when the MAP run length stops growing and points at a later segment start.
    if (mapLength !== state.mapLength + 1 && start >= state.lastStart + s.minSegment) {
      changePoint = { lag: mapLength - 1 };
      lastStart = start;
      signals.push({
        rule: 'change-point',
        severity: 'critical',
        message: `the series changed regime ${mapLength - 1} reading(s) ago (most probable run length fell from ${state.mapLength} to ${mapLength})`,
        evidence: {
          t,
          value: y,
          lag: mapLength - 1,
          mapRunLength: mapLength,
          previousMapRunLength: state.mapLength,
          pChangeNow,
          forecast,
        },
      });
    }
    const output: DetectorOutput = {
      forecast,
      score: pChangeNow,
      probabilities: { changeNow: pChangeNow, mapRunLength: Math.exp(logProbs[best] as number) },
      changePoint,
      signals,
    };
    const next: BocpdState = {
      step: state.step + 1,
      buffer: [],
      prior,
      lengths,
      logProbs,
      runs,
      lastStart,
      mapLength,
    };
    return { state: next, output };
  }

  /** Drops improbable runs, then the least probable ones beyond maxRuns, and renormalises. */
  function truncate(lengths: number[], logProbs: number[], runs: RunSums[]) {
    const logMin = Math.log(s.minProbability);
    let keep = logProbs.map((lp, i) => i).filter((i) => (logProbs[i] as number) >= logMin);
    if (keep.length > s.maxRuns) {
      const threshold = [...keep.map((i) => logProbs[i] as number)].sort((a, b) => b - a)[
        s.maxRuns - 1
      ] as number;
      keep = keep.filter((i) => (logProbs[i] as number) >= threshold).slice(0, s.maxRuns);
    }
    const kept = keep.map((i) => logProbs[i] as number);
    const total = logSumExp(kept);
    return {
      lengths: keep.map((i) => lengths[i] as number),
      logProbs: kept.map((lp) => lp - total),
      runs: keep.map((i) => runs[i] as RunSums),
    };
  }

  const fixedPrior =
    s.prior.mu !== undefined && s.prior.beta !== undefined ? linearRunPrior(s, [0, 1]) : null;
  return {
    kind: 'bocpd',
    settings: s as unknown as Record<string, unknown>,
    initialState: () => ({
      step: 0,
      buffer: [],
      prior: fixedPrior,
      lengths: [],
      logProbs: [],
      runs: [],
      lastStart: 0,
      mapLength: 0,
    }),
    restore: stateReader<BocpdState>(bocpdStateSchema),
    update(state, value, t) {
      assertFiniteReading('bocpd', value);
      if (state.prior !== null) return step(state, state.prior, value, t);
      const buffer = [...state.buffer, value];
      if (buffer.length < s.warmup) {
        const output: DetectorOutput = {
          forecast: null,
          score: 0,
          probabilities: {},
          changePoint: null,
          signals: [],
        };
        return { state: { ...state, step: state.step + 1, buffer }, output };
      }
      // Replay the held readings now that the prior has the scale of the data.
      const prior = linearRunPrior(s, buffer);
      let current: BocpdState = { ...state, step: state.step + 1 - buffer.length, buffer: [], prior };
      let last: { state: BocpdState; output: DetectorOutput } | null = null;
      for (const y of buffer) {
        last = step(current, prior, y, t);
        current = last.state;
      }
      return last as { state: BocpdState; output: DetectorOutput };
    },
  };
}
