// A regular seasonal pattern, so that a retrospective segmentation does not read a season's rises and falls as
// changes: the period is found from the autocorrelation of the first differences, and how much the season moves
// the series from the readings about their moving average of one period.

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

/** Centred moving average of one period at each reading (a 2×p average when p is even); null near the ends. */
function movingAverage(ys: readonly number[], period: number): (number | null)[] {
  const half = Math.floor(period / 2);
  return ys.map((_, i) => {
    if (i - half < 0 || i + half >= ys.length) return null;
    let sum = 0;
    for (let j = i - half; j <= i + half; j++)
      sum += (ys[j] as number) * (period % 2 === 0 && (j === i - half || j === i + half) ? 0.5 : 1);
    return sum / period;
  });
}

/**
 * What a season of the given period moves the series by: over each whole cycle, the mean square of the readings
 * about their moving average of one period; the `quantile` of those (0.9: a season whose amplitude grows with
 * the level is judged by its late, large cycles, and one cycle spoilt by a level shift does not decide). 0 when
 * fewer than two whole cycles have a moving average.
 */
export function seasonalVariance(ys: readonly number[], period: number, quantile = 0.9): number {
  if (period < 2) return 0;
  const average = movingAverage(ys, period);
  const cycles: number[] = [];
  for (let start = 0; start + period <= ys.length; start += period) {
    let sum = 0;
    let whole = true;
    for (let i = start; i < start + period; i++) {
      const m = average[i];
      if (m === null || m === undefined) whole = false;
      else sum += ((ys[i] as number) - m) ** 2;
    }
    if (whole) cycles.push(sum / period);
  }
  if (cycles.length < 2) return 0;
  cycles.sort((a, b) => a - b);
  return cycles[Math.min(cycles.length - 1, Math.floor(quantile * cycles.length))] as number;
}
