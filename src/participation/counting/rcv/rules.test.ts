// Each rule option of ranked-choice counting on a small election whose count can be checked by hand.
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors';
import { Decimal } from '../decimal';
import { OVERVOTE, rankedBallots } from '../ranked-ballots';
import type { RcvContest } from './result';
import { defaultRules, type RcvRules } from './rules';
import { tabulateRcv, tabulateRcvPasses } from './tabulate';

/** Ballots written as strings of candidate letters: "AB" ranks A then B; "A_B" skips rank 2; "(BC)" is an overvote. */
function election(candidates: string, spec: Record<string, number>, excluded = ''): RcvContest {
  const index = (ch: string): number => (ch === '!' ? OVERVOTE : candidates.indexOf(ch));
  const rankings: number[][][] = [];
  for (const [text, times] of Object.entries(spec)) {
    const ranks: number[][] = [];
    for (const m of text.matchAll(/\(([^)]*)\)|(.)/g)) {
      if (m[1] !== undefined) ranks.push([...m[1]].map(index));
      else ranks.push(m[2] === '_' ? [] : [index(m[2] as string)]);
    }
    for (let k = 0; k < times; k++) rankings.push(ranks);
  }
  return {
    candidates: [...candidates].map((name) => ({ name, excluded: excluded.includes(name) })),
    undeclaredWriteIns: false,
    ballots: rankedBallots(rankings),
  };
}

const count = (contest: RcvContest, rules: Partial<RcvRules> = {}) =>
  tabulateRcv(contest, defaultRules(rules));
const tallies = (c: ReturnType<typeof count>) =>
  c.rounds.map((r) => Object.fromEntries(r.tally.map((t) => [t.candidate, t.votes.toString()])));
const eliminated = (c: ReturnType<typeof count>) => c.rounds.map((r) => r.eliminated.map((e) => e.candidate));

