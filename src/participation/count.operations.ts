// Counting ballots of any type from a JSON document, with no database: the worked examples of the
// guide, a recount of published ballots, or a count to compare with another program.

import { z } from 'zod';
import { DomainError } from '../core/errors';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { countApproval, countScore, countStar } from './counting/approval-score';
import { countConsent, countProposal } from './counting/consent-proposal';
import type { DecisionOptions } from './counting/decision-rules';
import { countMeek } from './counting/meek';
import { plainMeekResult, plainRcvResult } from './counting/plain-results';
import { tabulateRcvPasses } from './counting/rcv/multi-pass';
import { countSchulze } from './counting/schulze';
import { parseRctabRules } from './cvr/rctab-config';
import { approvalBallots, positionBallots, rankedBallotsOf, scoreBallots } from './count-input';

const share = z.object({ numerator: z.number().int().min(0), denominator: z.number().int().min(1) });

export const BALLOT_METHODS = [
  'approval',
  'score',
  'star',
  'irv',
  'stv',
  'meek',
  'schulze',
  'consent',
  'proposal',
] as const;

const countInput = z.object({
  method: z.enum(BALLOT_METHODS).describe('the ballot type'),
  options: z
    .array(z.string().min(1))
    .max(10_000)
    .default([])
    .describe('the options or candidates (not for consent and proposal)'),
  ballots: z
    .array(z.unknown())
    .max(2_000_000)
    .describe('the ballots, in the shape of the method (docs/guide/participation.md)'),
  seats: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('winners to elect (approval, score, stv, meek; default 1)'),
  minChoices: z.number().int().min(0).optional().describe('approval: fewest options a ballot must approve'),
  maxChoices: z.number().int().min(1).optional().describe('approval: most options a ballot may approve'),
  minScore: z.number().int().optional().describe('score and STAR: lowest score (default 0)'),
  maxScore: z.number().int().optional().describe('score and STAR: highest score (default 5)'),
  rules: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('irv and stv: RCTab rule options, e.g. {"batchElimination": true}'),
  decimalPlaces: z.number().int().min(5).max(30).optional().describe('meek: decimal places (default 9)'),
  quorum: z
    .union([
      z.object({ ballots: z.number().int().min(0) }),
      z.object({ share, electorate: z.number().int().min(0) }),
    ])
    .optional()
    .describe('the result stands only with this many ballots, or this share of the electorate'),
  shareNeeded: z
    .object({ share, orMore: z.boolean().optional() })
    .optional()
    .describe('share of decisive votes needed (default more than 1/2)'),
  blockVetoes: z.boolean().default(true).describe('proposal: a block stops the proposal'),
});

function needOptions(options: string[], method: string): void {
  if (options.length === 0) {
    throw new DomainError('invalid', `options: ${method} needs the list of options`, {
      issues: [{ field: 'options', message: 'empty' }],
      fix: 'list the options (candidates) by name',
    });
  }
  if (new Set(options).size !== options.length) {
    throw new DomainError('invalid', 'options: an option is listed twice', {
      issues: [{ field: 'options', message: 'names must be distinct' }],
    });
  }
}

function rcvRules(
  method: 'irv' | 'stv',
  seats: number,
  options: string[],
  overrides: Record<string, unknown>,
) {
  const several = method === 'stv' && seats > 1;
  return parseRctabRules(
    {
      numberOfWinners: method === 'irv' ? 1 : seats,
      winnerElectionMode: several ? 'multiWinnerAllowMultipleWinnersPerRound' : 'singleWinnerMajority',
      tiebreakMode: 'useCandidateOrder',
      overvoteRule: 'alwaysSkipToNextRank',
      maxSkippedRanksAllowed: 'unlimited',
      maxRankingsAllowed: 'max',
      decimalPlacesForVoteArithmetic: 4,
      ...overrides,
    },
    options.length,
  );
}

/** Ballots an anonymous caller may count at once: a meeting's or a small town's, not a country's. */
const ANONYMOUS_BALLOTS = 100_000;

/** Counts the ballots: runs in the compute pool. */
export function countTask(i: z.output<typeof countInput>) {
  const decision: DecisionOptions = {
    ...(i.quorum === undefined ? {} : { quorum: i.quorum }),
    ...(i.shareNeeded === undefined ? {} : { shareNeeded: i.shareNeeded }),
  };
  const seats = i.seats ?? 1;
  if (i.method !== 'consent' && i.method !== 'proposal') needOptions(i.options, i.method);
  switch (i.method) {
    case 'approval':
      return countApproval(
        i.options,
        approvalBallots(i.options, i.ballots),
        {
          winners: seats,
          ...(i.minChoices === undefined ? {} : { minChoices: i.minChoices }),
          ...(i.maxChoices === undefined ? {} : { maxChoices: i.maxChoices }),
        },
        decision,
      );
    case 'score':
    case 'star': {
      const range = {
        ...(i.minScore === undefined ? {} : { min: i.minScore }),
        ...(i.maxScore === undefined ? {} : { max: i.maxScore }),
      };
      const ballots = scoreBallots(i.options, i.ballots);
      return i.method === 'score'
        ? countScore(i.options, ballots, { ...range, winners: seats }, decision)
        : countStar(i.options, ballots, range, decision);
    }
    case 'schulze':
      return countSchulze(i.options, rankedBallotsOf(i.options, i.ballots), decision);
    case 'irv':
    case 'stv': {
      const ballots = rankedBallotsOf(i.options, i.ballots);
      const rules = rcvRules(i.method, seats, i.options, i.rules ?? {});
      const [count] = tabulateRcvPasses(
        { candidates: i.options.map((name) => ({ name })), undeclaredWriteIns: false, ballots },
        rules,
      );
      return plainRcvResult(count as NonNullable<typeof count>);
    }
    case 'meek': {
      const result = countMeek(i.options, rankedBallotsOf(i.options, i.ballots), {
        seats,
        ...(i.decimalPlaces === undefined ? {} : { decimalPlaces: i.decimalPlaces }),
      });
      return plainMeekResult(result);
    }
    case 'consent':
      return countConsent(positionBallots(i.ballots), decision);
    case 'proposal':
      return countProposal(positionBallots(i.ballots), decision, i.blockVetoes);
  }
}

export const countOperations = [
  defineOperation({
    name: 'vote.count',
    summary:
      'Count ballots of any type (approval, score, STAR, IRV, STV, Meek, Schulze, consent, proposal) from a JSON document.',
    kind: 'query',
    input: countInput,
    output: z.looseObject({ method: z.string() }),
    access: { kind: 'public' },
    needsStore: false,
    heavy: {
      limits: [
        {
          field: 'ballots',
          unit: 'ballots',
          max: 2_000_000,
          anonymousMax: ANONYMOUS_BALLOTS,
          measure: (i) => i.ballots.length,
        },
      ],
    },
    handler: (ctx, i) => offload(ctx, 'vote.count', i),
  }),
];
