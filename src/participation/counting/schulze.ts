// Condorcet voting by the Schulze method: pairwise preferences, strongest paths, winners never beaten.

import { checkQuorum, type DecisionOptions, type QuorumOutcome } from './decision-rules';
import { OVERVOTE, type RankedBallots } from './ranked-ballots';

export type SchulzeResult = {
  method: 'schulze';
  ballots: number;
  options: string[];
  /** pairwise[i][j]: ballots that rank option i above option j. */
  pairwise: number[][];
  /** strongestPaths[i][j]: strength of the strongest path from i to j (widest path over d[x][y] > d[y][x]). */
  strongestPaths: number[][];
  /** The option that beats every other head to head, if there is one. */
  condorcetWinner: string | null;
  /** Options that no option beats by strongest path (several when tied). */
  winners: string[];
  /** Options in Schulze order: by how many others each beats by strongest path. */
  ranking: string[];
  quorum: QuorumOutcome;
};

/**
 * Counts ranked ballots (equal ranks allowed: several options at one rank) by Schulze.
 * Options left unranked count as below every ranked one.
 */
export function countSchulze(
  options: readonly string[],
  ballots: RankedBallots,
  decision: DecisionOptions = {},
): SchulzeResult {
  const n = options.length;
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const level = new Int32Array(n);
  let total = 0;
  for (let b = 0; b < ballots.size; b++) {
    const weight = ballots.counts ? (ballots.counts[b] as number) : 1;
    total += weight;
    level.fill(0x7fffffff);
    for (let i = ballots.offsets[b] as number; i < (ballots.offsets[b + 1] as number); i++) {
      const c = ballots.choices[i] as number;
      if (c === OVERVOTE || c >= n) continue;
      // A repeated option keeps its best rank.
      level[c] = Math.min(level[c] as number, ballots.ranks[i] as number);
    }
    for (let x = 0; x < n; x++) {
      const row = d[x] as number[];
      for (let y = 0; y < n; y++)
        if ((level[x] as number) < (level[y] as number)) row[y] = (row[y] as number) + weight;
    }
  }
  const p = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      const dij = (d[i] as number[])[j] as number;
      return i !== j && dij > ((d[j] as number[])[i] as number) ? dij : 0;
    }),
  );
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      for (let k = 0; k < n; k++) {
        if (i === k || j === k) continue;
        const pj = p[j] as number[];
        pj[k] = Math.max(pj[k] as number, Math.min(pj[i] as number, (p[i] as number[])[k] as number));
      }
    }
  }
  const beats = (i: number, j: number): boolean =>
    ((p[i] as number[])[j] as number) > ((p[j] as number[])[i] as number);
  const wins = options.map((_, i) => options.filter((_, j) => j !== i && beats(i, j)).length);
  const winners = options.filter((_, i) => options.every((_, j) => j === i || !beats(j, i)));
  const headToHead = (i: number, j: number): boolean =>
    ((d[i] as number[])[j] as number) > ((d[j] as number[])[i] as number);
  const condorcet = options.findIndex((_, i) => options.every((_, j) => j === i || headToHead(i, j)));
  return {
    method: 'schulze',
    ballots: total,
    options: [...options],
    pairwise: d,
    strongestPaths: p,
    condorcetWinner: condorcet >= 0 ? (options[condorcet] as string) : null,
    winners,
    ranking: options
      .map((_, i) => i)
      .sort((a, b) => (wins[b] as number) - (wins[a] as number) || a - b)
      .map((i) => options[i] as string),
    quorum: checkQuorum(total, decision),
  };
}
