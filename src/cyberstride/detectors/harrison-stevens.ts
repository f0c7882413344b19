// Harrison–Stevens multi-state Bayesian forecaster: a class II mixture of four linear growth DLMs (steady,
// outlier, level change, slope change) with the second-order collapse by moment matching: 16 components
// conditional on the current and previous states (West & Harrison 1997, ch. 12).
import { z } from 'zod';
import type { StudentT } from '../../numeric/stats/student-t';
import {
  evolveLinearGrowth,
  forecastLinearGrowth,
  updateLinearGrowth,
} from '../../numeric/stats/linear-growth-dlm';
import type { DlmPosterior, Sym2 } from '../../numeric/stats/linear-growth-dlm';
import { differenceScale, robustLine } from '../../numeric/stats/robust-line';
import { assertFiniteReading, parseSettings, stateReader } from './detector';
import { mixtureInterval, studentTLogNormaliser } from './forecast-interval';
import { monitorStep, QUIET_MONITOR, type MonitorState } from './change-monitor';
import type { Detector, DetectorOutput, Signal } from './detector';

export const HS_STATES = ['standard', 'outlier', 'levelChange', 'growthChange'] as const;
export type HsStateName = (typeof HS_STATES)[number];

const discountPair = z.tuple([z.number().gt(0).lte(1), z.number().gt(0).lte(1)]);
const probability = z.number().gt(0).lt(1);

export const harrisonStevensSettingsSchema = z
  .object({
    /** Prior probability of each state at every step (class II: the same each month). */
    priorProbabilities: z
      .object({
        standard: probability,
        outlier: probability,
        levelChange: probability,
        growthChange: probability,
      })
      .default({ standard: 0.85, outlier: 0.07, levelChange: 0.05, growthChange: 0.03 }),
    /** Discount factors (level, growth) of each state. */
    discounts: z
      .object({
        standard: discountPair,
        outlier: discountPair,
        levelChange: discountPair,
        growthChange: discountPair,
      })
      .default({
        standard: [0.9, 0.9],
        outlier: [0.9, 0.9],
        levelChange: [0.01, 0.9],
        growthChange: [0.9, 0.01],
      }),
    /** The outlier state's observation variance is this multiple of the estimate S. */
    outlierVarianceMultiplier: z.number().gt(1).default(100),
    /** Published priors; when absent the first `warmup` readings set them (scale-free default). */
    initial: z
      .object({
        m0: z.tuple([z.number(), z.number()]),
        C0: z.tuple([z.tuple([z.number(), z.number()]), z.tuple([z.number(), z.number()])]),
        n0: z.number().gt(0),
        d0: z.number().gt(0),
      })
      .optional(),
    /** Readings held to set the prior (more than one season of a short cycle, so it counts as spread). */
    warmup: z.number().int().min(3).default(20),
    /** Coverage of the forecast interval. */
    interval: z.number().gt(0).lt(1).default(0.95),
    /** A non-standard state whose posterior probability exceeds this raises a signal. */
    threshold: z.number().gt(0).lt(1).default(0.5),
    /**
     * What declares a change: 'monitor' the cumulative Bayes factor of the standard state's forecast errors
     * (a shift confirmed over at least two readings), 'posterior' the one-step-back posterior of the change
     * states above `threshold` (West & Harrison's reading of CP6).
     */
    changeRule: z.enum(['monitor', 'posterior']).default('monitor'),
    /** The monitor's alternative: a shift of this many forecast standard deviations. */
    monitorShift: z.number().gt(0).default(2),
    /** The monitor declares a change when the log Bayes factor of the shift exceeds this. */
    monitorEvidence: z.number().gt(0).default(7),
    /**
     * Discount of the monitored reference model: one linear growth DLM that adapts slowly, so a shift stays in
     * its forecast errors for several readings (the mixture itself adapts within one or two).
     */
    monitorDiscount: z.number().gt(0).lte(1).default(0.99),
  })
  .strict();

export type HarrisonStevensSettings = z.infer<typeof harrisonStevensSettingsSchema>;

interface Component extends DlmPosterior {
  /** Joint posterior probability of this (current, previous) pair of states at the last step. */
  p: number;
}

