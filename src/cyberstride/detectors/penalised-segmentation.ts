// Offline change points by penalised least squares: the best partition of a whole series into segments that
// are each a straight line (level and slope changes) or a constant (level changes), found exactly.
import { z } from 'zod';
import type { DetectorKind } from './detector';

export const segmentationSettingsSchema = z
  .object({
    /** 'linear': each segment is a line, so a trend is one segment; 'constant': each segment is a level. */
    model: z.enum(['linear', 'constant']).default('linear'),
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
    private readonly linear: boolean,
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

  /** Residual sum of squares of readings [a, b) about their best constant or line. */
  rss(a: number, b: number): number {
    const m = b - a;
    const sy = (this.y[b] as number) - (this.y[a] as number);
    let rss = (this.yy[b] as number) - (this.yy[a] as number) - (sy * sy) / m;
    if (this.linear && m >= 2) {
      const st = (this.t[b] as number) - (this.t[a] as number);
      const vt = (this.tt[b] as number) - (this.tt[a] as number) - (st * st) / m;
      if (vt > 1e-12) {
        const c = (this.ty[b] as number) - (this.ty[a] as number) - (st * sy) / m;
        rss -= (c * c) / vt;
      }
    }
    return Math.max(rss, 0);
  }
}

/**
 * Change points of a whole series (indices where a new segment starts; missing readings are skipped, indices
 * kept). The cost of a partition is Σ RSS / σ² + k · penalty · log n, σ² = max(difference noise variance,
 * noiseFloor · variance); for each k up to maxChangePoints the exact best partition is found by dynamic
 * programming over segment ends (segment neighbourhood, O(k n²)), and the k of least cost is kept.
 */
export function penalisedSegmentation(
  values: readonly (number | null)[],
  s: SegmentationSettings = segmentationSettingsSchema.parse({}),
): number[] {
  const times: number[] = [];
  const ys: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      times.push(i);
      ys.push(v);
    }
  });
  const n = ys.length;
  const L = s.minSegment;
  if (n < 2 * L) return [];
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const variance = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  if (!(variance > 0)) return [];
  const sigma2 = Math.max(differenceNoiseVariance(ys), s.noiseFloor * variance);
  const costs = new SegmentCosts(times, ys, s.model === 'linear');
  const cost = (a: number, b: number) => costs.rss(a, b) / sigma2;
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
