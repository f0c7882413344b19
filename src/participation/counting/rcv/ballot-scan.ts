// One round's pass over the ballots: each keeps its candidate, moves to its next continuing choice,
// or stops counting for a stated reason (overvote, skipped ranks, repeated rank, no choices left).
//
// The rules follow RCTab's Tabulator.computeTalliesForRound: a ballot whose candidate is no longer
// continuing is read again from its first rank, so skipped-rank and repeated-candidate checks see
// the whole ballot; ballots that stay with their candidate are not re-read.

import { DomainError } from '../../../core/errors';
import { Decimal } from '../decimal';
import { OVERVOTE, type RankedBallots } from '../ranked-ballots';
import type { RcvRules } from './rules';
import { VoteSum } from './vote-sum';

export const ACTIVE = 0;
export const NO_RANKINGS = 1;
export const BY_OVERVOTE = 2;
export const BY_SKIPPED_RANKS = 3;
export const BY_REPEATED_RANK = 4;
export const NO_CHOICES_LEFT = 5;
export const FINAL_ROUND_SURPLUS = 6;
export const STATUS_COUNT = 7;

/** Transfer targets besides candidates. */
export const EXHAUSTED = -1;
export const RESIDUAL = -2;

export interface RoundScan {
  /** Votes per candidate index (entries only for continuing candidates). */
  tally: (VoteSum | undefined)[];
  active: VoteSum;
  inactive: VoteSum[];
  /** from candidate → (to candidate, EXHAUSTED or RESIDUAL) → value. */
  transfers: Map<number, Map<number, VoteSum>>;
}

/** The state of every ballot between rounds, and the pass that moves them. */
export class BallotScan {
  /** Candidate each ballot counts for (-1: none). */
  readonly recipient: Int32Array;
  readonly status: Uint8Array;
  /** Value of each ballot when it is not 1 (after helping elect a winner). */
  readonly value: (Decimal | undefined)[];
  private readonly maxSkipped: number;
  private readonly seen: Set<number> = new Set();

  constructor(
    readonly ballots: RankedBallots,
    private readonly rules: RcvRules,
    private readonly places: number,
  ) {
    this.recipient = new Int32Array(ballots.size).fill(-1);
    this.status = new Uint8Array(ballots.size);
    this.value = new Array<Decimal | undefined>(ballots.size);
    this.maxSkipped =
      rules.maxSkippedRanksAllowed === 'unlimited' ? Number.POSITIVE_INFINITY : rules.maxSkippedRanksAllowed;
  }

  count(b: number): number {
    return this.ballots.counts ? (this.ballots.counts[b] as number) : 1;
  }

  /**
   * Tallies one round. `continuing[c]` says whether candidate c can receive votes;
   * `finalSurplus` is true once every seat is filled in a count that transfers surpluses.
   */
  scan(continuing: Uint8Array, finalSurplus: boolean): RoundScan {
    const round: RoundScan = {
      tally: [],
      active: new VoteSum(this.places),
      inactive: Array.from({ length: STATUS_COUNT }, () => new VoteSum(this.places)),
      transfers: new Map(),
    };
    continuing.forEach((on, c) => {
      if (on) round.tally[c] = new VoteSum(this.places);
    });
    const { recipient, status } = this;
    for (let b = 0; b < this.ballots.size; b++) {
      const st = status[b] as number;
      if (st !== ACTIVE) {
        this.addValue(round.inactive[st] as VoteSum, b);
        continue;
      }
      const r = recipient[b] as number;
      if (r >= 0 && continuing[r] === 1) {
        this.addValue(round.tally[r] as VoteSum, b);
        this.addValue(round.active, b);
        continue;
      }
      this.place(b, continuing, finalSurplus, round);
    }
    return round;
  }

  private addValue(sum: VoteSum, b: number): void {
    const v = this.value[b];
    if (v === undefined) sum.addWhole(this.count(b));
    else sum.add(v, this.count(b));
  }