// The filter reads and writes the 16 components packed in one array of doubles, FIELDS numbers each, instead of
// 16 objects and 48 arrays. The stored shape (Component[]) is still built at every step (building it only when
// read cost more in garbage collection); the packed copy of the last state is kept, so a series' next reading
// does not pack the objects again (see lastPacked).
const M0 = 0;
const M1 = 1;
const C0 = 2;
const C1 = 3;
const C2 = 4;
const N = 5;
const D = 6;
const P = 7;
const FIELDS = 8;

/** Components packed FIELDS numbers each. */
type Packed = number[];

/**
 * An array of doubles for `count` packed components. A plain array rather than a Float64Array: V8 keeps a typed
 * array this size off its heap, and the garbage collector's bookkeeping of one per reading cost more than it saved.
 */
function packedArray(count: number): Packed {
  const out: number[] = [];
  for (let k = 0; k < count * FIELDS; k++) out.push(0.5);
  return out;
}

function pack(components: readonly Component[]): Packed {
  const out = packedArray(components.length);
  components.forEach((c, k) => {
    const values = [c.m[0], c.m[1], c.C[0], c.C[1], c.C[2], c.n, c.d, c.p];
    for (let f = 0; f < FIELDS; f++) out[k * FIELDS + f] = values[f] as number;
  });
  return out;
}

function unpack(packed: Packed): Component[] {
  const out: Component[] = [];
  for (let o = 0; o < packed.length; o += FIELDS)
    out.push({
      m: [packed[o + M0] as number, packed[o + M1] as number],
      C: [packed[o + C0] as number, packed[o + C1] as number, packed[o + C2] as number],
      n: packed[o + N] as number,
      d: packed[o + D] as number,
      p: packed[o + P] as number,
    });
  return out;
}

/** Builds the 16 components in their order: index 4·j + i for current state j and previous state i. */
function pairs<T>(make: (j: number, i: number) => T): T[] {
  const out: T[] = [];
  for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) out.push(make(j, i));
  return out;
}

/**
 * States stored before the second-order collapse hold four components (one per current state); each becomes
 * four pairs sharing its posterior, its probability split evenly over the unknown previous state.
 */
function asPairs(components: Component[]): Component[] {
  if (components.length === 16) return components;
  return pairs((j) => {
    const c = components[j] as Component;
    return { ...c, p: c.p / 4 };
  });
}

export interface HarrisonStevensState {
  step: number;
  /** Readings held until the scale is known (only when no `initial` prior is given). */
  buffer: number[];
  /** The 16 posteriors conditional on (M_t, M_t−1), index 4·j + i; null while the scale is learnt. */
  components: Component[] | null;
  /** Step at which the last change (level or slope) was reported, −1 if none. */
  lastChangeStep: number;
  /** Step of the last reading reported as an outlier, −1 if none. */
  lastOutlierStep: number;
  /** The change monitor's accumulated evidence and its reference model (absent in older states). */
  monitor?: MonitorState;
  reference?: DlmPosterior | null;
}

const componentSchema = z.object({
  m: z.tuple([z.number(), z.number()]),
  C: z.tuple([z.number(), z.number(), z.number()]),
  n: z.number().gt(0),
  d: z.number().gt(0),
  p: z.number().min(0),
});

/** What a stored state must hold: four components (before the second-order collapse) or sixteen. */
const harrisonStevensStateSchema = z.object({
  step: z.number().int().min(0),
  buffer: z.array(z.number()),
  components: z
    .array(componentSchema)
    .refine((c) => c.length === 4 || c.length === 16)
    .nullable(),
  lastChangeStep: z.number(),
  lastOutlierStep: z.number(),
  monitor: z
    .object({
      up: z.number(),
      down: z.number(),
      upStart: z.number(),
      downStart: z.number(),
    })
    .optional(),
  reference: componentSchema.omit({ p: true }).nullable().optional(),
});

function priorFromSettings(s: HarrisonStevensSettings): DlmPosterior | null {
  if (s.initial === undefined) return null;
  const { m0, C0, n0, d0 } = s.initial;
  return { m: [m0[0], m0[1]], C: [C0[0][0], C0[0][1], C0[1][1]], n: n0, d: d0 };
}

