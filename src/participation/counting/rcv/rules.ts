// The rule options of ranked-choice counting, named and meant as in RCTab's configuration files.

import { Decimal } from '../decimal';

export const WINNER_ELECTION_MODES = [
  'singleWinnerMajority',
  'multiWinnerAllowOnlyOneWinnerPerRound',
  'multiWinnerAllowMultipleWinnersPerRound',
  'bottomsUp',
  'bottomsUpUsingPercentageThreshold',
  'multiPassIrv',
] as const;
export type WinnerElectionMode = (typeof WINNER_ELECTION_MODES)[number];

export const TIEBREAK_MODES = [
  'random',
  'stopCountingAndAsk',
  'previousRoundCountsThenRandom',
  'previousRoundCountsThenAsk',
  'useCandidateOrder',
  'generatePermutation',
] as const;
export type TiebreakMode = (typeof TIEBREAK_MODES)[number];

export const OVERVOTE_RULES = [
  'alwaysSkipToNextRank',
  'exhaustImmediately',
  'exhaustIfMultipleContinuing',
] as const;
export type OvervoteRule = (typeof OVERVOTE_RULES)[number];

export interface RcvRules {
  numberOfWinners: number;
  winnerElectionMode: WinnerElectionMode;
  tiebreakMode: TiebreakMode;
  /** Seed of java.util.Random for 'random', 'previousRoundCountsThenRandom' and 'generatePermutation'. */
  randomSeed?: bigint;
  overvoteRule: OvervoteRule;
  /** Skipped ranks in a row a ballot may have before it is exhausted; 'unlimited' never exhausts. */
  maxSkippedRanksAllowed: number | 'unlimited';
  /** How many ranks a ballot may use ('max': the number of declared candidates); applied by readers. */
  maxRankingsAllowed: number | 'max';
  /** Decimal places of thresholds and fractional transfers (rounded down, as RCTab does). */
  decimalPlacesForVoteArithmetic: number;
  /** Candidates below this many votes in a round are eliminated together (0: none). */
  minimumVoteThreshold: Decimal;
  /** Threshold V/(S+1) + 10^-d instead of floor(V/(S+1)) + 1 (several winners). */
  nonIntegerWinningThreshold: boolean;
  /** Hare quota V/S (rounded up) instead of Droop V/(S+1). */
  hareQuota: boolean;
  /** Eliminate at once every candidate who cannot overtake the next one (one winner). */
  batchElimination: boolean;
  /** Keep eliminating after the winner is known until two candidates remain (one winner). */
  continueUntilTwoCandidatesRemain: boolean;
  /** A ballot that ranks a candidate twice is exhausted there instead of skipping the repeat. */
  exhaustOnDuplicateCandidate: boolean;
  /** The first round's threshold holds for every round (one winner). */
  firstRoundDeterminesThreshold: boolean;
  /** Stop after this round even without a winner. */
  stopTabulationEarlyAfterRound?: number;
  /** Percentage for 'bottomsUpUsingPercentageThreshold' (numberOfWinners 0). */
  multiSeatBottomsUpPercentageThreshold?: Decimal;
}

/** Defaults of RCTab's configuration editor; one winner by instant runoff. */
export function defaultRules(overrides: Partial<RcvRules> = {}): RcvRules {
  return {
    numberOfWinners: 1,
    winnerElectionMode: 'singleWinnerMajority',
    tiebreakMode: 'useCandidateOrder',
    overvoteRule: 'alwaysSkipToNextRank',
    maxSkippedRanksAllowed: 'unlimited',
    maxRankingsAllowed: 'max',
    decimalPlacesForVoteArithmetic: 4,
    minimumVoteThreshold: Decimal.ZERO,
    nonIntegerWinningThreshold: false,
    hareQuota: false,
    batchElimination: false,
    continueUntilTwoCandidatesRemain: false,
    exhaustOnDuplicateCandidate: false,
    firstRoundDeterminesThreshold: false,
    ...overrides,
  };
}

/** Whether surpluses of winners are transferred (several winners, not bottoms-up). */
export function usesSurpluses(rules: RcvRules): boolean {
  return rules.numberOfWinners > 1 && rules.winnerElectionMode !== 'bottomsUp';
}

export function needsRandomSeed(mode: TiebreakMode): boolean {
  return mode === 'random' || mode === 'previousRoundCountsThenRandom' || mode === 'generatePermutation';
}
