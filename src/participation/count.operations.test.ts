// vote.count on the worked examples of docs/guide/participation.md, and its refusals of bad ballots.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../app/container';
import { invoke } from '../app/invoke';
import { isDomainError, type DomainError } from '../core/errors';
import { createLogger } from '../core/logger';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';
import { countOperations } from './count.operations';
import { buildCompute } from '../app/compute';

const app: App = {
  services: { compute: buildCompute({ workers: 0, perPrincipal: 1, anonymous: 1 }) } as Services,
  clock: { now: () => new Date() },
  store: undefined as never,
  close: async () => {},
};
const EXAMPLES = join(import.meta.dirname, '..', '..', 'docs', 'guide', 'examples');
const op = countOperations[0] as (typeof countOperations)[number];

async function count(input: unknown): Promise<Record<string, unknown>> {
  return (await invoke(app, op, input, { principal: SYSTEM, log: createLogger('test') })) as Record<
    string,
    unknown
  >;
}
const example = (name: string): unknown => JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8'));

async function refusal(input: unknown): Promise<DomainError> {
  const e: unknown = await count(input).catch((x: unknown) => x);
  if (!isDomainError(e)) throw new Error(`expected a refusal, got ${JSON.stringify(e)}`);
  return e;
}

describe('the worked examples of the guide', () => {
  it("Tennessee (Wikipedia's example): instant runoff elects Knoxville after Chattanooga and Nashville go", async () => {
    const r = (await count(example('tennessee-irv'))) as {
      winners: string[];
      rounds: { tally: { candidate: string; votes: string }[]; eliminated: { candidate: string }[] }[];
    };
    expect(r.winners).toEqual(['Knoxville']);
    expect(r.rounds.map((x) => x.eliminated.map((e) => e.candidate))).toEqual([
      ['Chattanooga'],
      ['Nashville'],
      [],
    ]);
    expect(r.rounds[2]?.tally).toEqual([
      { candidate: 'Memphis', votes: '42' },
      { candidate: 'Knoxville', votes: '58' },
    ]);
  });

  it('Tennessee: Schulze elects Nashville, the Condorcet winner, and ranks Nashville > Chattanooga > Knoxville > Memphis', async () => {
    const r = await count(example('tennessee-schulze'));
    expect(r.condorcetWinner).toBe('Nashville');
    expect(r.winners).toEqual(['Nashville']);
    expect(r.ranking).toEqual(['Nashville', 'Chattanooga', 'Knoxville', 'Memphis']);
    expect((r.pairwise as number[][])[1]?.[0]).toBe(58);
  });

  it('approval: the Garden, approved on 4 of 5 ballots', async () => {
    const r = await count(example('approval'));
    expect(r.winners).toEqual(['Garden']);
    expect(r.tally).toEqual([
      { option: 'Bakery', total: 2, perBallot: '0.4000' },
      { option: 'Library', total: 2, perBallot: '0.4000' },
      { option: 'Garden', total: 4, perBallot: '0.8000' },
    ]);
  });

  it('score: B with 12 points', async () => {
    const r = await count(example('score'));
    expect(r.winners).toEqual(['B']);
    expect((r.tally as { total: number }[]).map((t) => t.total)).toEqual([7, 12, 6]);
  });

  it('STAR: Ben has the highest score, but Ana wins the runoff 3 to 2', async () => {
    const r = await count(example('star'));
    expect(r.finalists).toEqual(['Ben', 'Ana']);
    expect(r.runoff).toEqual({ preferFirst: 2, preferSecond: 3, noPreference: 0 });
    expect(r.winner).toBe('Ana');
  });

  it("STV, two seats: Ann's surplus of 1 moves as 6 × 0.1666 with 0.0004 lost to rounding; Cal takes the second seat", async () => {
    const r = (await count(example('stv'))) as {
      winners: string[];
      rounds: {
        threshold: string;
        elected: { candidate: string; transfers: Record<string, string> }[];
        tally: { candidate: string; votes: string }[];
      }[];
    };
    expect(r.winners).toEqual(['Ann', 'Cal']);
    expect(r.rounds[0]?.threshold).toBe('5');
    expect(r.rounds[0]?.elected[0]?.transfers).toEqual({ Bea: '0.9996', 'residual surplus': '0.0004' });
    expect(r.rounds[1]?.tally).toEqual([
      { candidate: 'Ann', votes: '5' },
      { candidate: 'Bea', votes: '2.9996' },
      { candidate: 'Cal', votes: '3' },
      { candidate: 'Dee', votes: '1' },
    ]);
  });

  it('Meek, two seats: the same winners, Ann keeping two thirds of each of her ballots', async () => {
    const r = (await count(example('meek'))) as {
      winners: string[];
      rounds: { tally: { candidate: string; keepFactor: string }[] }[];
    };
    expect(r.winners).toEqual(['Ann', 'Cal']);
    expect(r.rounds[1]?.tally[0]).toEqual(
      expect.objectContaining({ candidate: 'Ann', keepFactor: '0.666666667' }),
    );
  });

  it('consent: one block, with its reason, stops the proposal', async () => {
    const r = await count(example('consent'));
    expect(r.passed).toBe(false);
    expect(r.blockReasons).toEqual(['The budget leaves no reserve for repairs.']);
  });

  it('proposal: 5 of 8 decisive votes agree and 10 of 16 members voted: it passes; needing 2/3 it does not', async () => {
    const input = example('proposal') as Record<string, unknown>;
    const r = await count(input);
    expect(r).toEqual(
      expect.objectContaining({
        passed: true,
        agreeShare: '0.6250',
        quorum: { met: true, ballots: 10, required: 8 },
      }),
    );
    const twoThirds = await count({ ...input, shareNeeded: { share: { numerator: 2, denominator: 3 } } });
    expect(twoThirds.passed).toBe(false);
    const noQuorum = await count({
      ...input,
      quorum: { share: { numerator: 2, denominator: 3 }, electorate: 16 },
    });
    expect(noQuorum.outcome).toBe('no quorum: 10 of 11 ballots needed');
  });
});

