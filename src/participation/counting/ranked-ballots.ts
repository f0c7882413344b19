// Ranked ballots in compact typed arrays: a million ballots must fit in memory and count in seconds.
//
// Ballot b owns entries offsets[b] .. offsets[b+1]-1, sorted by rank. Each entry is a rank (1-based,
// gaps allowed: a gap is a skipped rank) and a choice (a candidate index, or OVERVOTE when the
// source marked the rank as an overvote without naming the candidates). Several entries with the
// same rank are an overvote that names its candidates. `counts` repeats a ballot (a .blt weight).

import { DomainError } from '../../core/errors';

/** The choice code of a rank marked "overvote" in a cast-vote record. */
export const OVERVOTE = 0xffff;
/** Largest number of candidates (choice codes are 16-bit, one code is the overvote). */
export const MAX_CANDIDATES = 0xfffe;

export interface RankedBallots {
  /** Number of ballot records (each may stand for `counts[b]` identical ballots). */
  readonly size: number;
  readonly offsets: Int32Array;
  readonly ranks: Uint16Array;
  readonly choices: Uint16Array;
  /** How many identical ballots each record stands for; absent means one each. */
  readonly counts?: Uint32Array;
}

/** One ballot in plain form: ranks[i] is the list of candidates (indices) given rank i+1. */
export type PlainRanking = readonly (readonly number[])[];

/** Grows typed arrays as ballots are added; `build()` returns the compact form. */
export class RankedBallotsBuilder {
  private offsets: number[] = [0];
  private ranks = new Uint16Array(1024);
  private choices = new Uint16Array(1024);
  private counts: number[] = [];
  private hasCounts = false;
  private length = 0;

  private grow(need: number): void {
    if (need <= this.ranks.length) return;
    let size = this.ranks.length;
    while (size < need) size *= 2;
    const ranks = new Uint16Array(size);
    ranks.set(this.ranks);
    const choices = new Uint16Array(size);
    choices.set(this.choices);
    this.ranks = ranks;
    this.choices = choices;
  }

  /**
   * Adds one ballot from (rank, choice) entries in any order; `count` repeats it.
   * Ranks must be whole numbers from 1 to 65535.
   */
  add(entries: readonly (readonly [number, number])[], count = 1): void {
    const sorted = [...entries].sort((a, b) => a[0] - b[0]);
    this.grow(this.length + sorted.length);
    for (const [rank, choice] of sorted) {
      if (!Number.isInteger(rank) || rank < 1 || rank > 0xffff) {
        throw new DomainError('invalid', `rank ${rank} is not a whole number from 1 to 65535`, {
          issues: [{ field: `ballot ${this.offsets.length}`, message: `rank ${rank} out of range` }],
        });
      }
      this.ranks[this.length] = rank;
      this.choices[this.length] = choice;
      this.length++;
    }
    this.offsets.push(this.length);
    this.counts.push(count);
    if (count !== 1) this.hasCounts = true;
  }

  /** Adds a ballot given as a list of ranks, each a list of candidate indices (empty = skipped). */
  addRanking(ranking: PlainRanking, count = 1): void {
    const entries: [number, number][] = [];
    ranking.forEach((atRank, i) => {
      for (const c of atRank) entries.push([i + 1, c]);
    });
    this.add(entries, count);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  build(): RankedBallots {
    return {
      size: this.offsets.length - 1,
      offsets: Int32Array.from(this.offsets),
      ranks: this.ranks.slice(0, this.length),
      choices: this.choices.slice(0, this.length),
      ...(this.hasCounts ? { counts: Uint32Array.from(this.counts) } : {}),
    };
  }
}

/** Builds ballots from plain rankings (tests and small votes). */
export function rankedBallots(rankings: readonly PlainRanking[]): RankedBallots {
  const builder = new RankedBallotsBuilder();
  for (const r of rankings) builder.addRanking(r);
  return builder.build();
}

/** Total number of ballots, counting repeats. */
export function ballotTotal(ballots: RankedBallots): number {
  if (!ballots.counts) return ballots.size;
  let total = 0;
  for (let b = 0; b < ballots.size; b++) total += ballots.counts[b] as number;
  return total;
}

/** The ballot as ranks of candidate indices (OVERVOTE kept as is), for tests and exports. */
export function plainRanking(ballots: RankedBallots, b: number): number[][] {
  const start = ballots.offsets[b] as number;
  const end = ballots.offsets[b + 1] as number;
  const out: number[][] = [];
  for (let i = start; i < end; i++) {
    const rank = ballots.ranks[i] as number;
    while (out.length < rank) out.push([]);
    (out[rank - 1] as number[]).push(ballots.choices[i] as number);
  }
  return out;
}
