// The Turing Change Point Dataset metrics (van den Burg & Williams 2020): F1 with a margin against several
// annotators and the segmentation covering, as in TCPDBench's analysis/scripts/metrics.py.

/**
 * True points of T matched by a prediction within `margin`, each prediction used at most once; T is walked in
 * ascending order and each takes its nearest remaining prediction (the smaller index on a tie).
 */
export function truePositives(truth: Iterable<number>, predicted: Iterable<number>, margin = 5): Set<number> {
  const remaining = new Set(predicted);
  const tp = new Set<number>();
  for (const tau of [...new Set(truth)].sort((a, b) => a - b)) {
    let best: number | null = null;
    for (const x of remaining) {
      const d = Math.abs(tau - x);
      if (d > margin) continue;
      if (best === null || d < Math.abs(tau - best) || (d === Math.abs(tau - best) && x < best)) best = x;
    }
    if (best === null) continue;
    tp.add(tau);
    remaining.delete(best);
  }
  return tp;
}

export interface FMeasure {
  f1: number;
  precision: number;
  recall: number;
}

/**
 * F1 against annotators: index 0 joins every set; precision counts against the union of the annotators'
 * points, recall is the mean over annotators, F = P R / (α R + (1 − α) P) with α = 1/2.
 */
export function fMeasure(
  annotations: readonly (readonly number[])[],
  predictions: readonly number[],
  margin = 5,
): FMeasure {
  const sets = annotations.map((a) => new Set([0, ...a]));
  const X = new Set([0, ...predictions]);
  const union = new Set(sets.flatMap((t) => [...t]));
  const precision = truePositives(union, X, margin).size / X.size;
  const recall = sets.reduce((acc, t) => acc + truePositives(t, X, margin).size / t.size, 0) / sets.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall };
}

/** Segment lengths of [0, T) cut at the given change points (0 and points outside (0, T) cut nothing). */
export function segmentsFromChangePoints(locations: readonly number[], n: number): [number, number][] {
  const cuts = [...new Set(locations)].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
  const bounds = [0, ...cuts, n];
  return bounds.slice(0, -1).map((b, i) => [b, bounds[i + 1] as number]);
}

/** Covering of segmentation S (truth) by S′ (prediction): (1/T) Σ_{A∈S} |A| max_{A′∈S′} Jaccard(A, A′). */
export function coverSingle(predicted: [number, number][], truth: [number, number][]): number {
  const T = truth.reduce((acc, [a, b]) => acc + b - a, 0);
  let c = 0;
  for (const [a, b] of truth) {
    let best = 0;
    for (const [p, q] of predicted) {
      const inter = Math.max(0, Math.min(b, q) - Math.max(a, p));
      if (inter === 0) continue;
      const union = Math.max(b, q) - Math.min(a, p);
      best = Math.max(best, inter / union);
    }
    c += (b - a) * best;
  }
  return c / T;
}

/** The covering averaged over annotators. */
export function covering(
  annotations: readonly (readonly number[])[],
  predictions: readonly number[],
  n: number,
): number {
  const predicted = segmentsFromChangePoints(predictions, n);
  const covers = annotations.map((a) => coverSingle(predicted, segmentsFromChangePoints(a, n)));
  return covers.reduce((a, b) => a + b, 0) / covers.length;
}
