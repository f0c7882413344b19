// The Counter over the engine: each ballot type's stored marks reach the right count, and the engine's verdicts
// on quorum, share, ties and blocks become the vote's outcome.
import { describe, expect, it } from 'vitest';
import type { Marks } from './ballot';
import { methodSchema, type Candidate } from './participation';
import { countVote, quorumOf } from './tally';
import { outcomeOf, type CountInput } from './vote-outcome';

const abc: Candidate[] = [
  { id: 'a', name: 'Ada' },
  { id: 'b', name: 'Bea' },
  { id: 'c', name: 'Cy' },
];

function result(method: unknown, ballots: Marks[], extra: Partial<CountInput> = {}, candidates = abc) {
  const input: CountInput = {
    method: methodSchema.parse(method),
    candidates,
    ballots,
    quorum: { kind: 'none' },
    shareNeeded: null,
    electorateSize: 10,
    ...extra,
  };
  return outcomeOf({ ...input, paperBallots: 0 }, countVote(input));
}

const ranks = (...rs: string[][]): Marks[] => rs.map((r) => ({ ranking: r.map((id) => [id]) }));

describe('the counter behind votes', () => {
  it('elects by approval, score and STAR from their marks', () => {
    expect(
      result({ type: 'approval' }, [{ approve: ['a', 'b'] }, { approve: ['a'] }, { approve: ['c'] }]).winners,
    ).toEqual([{ id: 'a', name: 'Ada' }]);
    const scores: Marks[] = [
      { scores: { a: 5, b: 4, c: 0 } },
      { scores: { a: 0, b: 4, c: 5 } },
      { scores: { a: 1, b: 3, c: 5 } },
    ];
    expect(result({ type: 'score' }, scores).winners.map((w) => w.id)).toEqual(['b']);
    // STAR: b has the highest total (11) and c the next (10); in the runoff c is preferred on 2 ballots of 3.
    expect(result({ type: 'star' }, scores).winners.map((w) => w.id)).toEqual(['c']);
  });

  it('counts instant runoff round by round and checks the winner\u2019s share of the final round', () => {
    const ballots = ranks(['a'], ['a'], ['b', 'a'], ['c', 'b'], ['c', 'b']);
    const r = result({ type: 'irv', tieBreak: 'candidate-order' }, ballots, {
      shareNeeded: { share: '2/3', rule: 'at-least' },
    });
    const tally = r.tally as { rounds: { tally: { candidate: string; votes: string }[] }[] };
    expect(tally.rounds[0]?.tally.map((t) => [t.candidate, t.votes])).toEqual([
      ['a', '2'],
      ['b', '1'],
      ['c', '2'],
    ]);
    expect(r.share).toMatchObject({ part: 3, whole: 5, met: false });
    expect(r.outcome).toBe('no-winner');
  });

  it('elects several by STV and by Meek, and one by Schulze', () => {
    const ballots = ranks(['a', 'b'], ['a', 'b'], ['a', 'c'], ['b', 'c'], ['c', 'b'], ['c', 'a']);
    expect(
      result({ type: 'stv', seats: 2, tieBreak: 'candidate-order' }, ballots)
        .winners.map((w) => w.id)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(
      result({ type: 'meek', seats: 2 }, ballots)
        .winners.map((w) => w.id)
        .sort(),
    ).toEqual(['a', 'c']);
    // Ada beats Bea and Cy 3 to 1 head to head: the Condorcet winner.
    const condorcet = ranks(['a', 'b', 'c'], ['a', 'c', 'b'], ['b', 'a', 'c'], ['c', 'a', 'b']);
    expect(result({ type: 'schulze' }, condorcet).winners.map((w) => w.id)).toEqual(['a']);
    // Ada and Cy tie 3 to 3 on the first ballots: Schulze names both, and the vote reports the tie.
    expect(result({ type: 'schulze' }, ballots)).toMatchObject({ outcome: 'tied', winners: [] });
  });

  it('reports a tie the rule does not break instead of picking a winner', () => {
    const r = result({ type: 'approval' }, [{ approve: ['a'] }, { approve: ['b'] }]);
    expect(r).toMatchObject({ outcome: 'tied', winners: [] });
  });

  it('blocks a consent with one block, passes a proposal by its share, and checks the quorum', () => {
    const consent = result(
      { type: 'consent' },
      [{ position: 'consent' }, { position: 'block', reason: 'unsafe' }],
      {},
      [],
    );
    expect(consent.outcome).toBe('blocked');
    const proposal = (positions: string[], extra: Partial<CountInput> = {}) =>
      result(
        { type: 'proposal' },
        positions.map((position) => ({ position })),
        extra,
        [],
      );
    expect(proposal(['agree', 'agree', 'disagree', 'abstain']).outcome).toBe('adopted');
    expect(proposal(['agree', 'disagree']).outcome).toBe('rejected');
    expect(proposal(['agree', 'agree'], { quorum: { kind: 'share', share: '1/2' } })).toMatchObject({
      outcome: 'no-quorum',
      quorum: { needed: 5, met: false },
    });
    expect(quorumOf({ kind: 'share', share: '1/3' }, 10, 4)).toEqual({ needed: 4, met: true });
  });
});