  /** Reads ballot b from its first rank and records where it goes. */
  private place(b: number, continuing: Uint8Array, finalSurplus: boolean, round: RoundScan): void {
    const { offsets, ranks, choices } = this.ballots;
    const start = offsets[b] as number;
    const end = offsets[b + 1] as number;
    if (start === end) {
      this.record(b, -1, NO_RANKINGS, round);
      return;
    }
    const lastRank = ranks[end - 1] as number;
    const checkRepeats = this.rules.exhaustOnDuplicateCandidate;
    if (checkRepeats) this.seen.clear();
    let lastRankSeen = 0;
    let i = start;
    while (i < end) {
      const rank = ranks[i] as number;
      let groupEnd = i + 1;
      while (groupEnd < end && ranks[groupEnd] === rank) groupEnd++;
      if (finalSurplus) {
        this.record(b, -1, FINAL_ROUND_SURPLUS, round);
        return;
      }
      if (rank - lastRankSeen > this.maxSkipped + 1) {
        this.record(b, -1, BY_SKIPPED_RANKS, round);
        return;
      }
      lastRankSeen = rank;
      if (checkRepeats) {
        for (let j = i; j < groupEnd; j++) {
          const c = choices[j] as number;
          if (this.seen.has(c)) {
            this.record(b, -1, BY_REPEATED_RANK, round);
            return;
          }
          this.seen.add(c);
        }
      }
      const decision = this.overvoteDecision(i, groupEnd, continuing);
      if (decision === 'exhaust') {
        this.record(b, -1, BY_OVERVOTE, round);
        return;
      }
      if (decision === 'skip') {
        // A skipped overvote at the last rank leaves no choices, as RCTab reports it.
        if (rank === lastRank) this.record(b, -1, NO_CHOICES_LEFT, round);
        i = groupEnd;
        continue;
      }
      for (let j = i; j < groupEnd; j++) {
        const c = choices[j] as number;
        if (c !== OVERVOTE && continuing[c] === 1) {
          this.record(b, c, ACTIVE, round);
          this.addValue(round.tally[c] as VoteSum, b);
          return;
        }
      }
      if (rank === lastRank) this.record(b, -1, NO_CHOICES_LEFT, round);
      i = groupEnd;
    }
  }

  private overvoteDecision(from: number, to: number, continuing: Uint8Array): 'none' | 'exhaust' | 'skip' {
    const { choices } = this.ballots;
    const rule = this.rules.overvoteRule;
    let explicit = false;
    for (let j = from; j < to; j++) if (choices[j] === OVERVOTE) explicit = true;
    if (explicit) {
      if (to - from !== 1) {
        throw new DomainError('invalid', 'a rank marked "overvote" also names candidates', {
          issues: [{ field: 'cast vote records', message: 'explicit overvote together with candidates' }],
          fix: 'mark an overvote either with the overvote label or by naming the candidates, not both',
        });
      }
      if (rule === 'exhaustIfMultipleContinuing') {
        throw new DomainError(
          'invalid',
          'overvoteRule exhaustIfMultipleContinuing needs the overvoted candidates',
          {
            issues: [{ field: 'rules.overvoteRule', message: 'not valid with an overvote label' }],
            fix: 'use exhaustImmediately or alwaysSkipToNextRank, or give an overvoteDelimiter instead of a label',
          },
        );
      }
      return rule === 'exhaustImmediately' ? 'exhaust' : 'skip';
    }
    if (to - from <= 1) return 'none';
    if (rule === 'exhaustImmediately') return 'exhaust';
    if (rule === 'alwaysSkipToNextRank') return 'skip';
    let continuingSeen = 0;
    for (let j = from; j < to; j++) {
      if (continuing[choices[j] as number] === 1 && ++continuingSeen > 1) return 'exhaust';
    }
    return 'none';
  }

  private record(b: number, to: number, newStatus: number, round: RoundScan): void {
    const v = this.value[b];
    const from = this.recipient[b] as number;
    if (from >= 0 && (v === undefined || v.signum() > 0)) {
      let targets = round.transfers.get(from);
      if (!targets) round.transfers.set(from, (targets = new Map()));
      const key = to >= 0 ? to : EXHAUSTED;
      let sum = targets.get(key);
      if (!sum) targets.set(key, (sum = new VoteSum(this.places)));
      this.addValue(sum, b);
    }
    this.recipient[b] = to;
    if (newStatus === ACTIVE) {
      this.addValue(round.active, b);
      return;
    }
    this.status[b] = newStatus;
    this.addValue(round.inactive[newStatus] as VoteSum, b);
  }

  /**
   * Keeps part of each ballot of a newly elected winner and frees the rest:
   * transfer = value × fraction rounded down; the winner keeps value − transfer.
   * Returns the total the winner keeps.
   */
  electWithSurplus(winner: number, fraction: Decimal): Decimal {
    const kept = new VoteSum(this.places);
    for (let b = 0; b < this.ballots.size; b++) {
      if (this.recipient[b] !== winner || this.status[b] !== ACTIVE) continue;
      const v = this.value[b] ?? Decimal.ONE;
      const transfer = v.multiply(fraction).setScale(this.places, 'down');
      const allocated = v.subtract(transfer);
      kept.add(allocated, this.count(b));
      this.value[b] = v.subtract(allocated);
    }
    return kept.value();
  }
}
