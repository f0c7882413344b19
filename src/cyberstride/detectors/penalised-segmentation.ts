// Offline change points by penalised least squares: the best partition of a whole series into segments that
// are each a level or a straight line (level and slope changes), or each a level (level changes), found exactly.
import { z } from 'zod';
import type { DetectorKind } from './detector';
import { seasonalPeriod, seasonalVariance } from './seasonal-adjustment';

export const segmentationSettingsSchema = z
  .object({
    /**
     * 'linear': each segment is a level or a line, so a trend is one segment; 'constant': each segment is a level.
     */
    model: z.enum(['linear', 'constant']).default('linear'),
    /**
     * 'linear' only: a segment's slope costs this many log(n) (BIC counts one parameter), so a step between two
     * flat stretches is read as a level shift, not as two lines; 0 makes every segment a line.
     */
    slopePenalty: z.number().min(0).default(1),
    /**
     * Readings further than this many robust standard deviations from the median of their five neighbours
     * (Hampel's identifier) are replaced by that median first: a lone spike is an outlier, not two changes.
     * A level shift keeps its readings (the median of a window at a step lies on the step's own side). 0: off.
     */
    outlierThreshold: z.number().min(0).default(4),
    /**
     * A series has a season of period p when its first differences' autocorrelation at lag p (after it has been
     * negative) reaches this; then σ² is at least the seasonal variance (see seasonalVariance), so a season's
     * rises and falls are not read as changes. 0: off.
     */
    seasonality: z.number().min(0).max(1).default(0.4),
    /** Penalty per change point, in units of log(n) (BIC counts the new parameters; 3 is the mBIC constant). */
    penalty: z.number().gt(0).default(3),
    /**
     * The noise variance is at least this share of the series' variance: a curve that a line follows up to a
     * small fraction of the series' own spread is not a stream of changes.
     */
    noiseFloor: z.number().gt(0).lt(1).default(0.1),
    minSegment: z.number().int().min(2).default(5),
    /** The search stops at this many change points (TCPDBench's default binary segmentation stops at 5). */
    maxChangePoints: z.number().int().min(1).max(50).default(3),
  })
  .strict();

export type SegmentationSettings = z.infer<typeof segmentationSettingsSchema>;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Robust noise variance from first differences: (1.4826 MAD)² / 2. Differences cancel levels and trends, and the
 * median ignores the few large differences at change points and outliers.
 */
export function differenceNoiseVariance(ys: readonly number[]): number {
  if (ys.length < 3) return 0;
  const d = ys.slice(1).map((y, i) => y - (ys[i] as number));
  const m = median(d);
  const mad = median(d.map((x) => Math.abs(x - m)));
  return (1.4826 * mad) ** 2 / 2;
}

/**
 * Hampel's identifier: each reading further than `threshold` robust standard deviations (1.4826 × the median of
 * all readings' distances to their window medians) from the median of the 2·half + 1 readings around it is
 * replaced by that median.
 */
export function replaceOutliers(ys: readonly number[], threshold: number, half = 2): number[] {
  if (threshold <= 0 || ys.length < 2 * half + 1) return [...ys];
  const medians = ys.map((_, i) => median(ys.slice(Math.max(0, i - half), i + half + 1)));
  const distances = ys.map((y, i) => Math.abs(y - (medians[i] as number)));
  const scale = 1.4826 * median(distances);
  if (!(scale > 0)) return [...ys];
  return ys.map((y, i) => ((distances[i] as number) > threshold * scale ? (medians[i] as number) : y));
}

/** Prefix sums of 1, t, t², y, t·y, y² so that any segment's least-squares fit costs O(1). */
class SegmentCosts {
  private readonly t: number[] = [0];
  private readonly tt: number[] = [0];
  private readonly y: number[] = [0];
  private readonly ty: number[] = [0];
  private readonly yy: number[] = [0];

  constructor(
    times: readonly number[],
    ys: readonly number[],
    /** The cost of a segment's slope, in units of σ² (Infinity: levels only; 0: lines only). */
    private readonly slopeCost: number,
  ) {
    ys.forEach((v, i) => {
      // Times relative to the first reading keep the sums small.
      const t = (times[i] as number) - (times[0] as number);
      this.t.push((this.t[i] as number) + t);
      this.tt.push((this.tt[i] as number) + t * t);
      this.y.push((this.y[i] as number) + v);
      this.ty.push((this.ty[i] as number) + t * v);
      this.yy.push((this.yy[i] as number) + v * v);
    });
  }

