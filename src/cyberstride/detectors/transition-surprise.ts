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

/**
 * The counts' keys as strings made once: a key built per look-up (`${previous}>${b}`, 60 of them per forecast)
 * was a new string each time, hashed afresh by the object look-up, and a fifth of the default detector's CPU in
 * the detection runner's profile. A made-once key is the same text (so the same property, the same JSON), and its
 * hash is kept with it. Levels outside the table's span (a grid of more bins than it was made for) build theirs.
 */
const KEY_LOW = -201;
const KEY_SPAN = 602; // levels −201 … 400: a grid of at most 200 bins, and one more each side (b ± 1)
const pairKeys: (string | undefined)[][] = [];
const levelKeys: (string | undefined)[] = [];

/** The index of a level in the tables, or −1 for one outside them (or not an integer). */
function slot(level: number): number {
  const i = level - KEY_LOW;
  return (i | 0) === i && i >= 0 && i < KEY_SPAN ? i : -1;
}

function pairKey(previous: number, b: number): string {
  const i = slot(previous);
  const j = slot(b);
  if (i < 0 || j < 0) return `${previous}>${b}`;
  const row = (pairKeys[i] ??= new Array<string | undefined>(KEY_SPAN));
  return (row[j] ??= `${previous}>${b}`);
}

function levelKey(previous: number): string {
  const i = slot(previous);
  if (i < 0) return String(previous);
  return (levelKeys[i] ??= String(previous));
}

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
  const total = counts[levelKey(previous)] ?? 0;
  if (total === 0) return 1;
  let seen = 0;
  for (let d = -1; d <= 1; d++) seen += counts[pairKey(previous, b + d)] ?? 0;
  return seen === 0 ? 1 : Math.max(0, 1 - seen / Math.min(total, familiar));
}

/** Records that level `b` followed level `previous` (in place: the table is the detector's own state). */
export function recordTransition(counts: TransitionCounts, previous: number, b: number): void {
  const key = pairKey(previous, b);
  counts[key] = (counts[key] ?? 0) + 1;
  const level = levelKey(previous);
  counts[level] = (counts[level] ?? 0) + 1;
}

let nextLevels = new Float64Array(64);
let nextCounts = new Float64Array(64);

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
  const total = counts[levelKey(previous)] ?? 0;
  if (total < minimum) return null;
  // The levels that followed `previous` and their counts, ascending, in scratch arrays (an array of [b, c]
  // pairs per forecast was garbage at every reading); the same walks and the same sum in the same order.
  const span = 3 * grid.bins;
  if (nextLevels.length < span) {
    nextLevels = new Float64Array(span);
    nextCounts = new Float64Array(span);
  }
  let count = 0;
  for (let b = -grid.bins; b < 2 * grid.bins; b++) {
    const c = counts[pairKey(previous, b)];
    if (c !== undefined) {
      nextLevels[count] = b;
      nextCounts[count++] = c;
    }
  }
  const tail = ((1 - level) / 2) * total;
  let below = 0;
  let lowerLevel = count > 0 ? (nextLevels[0] as number) : previous;
  for (let k = 0; k < count; k++) {
    const c = nextCounts[k] as number;
    if (below + c > tail) {
      lowerLevel = nextLevels[k] as number;
      break;
    }
    below += c;
  }
  let above = 0;
  let upperLevel = count > 0 ? (nextLevels[count - 1] as number) : previous;
  for (let k = count - 1; k >= 0; k--) {
    const c = nextCounts[k] as number;
    if (above + c > tail) {
      upperLevel = nextLevels[k] as number;
      break;
    }
    above += c;
  }
  let sum = 0;
  for (let k = 0; k < count; k++) sum += ((nextLevels[k] as number) + 0.5) * (nextCounts[k] as number);
  const mean = sum / total;
  return {
    mean: grid.low + mean * grid.width,
    lower: grid.low + lowerLevel * grid.width,
    upper: grid.low + (upperLevel + 1) * grid.width,
    level,
  };
}
