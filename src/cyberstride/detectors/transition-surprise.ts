// Predictive surprise from a learned transition table: readings are placed on a fixed grid of levels (learned
// from the first readings), the series' own history counts which level follows which, and a reading is
// surprising when the level it reached has rarely or never followed the previous one. Periodic shapes,
// plateaus and noise bands become familiar; a new shape, a flat stretch where the series used to move, or a
// jump to an unvisited level does not. The counts are bounded by the grid, so a step costs O(1).

export interface TransitionGrid {
  /** Lower edge and width of the levels, fixed when warm-up ends. */
  low: number;
  width: number;
  /** Levels beyond the warm-up range are kept up to `bins` more on each side, then clamped. */
  bins: number;
}

/** Counts "a>b" (level b followed level a) and "a" (level a was followed by anything). */
export type TransitionCounts = Record<string, number>;

/** The level of a reading on the grid, clamped to [−bins, 2·bins − 1]. */
export function levelOf(grid: TransitionGrid, value: number): number {
  const b = Math.floor((value - grid.low) / grid.width);
  return Math.max(-grid.bins, Math.min(2 * grid.bins - 1, b));
}

/**
 * How unexpected level `b` is after level `previous`, in [0, 1]: 1 when the previous level was never seen or
 * nothing near `b` ever followed it; otherwise 1 − (times b or a neighbour followed it) / min(times it was
 * followed, `familiar`), so a transition seen `familiar` times is no surprise at all.
 */
export function transitionSurprise(
  counts: TransitionCounts,
  previous: number,
  b: number,
  familiar: number,
): number {
  const total = counts[String(previous)] ?? 0;
  if (total === 0) return 1;
  let seen = 0;
  for (let d = -1; d <= 1; d++) seen += counts[`${previous}>${b + d}`] ?? 0;
  return seen === 0 ? 1 : Math.max(0, 1 - seen / Math.min(total, familiar));
}

/** Records that level `b` followed level `previous` (in place: the table is the detector's own state). */
export function recordTransition(counts: TransitionCounts, previous: number, b: number): void {
  const key = `${previous}>${b}`;
  counts[key] = (counts[key] ?? 0) + 1;
  counts[String(previous)] = (counts[String(previous)] ?? 0) + 1;
}

/**
 * The central `level` range of the levels that followed `previous`, as values, with their mean; null until
 * the level was followed `minimum` times. This is the forecast the chart and the alert words show.
 */
export function transitionForecast(
  grid: TransitionGrid,
  counts: TransitionCounts,
  previous: number,
  level: number,
  minimum: number,
): { mean: number; lower: number; upper: number; level: number } | null {
  const total = counts[String(previous)] ?? 0;
  if (total < minimum) return null;
  const next: [number, number][] = [];
  for (let b = -grid.bins; b < 2 * grid.bins; b++) {
    const c = counts[`${previous}>${b}`];
    if (c !== undefined) next.push([b, c]);
  }
  const tail = ((1 - level) / 2) * total;
  let below = 0;
  let lowerLevel = next[0]?.[0] ?? previous;
  for (const [b, c] of next) {
    if (below + c > tail) {
      lowerLevel = b;
      break;
    }
    below += c;
  }
  let above = 0;
  let upperLevel = next[next.length - 1]?.[0] ?? previous;
  for (let k = next.length - 1; k >= 0; k--) {
    const [b, c] = next[k] as [number, number];
    if (above + c > tail) {
      upperLevel = b;
      break;
    }
    above += c;
  }
  const mean = next.reduce((s, [b, c]) => s + (b + 0.5) * c, 0) / total;
  return {
    mean: grid.low + mean * grid.width,
    lower: grid.low + lowerLevel * grid.width,
    upper: grid.low + (upperLevel + 1) * grid.width,
    level,
  };
}