describe('refusals name the ballot and the place in it', () => {
  it('an unknown candidate', async () => {
    const e = await refusal({ method: 'irv', options: ['A', 'B'], ballots: [['A'], ['B', 'Zed']] });
    expect(e.issues[0]).toEqual({ field: 'ballots[1][1]', message: 'unknown option "Zed"' });
  });

  it('a repeated rank', async () => {
    const e = await refusal({ method: 'stv', options: ['A', 'B', 'C'], ballots: [['A', 'B', 'A']] });
    expect(e.issues[0]?.field).toBe('ballots[0][2]');
    expect(e.issues[0]?.message).toContain('ranked twice (ranks 1 and 3)');
  });

  it('too many approvals, and a score out of range', async () => {
    const a = await refusal({
      method: 'approval',
      options: ['A', 'B', 'C'],
      maxChoices: 1,
      ballots: [['A'], ['A', 'B']],
    });
    expect(a.issues[0]).toEqual({ field: 'ballots[1]', message: 'approves 2 options, at most 1 allowed' });
    const s = await refusal({ method: 'score', options: ['A', 'B'], ballots: [{ A: 6 }] });
    expect(s.issues[0]?.field).toBe('ballots[0][0]');
  });

  it('a block without a reason', async () => {
    const e = await refusal({
      method: 'consent',
      ballots: [{ position: 'consent' }, { position: 'block', reason: ' ' }],
    });
    expect(e.issues[0]).toEqual({ field: 'ballots[1].reason', message: 'a block needs a reason' });
  });

  it('a ballot of the wrong shape', async () => {
    const e = await refusal({ method: 'irv', options: ['A'], ballots: [[1]] });
    expect(e.issues[0]?.field).toMatch(/^ballots\[0\]\[0\]/);
  });
});
