// Robust straight-line summaries of a short run of readings: the Theil–Sen line (median of pairwise slopes) and
// the spread of the readings about it (1.4826 × median absolute residual), so a level shift or an outlier in a
// few of the readings moves neither, and a curve that a line does not follow (a season) counts as spread.

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0
    ? 0
    : s.length % 2 === 1
      ? (s[m] as number)
      : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export interface RobustLine {
  /** The line's value at index 0 and its slope per index. */
  intercept: number;
  slope: number;
  /** Robust standard deviation of the residuals about the line (0 when they do not vary). */
  scale: number;
}

/**
 * The Theil–Sen line through (xs[i], ys[i]) (xs defaults to 0, 1, …; distinct and increasing) and the robust
 * scale of the residuals; O(n²), for short runs.
 */
export function robustLine(ys: readonly number[], xs?: readonly number[]): RobustLine {
  const n = ys.length;
  const x = (i: number) => (xs === undefined ? i : (xs[i] as number));
  const slopes: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) slopes.push(((ys[j] as number) - (ys[i] as number)) / (x(j) - x(i)));
  const slope = median(slopes);
  const intercept = median(ys.map((y, i) => y - slope * x(i)));
  const residuals = ys.map((y, i) => y - intercept - slope * x(i));
  const scale = 1.4826 * median(residuals.map((r) => Math.abs(r)));
  return { intercept, slope, scale };
}

/** Robust noise standard deviation from first differences: 1.4826 MAD(Δy) / √2 (levels and trends cancel). */
export function differenceScale(ys: readonly number[]): number {
  if (ys.length < 3) return 0;
  const d = ys.slice(1).map((y, i) => y - (ys[i] as number));
  const m = median(d);
  return (1.4826 * median(d.map((x) => Math.abs(x - m)))) / Math.SQRT2;
}
