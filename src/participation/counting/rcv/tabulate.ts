// Ranked-choice counting, one winner (instant runoff) or several (single transferable vote with
// fractional surplus transfers), round by round exactly as RCTab counts.

import { DomainError } from '../../../core/errors';
import { Decimal } from '../decimal';
import { JavaRandom, javaCompare, javaShuffle } from '../java-random';
import {
  BallotScan,
  BY_OVERVOTE,
  BY_REPEATED_RANK,
  BY_SKIPPED_RANKS,
  EXHAUSTED,
  FINAL_ROUND_SURPLUS,
  NO_CHOICES_LEFT,
  NO_RANKINGS,
  RESIDUAL,
  type RoundScan,
} from './ballot-scan';
import { chooseEliminations, identifyWinners, type Decision, type RoundView } from './decisions';
import {
  UNDECLARED_WRITE_INS,
  type InactiveReason,
  type RcvAction,
  type RcvContest,
  type RcvRound,
  type RcvTabulation,
  type TieBreak,
} from './result';
import { needsRandomSeed, usesSurpluses, type RcvRules } from './rules';
import type { TieBreakContext } from './tiebreak';
import { VoteSum } from './vote-sum';

const CONTINUING = 0;
const WON = 1;
const OUT = 2;
const EXCLUDED = 3;

const REASON_OF_STATUS: [number, InactiveReason][] = [
  [BY_OVERVOTE, 'overvotes'],
  [BY_SKIPPED_RANKS, 'skippedRankings'],
  [NO_CHOICES_LEFT, 'exhaustedChoices'],
  [BY_REPEATED_RANK, 'repeatedRankings'],
  [FINAL_ROUND_SURPLUS, 'finalRoundSurplus'],
  [NO_RANKINGS, 'noRankings'],
];

class RcvCount {
  private readonly names: string[];
  private readonly uwi: number;
  private readonly state: Uint8Array;
  private readonly wonIn: Int32Array;
  private readonly outIn: Int32Array;
  private readonly winners: number[] = [];
  private eliminatedCount = 0;
  private readonly scan: BallotScan;
  private readonly tallies: Map<number, Decimal>[] = [];
  private readonly rounds: RcvRound[] = [];
  private readonly actions: { elected: Decision | undefined; eliminated: Decision | undefined }[] = [];
  private readonly residual: Decimal[] = [];
  private readonly kept = new Map<number, Decimal>();
  private readonly tieBreaks: TieBreak[] = [];
  private readonly ties: TieBreakContext;
  private readonly surpluses: boolean;
  private readonly places: number;
  private round = 0;

  constructor(
    private readonly contest: RcvContest,
    private readonly rules: RcvRules,
  ) {
    this.names = contest.candidates.map((c) => c.name);
    this.uwi = contest.undeclaredWriteIns ? this.names.length : -1;
    if (contest.undeclaredWriteIns) this.names.push(UNDECLARED_WRITE_INS);
    this.state = new Uint8Array(this.names.length);
    contest.candidates.forEach((c, i) => {
      if (c.excluded) this.state[i] = EXCLUDED;
    });
    this.wonIn = new Int32Array(this.names.length).fill(-1);
    this.outIn = new Int32Array(this.names.length).fill(-1);
    this.places = rules.decimalPlacesForVoteArithmetic;
    this.surpluses = usesSurpluses(rules);
    this.scan = new BallotScan(contest.ballots, rules, this.places);
    this.ties = this.tieBreakContext();
  }

  private tieBreakContext(): TieBreakContext {
    const declared = this.contest.candidates.map((c) => c.name);
    let random: JavaRandom | undefined;
    let permutation = declared;
    if (needsRandomSeed(this.rules.tiebreakMode)) {
      if (this.rules.randomSeed === undefined) {
        throw new DomainError('invalid', `tiebreakMode ${this.rules.tiebreakMode} needs a randomSeed`, {
          issues: [{ field: 'rules.randomSeed', message: 'required by this tiebreakMode' }],
          fix: 'give an integer randomSeed so that anyone can repeat the count',
        });
      }
      random = new JavaRandom(this.rules.randomSeed);
      if (this.rules.tiebreakMode === 'generatePermutation') {
        permutation = javaShuffle([...declared].sort(javaCompare), random);
        random = undefined;
      }
    }
    return {
      mode: this.rules.tiebreakMode,
      random,
      permutation,
      tallyOfRound: (r) =>
        new Map(
          [...(this.tallies[r - 1] ?? new Map<number, Decimal>()).entries()].map(([c, v]) => [
            this.names[c] as string,
            v,
          ]),
        ),
    };
  }

  private numDeclared(): number {
    return this.contest.candidates.length;
  }

  private continuing(c: number): boolean {
    const s = this.state[c];
    return s === CONTINUING || (s === WON && this.rules.continueUntilTwoCandidatesRemain);
  }

