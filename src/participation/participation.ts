// The vote model: ballot types and their counting options, quorum and the share needed, as schemas and pure rules.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { ROLES } from '../core/principal';

export const BALLOT_TYPES = [
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
export type BallotType = (typeof BALLOT_TYPES)[number];

/** Types whose ballots rank candidates. */
export const RANKED_TYPES: readonly BallotType[] = ['irv', 'stv', 'meek', 'schulze'];
/** Types with no candidates: the ballot takes a position on one proposal. */
export const POSITION_TYPES: readonly BallotType[] = ['consent', 'proposal'];

export const PROPOSAL_POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export const CONSENT_POSITIONS = ['consent', 'stand-aside', 'block'] as const;

const seats = z.number().int().min(1).max(100).default(1).describe('number of winners');
const overvote = z
  .enum(['exhaust', 'skip'])
  .default('exhaust')
  .describe('a rank with two or more candidates marked: end the ballot there, or skip to the next rank');
const maxSkippedRanks = z
  .number()
  .int()
  .min(0)
  .nullable()
  .default(null)
  .describe('blank ranks a ballot may skip before it is exhausted (null: any number)');
const duplicates = z
  .enum(['skip', 'exhaust'])
  .default('skip')
  .describe('a candidate ranked twice: ignore the later mark, or exhaust the ballot');
const tieBreak = z
  .enum(['candidate-order', 'previous-round', 'random'])
  .default('previous-round')
  .describe('how a tie for elimination is broken (random uses the seed)');
const ranked = {
  overvote,
  maxSkippedRanks,
  duplicates,
  tieBreak,
  randomSeed: z
    .string()
    .max(100)
    .optional()
    .describe('seed of the random tie-break, published with the result'),
};

/** The ballot type and the options of its counting rule (docs/guide/participation.md explains each). */
export const methodSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('approval'),
    seats,
    min: z.number().int().min(0).default(0).describe('fewest candidates a ballot must approve'),
    max: z.number().int().min(1).nullable().default(null).describe('most candidates a ballot may approve'),
  }),
  z.object({
    type: z.literal('score'),
    seats,
    maxScore: z.number().int().min(1).max(100).default(5).describe('scores run from 0 to this'),
  }),
  z.object({
    type: z.literal('star'),
    maxScore: z.number().int().min(1).max(100).default(5),
  }),
  z.object({
    type: z.literal('irv'),
    ...ranked,
    batchElimination: z.boolean().default(false).describe('eliminate together all who cannot catch up'),
    continueUntilTwoRemain: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('stv'),
    ...ranked,
    seats: z.number().int().min(1).max(100).default(2),
    quota: z.enum(['droop', 'hare']).default('droop'),
    fractionalThreshold: z
      .boolean()
      .default(false)
      .describe('threshold as an exact fraction rather than the next whole vote'),
    decimalPlaces: z.number().int().min(0).max(20).default(4).describe('places of the vote arithmetic'),
    oneWinnerPerRound: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('meek'),
    seats: z.number().int().min(1).max(100).default(2),
    decimalPlaces: z.number().int().min(0).max(20).default(9),
  }),
  z.object({ type: z.literal('schulze') }),
  z.object({ type: z.literal('consent') }),
  z.object({ type: z.literal('proposal') }),
]);
export type Method = z.output<typeof methodSchema>;

export const candidateSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().trim().min(1).max(200),
});
export type Candidate = z.infer<typeof candidateSchema>;

/** An exact fraction written "2/3", "0.5" or "50%". */
export const fractionText = z
  .string()
  .trim()
  .regex(/^(\d+\/[1-9]\d*|\d+(\.\d+)?|\d+(\.\d+)?%)$/, 'a fraction such as "2/3", "0.5" or "50%"');

export const quorumSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('count'), count: z.number().int().min(1).describe('ballots needed') }),
    z.object({ kind: z.literal('share'), share: fractionText.describe('share of the electorate needed') }),
  ])
  .default({ kind: 'none' });
export type Quorum = z.output<typeof quorumSchema>;

