// What a ranked-choice count produces: every round's tally, who was elected or eliminated and why,
// the transfers that followed, and the inactive ballots by reason.

import type { RankedBallots } from '../ranked-ballots';
import type { Decimal } from '../decimal';

export const UNDECLARED_WRITE_INS = 'Undeclared Write-ins';

export interface RcvCandidate {
  name: string;
  /** Ignored by the count (RCTab's "excluded"), e.g. a withdrawn candidate. */
  excluded?: boolean;
}

export interface RcvContest {
  /** Declared candidates in the order of the configuration (this order breaks ties in 'useCandidateOrder'). */
  candidates: readonly RcvCandidate[];
  /** Whether undeclared write-ins are counted as one pseudo-candidate, index candidates.length. */
  undeclaredWriteIns: boolean;
  ballots: RankedBallots;
}

/** Why ballots stopped counting, with RCTab's report keys. */
export const INACTIVE_REASONS = [
  'overvotes',
  'skippedRankings',
  'exhaustedChoices',
  'repeatedRankings',
  'finalRoundSurplus',
  'noRankings',
] as const;
export type InactiveReason = (typeof INACTIVE_REASONS)[number];

export interface RcvAction {
  candidate: string;
  /** Why, in words: "reached the threshold", "fewest votes", "batch elimination", … */
  reason: string;
  /** Where this candidate's ballots went in the next round: candidate, "exhausted" or "residual surplus". */
  transfers: Record<string, Decimal>;
}

export interface RcvRound {
  round: number;
  /** Votes of every candidate still in the count (and, with several winners, of those already elected). */
  tally: { candidate: string; votes: Decimal }[];
  threshold: Decimal;
  /** Value of the ballots counting for continuing candidates. */
  active: Decimal;
  inactive: Record<InactiveReason, Decimal>;
  /** Surplus lost to rounding so far (several winners). */
  residualSurplus: Decimal;
  elected: RcvAction[];
  eliminated: RcvAction[];
}

export interface TieBreak {
  round: number;
  kind: 'elimination' | 'election';
  tied: string[];
  selected: string;
  explanation: string;
}

export interface RcvTabulation {
  rounds: RcvRound[];
  /** Winners in the order they were elected. */
  winners: string[];
  tieBreaks: TieBreak[];
  /** Candidates counted, including the undeclared write-in pseudo-candidate when there is one. */
  numCandidates: number;
  numWinners: number;
  totalBallots: Decimal;
  /** Ballots that ranked nobody. */
  undervotes: number;
  usesSurpluses: boolean;
}
