// The Counter port over the counting engine (src/participation/counting): a vote's method and stored marks in,
// the winners and a plain, JSON-ready report out (round by round for ranked methods).
import { DomainError } from '../core/errors';
import { RankedBallotsBuilder } from './counting/ranked-ballots';
import { defaultRules, type RcvRules } from './counting/rcv/rules';
import type { RcvAction, RcvTabulation } from './counting/rcv/result';
import { tabulateRcv } from './counting/rcv/tabulate';
import type { Marks } from './ballot';
import type { Method } from './participation';
import type { CountInput, CountOutput, Counter } from './vote-outcome';

type RankedMethod = Extract<Method, { type: 'irv' | 'stv' }>;

const TIEBREAK: Record<RankedMethod['tieBreak'], RcvRules['tiebreakMode']> = {
  'candidate-order': 'useCandidateOrder',
  'previous-round': 'previousRoundCountsThenRandom',
  random: 'random',
};

/** The RCTab rule options a vote's ranked method stands for (docs/guide/participation.md maps each). */
export function rcvRulesOf(m: RankedMethod): RcvRules {
  const common = {
    tiebreakMode: TIEBREAK[m.tieBreak],
    ...(m.randomSeed === undefined ? {} : { randomSeed: BigInt(m.randomSeed) }),
    overvoteRule:
      m.overvote === 'exhaust' ? ('exhaustImmediately' as const) : ('alwaysSkipToNextRank' as const),
    maxSkippedRanksAllowed: m.maxSkippedRanks ?? ('unlimited' as const),
    exhaustOnDuplicateCandidate: m.duplicates === 'exhaust',
  };
  if (m.type === 'irv') {
    return defaultRules({
      ...common,
      numberOfWinners: 1,
      winnerElectionMode: 'singleWinnerMajority',
      batchElimination: m.batchElimination,
      continueUntilTwoCandidatesRemain: m.continueUntilTwoRemain,
    });
  }
  return defaultRules({
    ...common,
    numberOfWinners: m.seats,
    winnerElectionMode: m.oneWinnerPerRound
      ? 'multiWinnerAllowOnlyOneWinnerPerRound'
      : 'multiWinnerAllowMultipleWinnersPerRound',
    hareQuota: m.quota === 'hare',
    nonIntegerWinningThreshold: m.fractionalThreshold,
    decimalPlacesForVoteArithmetic: m.decimalPlaces,
  });
}

function rankedMarks(ballots: Marks[], index: Map<string, number>) {
  const builder = new RankedBallotsBuilder();
  for (const b of ballots) {
    if (!('ranking' in b)) throw new Error('a ranked vote holds a ballot without a ranking');
    builder.addRanking(b.ranking.map((rank) => rank.map((id) => index.get(id) as number)));
  }
  return builder.build();
}

const plainAction = (a: RcvAction) => ({
  candidate: a.candidate,
  reason: a.reason,
  transfers: Object.fromEntries(Object.entries(a.transfers).map(([k, v]) => [k, v.toString()])),
});

/** The engine's tabulation as plain JSON: decimals as exact strings, candidates by id. */
export function plainRounds(t: RcvTabulation): Record<string, unknown> {
  return {
    kind: 'rounds',
    rounds: t.rounds.map((r) => ({
      round: r.round,
      tally: r.tally.map((c) => ({ candidate: c.candidate, votes: c.votes.toString() })),
      threshold: r.threshold.toString(),
      active: r.active.toString(),
      inactive: Object.fromEntries(Object.entries(r.inactive).map(([k, v]) => [k, v.toString()])),
      residualSurplus: r.residualSurplus.toString(),
      elected: r.elected.map(plainAction),
      eliminated: r.eliminated.map(plainAction),
    })),
    winners: t.winners,
    tieBreaks: t.tieBreaks,
    totalBallots: t.totalBallots.toString(),
    undervotes: t.undervotes,
  };
}

function countRanked(m: RankedMethod, input: CountInput): CountOutput {
  const index = new Map(input.candidates.map((c, i) => [c.id, i]));
  const t = tabulateRcv(
    {
      candidates: input.candidates.map((c) => ({ name: c.id })),
      undeclaredWriteIns: false,
      ballots: rankedMarks(input.ballots, index),
    },
    rcvRulesOf(m),
  );
  const last = t.rounds[t.rounds.length - 1];
  const winner = t.winners[0];
  const part = last?.tally.find((c) => c.candidate === winner)?.votes;
  return {
    winners: t.winners,
    ...(m.type === 'irv' && last && part
      ? { finalShare: { part: part.toNumber(), whole: last.active.toNumber() } }
      : {}),
    tally: plainRounds(t),
  };
}

export const countVote: Counter = (input) => {
  const m = input.method;
  if (m.type === 'irv' || m.type === 'stv') return countRanked(m, input);
  throw new DomainError('unavailable', `counting ${m.type} ballots is not built into this version`);
};
