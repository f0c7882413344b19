// Bayesian online change-point detection (Adams & MacKay 2007): each run is a line (level and slope, so a trend
// is one run) or a constant, constant hazard, and a run-length posterior truncated to the most probable runs,
// so each reading costs O(maxRuns).
import { z } from 'zod';
import { logSumExp } from '../../numeric/stats/log-sum-exp';
import type { NormalGamma } from '../../numeric/stats/normal-gamma';
import type { StudentT } from '../../numeric/stats/student-t';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import { mixtureInterval, studentTLogNormaliser } from './forecast-interval';
import { addReading, EMPTY_RUN, linearRunPriorSchema, runSumsSchema } from './linear-run';
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
    /** ...and drop those whose posterior probability falls below this... */
    minProbability: z.number().gte(0).lt(1).default(1e-6),
    /**
     * ...and then the least probable run lengths while their summed posterior probability stays at most this:
     * each reading drops at most this much mass by this rule (0: off).
     */
    pruneMass: z.number().gte(0).lt(0.5).default(1e-4),
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

  const logMin = Math.log(s.minProbability);

  // Scratch of one step, one slot per run length (grown on demand): the predictive laws as three flat arrays,
  // their weights and joint log-probabilities, and the runs kept. A step used to build ~100 law objects, a
  // sorted index list for the mixture and another for the truncation; the same arithmetic in the same order
  // on these arrays gives the same results to the last bit (kernel-golden.test.ts) at about twice the speed.
  let dfs = new Float64Array(0);
  let locs = new Float64Array(0);
  let scales2 = new Float64Array(0);
  let weights = new Float64Array(0);
  let joint = new Float64Array(0);
  let picked = new Uint8Array(0);
  let kept = new Int32Array(0);
  // The kept slots' log-probabilities, sorted in place by the pruning (it allocated a fresh array each step).
  let sorted = new Float64Array(0);
  function reserve(m: number) {
    if (dfs.length >= m) return;
    const size = Math.max(m, 2 * dfs.length, 128);
    dfs = new Float64Array(size);
    locs = new Float64Array(size);
    scales2 = new Float64Array(size);
    weights = new Float64Array(size);
    joint = new Float64Array(size);
    picked = new Uint8Array(size);
    kept = new Int32Array(size);
    sorted = new Float64Array(size);
  }

  /** The log-probabilities of the first `count` kept slots, ascending, in the scratch (a view of it). */
  function sortedKept(count: number): Float64Array {
    for (let k = 0; k < count; k++) sorted[k] = joint[kept[k] as number] as number;
    return sorted.subarray(0, count).sort();
  }

  /** runPredictive's law of the run's next reading, written into slot i (same arithmetic, no object). */
  function predictive(p: LinearRunPrior, r: RunSums, i: number) {
    const l11 = p.levelPrecision + r.n;
    const l12 = r.sj;
    const l22 = p.slopePrecision + r.sjj;
    const det = l11 * l22 - l12 * l12;
    const m1 = (l22 * r.su - l12 * r.sju) / det;
    const m2 = (l11 * r.sju - l12 * r.su) / det;
    const alpha = p.alpha + r.n / 2;
    const beta = p.beta + 0.5 * Math.max(r.suu - (m1 * r.su + m2 * r.sju), 0);
    const j = r.n;
    const spread = (l22 - 2 * j * l12 + j * j * l11) / det;
    dfs[i] = 2 * alpha;
    locs[i] = p.centre + p.scale * (m1 + m2 * j);
    scales2[i] = p.scale * p.scale * (beta / alpha) * (1 + spread);
  }

  /**
   * The forecast interval from the most probable laws covering 99% of the predictive mass (at most 16): picked
   * by repeated selection of the largest weight (the first on ties), the order a stable descending sort gives.
   */
  function forecastOf(m: number) {
    picked.fill(0, 0, m);
    const w: number[] = [];
    const laws: StudentT[] = [];
    let mass = 0;
    while (mass < 0.99 && w.length < 16 && w.length < m) {
      let top = -1;
      for (let i = 0; i < m; i++)
        if (picked[i] === 0 && (top < 0 || (weights[i] as number) > (weights[top] as number))) top = i;
      picked[top] = 1;
      w.push(weights[top] as number);
      laws.push({ df: dfs[top] as number, loc: locs[top] as number, scale2: scales2[top] as number });
      mass += weights[top] as number;
    }
    for (let k = 0; k < w.length; k++) w[k] = (w[k] as number) / mass;
    return { ...mixtureInterval(w, laws, s.interval, 'heaviest', 'series'), level: s.interval };
  }

  /**
   * Which run lengths survive (indices into the step's slots, in order): those of posterior probability at
   * least minProbability, then at most maxRuns of them, dropping the least probable (the last on ties).
   */
  function survivors(m: number): number {
    let count = 0;
    for (let i = 0; i < m; i++) if ((joint[i] as number) >= logMin) kept[count++] = i;
    if (s.pruneMass > 0 && count > 1) count = pruneByMass(count);
    if (count <= s.maxRuns) return count;
    // The maxRuns-th largest log-probability; with one run too many (the usual case) the second smallest.
    let threshold: number;
    if (count === s.maxRuns + 1) {
      let low = Infinity;
      threshold = Infinity;
      for (let k = 0; k < count; k++) {
        const v = joint[kept[k] as number] as number;
        if (v < low) {
          threshold = low;
          low = v;
        } else if (v < threshold) threshold = v;
      }
    } else {
      const values = sortedKept(count);
      threshold = values[count - s.maxRuns] as number;
    }
    let out = 0;
    for (let k = 0; k < count && out < s.maxRuns; k++) {
      const i = kept[k] as number;
      if ((joint[i] as number) >= threshold) kept[out++] = i;
    }
    return out;
  }

  /**
   * Of the `count` kept slots, drops the least probable while their summed posterior mass stays within
   * pruneMass (ties at the threshold are all kept, so the bound holds); keeps the order and at least one.
   */
  function pruneByMass(count: number): number {
    const values = sortedKept(count);
    let dropped = 0;
    let k = 0;
    while (k < count - 1) {
      const v = values[k] as number;
      // All the slots of this value go together, or none.
      let e = k;
      let mass = 0;
      while (e < count && values[e] === v) {
        mass += Math.exp(v);
        e++;
      }
      if (dropped + mass > s.pruneMass || e >= count) break;
      dropped += mass;
      k = e;
    }
    if (k === 0) return count;
    const threshold = values[k] as number;
    let out = 0;
    for (let j = 0; j < count; j++) {
      const i = kept[j] as number;
      if ((joint[i] as number) >= threshold) kept[out++] = i;
    }
    return out;
  }

  function step(state: BocpdState, prior: LinearRunPrior, y: number, t: number) {
    const n = state.lengths.length;
    const m = n + 1;
    reserve(m);
    // Predictive laws before seeing y: each run continues (1 − H) or a new one starts (H) from the prior.
    for (let i = 0; i < n; i++) {
      predictive(prior, state.runs[i] as RunSums, i);
      weights[i] = Math.exp((state.logProbs[i] as number) + log1mH);
    }
    predictive(prior, EMPTY_RUN, n);
    weights[n] = n === 0 ? 1 : Math.exp(logH);
    const forecast = forecastOf(m);

    // fastStudentTLogPdf, written out on the slots.
    for (let i = 0; i < m; i++) {
      const df = dfs[i] as number;
      const scale2 = scales2[i] as number;
      const d = y - (locs[i] as number);
      const z2 = (d * d) / scale2;
      // log of weights[i], from the log-probability it was made of (log(exp(x)) cost a logarithm a run).
      const logWeight = i < n ? (state.logProbs[i] as number) + log1mH : n === 0 ? 0 : logH;
      joint[i] =
        logWeight +
        (studentTLogNormaliser(df) -
          0.5 * Math.log(df * Math.PI * scale2) -
          ((df + 1) / 2) * Math.log1p(z2 / df));
    }
    const evidence = logSumExp(joint.subarray(0, m));
    for (let i = 0; i < m; i++) joint[i] = (joint[i] as number) - evidence;
    const count = survivors(m);
    let total = -Infinity;
    let max = -Infinity;
    for (let k = 0; k < count; k++) max = Math.max(max, joint[kept[k] as number] as number);
    if (max !== -Infinity) {
      let sum = 0;
      for (let k = 0; k < count; k++) sum += Math.exp((joint[kept[k] as number] as number) - max);
      total = max + Math.log(sum);
    }
    const u = (y - prior.centre) / prior.scale;
    const lengths: number[] = new Array<number>(count);
    const logProbs: number[] = new Array<number>(count);
    const runs: RunSums[] = new Array<RunSums>(count);
    for (let k = 0; k < count; k++) {
      const i = kept[k] as number;
      lengths[k] = i < n ? (state.lengths[i] as number) + 1 : 1;
      logProbs[k] = (joint[i] as number) - total;
      runs[k] = addReading(i < n ? (state.runs[i] as RunSums) : EMPTY_RUN, u);
    }

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
