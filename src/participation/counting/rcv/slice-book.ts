// A count seen from each precinct or batch: the same decisions, the slice's own tallies and transfers
// (RCTab's tabulate-by-precinct and tabulate-by-batch reports).

import { Decimal } from '../decimal';
import type { RoundScan, RoundSums, SliceMap } from './ballot-scan';
import { EXHAUSTED, RESIDUAL } from './ballot-scan';
import type { InactiveReason, RcvContest, RcvSliceCount, SliceKind } from './result';
import type { VoteSum } from './vote-sum';

interface SliceRoundData {
  tallies: Map<number, Decimal>[][];
  sums: RoundSums[][];
}

export class SliceBook {
  readonly maps: SliceMap[];
  private readonly kinds: { kind: SliceKind; names: readonly string[] }[];
  private readonly rounds: SliceRoundData[] = [];
  private readonly kept = new Map<number, Decimal[][]>();

  constructor(contest: RcvContest, wanted: readonly SliceKind[]) {
    this.kinds = wanted.flatMap((kind) => {
      const ids = contest.slices?.[kind];
      return ids ? [{ kind, names: ids.names }] : [];
    });
    this.maps = this.kinds.map(({ kind }) => {
      const ids = contest.slices?.[kind] as NonNullable<NonNullable<RcvContest['slices']>[SliceKind]>;
      return { of: ids.of, count: ids.names.length };
    });
  }

  get active(): boolean {
    return this.kinds.length > 0;
  }

  noteElected(winner: number, slices: Decimal[][]): void {
    this.kept.set(winner, slices);
  }

  /**
   * Records a round. With several winners, earlier winners stay in each slice's tally: the part of
   * the slice's ballots they kept when elected (no residual surplus is set aside per slice, as in RCTab).
   */
  addRound(
    scan: RoundScan,
    round: number,
    winners: readonly { candidate: number; round: number }[],
    several: boolean,
  ): void {
    const previous = this.rounds[this.rounds.length - 1];
    const tallies = scan.slices.map((list, k) =>
      list.map((sums, i) => {
        const tally = new Map<number, Decimal>();
        sums.tally.forEach((sum, c) => {
          if (sum) tally.set(c, sum.value());
        });
        if (several) {
          for (const w of winners) {
            if (w.round === round) continue;
            const value =
              w.round === round - 1
                ? (this.kept.get(w.candidate)?.[k]?.[i] ?? Decimal.ZERO)
                : (previous?.tallies[k]?.[i]?.get(w.candidate) ?? Decimal.ZERO);
            tally.set(w.candidate, value);
          }
        }
        return tally;
      }),
    );
    this.rounds.push({ tallies, sums: scan.slices });
  }

  /** The slice counts; `acting[r]` lists the candidates elected or eliminated in round r+1. */
  results(
    names: readonly string[],
    acting: readonly number[][],
    reasons: readonly [number, InactiveReason][],
  ): RcvSliceCount[] {
    const out: RcvSliceCount[] = [];
    this.kinds.forEach(({ kind, names: ids }, k) => {
      ids.forEach((slice, i) => {
        const rounds = this.rounds.map((data, r) => {
          const sums = data.sums[k]?.[i] as RoundSums;
          const next = this.rounds[r + 1]?.sums[k]?.[i];
          const transfers: Record<string, Record<string, Decimal>> = {};
          for (const c of acting[r] ?? []) {
            const moved: Record<string, Decimal> = {};
            for (const [to, sum] of next?.transfers.get(c) ?? []) {
              const key =
                to === EXHAUSTED ? 'exhausted' : to === RESIDUAL ? 'residual surplus' : (names[to] as string);
              moved[key] = sum.value();
            }
            transfers[names[c] as string] = moved;
          }
          return {
            round: r + 1,
            tally: [...(data.tallies[k]?.[i] ?? new Map<number, Decimal>()).entries()]
              .sort((a, b) => a[0] - b[0])
              .map(([c, votes]) => ({ candidate: names[c] as string, votes })),
            inactive: Object.fromEntries(
              reasons.map(([status, reason]) => [reason, (sums.inactive[status] as VoteSum).value()]),
            ) as Record<InactiveReason, Decimal>,
            transfers,
          };
        });
        const first = rounds[0];
        let total = this.rounds[0]?.sums[k]?.[i]?.active.value() ?? Decimal.ZERO;
        if (first) for (const v of Object.values(first.inactive)) total = total.add(v);
        out.push({
          kind,
          slice,
          rounds,
          totalBallots: total,
          undervotes: first ? Number(first.inactive.noRankings.setScale(0, 'down').unscaled) : 0,
        });
      });
    });
    return out;
  }
}
