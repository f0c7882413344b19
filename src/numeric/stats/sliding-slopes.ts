// The median of pairwise slopes of a window that slides by one point per call, kept sorted from call to call.
// A detector's trend window (SPC's centre line) drops its oldest reading and takes the new one at every step:
// of the n(n−1)/2 slopes, n−1 leave and n−1 arrive, the rest are the very same doubles. Merging those into the
// previous call's sorted slopes costs O(n) plus two small sorts, where selecting the median afresh costs a
// quickselect over all n(n−1)/2 (the larger share of the SPC detector's time). The median is a value, so it is
// the same bit for bit whichever way it is found. Anything else (a first call, a window that jumped, a −0 or
// NaN slope, whose order a sort and a quickselect could break differently) answers null: compute it afresh.

/**
 * The last call's points (x as given, or the index when none were: every difference x_j − x_i is then the
 * double it was), whether they are `kept`, and whether `sorted` holds their slopes in order (`valid`).
 */
let n = 0;
let implicitX = true;
let kept = false;
let valid = false;
let ys: Float64Array = new Float64Array(64);
let xs: Float64Array = new Float64Array(64);
let sorted: Float64Array = new Float64Array(2048);
let spare: Float64Array = new Float64Array(2048);
let gone: Float64Array = new Float64Array(64);
let come: Float64Array = new Float64Array(64);

function grown(a: Float64Array, size: number): Float64Array {
  return a.length >= size ? a : new Float64Array(Math.max(size, 2 * a.length));
}

const xOf = (given: readonly number[] | undefined, i: number) =>
  given === undefined ? i : (given[i] as number);

/** A slope whose place in a sorted order is not one value: −0 (equal to 0) or NaN (unordered). */
const unordered = (s: number) => s !== s || (s === 0 && 1 / s < 0);

function insertionSort(a: Float64Array, len: number): void {
  for (let i = 1; i < len; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

/** The median of a sorted run of `k` values, as a selection gives it (0 for none). */
function medianOfSorted(a: Float64Array, k: number): number {
  if (k === 0) return 0;
  const m = k >> 1;
  return k % 2 === 1 ? (a[m] as number) : ((a[m - 1] as number) + (a[m] as number)) / 2;
}

/** The slopes (y_j − y_i) / (x_j − x_i), i < j, of the kept points into `to` from `at`; false if one is unordered. */
function slopesOf(
  i: number,
  to: Float64Array,
  at: number,
  jFrom: number,
  jTo: number,
  last: boolean,
): boolean {
  let p = at;
  for (let j = jFrom; j < jTo; j++) {
    const s = last
      ? ((ys[i] as number) - (ys[j] as number)) / ((xs[i] as number) - (xs[j] as number))
      : ((ys[j] as number) - (ys[i] as number)) / ((xs[j] as number) - (xs[i] as number));
    if (unordered(s)) return false;
    to[p++] = s;
  }
  return true;
}

/** Sorts every pairwise slope of the kept points into `sorted`; false if one has no single place. */
function rebuild(): boolean {
  const k = (n * (n - 1)) / 2;
  sorted = grown(sorted, k);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (!slopesOf(i, sorted, p, i + 1, n, false)) return false;
    p += n - 1 - i;
  }
  sorted.subarray(0, k).sort();
  return true;
}

/** Merges `sorted` less `gone` plus `come` (each sorted, m values) into `sorted`; false if they do not add up. */
function merge(m: number): boolean {
  insertionSort(gone, m);
  insertionSort(come, m);
  const k = (n * (n - 1)) / 2;
  spare = grown(spare, k);
  let q = 0;
  let r = 0;
  let o = 0;
  for (let p = 0; p < k; p++) {
    const v = sorted[p] as number;
    if (q < m && v === (gone[q] as number)) {
      q++;
      continue;
    }
    while (r < m && (come[r] as number) < v) spare[o++] = come[r++] as number;
    spare[o++] = v;
  }
  while (r < m) spare[o++] = come[r++] as number;
  if (q !== m || o !== k) return false;
  [sorted, spare] = [spare, sorted];
  return true;
}

/**
 * The median of the pairwise slopes of (x[i], y[i]) when the points are the last call's, or the last call's
 * moved by one (the first dropped, one appended); otherwise null, and the points are kept for the next call.
 */
export function slidingSlopeMedian(y: readonly number[], x: readonly number[] | undefined): number | null {
  const len = y.length;
  const implicit = x === undefined;
  let same = kept && len === n && implicit === implicitX;
  let moved = same && len >= 2;
  for (let i = 0; (same || moved) && i < len; i++) {
    const yi = y[i] as number;
    const xi = xOf(x, i);
    if (same && (yi !== ys[i] || (!implicit && xi !== xs[i]))) same = false;
    if (moved && i < len - 1 && (yi !== ys[i + 1] || (!implicit && xi !== xs[i + 1]))) moved = false;
  }
  if (same) {
    if (!valid) valid = rebuild();
    return valid ? medianOfSorted(sorted, (n * (n - 1)) / 2) : null;
  }
  const m = len - 1;
  // Moved by one: the first point's slopes leave, computed as they were, before the points are overwritten.
  let ok = false;
  if (moved) {
    if (!valid) valid = rebuild();
    gone = grown(gone, m);
    come = grown(come, m);
    ok = valid && slopesOf(0, gone, 0, 1, len, false);
  }
  n = len;
  implicitX = implicit;
  ys = grown(ys, len);
  xs = grown(xs, len);
  for (let i = 0; i < len; i++) {
    ys[i] = y[i] as number;
    xs[i] = xOf(x, i);
  }
  kept = true;
  // The new last point's slopes arrive; each is (y_last − y_i) / (x_last − x_i), as a fresh pass computes it.
  valid = ok && slopesOf(m, come, 0, 0, m, true) && merge(m);
  return valid ? medianOfSorted(sorted, (n * (n - 1)) / 2) : null;
}
