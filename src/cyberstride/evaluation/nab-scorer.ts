// The Numenta Anomaly Benchmark's scoring of one file at one threshold (NAB's Scorer): the first detection
// in each labelled window earns the scaled sigmoid of its position, a missed window costs the profile's
// false-negative weight, and each detection outside the windows costs the false-positive weight, less
// when it falls soon after a window. Pure: typed arrays in, the per-row contributions S(t) out.

/** A profile's cost matrix, as in NAB's config/profiles.json. */
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** A labelled window as the row indices it covers (inclusive); windows that cover no row are dropped. */
export interface WindowRows {
  first: number;
  last: number;
}

/** NAB's fraction of each file that is not scored while a detector learns (15%, at most 750 rows). */
export const PROBATION_PERCENT = 0.15;

/** NAB's scaled sigmoid: about 0.987 at the left edge of a window (−1), 0 at its right edge, −1 beyond 3. */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

/** The rows at the start of a file that are not scored: min(⌊p·n⌋, p·5000), as NAB's getProbationPeriod. */
export function probationLength(rows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** The rows each window covers: timestamps within [start, end], in window order. */
export function windowRows(
  times: ArrayLike<number>,
  windows: { start: number; end: number }[],
): WindowRows[] {
  const out: WindowRows[] = [];
  for (const w of windows) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as number;
      if (t < w.start || t > w.end) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first >= 0) out.push({ first, last });
  }
  return out;
}

const MAX_TP = scaledSigmoid(-1);

/** What a detection at row i earns inside window w: the sigmoid of its position, scaled so the left edge is 1. */
export function truePositiveWeight(w: WindowRows, i: number, cost: CostMatrix): number {
  const length = w.last - w.first + 1;
  return (scaledSigmoid(-(w.last - i + 1) / length) * cost.tpWeight) / MAX_TP;
}

/**
 * What a detection at row i outside every window costs: −fpWeight with no window before it, else the sigmoid
 * of its distance past the closest preceding window's right edge, in window lengths (a window of one row
 * counts as infinitely narrow).
 */
export function falsePositiveWeight(previous: WindowRows | null, i: number, cost: CostMatrix): number {
  if (previous === null) return -cost.fpWeight;
  const span = previous.last - previous.first;
  const position = span === 0 ? Infinity : Math.abs(previous.last - i) / span;
  return scaledSigmoid(position) * cost.fpWeight;
}

export interface FileScore {
  score: number;
  /** Row counts after the probationary period, as NAB reports them. */
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Per row, its contribution S(t): each window's outcome at its first row, each false positive at its own. */
  contributions: Float64Array;
  /** Per window, the row of its first detection, or null when it was missed. */
  detectedAt: (number | null)[];
}

/** Scores one file: a row is a detection when its anomaly score is at least `threshold`. */
export function scoreFile(
  anomalyScores: ArrayLike<number>,
  windows: WindowRows[],
  cost: CostMatrix,
  threshold: number,
  probationPercent = PROBATION_PERCENT,
): FileScore {
  const n = anomalyScores.length;
  const probation = probationLength(n, probationPercent);
  const contributions = new Float64Array(n);
  const inWindow = new Int32Array(n).fill(-1);
  windows.forEach((w, k) => inWindow.fill(k, w.first, w.last + 1));
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let score = 0;
  const detectedAt: (number | null)[] = windows.map(() => null);
  let previous: WindowRows | null = null;
  const falsePositives: { row: number; previous: WindowRows | null }[] = [];
  for (let i = 0; i < n; i++) {
    const k = inWindow[i] as number;
    if (i >= probation) {
      const detected = (anomalyScores[i] as number) >= threshold;
      if (k >= 0) {
        if (detected) {
          tp++;
          detectedAt[k] ??= i;
        } else fn++;
      } else if (detected) {
        fp++;
        falsePositives.push({ row: i, previous });
      } else tn++;
    }
    if (k >= 0 && i === (windows[k] as WindowRows).last) previous = windows[k] as WindowRows;
  }
  windows.forEach((w, k) => {
    const at = detectedAt[k] ?? null;
    const value = at === null ? -cost.fnWeight : truePositiveWeight(w, at, cost);
    contributions[w.first] = value;
    score += value;
  });
  for (const f of falsePositives) {
    const value = falsePositiveWeight(f.previous, f.row, cost);
    contributions[f.row] = value;
    score += value;
  }
  return { score, tp, fp, tn, fn, contributions, detectedAt };
}