  /**
   * Cost of readings [a, b), in units of σ²: the residual sum of squares about their best level, or about their
   * best line plus the slope's cost when that is less.
   */
  cost(a: number, b: number, sigma2: number): number {
    const m = b - a;
    const sy = (this.y[b] as number) - (this.y[a] as number);
    const level = Math.max((this.yy[b] as number) - (this.yy[a] as number) - (sy * sy) / m, 0) / sigma2;
    if (this.slopeCost === Infinity || m < 3) return level;
    const st = (this.t[b] as number) - (this.t[a] as number);
    const vt = (this.tt[b] as number) - (this.tt[a] as number) - (st * st) / m;
    if (!(vt > 1e-12)) return level;
    const c = (this.ty[b] as number) - (this.ty[a] as number) - (st * sy) / m;
    const line = Math.max(level * sigma2 - (c * c) / vt, 0) / sigma2 + this.slopeCost;
    return Math.min(level, line);
  }
}

/**
 * Change points of a whole series (indices where a new segment starts; missing readings are skipped, indices
 * kept; lone outliers replaced first). The cost of a partition is Σ (RSS / σ² + slopePenalty · log n for each
 * segment that is a line) + k · penalty · log n, σ² = max(difference noise variance, noiseFloor · variance, seasonal variance); for
 * each k up to maxChangePoints the exact best partition is found by dynamic programming over segment ends
 * (segment neighbourhood, O(k n²)), and the k of least cost is kept.
 */
export function penalisedSegmentation(
  values: readonly (number | null)[],
  s: SegmentationSettings = segmentationSettingsSchema.parse({}),
): number[] {
  const times: number[] = [];
  const present: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      times.push(i);
      present.push(v);
    }
  });
  // The season is found before outliers are replaced: a season's peaks would look like lone outliers.
  const period = s.seasonality > 0 ? seasonalPeriod(present, s.seasonality) : 0;
  const ys = replaceOutliers(present, s.outlierThreshold);
  const n = ys.length;
  const L = s.minSegment;
  if (n < 2 * L) return [];
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const variance = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  if (!(variance > 0)) return [];
  const seasonal = seasonalVariance(present, period);
  const sigma2 = Math.max(differenceNoiseVariance(ys), s.noiseFloor * variance, seasonal);
  const slopeCost = s.model === 'linear' ? s.slopePenalty * Math.log(n) : Infinity;
  const costs = new SegmentCosts(times, ys, slopeCost);
  const cost = (a: number, b: number) => costs.cost(a, b, sigma2);
  const penalty = s.penalty * Math.log(n);

  // best[b]: least cost of readings [0, b) in k + 1 segments; from[k][b]: where its last segment starts.
  let best: number[] = Array.from({ length: n + 1 }, (_, b) => (b >= L ? cost(0, b) : Infinity));
  const from: number[][] = [];
  let bestTotal = best[n] as number;
  let bestK = 0;
  const maxK = Math.min(s.maxChangePoints, Math.floor(n / L) - 1);
  for (let k = 1; k <= maxK; k++) {
    const next: number[] = new Array<number>(n + 1).fill(Infinity);
    const arg: number[] = new Array<number>(n + 1).fill(-1);
    for (let b = (k + 1) * L; b <= n; b++) {
      for (let a = k * L; a <= b - L; a++) {
        const prev = best[a] as number;
        if (prev === Infinity) continue;
        const v = prev + cost(a, b);
        if (v < (next[b] as number)) {
          next[b] = v;
          arg[b] = a;
        }
      }
    }
    from.push(arg);
    best = next;
    const total = (best[n] as number) + k * penalty;
    if (total < bestTotal) {
      bestTotal = total;
      bestK = k;
    }
  }
  const starts: number[] = [];
  for (let k = bestK, b = n; k > 0; k--) {
    const a = (from[k - 1] as number[])[b] as number;
    starts.push(times[a] as number);
    b = a;
  }
  return starts.sort((a, b) => a - b);
}

/** The retrospective segmentation model of each detector kind (see the monitoring guide). */
export function retrospectiveModel(kind: DetectorKind): SegmentationSettings['model'] {
  return kind === 'spc' ? 'constant' : 'linear';
}
