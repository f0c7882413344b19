// The Counter port over the counting engine (src/participation/counting): a vote's method and stored marks in,
// winners, the engine's verdicts on quorum and share, and its plain report (round by round when ranked) out.
import { countApproval, countScore, countStar } from './counting/approval-score';
import { countConsent, countProposal } from './counting/consent-proposal';
import { checkQuorum, meetsShare, type DecisionOptions } from './counting/decision-rules';
import { countMeek } from './counting/meek';
import { plainMeekResult, plainRcvResult } from './counting/plain-results';
import { OVERVOTE, RankedBallotsBuilder } from './counting/ranked-ballots';
import { defaultRules, type RcvRules } from './counting/rcv/rules';
import { tabulateRcv } from './counting/rcv/tabulate';
import { countSchulze } from './counting/schulze';
import type { Marks } from './ballot';
import { OVERVOTE_MARK } from './paper-ballots';
import { parseFraction, type Method, type Quorum, type ShareNeeded } from './participation';
import type { Counter } from './vote-outcome';

type RcvMethod = Extract<Method, { type: 'irv' | 'stv' }>;

const TIEBREAK: Record<RcvMethod['tieBreak'], RcvRules['tiebreakMode']> = {
  'candidate-order': 'useCandidateOrder',
  'previous-round': 'previousRoundCountsThenRandom',
  random: 'random',
};

/** The RCTab rule options a vote's ranked method stands for (docs/guide/participation.md maps each). */
export function rcvRulesOf(m: RcvMethod): RcvRules {
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

/** A vote's quorum and share needed as the engine's decision options. */
export function decisionOptions(
  quorum: Quorum,
  share: ShareNeeded | null,
  electorateSize: number,
): DecisionOptions {
  return {
    ...(quorum.kind === 'count' ? { quorum: { ballots: quorum.count } } : {}),
    ...(quorum.kind === 'share'
      ? { quorum: { share: parseFraction(quorum.share), electorate: electorateSize } }
      : {}),
    ...(share === null
      ? {}
      : { shareNeeded: { share: parseFraction(share.share), orMore: share.rule === 'at-least' } }),
  };
}

/** Members needed for a quorum (an assembly's attendance uses the votes' rule). */
export function quorumOf(
  quorum: Quorum,
  electorateSize: number,
  present: number,
): { needed: number; met: boolean } {
  const q = checkQuorum(present, decisionOptions(quorum, null, electorateSize));
  return { needed: q.required, met: q.met };
}

function rankedOf(ballots: Marks[], index: Map<string, number>) {
  const builder = new RankedBallotsBuilder();
  for (const b of ballots) {
    if (!('ranking' in b)) throw new Error('a ranked vote holds a ballot without a ranking');
    builder.addRanking(
      b.ranking.map((rank) =>
        rank.map((id) => (id === OVERVOTE_MARK ? OVERVOTE : (index.get(id) as number))),
      ),
    );
  }
  return builder.build();
}

function scoresOf(ballots: Marks[], ids: string[]): (number | null)[][] {
  return ballots.map((b) => {
    if (!('scores' in b)) throw new Error('a score vote holds a ballot without scores');
    return ids.map((id) => b.scores[id] ?? null);
  });
}

function positionsOf(ballots: Marks[]): { position: string; reason?: string }[] {
  return ballots.map((b) => {
    if (!('position' in b)) throw new Error('a consent or proposal vote holds a ballot without a position');
    return b;
  });
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

export const countVote: Counter = (input) => {
  const m = input.method;
  const ids = input.candidates.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const decision = decisionOptions(input.quorum, input.shareNeeded, input.electorateSize);
  const quorumCheck = checkQuorum(input.ballots.length, decision);
  const quorum = { needed: quorumCheck.required, met: quorumCheck.met };
  const share = (part: number, whole: number) =>
    input.shareNeeded === null ? null : { part, whole, met: meetsShare(part, whole, decision) };
  switch (m.type) {
    case 'approval': {
      const ballots = input.ballots.map((b) =>
        'approve' in b ? b.approve.map((id) => index.get(id) as number) : [],
      );
      const r = countApproval(
        ids,
        ballots,
        { winners: m.seats, minChoices: m.min, ...(m.max === null ? {} : { maxChoices: m.max }) },
        decision,
      );
      const top = r.tally.find((t) => t.option === r.winners[0]);
      return {
        winners: r.winners,
        tied: r.tiedAtLastSeat,
        quorum,
        share: share(top?.total ?? 0, r.ballots),
        tally: plain(r),
      };
    }
    case 'score': {
      const r = countScore(
        ids,
        scoresOf(input.ballots, ids),
        { min: 0, max: m.maxScore, winners: m.seats },
        decision,
      );
      return { winners: r.winners, tied: r.tiedAtLastSeat, quorum, share: null, tally: plain(r) };
    }
    case 'star': {
      const r = countStar(ids, scoresOf(input.ballots, ids), { min: 0, max: m.maxScore }, decision);
      return {
        winners: r.winner === null ? [] : [r.winner],
        tied: r.winner === null ? r.finalists : [],
        quorum,
        share: null,
        tally: plain(r),
        verdict: r.reason,
      };
    }
    case 'schulze': {
      const r = countSchulze(ids, rankedOf(input.ballots, index), decision);
      const tied = r.winners.length > 1 ? r.winners : [];
      return { winners: tied.length ? [] : r.winners, tied, quorum, share: null, tally: plain(r) };
    }
    case 'meek': {
      const r = countMeek(ids, rankedOf(input.ballots, index), {
        seats: m.seats,
        decimalPlaces: m.decimalPlaces,
      });
      return { winners: r.winners, tied: [], quorum, share: null, tally: plain(plainMeekResult(r)) };
    }
    case 'irv':
    case 'stv': {
      const t = tabulateRcv(
        {
          candidates: ids.map((name) => ({ name })),
          undeclaredWriteIns: false,
          ballots: rankedOf(input.ballots, index),
        },
        rcvRulesOf(m),
      );
      const last = t.rounds[t.rounds.length - 1];
      const votes = last?.tally.find((c) => c.candidate === t.winners[0])?.votes;
      return {
        winners: t.winners,
        tied: [],
        quorum,
        share: m.type === 'irv' && last && votes ? share(votes.toNumber(), last.active.toNumber()) : null,
        tally: plain(plainRcvResult(t)),
      };
    }
    case 'consent': {
      const r = countConsent(positionsOf(input.ballots), decision);
      return {
        winners: [],
        tied: [],
        quorum,
        share: null,
        passed: r.passed,
        blocks: r.counts.block,
        tally: plain(r),
        verdict: r.outcome,
      };
    }
    case 'proposal': {
      const r = countProposal(positionsOf(input.ballots), decision);
      const decisive = r.counts.agree + r.counts.disagree;
      return {
        winners: [],
        tied: [],
        quorum,
        share: { part: r.counts.agree, whole: decisive, met: meetsShare(r.counts.agree, decisive, decision) },
        passed: r.passed,
        blocks: r.counts.block,
        tally: plain(r),
        verdict: r.outcome,
      };
    }
  }
};