/**
 * A prior from the first readings: the Theil–Sen line through them gives level and slope, and S the larger of
 * the robust spread about that line and the noise of first differences; so a trend starts as a slope, a season
 * the warm-up spans counts as spread rather than as changes, and a shift or outlier among them moves neither.
 */
function priorFromReadings(ys: readonly number[]): DlmPosterior {
  const line = robustLine(ys);
  const y0 = ys[0] as number;
  const S = Math.max(line.scale ** 2, differenceScale(ys) ** 2, 1e-12 * (1 + y0 * y0));
  const n0 = Math.max(2, ys.length / 2);
  return { m: [line.intercept, line.slope], C: [S, 0, S / ys.length], n: n0, d: n0 * S };
}

/** Readings a shift must span before the monitor declares it: one or two extreme readings are not a change. */
const MIN_RUN = 3;

/** The level discount of an intervention on the reference model after a change. */
const CHANGE_DISCOUNT = 0.01;

/** Component 0's posterior without its weight. */
function firstPosterior(packed: Packed): DlmPosterior {
  return {
    m: [packed[M0] as number, packed[M1] as number],
    C: [packed[C0] as number, packed[C1] as number, packed[C2] as number],
    n: packed[N] as number,
    d: packed[D] as number,
  };
}

/** Probabilities of the four states, named. */
function byState(p: readonly number[]): Record<HsStateName, number> {
  return {
    standard: p[0] as number,
    outlier: p[1] as number,
    levelChange: p[2] as number,
    growthChange: p[3] as number,
  };
}

const STATE_INDEX = { standard: 0, outlier: 1, levelChange: 2, growthChange: 3 } as const;

/** A reading's time and value, the state probabilities now, and those one step back. */
type Facts = [number, number, Record<HsStateName, number>, number[]];

/** The evidence every signal carries. */
function factsOf([t, value, probabilities, back]: Facts) {
  return { t, value, probabilities, previous: byState(back) };
}