  private shouldContinue(): boolean {
    const { rules } = this;
    if (
      rules.stopTabulationEarlyAfterRound !== undefined &&
      this.round >= rules.stopTabulationEarlyAfterRound
    ) {
      return false;
    }
    if (this.winners.length === this.numDeclared() && rules.numberOfWinners > this.names.length) return false;
    if (rules.continueUntilTwoCandidatesRemain) {
      return (
        this.eliminatedCount + this.winners.length + 1 < this.names.length || this.outIn.includes(this.round)
      );
    }
    if (rules.winnerElectionMode === 'bottomsUpUsingPercentageThreshold') return this.winners.length === 0;
    return this.winners.length < rules.numberOfWinners || (this.surpluses && this.wonIn.includes(this.round));
  }

  private threshold(active: Decimal): Decimal {
    const { rules } = this;
    let threshold: Decimal;
    if (rules.winnerElectionMode === 'bottomsUpUsingPercentageThreshold') {
      const pct = (rules.multiSeatBottomsUpPercentageThreshold ?? Decimal.ZERO).divide(
        Decimal.of(100),
        this.places,
        'down',
      );
      threshold = active.multiply(pct);
    } else {
      const divisor = Decimal.of(rules.hareQuota ? rules.numberOfWinners : rules.numberOfWinners + 1);
      const decimals = rules.nonIntegerWinningThreshold ? this.places : 0;
      threshold = rules.hareQuota
        ? active.divide(divisor, decimals, 'up')
        : active.divide(divisor, decimals, 'down').add(new Decimal(1n, decimals));
    }
    const min = rules.minimumVoteThreshold;
    return min.signum() === 1 && min.compare(threshold) > 0 ? min : threshold;
  }

  private view(tally: Map<number, Decimal>, threshold: Decimal): RoundView {
    return {
      round: this.round,
      tally,
      threshold,
      names: this.names,
      uwi: this.uwi,
      winnersSoFar: this.winners.length,
      eliminatedSoFar: this.eliminatedCount,
      numCandidates: this.names.length,
      numDeclaredCandidates: this.numDeclared(),
    };
  }

  private noteTie(decision: Decision, kind: TieBreak['kind']): void {
    if (!decision.tie) return;
    this.tieBreaks.push({
      round: this.round,
      kind,
      tied: decision.tie.tied.map((c) => this.names[c] as string),
      selected: this.names[decision.candidates[0] as number] as string,
      explanation: decision.tie.explanation,
    });
  }

  private elect(decision: Decision, tally: Map<number, Decimal>, threshold: Decimal): void {
    this.noteTie(decision, 'election');
    for (const w of decision.candidates) {
      this.state[w] = WON;
      this.wonIn[w] = this.round;
      this.winners.push(w);
    }
    if (!this.surpluses) return;
    for (const w of decision.candidates) {
      const votes = tally.get(w) as Decimal;
      const extra = votes.subtract(threshold);
      const fraction = extra.signum() === 1 ? extra.divide(votes, this.places, 'down') : Decimal.ZERO;
      this.kept.set(w, this.scan.electWithSurplus(w, fraction));
    }
  }

  /** With several winners, earlier winners stay in the tally; last round's winners drop their residual surplus. */
  private addWinnerTallies(tally: Map<number, Decimal>, threshold: Decimal, scan: RoundScan): void {
    const previous = this.tallies[this.round - 2];
    for (const w of this.winners) {
      const won = this.wonIn[w] as number;
      if (won === this.round) continue;
      if (won < this.round - 1) {
        tally.set(w, previous?.get(w) ?? Decimal.ZERO);
        continue;
      }
      let votes = this.kept.get(w) ?? Decimal.ZERO;
      const residual = votes.subtract(threshold);
      if (residual.signum() === 1) {
        this.residual[this.round - 1] = (this.residual[this.round - 1] as Decimal).add(residual);
        votes = threshold;
        let targets = scan.transfers.get(w);
        if (!targets) scan.transfers.set(w, (targets = new Map()));
        const sum = new VoteSum(Math.max(this.places, residual.scale));
        sum.add(residual);
        targets.set(RESIDUAL, sum);
      }
      tally.set(w, votes);
    }
  }

  private action(decision: Decision | undefined, scan: RoundScan | undefined): RcvAction[] {
    if (!decision) return [];
    return decision.candidates.map((c) => {
      const transfers: Record<string, Decimal> = {};
      for (const [to, sum] of scan?.transfers.get(c) ?? []) {
        const key =
          to === EXHAUSTED ? 'exhausted' : to === RESIDUAL ? 'residual surplus' : (this.names[to] as string);
        transfers[key] = sum.value();
      }
      return { candidate: this.names[c] as string, reason: decision.reason, transfers };
    });
  }

