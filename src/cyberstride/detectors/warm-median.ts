// The warm-up's robust z (|x − median| / (1.4826·MAD) of the readings so far) from a sorted copy of them kept
// beside the state, instead of a copy and two selections of the whole window at every reading: a warm-up of
// 300 readings then costs a binary insertion and a walk over half the window per reading, not two passes of
// quickselect over a fresh copy. The median of a sorted array is the same element (or the same two elements
// averaged) that the selection finds, and the MAD walk visits the same |v − centre| values in order, so the
// result is the same to the last bit. The copy is keyed by the state's own warm-up array (a WeakMap), so a
// restored state (a new array) or one updated twice simply re-sorts; the stored state is unchanged.

interface Sorted {
  values: Float64Array;
  length: number;
}

const sortedOf = new WeakMap<readonly number[], Sorted>();

/** The sorted copy of `warm`, made afresh unless the one kept for this very array still matches its length. */
function sortedFor(warm: readonly number[]): Sorted {
  const kept = sortedOf.get(warm);
  if (kept !== undefined && kept.length === warm.length) return kept;
  const values = new Float64Array(Math.max(16, 2 * warm.length));
  for (let i = 0; i < warm.length; i++) values[i] = warm[i] as number;
  values.subarray(0, warm.length).sort();
  const made = { values, length: warm.length };
  sortedOf.set(warm, made);
  return made;
}

/** Moves the sorted copy of `previous` to `next` (= previous plus `value`), inserting `value`. */
export function carrySorted(previous: readonly number[], next: readonly number[], value: number): void {
  const s = sortedFor(previous);
  sortedOf.delete(previous);
  if (s.length === s.values.length) {
    const grown = new Float64Array(2 * s.values.length);
    grown.set(s.values);
    s.values = grown;
  }
  const a = s.values;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  a.copyWithin(lo + 1, lo, s.length);
  a[lo] = value;
  s.length++;
  sortedOf.set(next, s);
}

/** The median of a[0..n) sorted: the middle element, or the mean of the two middle ones (0 for none). */
function sortedMedian(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  const m = n >> 1;
  if (n % 2 === 1) return a[m] as number;
  return ((a[m - 1] as number) + (a[m] as number)) / 2;
}

/**
 * The median of |a[i] − centre| over sorted a[0..n): a merge of the deviations below the centre (growing
 * leftwards) and above it (growing rightwards) up to the middle one(s), the same values the selection saw.
 */
function deviationMedian(a: Float64Array, n: number, centre: number): number {
  if (n === 0) return 0;
  const k = n >> 1;
  // The first element not below the centre splits the two runs.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < centre) lo = mid + 1;
    else hi = mid;
  }
  let left = lo - 1;
  let right = lo;
  let d = 0;
  let before = 0;
  for (let taken = 0; taken <= k; taken++) {
    before = d;
    const dl = left >= 0 ? Math.abs((a[left] as number) - centre) : Infinity;
    const dr = right < n ? Math.abs((a[right] as number) - centre) : Infinity;
    if (dl <= dr) {
      d = dl;
      left--;
    } else {
      d = dr;
      right++;
    }
  }
  return n % 2 === 1 ? d : (before + d) / 2;
}

/** |x − median| / (1.4826·MAD) over `warm`; 0 when they do not vary (as robustZ over the array). */
export function sortedRobustZ(warm: readonly number[], x: number): { z: number; centre: number } {
  const { values: a, length: n } = sortedFor(warm);
  const centre = sortedMedian(a, n);
  const mad = 1.4826 * deviationMedian(a, n, centre);
  return { z: mad > 0 ? Math.abs(x - centre) / mad : 0, centre };
}
