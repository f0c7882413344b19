// Properties every count must have, on random elections (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBlt, writeBlt } from '../cvr/blt';
import { Decimal } from './decimal';
import { countMeek } from './meek';
import { plainRanking, rankedBallots, type PlainRanking } from './ranked-ballots';
import { defaultRules } from './rcv/rules';
import { tabulateRcv } from './rcv/tabulate';
import { countSchulze } from './schulze';

/** Random elections: n candidates, each ballot a ranking of some of them (no repeats, no ties). */
const election = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    ballots: fc.array(
      fc
        .shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: 1 },
        )
        .map((order) => order.map((c) => [c])),
      { minLength: 1, maxLength: 80 },
    ),
  }),
);

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `C${i}`);
const contest = (n: number, ballots: PlainRanking[]) => ({
  candidates: names(n).map((name) => ({ name })),
  undeclaredWriteIns: false,
  ballots: rankedBallots(ballots),
});

function firstChoices(n: number, ballots: PlainRanking[]): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const b of ballots) {
    const c = b[0]?.[0];
    if (c !== undefined) counts[c] = (counts[c] as number) + 1;
  }
  return counts;
}

describe('ranked-choice counting properties', () => {
  it('instant runoff elects the plurality winner in one round when that winner has a majority', () => {
    fc.assert(
      fc.property(election, ({ n, ballots }) => {
        const counts = firstChoices(n, ballots);
        const top = counts.indexOf(Math.max(...counts));
        fc.pre(2 * (counts[top] as number) > ballots.length);
        const count = tabulateRcv(contest(n, ballots), defaultRules());
        expect(count.winners).toEqual([`C${top}`]);
        expect(count.rounds).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it('conserves ballots: active + inactive = all ballots in every round of instant runoff', () => {
    fc.assert(
      fc.property(election, fc.integer({ min: 0, max: 2 }), ({ n, ballots }, skipped) => {
        const count = tabulateRcv(contest(n, ballots), defaultRules({ maxSkippedRanksAllowed: skipped }));
        for (const r of count.rounds) {
          const inactive = Object.values(r.inactive).reduce((a, b) => a.add(b), Decimal.ZERO);
          expect(r.active.add(inactive).toString()).toBe(String(ballots.length));
          const tallied = r.tally.reduce((a, t) => a.add(t.votes), Decimal.ZERO);
          expect(tallied.equals(r.active)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('conserves value exactly in STV: tallies + inactive + residual surplus = all ballots, every round', () => {
    fc.assert(
      fc.property(election, fc.integer({ min: 2, max: 3 }), fc.boolean(), ({ n, ballots }, seats, hare) => {
        fc.pre(seats < n);
        const rules = defaultRules({
          numberOfWinners: seats,
          winnerElectionMode: 'multiWinnerAllowMultipleWinnersPerRound',
          hareQuota: hare,
          nonIntegerWinningThreshold: !hare,
        });
        const count = tabulateRcv(contest(n, ballots), rules);
        expect(count.winners).toHaveLength(seats);
        for (const r of count.rounds) {
          let sum = r.residualSurplus;
          for (const t of r.tally) sum = sum.add(t.votes);
          for (const v of Object.values(r.inactive)) sum = sum.add(v);
          expect(sum.equals(Decimal.of(ballots.length))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('Meek with one seat elects the instant-runoff winner when no tie had to be broken', () => {
    fc.assert(
      fc.property(election, ({ n, ballots }) => {
        const irv = tabulateRcv(contest(n, ballots), defaultRules());
        fc.pre(irv.tieBreaks.length === 0);
        const meek = countMeek(names(n), rankedBallots(ballots), { seats: 1 });
        fc.pre(!meek.rounds.some((r) => r.excluded.some((e) => e.reason.includes('tie'))));
        expect(meek.winners).toEqual(irv.winners);
      }),
      { numRuns: 150 },
    );
  });
});

describe('Condorcet counting properties', () => {
  it('Schulze elects the Condorcet winner whenever there is one, and always elects someone', () => {
    fc.assert(
      fc.property(election, ({ n, ballots }) => {
        const result = countSchulze(names(n), rankedBallots(ballots));
        expect(result.winners.length).toBeGreaterThan(0);
        if (result.condorcetWinner !== null) expect(result.winners).toEqual([result.condorcetWinner]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('.blt round trip', () => {
  it('reads back exactly the ballots it wrote, and counts them the same', () => {
    fc.assert(
      fc.property(election, ({ n, ballots }) => {
        const written = writeBlt({
          title: 'T',
          candidates: names(n),
          seats: 1,
          withdrawn: [],
          ballots: rankedBallots(ballots),
        });
        const read = readBlt(written);
        const expand = (e: typeof read.ballots): string[] => {
          const out: string[] = [];
          for (let b = 0; b < e.size; b++) {
            for (let k = 0; k < (e.counts ? (e.counts[b] as number) : 1); k++)
              out.push(JSON.stringify(plainRanking(e, b)));
          }
          return out.sort();
        };
        expect(expand(read.ballots)).toEqual(expand(rankedBallots(ballots)));
        const direct = tabulateRcv(contest(n, ballots), defaultRules());
        const viaBlt = tabulateRcv(
          {
            candidates: read.candidates.map((name) => ({ name })),
            undeclaredWriteIns: false,
            ballots: read.ballots,
          },
          defaultRules(),
        );
        expect(viaBlt.winners).toEqual(direct.winners);
        expect(viaBlt.rounds.map((r) => r.tally.map((t) => t.votes.toString()))).toEqual(
          direct.rounds.map((r) => r.tally.map((t) => t.votes.toString())),
        );
      }),
      { numRuns: 100 },
    );
  });
});
