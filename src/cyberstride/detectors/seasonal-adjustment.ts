// A regular seasonal pattern, so that a retrospective segmentation does not read a season's rises and falls as
// changes: the period is found from the autocorrelation of the first differences, the seasonal profile by
// classical additive decomposition (centred moving average of one period, median per phase).

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The seasonal period of a series, or 0 when it has none: the lag (at most a third of the series, so that three
 * cycles are seen) of the highest autocorrelation of the first differences once that autocorrelation has been
 * negative, when it reaches `threshold`. Differences cancel levels and trends; asking for a dip first keeps a
 * smooth curve, whose differences are correlated at every short lag, from passing for a season.
 */
export function seasonalPeriod(ys: readonly number[], threshold: number): number {
  const d = ys.slice(1).map((y, i) => y - (ys[i] as number));
  if (d.length < 6) return 0;
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const c0 = d.reduce((a, b) => a + (b - mean) ** 2, 0);
  if (!(c0 > 0)) return 0;
  let dipped = false;
  let period = 0;
  let best = threshold;
  for (let k = 1; k <= Math.floor(d.length / 3); k++) {
    let c = 0;
    for (let i = k; i < d.length; i++) c += ((d[i] as number) - mean) * ((d[i - k] as number) - mean);
    const r = c / c0;
    if (r < 0) dipped = true;
    else if (dipped && k >= 2 && r > best) {
      best = r;
      period = k;
    }
  }
  return period;
}

/** The series less its additive seasonal profile (zero mean over a cycle) for the given period. */
export function removeSeason(ys: readonly number[], period: number): number[] {
  const n = ys.length;
  if (period < 2 || n < 2 * period) return [...ys];
  const half = Math.floor(period / 2);
  const byPhase: number[][] = Array.from({ length: period }, () => []);
  for (let i = half; i + half < n; i++) {
    // Centred moving average of one period (a 2×p average when p is even).
    let sum = 0;
    for (let j = i - half; j <= i + half; j++)
      sum += (ys[j] as number) * (period % 2 === 0 && (j === i - half || j === i + half) ? 0.5 : 1);
    (byPhase[i % period] as number[]).push((ys[i] as number) - sum / period);
  }
  const profile = byPhase.map((xs) => (xs.length > 0 ? median(xs) : 0));
  const centre = profile.reduce((a, b) => a + b, 0) / period;
  return ys.map((y, i) => y - ((profile[i % period] as number) - centre));
}
