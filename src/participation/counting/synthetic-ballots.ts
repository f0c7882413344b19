// Seeded generated ranked ballots (benchmarks): candidates of unequal appeal, rankings of varied length.

import { Random } from '../../numeric/synthetic/random';
import type { RankedBallots } from './ranked-ballots';

export interface SyntheticBallotOptions {
  ballots: number;
  candidates: number;
  seed: number;
}

/**
 * Each voter ranks candidates drawn without replacement with weights (1/(k+1))^0.8, perturbed per voter,
 * and stops after 1 to all candidates (shorter rankings more often), as real ranked ballots do.
 */
export function syntheticRankedBallots(options: SyntheticBallotOptions): RankedBallots {
  const { ballots: size, candidates: n, seed } = options;
  const random = new Random(seed);
  const appeal = Array.from({ length: n }, (_, k) => (1 / (k + 1)) ** 0.8);
  const offsets = new Int32Array(size + 1);
  let capacity = size * 4;
  let ranks = new Uint16Array(capacity);
  let choices = new Uint16Array(capacity);
  const weights = new Float64Array(n);
  let length = 0;
  for (let b = 0; b < size; b++) {
    const wanted = 1 + Math.floor(random.next() ** 2 * n);
    if (length + wanted > capacity) {
      capacity *= 2;
      const r = new Uint16Array(capacity);
      r.set(ranks);
      ranks = r;
      const c = new Uint16Array(capacity);
      c.set(choices);
      choices = c;
    }
    let total = 0;
    for (let k = 0; k < n; k++) {
      const w = (appeal[k] as number) * (0.5 + random.next());
      weights[k] = w;
      total += w;
    }
    for (let r = 1; r <= wanted; r++) {
      let pick = random.next() * total;
      let k = 0;
      while (k < n - 1 && (pick -= weights[k] as number) > 0) k++;
      while (weights[k] === 0) k = (k + n - 1) % n;
      total -= weights[k] as number;
      weights[k] = 0;
      ranks[length] = r;
      choices[length] = k;
      length++;
    }
    offsets[b + 1] = length;
  }
  return { size, offsets, ranks: ranks.slice(0, length), choices: choices.slice(0, length) };
}