export function harrisonStevensDetector(input?: unknown): Detector<HarrisonStevensState> {
  const s = parseSettings('harrison-stevens', harrisonStevensSettingsSchema, input);
  const logPrior = HS_STATES.map((name) => Math.log(s.priorProbabilities[name]));
  const deltas = HS_STATES.map((name) => s.discounts[name]);
  const k = HS_STATES.map((name) => (name === 'outlier' ? s.outlierVarianceMultiplier : 1));
  const published = priorFromSettings(s);

  /** The 16 (current, previous) components at the start, each the prior, weighted by π_j π_i. */
  function start(post: DlmPosterior): Component[] {
    return pairs((j, i) => ({
      ...post,
      m: [...post.m],
      C: [...post.C] as Sym2,
      p:
        s.priorProbabilities[HS_STATES[j] as HsStateName] * s.priorProbabilities[HS_STATES[i] as HsStateName],
    }));
  }

  // Scratch of one filtering step: the 64 branches' evolved priors and forecast laws, in flat typed arrays so
  // that a step allocates only the 16 components it keeps (one step ran at 15,000 readings/s with objects).
  const a0 = new Float64Array(64);
  const a1 = new Float64Array(64);
  const r0 = new Float64Array(64);
  const r1 = new Float64Array(64);
  const r2 = new Float64Array(64);
  const loc = new Float64Array(64);
  const scale2 = new Float64Array(64);
  const forecastWeights = new Float64Array(64);
  const logWeights = new Float64Array(64);
  const logPrevious = new Float64Array(16);
  const scalePrevious = new Float64Array(16);
  const q = new Float64Array(64);
  // A state whose level discount and variance multiplier equal an earlier state's has the same forecast law on
  // every branch (the growth discount does not enter it): by default growth change shares the standard state's,
  // so its 16 log densities are copied instead of computed again (the same numbers, a quarter fewer logarithms).
  const sameLaw = HS_STATES.map((_, j) => {
    for (let e = 0; e < j; e++)
      if ((deltas[e] as [number, number])[0] === (deltas[j] as [number, number])[0] && k[e] === k[j])
        return e;
    return -1;
  });
  const logPdfs = new Float64Array(64);
  const priorProbability = HS_STATES.map((name) => s.priorProbabilities[name]);
  // Scratch of the 64 Kalman updates (moments, S, and the parts the growth-change state reuses) and of one
  // collapse's weights.
  const um0 = new Float64Array(64);
  const um1 = new Float64Array(64);
  const uc0 = new Float64Array(64);
  const uc1 = new Float64Array(64);
  const uc2 = new Float64Array(64);
  const us = new Float64Array(64);
  const ratios = new Float64Array(64);
  const growthGain = new Float64Array(64);
  const weight = new Float64Array(4);

  /**
   * One filtering step of the second-order mixture (W&H §12.3.3): each of the 16 posteriors, conditional on
   * the states at t−1 and t−2, branches into the four states at t (64 Kalman updates); the four branches
   * that differ only in the state at t−2 are then collapsed, leaving 16 posteriors conditional on (M_t, M_t−1).
   * Keeping M_t−1 apart is what lets a level change be told from an outlier one reading later: a first-order
   * collapse mixes the two, and the jump then inflates the steady state's variance.
   * The arithmetic is that of evolveLinearGrowth, forecastLinearGrowth and updateLinearGrowth, written out on
   * the scratch arrays in the same order, so the results are the same to the last bit.
   * `src` holds the 16 components packed (see pack); the 16 collapsed ones are written to a new packed array.
   */
  function filter(src: Packed, y: number, next: Packed) {
    // Branch b = 16·j + c: current state j, previous pair c = 4·i + l (state i at t−1, l at t−2).
    // Every component has the same degrees of freedom, so the density's df-only part is looked up once.
    const df = src[N] as number;
    const normaliser = studentTLogNormaliser(df);
    // The parts of a branch's weight that depend on the previous pair only, computed once per pair instead of
    // once per branch (the same calls on the same numbers: the results are the same to the last bit).
    for (let c = 0; c < 16; c++) {
      const o = FIELDS * c;
      logPrevious[c] = Math.log(src[o + P] as number);
      scalePrevious[c] = (src[o + D] as number) / (src[o + N] as number);
    }
    for (let j = 0; j < 4; j++) {
      const [dl, dg] = deltas[j] as [number, number];
      const kj = k[j] as number;
      const pj = priorProbability[j] as number;
      const lpj = logPrior[j] as number;
      const same = sameLaw[j] as number;
      for (let c = 0; c < 16; c++) {
        const o = FIELDS * c;
        const b = 16 * j + c;
        const c11 = src[o + C0] as number;
        const c12 = src[o + C1] as number;
        const c22 = src[o + C2] as number;
        const p11 = c11 + 2 * c12 + c22;
        const p12 = c12 + c22;
        const m1 = src[o + M1] as number;
        const A0 = (src[o + M0] as number) + m1;
        const R0 = p11 / dl;
        a0[b] = A0;
        a1[b] = m1;
        r0[b] = R0;
        r1[b] = p12;
        r2[b] = c22 / dg;
        const Q = R0 + kj * (scalePrevious[c] as number);
        loc[b] = A0;
        scale2[b] = Q;
        forecastWeights[b] = (src[o + P] as number) * pj;
        let logPdf: number;
        if (same >= 0) logPdf = logPdfs[16 * same + c] as number;
        else {
          const n = src[o + N] as number;
          const z = y - A0;
          const z2 = (z * z) / Q;
          logPdf = normaliser - 0.5 * Math.log(n * Math.PI * Q) - ((n + 1) / 2) * Math.log1p(z2 / n);
        }
        logPdfs[b] = logPdf;
        logWeights[b] = (logPrevious[c] as number) + lpj + logPdf;
      }
    }
    // Normalised with one exponential per branch (logSumExp and then exp(x − total) took two).
    let top = -Infinity;
    for (let b = 0; b < 64; b++) if ((logWeights[b] as number) > top) top = logWeights[b] as number;
    if (top === -Infinity) q.fill(1 / 64);
    else {
      let sum = 0;
      for (let b = 0; b < 64; b++) {
        const e = Math.exp((logWeights[b] as number) - top);
        q[b] = e;
        sum += e;
      }
      for (let b = 0; b < 64; b++) q[b] = (q[b] as number) / sum;
    }
    updateBranches(src, y);
    const now = [0, 0, 0, 0];
    const back = [0, 0, 0, 0];
    const back2 = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        let pji = 0;
        for (let l = 0; l < 4; l++) {
          const b = 16 * j + 4 * i + l;
          pji += q[b] as number;
          back2[l] = (back2[l] as number) + (q[b] as number);
        }
        collapseBranches(src, next, j, i, pji);
        now[j] = (now[j] as number) + pji;
        back[i] = (back[i] as number) + pji;
      }
    }
    return { next, now, back, back2, df };
  }

  /**
   * The 64 Kalman updates (updateLinearGrowth's arithmetic). A state whose level discount and variance multiplier
   * equal an earlier state's (growth change and the standard state, by default) differs from it only in the
   * growth variance R2, so its updated level, slope, the level's variances and S are copied, and only the
   * growth variance is computed (the same operations on the same numbers: the same to the last bit).
   */
  function updateBranches(src: Packed, y: number) {
    for (let j = 0; j < 4; j++) {
      const kj = k[j] as number;
      const same = sameLaw[j] as number;
      for (let c = 0; c < 16; c++) {
        const b = 16 * j + c;
        if (same >= 0) {
          const e = 16 * same + c;
          um0[b] = um0[e] as number;
          um1[b] = um1[e] as number;
          uc0[b] = uc0[e] as number;
          uc1[b] = uc1[e] as number;
          us[b] = us[e] as number;
          ratios[b] = ratios[e] as number;
          uc2[b] = (ratios[b] as number) * ((r2[b] as number) - (growthGain[e] as number));
          continue;
        }
        const o = FIELDS * c;
        const S = scalePrevious[c] as number;
        const R0 = r0[b] as number;
        const R1 = r1[b] as number;
        const R2 = r2[b] as number;
        const Q = R0 + kj * S;
        const e = y - (a0[b] as number);
        const A1 = R0 / Q;
        const A2 = R1 / Q;
        const n = (src[o + N] as number) + 1;
        const d = (src[o + D] as number) + (S * e * e) / Q;
        const ratio = d / n / S;
        const g = A2 * A2 * Q;
        um0[b] = (a0[b] as number) + A1 * e;
        um1[b] = (a1[b] as number) + A2 * e;
        uc0[b] = ratio * (R0 - A1 * A1 * Q);
        uc1[b] = ratio * (R1 - A1 * A2 * Q);
        uc2[b] = ratio * (R2 - g);
        growthGain[b] = g;
        ratios[b] = ratio;
        us[b] = d / n;
      }
    }
  }

  /**
   * The four updated branches (j, i, ·) collapsed into one component by moment matching, with the variance
   * estimates combined as West & Harrison do (§12.3.4): 1/S = Σ w_l / S_l, m = Σ w_l (S/S_l) m_l,
   * C = S Σ w_l [C_l + (m_l − m)(m_l − m)'] / S_l, n unchanged, d = n S; written to component 4·j + i of `out`.
   */
  function collapseBranches(src: Packed, out: Packed, j: number, i: number, pji: number): void {
    const base = 16 * j + 4 * i;
    for (let l = 0; l < 4; l++) weight[l] = pji > 0 ? (q[base + l] as number) / pji : 0.25;
    let inv = 0;
    for (let l = 0; l < 4; l++) inv += (weight[l] as number) / (us[base + l] as number);
    const S = 1 / inv;
    let m0 = 0;
    let m1 = 0;
    for (let l = 0; l < 4; l++) {
      const w = ((weight[l] as number) * S) / (us[base + l] as number);
      m0 += w * (um0[base + l] as number);
      m1 += w * (um1[base + l] as number);
    }
    let C0v = 0;
    let C1v = 0;
    let C2v = 0;
    for (let l = 0; l < 4; l++) {
      const b = base + l;
      const w = ((weight[l] as number) * S) / (us[b] as number);
      const e0 = (um0[b] as number) - m0;
      const e1 = (um1[b] as number) - m1;
      C0v += w * ((uc0[b] as number) + e0 * e0);
      C1v += w * ((uc1[b] as number) + e0 * e1);
      C2v += w * ((uc2[b] as number) + e1 * e1);
    }
    // The last branch's updated n, as before (every component has the same n).
    const n = (src[FIELDS * (4 * i + 3) + N] as number) + 1;
    const o = FIELDS * (4 * j + i);
    out[o + M0] = m0;
    out[o + M1] = m1;
    out[o + C0] = C0v;
    out[o + C1] = C1v;
    out[o + C2] = C2v;
    out[o + N] = n;
    out[o + D] = n * S;
    out[o + P] = pji;
  }

  /**
   * The 64 branch laws share their degrees of freedom, so the 16 of one current state are first merged
   * into one law of the same mean and variance; the interval then comes from a four-law mixture. Its quantiles
   * take the series CDF (forecast-interval.ts): ν here is the reading count, where the continued fraction is
   * both slower and off by up to 2e-9 at 10⁶ (11 % more readings a second of CPU, best of 7 on 20,000 readings).
   */
  function forecastOf(df: number) {
    // Below five degrees of freedom the variance says little about the tails: keep every branch.
    if (df <= 4) {
      const laws: StudentT[] = [];
      for (let b = 0; b < 64; b++) laws.push({ df, loc: loc[b] as number, scale2: scale2[b] as number });
      return {
        ...mixtureInterval(forecastWeights, laws, s.interval, 'moments', 'series'),
        level: s.interval,
      };
    }
    const merged: StudentT[] = [];
    const mergedWeights: number[] = [];
    for (let j = 0; j < 4; j++) {
      let w = 0;
      let mean = 0;
      for (let b = 16 * j; b < 16 * j + 16; b++) {
        w += forecastWeights[b] as number;
        mean += (forecastWeights[b] as number) * (loc[b] as number);
      }
      mean /= w;
      let spread = 0;
      for (let b = 16 * j; b < 16 * j + 16; b++) {
        spread +=
          (forecastWeights[b] as number) *
          ((scale2[b] as number) + (((loc[b] as number) - mean) ** 2 * (df - 2)) / df);
      }
      merged.push({ df, loc: mean, scale2: spread / w });
      mergedWeights.push(w);
    }
    return { ...mixtureInterval(mergedWeights, merged, s.interval, 'moments', 'series'), level: s.interval };
  }

  /** The outlier state is above the threshold and the most probable (Math.max without spreading an array). */
  function isOutlier(pNow: number[]): boolean {
    const po = pNow[STATE_INDEX.outlier] as number;
    if (po <= s.threshold) return false;
    let top = 0;
    for (let i = 1; i < 4; i++) if ((pNow[i] as number) > (pNow[top] as number)) top = i;
    return top === STATE_INDEX.outlier;
  }

  // The signal helpers live here rather than as closures in signalsOf: a closure made at every reading was a
  // tenth of a step (esbuild's keepNames names each one as it is made).
  function outlierSignal(pNow: number[], lag: number, facts: Facts): Signal {
    const po = pNow[STATE_INDEX.outlier] as number;
    return {
      rule: 'outlier',
      severity: 'warning',
      message: `${lag === 0 ? 'this reading' : 'the previous reading'} is probably a transient outlier (P = ${po.toFixed(2)})`,
      evidence: { ...factsOf(facts), lag },
    };
  }

  function changeSignal(pNow: number[], lag: number, facts: Facts): Signal | null {
    const level = pNow[STATE_INDEX.levelChange] as number;
    const growth = pNow[STATE_INDEX.growthChange] as number;
    if (level + growth <= s.threshold) return null;
    const rule = level >= growth ? 'level-change' : 'slope-change';
    return {
      rule,
      severity: 'critical',
      message: `${rule === 'level-change' ? 'the level' : 'the slope'} changed ${lag === 0 ? 'at this reading' : `${lag} reading before`} (P = ${(level + growth).toFixed(2)})`,
      evidence: { ...factsOf(facts), lag, pLevelChange: level, pGrowthChange: growth },
    };
  }

  function signalsOf(
    state: HarrisonStevensState,
    step: number,
    y: number,
    t: number,
    out: ReturnType<typeof filter>,
    reference: { e: number } | null,
  ) {
    const p = out.now;
    const probabilities = byState(p);
    const signals: Signal[] = [];
    let changePoint: DetectorOutput['changePoint'] = null;
    let lastChangeStep = state.lastChangeStep;
    // What a signal's evidence is made from, only when one is raised (most readings raise none).
    const facts: Facts = [t, y, probabilities, out.back];
    let lastOutlierStep = state.lastOutlierStep;
    if (isOutlier(p)) {
      signals.push(outlierSignal(p, 0, facts));
      lastOutlierStep = step;
    }
    // The next reading tells an outlier from a change (W&H's one-step-back probabilities).
    if (lastOutlierStep !== step && state.lastOutlierStep < step - 1 && isOutlier(out.back)) {
      signals.push(outlierSignal(out.back, 1, facts));
      lastOutlierStep = step - 1;
    }
    let monitor = state.monitor ?? QUIET_MONITOR;
    if (s.changeRule === 'posterior') {
      let signal = changeSignal(p, 0, facts);
      let lag = 0;
      if (signal === null && state.lastChangeStep < step - 1) {
        signal = changeSignal(out.back, 1, facts);
        lag = 1;
      }
      if (signal !== null) {
        signals.push(signal);
        changePoint = { lag };
        lastChangeStep = step - lag;
      }
    } else if (reference !== null) {
      const m = monitorStep(monitor, reference.e, step, s.monitorShift);
      monitor = m.state;
      const run = step - m.start + 1;
      // A run that began with an outlier the mixture recognised is not a change.
      const outlierBefore = run === MIN_RUN && (out.back2[STATE_INDEX.outlier] as number) > s.threshold;
      if (m.evidence > s.monitorEvidence && run >= MIN_RUN && !outlierBefore) {
        const level = out.back[STATE_INDEX.levelChange] as number;
        const growth = out.back[STATE_INDEX.growthChange] as number;
        const rule = growth > level ? 'slope-change' : 'level-change';
        const lag = step - m.start;
        signals.push({
          rule,
          severity: 'critical',
          message: `${rule === 'level-change' ? 'the level' : 'the slope'} moved ${m.direction} ${lag} reading(s) before (log Bayes factor ${m.evidence.toFixed(1)} for a shift of ${s.monitorShift} forecast standard deviations)`,
          evidence: { ...factsOf(facts), lag, logBayesFactor: m.evidence, direction: m.direction },
        });
        changePoint = { lag };
        lastChangeStep = m.start;
        monitor = QUIET_MONITOR;
      }
    }
    const [b0, b1, b2, b3] = out.back as [number, number, number, number];
    const [c0, c1, c2, c3] = out.back2 as [number, number, number, number];
    const all = {
      standard: probabilities.standard,
      outlier: probabilities.outlier,
      levelChange: probabilities.levelChange,
      growthChange: probabilities.growthChange,
      'previous.standard': b0,
      'previous.outlier': b1,
      'previous.levelChange': b2,
      'previous.growthChange': b3,
      'twoBack.standard': c0,
      'twoBack.outlier': c1,
      'twoBack.levelChange': c2,
      'twoBack.growthChange': c3,
    };
    return { probabilities: all, signals, changePoint, lastChangeStep, lastOutlierStep, monitor };
  }

  /** The reference model's standardised forecast error for y, and its posterior after y. */
  function referenceStep(reference: DlmPosterior, y: number) {
    const prior = evolveLinearGrowth(reference, s.monitorDiscount, s.monitorDiscount);
    const { f, Q } = forecastLinearGrowth(prior, reference.d / reference.n, 1);
    return { e: (y - f) / Math.sqrt(Q), next: updateLinearGrowth(prior, reference, y, 1) };
  }

  // The last state this detector made, its components array and their packed copy: a series' readings chain each
  // state into the next update, so the filter reads the packed numbers straight back instead of packing the
  // objects again. Kept by identity (states are values: a copy of the state, or one whose components were
  // replaced, is packed from its components). Measured: building the components lazily, on first read, through
  // a getter cost more in garbage collection (a closure pair per state) than building them at every reading.
  let lastState: HarrisonStevensState | null = null;
  let lastComponents: Component[] | null = null;
  let lastPacked: Packed = [];
  // The packed array the last step read, which nothing reaches once the step is done (a state's packed copy is
  // found only through lastState), taken as the next step's output: a new 128-number array per reading was a
  // share of the garbage. collapseBranches writes every field of it.
  let spare: Packed | null = null;

  /**
   * One reading through the filter. `keep` false leaves the new state's components null (its packed copy is
   * lastPacked, which the next step reads): for a state no caller sees, one a scan or the warm-up replay passes
   * straight to the next reading, the 16 component objects and their 32 arrays per reading were garbage.
   */
  function step(state: HarrisonStevensState, current: Packed, y: number, t: number, keep: boolean) {
    const out = filter(current, y, spare ?? packedArray(16));
    spare = null;
    const forecast = forecastOf(out.df);
    const base = state.reference ?? firstPosterior(current);
    const ref = s.changeRule === 'monitor' ? referenceStep(base, y) : null;
    const sig = signalsOf(state, state.step, y, t, out, ref);
    // After a change the reference's level becomes as uncertain as in the level-change state (W&H's
    // intervention), so it follows the new level at once while keeping what it learnt of the noise.
    const reference =
      ref === null
        ? null
        : sig.changePoint !== null
          ? { ...ref.next, C: [ref.next.C[0] / CHANGE_DISCOUNT, ref.next.C[1], ref.next.C[2]] as Sym2 }
          : ref.next;
    const output: DetectorOutput = {
      forecast,
      score: 1 - (out.now[STATE_INDEX.standard] as number),
      probabilities: sig.probabilities,
      changePoint: sig.changePoint,
      signals: sig.signals,
    };
    const packed = out.next;
    const components = keep ? unpack(packed) : null;
    const next: HarrisonStevensState = {
      step: state.step + 1,
      buffer: [],
      components,
      lastChangeStep: sig.lastChangeStep,
      lastOutlierStep: sig.lastOutlierStep,
      monitor: sig.monitor,
      reference,
    };
    lastState = next;
    lastComponents = components;
    lastPacked = packed;
    // The input is free now: only lastState led to it (as lastPacked), and lastState is the new state.
    spare = current;
    return { state: next, output, packed };
  }

  return {
    kind: 'harrison-stevens',
    settings: s as unknown as Record<string, unknown>,
    initialState: () => ({
      step: 0,
      buffer: [],
      components: published === null ? null : start(published),
      lastChangeStep: -1,
      lastOutlierStep: -1,
    }),
    restore: stateReader<HarrisonStevensState>(harrisonStevensStateSchema),
    update: (state, value, t) => advance(state, value, t, true),
    scan(state, values, times, each) {
      // Only the last state is returned, so only it gets its component objects (see step's `keep`).
      let current = state;
      for (let i = 0; i < values.length; i++) {
        const r = advance(current, values[i] as number, times[i] as number, i === values.length - 1);
        each(i, r.output);
        current = r.state;
      }
      return current;
    },
  };

  /** update, with step's `keep` for the state it returns. */
  function advance(
    state: HarrisonStevensState,
    value: number,
    t: number,
    keep: boolean,
  ): { state: HarrisonStevensState; output: DetectorOutput } {
    assertFiniteReading('harrison-stevens', value);
    const packed =
      state === lastState && state.components === lastComponents
        ? lastPacked
        : state.components === null
          ? null
          : pack(asPairs(state.components));
    if (packed !== null) {
      const r = step(state, packed, value, t, keep);
      return { state: r.state, output: r.output };
    }
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
    // Replay the held readings through the filter now that a prior of the right scale exists.
    let current: HarrisonStevensState = {
      step: state.step + 1 - buffer.length,
      buffer: [],
      components: null,
      lastChangeStep: -1,
      lastOutlierStep: -1,
    };
    let components = pack(start(priorFromReadings(buffer)));
    let last: { state: HarrisonStevensState; output: DetectorOutput } | null = null;
    for (let i = 0; i < buffer.length; i++) {
      const r = step(current, components, buffer[i] as number, t, keep && i === buffer.length - 1);
      last = { state: r.state, output: r.output };
      current = r.state;
      components = r.packed;
    }
    return last as { state: HarrisonStevensState; output: DetectorOutput };
  }
}