describe('tie-breaks', () => {
  const tie = election('ABC', { A: 3, B: 2, C: 2 });

  it('useCandidateOrder eliminates the tied candidate listed last', () => {
    const c = count(tie, { tiebreakMode: 'useCandidateOrder' });
    expect(eliminated(c)[0]).toEqual(['C']);
    expect(c.tieBreaks).toEqual([
      expect.objectContaining({ round: 1, kind: 'elimination', tied: ['B', 'C'], selected: 'C' }),
    ]);
    expect(c.winners).toEqual(['A']);
  });

  it('random draws with java.util.Random from the seed: 0.7309… picks C (seed 0), 0.3618… picks B (seed 12345)', () => {
    expect(eliminated(count(tie, { tiebreakMode: 'random', randomSeed: 0n }))[0]).toEqual(['C']);
    expect(eliminated(count(tie, { tiebreakMode: 'random', randomSeed: 12345n }))[0]).toEqual(['B']);
  });

  it('previousRoundCountsThenRandom eliminates the one with fewer votes in the round before', () => {
    const c = count(election('ABCD', { A: 5, B: 3, C: 2, DC: 1 }), {
      tiebreakMode: 'previousRoundCountsThenRandom',
      randomSeed: 1n,
    });
    expect(tallies(c)[1]).toEqual({ A: '5', B: '3', C: '3' });
    expect(eliminated(c)[1]).toEqual(['C']);
    expect(c.tieBreaks[0]?.explanation).toBe('C had the fewest votes (2) in round 1.');
  });

  it('stopCountingAndAsk refuses to guess: the tie is reported with a fix', () => {
    const error: unknown = (() => {
      try {
        count(tie, { tiebreakMode: 'stopCountingAndAsk' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isDomainError(error) && error.kind).toBe('infeasible');
    expect((error as Error).message).toContain('B, C are tied for elimination');
  });
});

describe('elimination rules', () => {
  it('continueUntilTwoCandidatesRemain keeps eliminating after the winner is known', () => {
    const c = count(election('ABC', { A: 6, B: 3, C: 2 }), { continueUntilTwoCandidatesRemain: true });
    expect(c.winners).toEqual(['A']);
    expect(c.rounds).toHaveLength(3);
    expect(c.rounds[0]?.elected.map((e) => e.candidate)).toEqual(['A']);
    expect(eliminated(c)).toEqual([[], ['C'], []]);
    expect(tallies(c)[2]).toEqual({ A: '6', B: '3' });
  });

  it('minimumVoteThreshold eliminates everyone below it at once', () => {
    const c = count(election('ABCD', { A: 5, B: 4, C: 2, D: 1 }), { minimumVoteThreshold: Decimal.of(3) });
    expect(eliminated(c)[0]?.sort()).toEqual(['C', 'D']);
  });

  it('batchElimination removes every candidate who cannot overtake the next', () => {
    // 1 + 2 < 6: neither D nor C can catch B, so both go; 1 + 2 + 6 = 9 is not below A's 9, so B stays.
    const c = count(election('ABCD', { A: 9, B: 6, C: 2, D: 1 }), { batchElimination: true });
    expect(eliminated(c)[0]?.sort()).toEqual(['C', 'D']);
    expect(c.rounds[0]?.eliminated[0]?.reason).toContain('batch elimination');
  });

  it('an excluded candidate is never counted and its rankings are skipped', () => {
    const c = count(election('ABC', { BA: 3, A: 2, C: 2 }, 'B'));
    expect(tallies(c)[0]).toEqual({ A: '5', C: '2' });
    expect(c.winners).toEqual(['A']);
  });

  it('stopTabulationEarlyAfterRound stops without a winner', () => {
    const c = count(election('ABC', { A: 3, B: 2, C: 2 }), { stopTabulationEarlyAfterRound: 1 });
    expect(c.rounds).toHaveLength(1);
    expect(c.winners).toEqual([]);
  });
});

describe('ballot rules', () => {
  it('exhaustIfMultipleContinuing exhausts an overvote of two continuing candidates and passes one with a single continuing candidate', () => {
    const contest = election('ABCD', { A: 4, B: 3, D: 1, '(BC)A': 2, '(AD)': 1 });
    const c = count(contest, { overvoteRule: 'exhaustIfMultipleContinuing' });
    expect(c.rounds[0]?.inactive.overvotes.toString()).toBe('3');
    expect(tallies(c)[0]).toEqual({ A: '4', B: '3', C: '0', D: '1' });
    // C and D go: the (AD) ballot is exhausted already; (BC)A ballots stay exhausted.
    expect(c.winners).toEqual(['A']);
  });

  it('alwaysSkipToNextRank skips an overvote; exhaustImmediately stops the ballot there', () => {
    const contest = election('ABC', { A: 2, B: 2, '(BC)A': 1, '!C': 1 });
    expect(tallies(count(contest, { overvoteRule: 'alwaysSkipToNextRank' }))[0]).toEqual({
      A: '3',
      B: '2',
      C: '1',
    });
    const exhaust = count(contest, { overvoteRule: 'exhaustImmediately' });
    expect(tallies(exhaust)[0]).toEqual({ A: '2', B: '2', C: '0' });
    expect(exhaust.rounds[0]?.inactive.overvotes.toString()).toBe('2');
  });

  it('maxSkippedRanksAllowed exhausts a ballot after too many skipped ranks in a row', () => {
    const contest = election('ABC', { A: 4, B: 3, C__B: 1, C_B: 1 });
    const none = count(contest, { maxSkippedRanksAllowed: 0 });
    expect(tallies(none)[1]).toEqual({ A: '4', B: '3' });
    expect(none.rounds[1]?.inactive.skippedRankings.toString()).toBe('2');
    const one = count(contest, { maxSkippedRanksAllowed: 1 });
    expect(tallies(one)[1]).toEqual({ A: '4', B: '4' });
    const unlimited = count(contest, { maxSkippedRanksAllowed: 'unlimited' });
    expect(tallies(unlimited)[1]).toEqual({ A: '4', B: '5' });
  });

  it('exhaustOnDuplicateCandidate stops a ballot at a repeated candidate instead of skipping it', () => {
    const contest = election('ABC', { A: 3, B: 3, CCB: 1 });
    expect(count(contest, { exhaustOnDuplicateCandidate: false }).winners).toEqual(['B']);
    const strict = count(contest, { exhaustOnDuplicateCandidate: true });
    expect(strict.rounds[1]?.inactive.repeatedRankings.toString()).toBe('1');
  });
});

describe('several winners', () => {
  const park = election('ABCDE', { AB: 6, BC: 2, CD: 3, DC: 1, E: 0 });

  it('bottomsUp eliminates until as many candidates remain as seats, without surplus transfers', () => {
    const c = count(park, { numberOfWinners: 2, winnerElectionMode: 'bottomsUp' });
    expect(c.winners.sort()).toEqual(['A', 'C']);
    expect(c.rounds.at(-1)?.elected).toHaveLength(2);
  });

  it('bottomsUpUsingPercentageThreshold stops when everyone left has more than the percentage', () => {
    const c = count(park, {
      numberOfWinners: 0,
      winnerElectionMode: 'bottomsUpUsingPercentageThreshold',
      multiSeatBottomsUpPercentageThreshold: Decimal.of(30),
    });
    expect(c.winners.sort()).toEqual(['A', 'C']);
  });

  it('multiPassIrv runs one instant runoff per seat, each without the winners before it', () => {
    const passes = tabulateRcvPasses(
      park,
      defaultRules({ numberOfWinners: 2, winnerElectionMode: 'multiPassIrv' }),
    );
    expect(passes.map((p) => p.winners)).toEqual([['A'], ['B']]);
    expect(passes[1]?.rounds[0]?.tally.map((t) => t.candidate)).not.toContain('A');
  });

  it('allows only one winner per round when asked, the highest first', () => {
    const c = count(election('ABC', { A: 5, B: 4, C: 1 }), {
      numberOfWinners: 2,
      winnerElectionMode: 'multiWinnerAllowOnlyOneWinnerPerRound',
    });
    expect(c.rounds[0]?.elected.map((e) => e.candidate)).toEqual(['A']);
    expect(c.winners).toEqual(['A', 'B']);
  });
});
