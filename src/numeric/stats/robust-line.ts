// Robust straight-line summaries of a short run of readings: the Theil–Sen line (median of pairwise slopes) and
// the spread of the readings about it (1.4826 × median absolute residual), so a level shift or an outlier in a
// few of the readings moves neither, and a curve that a line does not follow (a season) counts as spread.

import { slidingSlopeMedian } from './sliding-slopes';

/** Scratch for the order statistics: robustLine runs at every step of a detector, so it must not allocate. */
let scratch = new Float64Array(256);

function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

/**
 * The k-th smallest of a[0..n) by quickselect (Hoare's FIND), reordering a in place: after it, a[0..k) ≤ a[k].
 * The same value a full sort would put at k, in O(n) instead of O(n log n).
 */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/** The median of a[0..n), reordering a; 0 for none. */
function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  const m = n >> 1;
  const upper = select(a, n, m);
  if (n % 2 === 1) return upper;
  // After select, the lower middle is the largest of a[0..m).
  let lower = a[0] as number;
  for (let i = 1; i < m; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/** The median of xs (0 for none) without sorting a copy: the same value a sort would give. */
export function median(xs: readonly number[]): number {
  const a = scratchOf(xs.length);
  for (let i = 0; i < xs.length; i++) a[i] = xs[i] as number;
  return medianInPlace(a, xs.length);
}

export interface RobustLine {
  /** The line's value at index 0 and its slope per index. */
  intercept: number;
  slope: number;
  /** Robust standard deviation of the residuals about the line (0 when they do not vary). */
  scale: number;
}

function xAt(xs: readonly number[] | undefined, i: number): number {
  return xs === undefined ? i : (xs[i] as number);
}

/**
 * The Theil–Sen line through (xs[i], ys[i]) (xs defaults to 0, 1, …; distinct and increasing) and the robust
 * scale of the residuals; O(n²), for short runs.
 */
export function robustLine(ys: readonly number[], xs?: readonly number[]): RobustLine {
  const n = ys.length;
  // xAt is a module-level function, not a closure made per call: under tsx (and a bundle that keeps names)
  // such a closure was also named at run time, a seventh of robustLine's time in the SPC detector's profile.
  const a = scratchOf((n * (n - 1)) / 2 + n);
  // A window moved by one point since the last call (a detector's trend window, step after step) has its
  // slopes' median from the previous call's sorted slopes (sliding-slopes.ts): the same value, found in O(n).
  let slope = slidingSlopeMedian(ys, xs);
  if (slope === null) {
    let k = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        a[k++] = ((ys[j] as number) - (ys[i] as number)) / (xAt(xs, j) - xAt(xs, i));
    slope = medianInPlace(a, k);
  }
  for (let i = 0; i < n; i++) a[i] = (ys[i] as number) - slope * xAt(xs, i);
  const intercept = medianInPlace(a, n);
  for (let i = 0; i < n; i++) a[i] = Math.abs((ys[i] as number) - intercept - slope * xAt(xs, i));
  const scale = 1.4826 * medianInPlace(a, n);
  return { intercept, slope, scale };
}

/** Robust noise standard deviation from first differences: 1.4826 MAD(Δy) / √2 (levels and trends cancel). */
export function differenceScale(ys: readonly number[]): number {
  if (ys.length < 3) return 0;
  const d = ys.slice(1).map((y, i) => y - (ys[i] as number));
  const m = median(d);
  return (1.4826 * median(d.map((x) => Math.abs(x - m)))) / Math.SQRT2;
}