export const shareNeededSchema = z.object({
  share: fractionText.describe('share of the votes cast for (or for the winner) needed'),
  rule: z.enum(['more-than', 'at-least']).default('more-than'),
});
export type ShareNeeded = z.output<typeof shareNeededSchema>;

/** Who may vote: people with one of `roles` on a unit of the subtree, or only the `people` listed among them. */
export const electorateRuleSchema = z
  .object({
    roles: z
      .array(z.enum(ROLES))
      .min(1)
      .default([...ROLES]),
    people: z.array(z.string().min(1)).max(100_000).optional().describe('only these people of the subtree'),
  })
  .default({ roles: [...ROLES] });
export type ElectorateRule = z.output<typeof electorateRuleSchema>;

/** A fraction text as whole numbers, exactly (no floating point: "0.1" is 1/10, "50%" is 50/100). */
export function parseFraction(text: string): { numerator: number; denominator: number } {
  const t = text.trim();
  if (t.endsWith('%')) {
    const f = parseFraction(t.slice(0, -1));
    return { numerator: f.numerator, denominator: f.denominator * 100 };
  }
  if (t.includes('/')) {
    const [n, d] = t.split('/');
    return { numerator: Number(n), denominator: Number(d) };
  }
  const [whole, decimals = ''] = t.split('.');
  return { numerator: Number(`${whole ?? '0'}${decimals}`), denominator: 10 ** decimals.length };
}

/** The vote options that only make sense together, checked before a vote opens. */
export function assertConsistentVote(v: {
  method: Method;
  candidates: Candidate[];
  shareNeeded: ShareNeeded | null;
  opensAt: Date;
  closesAt: Date;
}): void {
  const positional = POSITION_TYPES.includes(v.method.type);
  if (positional && v.candidates.length > 0) {
    throw new DomainError('invalid', `candidates: a ${v.method.type} vote has no candidates`, {
      issues: [
        { field: 'candidates', message: 'leave it empty; the ballot takes a position on the proposal' },
      ],
    });
  }
  if (!positional && v.candidates.length < 2) {
    throw new DomainError('invalid', 'candidates: give at least two candidates', {
      issues: [{ field: 'candidates', message: `a ${v.method.type} vote needs two or more candidates` }],
    });
  }
  const ids = new Set<string>();
  v.candidates.forEach((c, i) => {
    if (ids.has(c.id)) {
      throw new DomainError('invalid', `candidates[${i}].id: "${c.id}" is used twice`, {
        issues: [{ field: `candidates[${i}].id`, message: 'candidate ids must be unique' }],
      });
    }
    ids.add(c.id);
  });
  const m = v.method;
  if ('seats' in m && m.seats >= v.candidates.length && !positional) {
    throw new DomainError('invalid', `method.seats: ${m.seats} seats need more than ${m.seats} candidates`, {
      issues: [{ field: 'method.seats', message: 'fewer seats than candidates' }],
    });
  }
  if (m.type === 'approval' && m.max !== null && m.max < m.min) {
    throw new DomainError('invalid', 'method.max: the maximum is below the minimum', {
      issues: [{ field: 'method.max', message: `at least method.min (${m.min})` }],
    });
  }
  if (v.shareNeeded !== null) {
    const singleWinner = !('seats' in m) || m.seats === 1;
    const applies = m.type === 'proposal' || ((m.type === 'irv' || m.type === 'approval') && singleWinner);
    if (!applies) {
      throw new DomainError('invalid', `shareNeeded: does not apply to a ${m.type} vote`, {
        issues: [
          {
            field: 'shareNeeded',
            message:
              'a share is checked for proposals, single-winner instant runoff and single-winner approval',
          },
        ],
        fix: 'leave shareNeeded out (consent passes unless blocked; the other methods elect by their own rule)',
      });
    }
  }
  if (v.closesAt.getTime() <= v.opensAt.getTime()) {
    throw new DomainError('invalid', 'closesAt: the vote must close after it opens', {
      issues: [{ field: 'closesAt', message: 'later than opensAt' }],
    });
  }
}
