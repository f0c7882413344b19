// A vote as stored and shown: its options, its state on the clock, and the result recorded at closing.
import { z } from 'zod';
import {
  candidateSchema,
  electorateRuleSchema,
  methodSchema,
  quorumSchema,
  shareNeededSchema,
  type Candidate,
  type ElectorateRule,
  type Method,
  type Quorum,
  type ShareNeeded,
} from './participation';

export const VOTE_STATUSES = ['scheduled', 'open', 'closed'] as const;
export type VoteStatus = (typeof VOTE_STATUSES)[number];

export const OUTCOMES = [
  'adopted',
  'rejected',
  'blocked',
  'elected',
  'tied',
  'no-quorum',
  'no-winner',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface VoteRecord {
  id: string;
  unitId: string;
  title: string;
  description: string;
  method: Method;
  candidates: Candidate[];
  quorum: Quorum;
  shareNeeded: ShareNeeded | null;
  hideResults: boolean;
  anonymous: boolean;
  allowChanges: boolean;
  electorateRule: ElectorateRule;
  opensAt: Date;
  closesAt: Date;
  status: VoteStatus;
  electorateId: string | null;
  assemblyId: string | null;
  agendaItemId: string | null;
  decisionKind: string;
  decisionPayload: Record<string, unknown>;
  result: VoteResult | null;
  closedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** What closing a vote records: turnout, quorum, the share check, the outcome and the count itself. */
export const voteResultSchema = z.object({
  ballots: z.number().int().describe('ballots counted (online and paper)'),
  paperBallots: z.number().int(),
  electorateSize: z.number().int(),
  quorum: z.object({ needed: z.number().int(), met: z.boolean() }),
  share: z
    .object({
      needed: shareNeededSchema,
      part: z.number().describe('votes for the proposal, or for the winner in the final round'),
      whole: z
        .number()
        .describe('votes that counted toward the share (abstentions and exhausted ballots do not)'),
      met: z.boolean(),
    })
    .nullable(),
  outcome: z.enum(OUTCOMES),
  winners: z.array(candidateSchema),
  explanation: z.string().describe('the outcome in one sentence'),
  tally: z
    .record(z.string(), z.unknown())
    .describe('the count from the counting engine, round by round where ranked'),
});
export type VoteResult = z.infer<typeof voteResultSchema>;

export const voteSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  title: z.string(),
  description: z.string(),
  method: methodSchema,
  candidates: z.array(candidateSchema),
  quorum: quorumSchema,
  shareNeeded: shareNeededSchema.nullable(),
  hideResults: z.boolean(),
  anonymous: z.boolean(),
  allowChanges: z.boolean(),
  electorateRule: electorateRuleSchema,
  opensAt: z.date(),
  closesAt: z.date(),
  status: z.enum(VOTE_STATUSES),
  electorateSize: z.number().int().nullable().describe('frozen when the vote opens'),
  ballotsCast: z.number().int(),
  assemblyId: z.string().nullable(),
  agendaItemId: z.string().nullable(),
  decisionKind: z.string(),
  decisionPayload: z.record(z.string(), z.unknown()),
  result: voteResultSchema.nullable().describe('recorded at closing'),
  closedAt: z.date().nullable(),
  createdBy: z.string(),
  createdAt: z.date(),
});
export type VoteView = z.infer<typeof voteSchema>;

/** The state a vote is in at `now`, whatever the last timer pass wrote. */
export function statusAt(v: Pick<VoteRecord, 'status' | 'opensAt' | 'closesAt'>, now: Date): VoteStatus {
  if (v.status === 'closed' || now.getTime() >= v.closesAt.getTime()) return 'closed';
  return now.getTime() >= v.opensAt.getTime() ? 'open' : 'scheduled';
}
