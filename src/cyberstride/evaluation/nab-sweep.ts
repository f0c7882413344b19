// NAB's threshold optimiser (its Sweeper): every distinct anomaly score over the whole corpus is a candidate
// threshold, scored in one pass from the highest down; the best corpus score wins (ties: the higher
// threshold). Then NAB's normalisation: the null detector scores 0 and a perfect one 100.
import {
  falsePositiveWeight,
  probationLength,
  PROBATION_PERCENT,
  truePositiveWeight,
  type CostMatrix,
  type WindowRows,
} from './nab-scorer';

export interface ScoredFile {
  anomalyScores: ArrayLike<number>;
  windows: WindowRows[];
}

export interface BestThreshold {
  threshold: number;
  /** The raw corpus score at that threshold (the sum of the files' scores). */
  score: number;
}

/** NAB starts its sweep above every score in [0, 1], where nothing is detected. */
const ABOVE_ALL = 1.1;

/**
 * The threshold with the best corpus score. Each scorable row (after its file's probation) gets the weight a
 * detection there would have, then rows are activated from the highest anomaly score down: a row in a window
 * lifts that window from −fnWeight to the best weight of its detected rows, a row outside adds its cost.
 */
export function bestThreshold(
  files: ScoredFile[],
  cost: CostMatrix,
  probationPercent = PROBATION_PERCENT,
): BestThreshold {
  const scores: number[] = [];
  const weights: number[] = [];
  const windowOf: number[] = [];
  let windows = 0;
  for (const file of files) {
    const n = file.anomalyScores.length;
    const probation = probationLength(n, probationPercent);
    let k = 0;
    let previous: WindowRows | null = null;
    for (let i = 0; i < n; i++) {
      const w = file.windows[k];
      const inside = w !== undefined && i >= w.first && i <= w.last;
      if (i >= probation) {
        scores.push(file.anomalyScores[i] as number);
        weights.push(inside ? truePositiveWeight(w, i, cost) : falsePositiveWeight(previous, i, cost));
        windowOf.push(inside ? windows + k : -1);
      }
      if (inside && i === w.last) {
        previous = w;
        k++;
      }
    }
    windows += file.windows.length;
  }
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const windowBest = new Float64Array(windows).fill(-cost.fnWeight);
  let current = -cost.fnWeight * windows;
  let best: BestThreshold = { threshold: ABOVE_ALL, score: current };
  let threshold = ABOVE_ALL;
  for (const r of order) {
    const s = scores[r] as number;
    if (s !== threshold) {
      if (current > best.score) best = { threshold, score: current };
      threshold = s;
    }
    const k = windowOf[r] as number;
    if (k < 0) current += weights[r] as number;
    else if ((weights[r] as number) > (windowBest[k] as number)) {
      current += (weights[r] as number) - (windowBest[k] as number);
      windowBest[k] = weights[r] as number;
    }
  }
  if (current > best.score) best = { threshold, score: current };
  return best;
}

/**
 * NAB's normalised score: 100·(score − null)/(perfect − null), where the null detector misses every window
 * (−fnWeight each) and a perfect one earns tpWeight for each.
 */
export function normalisedScore(score: number, windows: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  return perfect === nullScore ? 0 : (100 * (score - nullScore)) / (perfect - nullScore);
}