  run(): RcvTabulation {
    const limit = 2 * this.names.length + 4;
    while (this.shouldContinue()) {
      this.round++;
      if (this.round > limit) throw new Error('ranked count did not finish: a rule combination loops');
      const continuing = new Uint8Array(this.names.length);
      for (let c = 0; c < this.names.length; c++) continuing[c] = this.continuing(c) ? 1 : 0;
      const finalSurplus = this.surpluses && this.winners.length === this.rules.numberOfWinners;
      const scan = this.scan.scan(continuing, finalSurplus);
      const tally = new Map<number, Decimal>();
      scan.tally.forEach((sum, c) => {
        if (sum) tally.set(c, sum.value());
      });
      this.residual.push(this.round === 1 ? Decimal.ZERO : (this.residual[this.round - 2] as Decimal));
      const active = scan.active.value();
      const recompute =
        this.rules.numberOfWinners > 1
          ? this.round === 1
          : !this.rules.firstRoundDeterminesThreshold || this.round === 1;
      const threshold = recompute
        ? this.threshold(active)
        : (this.rounds[this.round - 2] as RcvRound).threshold;
      const view = this.view(tally, threshold);
      const elected = identifyWinners(view, this.rules, this.ties);
      let eliminated: Decision | undefined;
      if (elected) {
        this.elect(elected, tally, threshold);
      } else if (
        this.winners.length < this.rules.numberOfWinners ||
        (this.rules.continueUntilTwoCandidatesRemain && this.eliminatedCount < this.names.length - 2) ||
        this.rules.winnerElectionMode === 'bottomsUpUsingPercentageThreshold'
      ) {
        eliminated = chooseEliminations(view, this.rules, this.ties);
        this.noteTie(eliminated, 'elimination');
        for (const c of eliminated.candidates) {
          this.state[c] = OUT;
          this.outIn[c] = this.round;
          this.eliminatedCount++;
        }
      }
      if (this.rules.numberOfWinners > 1) this.addWinnerTallies(tally, threshold, scan);
      this.tallies.push(tally);
      // Transfers recorded while counting this round belong to the decisions of the round before.
      if (this.round >= 2) this.fillActions(this.round - 2, scan);
      this.actions.push({ elected, eliminated });
      this.rounds.push(this.roundRecord(tally, threshold, active, scan));
    }
    if (this.rounds.length > 0) this.fillActions(this.rounds.length - 1, undefined);
    return this.result();
  }

  private fillActions(index: number, scan: RoundScan | undefined): void {
    const record = this.rounds[index] as RcvRound;
    const acts = this.actions[index] as (typeof this.actions)[number];
    record.elected = this.action(acts.elected, scan);
    record.eliminated = this.action(acts.eliminated, scan);
  }

  private roundRecord(
    tally: Map<number, Decimal>,
    threshold: Decimal,
    active: Decimal,
    scan: RoundScan,
  ): RcvRound {
    const inactive = Object.fromEntries(
      REASON_OF_STATUS.map(([status, reason]) => [reason, (scan.inactive[status] as VoteSum).value()]),
    ) as Record<InactiveReason, Decimal>;
    const entries = [...tally.entries()].sort((a, b) => a[0] - b[0]);
    return {
      round: this.round,
      tally: entries.map(([c, votes]) => ({ candidate: this.names[c] as string, votes })),
      threshold,
      active,
      inactive,
      residualSurplus: this.residual[this.round - 1] as Decimal,
      elected: [],
      eliminated: [],
    };
  }

  private result(): RcvTabulation {
    const first = this.rounds[0];
    let total = first ? first.active : Decimal.ZERO;
    if (first) for (const v of Object.values(first.inactive)) total = total.add(v);
    return {
      rounds: this.rounds,
      winners: this.winners.map((w) => this.names[w] as string),
      tieBreaks: this.tieBreaks,
      numCandidates: this.names.length,
      numWinners: this.rules.numberOfWinners,
      totalBallots: total,
      undervotes: first ? Number(first.inactive.noRankings.setScale(0, 'down').unscaled) : 0,
      usesSurpluses: this.surpluses,
    };
  }
}

/**
 * Counts a ranked-choice contest. With `multiPassIrv` use `tabulateRcvPasses`.
 * Throws DomainError for rules that cannot be applied (a tie that needs a person, a missing seed).
 */
export function tabulateRcv(contest: RcvContest, rules: RcvRules): RcvTabulation {
  if (rules.winnerElectionMode === 'multiPassIrv') {
    throw new DomainError('invalid', 'multiPassIrv gives one count per seat: use tabulateRcvPasses', {
      issues: [{ field: 'rules.winnerElectionMode', message: 'several passes' }],
    });
  }
  return new RcvCount(contest, rules).run();
}

/**
 * Multi-pass IRV: one instant-runoff count per seat, each excluding the winners of the passes before
 * (RCTab's "multiPassIrv"). Other modes give a single pass.
 */
export function tabulateRcvPasses(contest: RcvContest, rules: RcvRules): RcvTabulation[] {
  if (rules.winnerElectionMode !== 'multiPassIrv') return [tabulateRcv(contest, rules)];
  const passes: RcvTabulation[] = [];
  const excluded = new Set<string>();
  for (let seat = 0; seat < rules.numberOfWinners; seat++) {
    const candidates = contest.candidates.map((c) => ({
      ...c,
      excluded: c.excluded || excluded.has(c.name),
    }));
    const pass = new RcvCount({ ...contest, candidates }, { ...rules, numberOfWinners: 1 }).run();
    passes.push(pass);
    const winner = pass.winners[0];
    if (winner === undefined) break;
    excluded.add(winner);
  }
  return passes;
}
