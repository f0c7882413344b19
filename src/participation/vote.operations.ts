// Vote operations: open, read, cast, close, results, the published ballots, the electorate, and the timer pass.
import { z } from 'zod';
import { basename } from 'node:path';
import { defineOperation, type CliHints } from '../core/operation';
import { actorKey, scopesFor, type Principal } from '../core/principal';
import { ballotInputSchema } from './ballot';
import { decisionKind } from './decision';
import {
  candidateSchema,
  electorateRuleSchema,
  methodSchema,
  quorumSchema,
  shareNeededSchema,
} from './participation';
import { paperFileSchema } from './paper-ballots';
import { publishedBallotsSchema } from './published-ballots';
import { VOTE_STATUSES, voteResultSchema, voteSchema, type VoteStatus } from './vote-record';
import type { VoteService } from './vote.service';

declare module '../core/services' {
  interface Services {
    votes: VoteService;
  }
}

const voteId = z.string().min(1).describe('vote id');
const byVote = (permission: 'read' | 'govern' | 'audit', publicRead = false) => ({
  kind: 'unit' as const,
  permission,
  publicRead,
  unit: (i: { id: string }, r: { unitOf(kind: string, id: string): Promise<string | null> }) =>
    r.unitOf('vote', i.id),
});
const STATUS_FILTERS: Record<string, VoteStatus[]> = {
  open: ['open'],
  scheduled: ['scheduled'],
  closed: ['closed'],
  current: ['scheduled', 'open'],
  all: [...VOTE_STATUSES],
};

/** What a reader may see: the subtrees it reads, public units, and votes whose electorate holds it. */
export async function readerScope(
  services: { holarchy: { get(id: string): Promise<{ path: string }> } },
  principal: Principal,
  unitId: string | undefined,
) {
  const paths = scopesFor(principal, 'read');
  const under = unitId === undefined ? undefined : (await services.holarchy.get(unitId)).path;
  return { paths, includePublic: true, ...(under === undefined ? {} : { under }) };
}

/** `--file PATH` on the command line: the file is read locally (a spreadsheet as base64) and uploaded. */
const paperFileOption: NonNullable<CliHints['local']> = {
  options: [{ name: 'file', flag: 'file', description: 'the cast-vote file of the counted paper ballots' }],
  gather: async (options, files) => {
    const path = options.file as string;
    const bytes = await files.read(path, { maxBytes: 64 * 1024 * 1024 });
    const binary = bytes[0] === 0x50 && bytes[1] === 0x4b;
    return { content: bytes.toString(binary ? 'base64' : 'utf8'), fileName: basename(path) };
  },
};

export const voteOperations = [
  defineOperation({
    name: 'vote.open',
    summary:
      'Open a vote on a unit (or schedule it): ballot type and counting options, quorum, share needed, secrecy, times.',
    kind: 'command',
    input: z.object({
      unitId: z
        .string()
        .min(1)
        .describe('the unit the vote belongs to; its subtree is the default electorate'),
      title: z.string().trim().min(1).max(300),
      description: z.string().max(20_000).default(''),
      method: methodSchema,
      candidates: z.array(candidateSchema).max(1000).default([]),
      quorum: quorumSchema,
      shareNeeded: shareNeededSchema.nullable().default(null),
      hideResults: z.boolean().default(true).describe('no running count until the vote closes'),
      anonymous: z.boolean().default(true).describe('secret ballot; false records who cast each ballot'),
      allowChanges: z.boolean().default(false).describe('a second ballot replaces the first while open'),
      electorateRule: electorateRuleSchema,
      opensAt: z.coerce.date().optional().describe('default: now (the app clock)'),
      closesAt: z.coerce.date(),
      decisionKind: decisionKind.describe('the kind of decision recorded at closing, e.g. plan-approval'),
      decisionPayload: z
        .record(z.string(), z.unknown())
        .default({})
        .describe('what is decided, e.g. { planId }'),
    }),
    output: voteSchema,
    access: { kind: 'unit', permission: 'govern', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.votes.open(ctx.principal, i),
  }),
  defineOperation({
    name: 'vote.get',
    summary: 'One vote: its options, its state, turnout so far, and its result once closed.',
    kind: 'query',
    input: z.object({ id: voteId }),
    output: voteSchema,
    access: byVote('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.votes.get(i.id),
  }),
  defineOperation({
    name: 'vote.list',
    summary:
      'Votes the caller may see (units it reads, public units, votes it may cast), latest closing first.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional().describe('only votes on this unit and below'),
      status: z.enum(['open', 'scheduled', 'closed', 'current', 'all']).default('all'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ votes: z.array(voteSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const scope = await readerScope(ctx.services, ctx.principal, i.unitId);
      const personId = ctx.principal.kind === 'person' ? ctx.principal.personId : null;
      const statuses = STATUS_FILTERS[i.status] ?? [...VOTE_STATUSES];
      return { votes: await ctx.services.votes.list({ ...scope, statuses, limit: i.limit }, personId) };
    },
  }),
  defineOperation({
    name: 'vote.mine',
    summary: 'Votes the caller may cast a ballot in (its electorates), with whether it has voted.',
    kind: 'query',
    input: z.object({ status: z.enum(['open', 'closed', 'current', 'all']).default('open') }),
    output: z.object({ votes: z.array(voteSchema.extend({ voted: z.boolean() })) }),
    access: { kind: 'signed-in' },
    handler: async (ctx, i) => ({
      votes: await ctx.services.votes.mine(ctx.principal, STATUS_FILTERS[i.status] ?? ['open']),
    }),
  }),
  defineOperation({
    name: 'vote.ballot-paper',
    summary:
      "A vote as its voter sees it: the ballot to fill in, and whether the caller has voted; to a reader of the vote's unit outside the electorate, the vote with inElectorate false.",
    kind: 'query',
    input: z.object({ id: voteId }),
    output: z.object({ vote: voteSchema, inElectorate: z.boolean(), voted: z.boolean() }),
    access: { kind: 'signed-in' },
    cli: { positional: ['id'] },
    // Reading the unit is decided as every read is (its grants, or a public unit): the page asks once.
    handler: (ctx, i) =>
      ctx.services.votes.ballotPaper(ctx.principal, i.id, async (unitId) => {
        const unit = await ctx.services.holarchy.get(unitId);
        return ctx.services.holarchy.visibleTo(ctx.principal, [unit]).length > 0;
      }),
  }),
  defineOperation({
    name: 'vote.cast',
    summary:
      'Cast a ballot (members of the electorate, while open). Answers a receipt code, shown once: keep it to check the count.',
    kind: 'command',
    input: z.object({
      id: voteId,
      ballot: ballotInputSchema,
      receipt: z.string().max(100).optional().describe('to change an anonymous ballot: its receipt code'),
    }),
    output: z.object({
      receipt: z.string().describe('your receipt code; it is shown only now'),
      replaced: z.boolean().describe('true when this ballot replaced your earlier one'),
    }),
    access: { kind: 'signed-in' },
    handler: (ctx, i) => ctx.services.votes.cast(ctx.principal, i.id, i.ballot, i.receipt),
  }),
  defineOperation({
    name: 'vote.close',
    summary:
      'Close an open vote now, before its closing time; the count and the decision are recorded at once.',
    kind: 'command',
    input: z.object({ id: voteId }),
    output: voteSchema,
    access: byVote('govern'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.votes.close(i.id, actorKey(ctx.principal)),
  }),
  defineOperation({
    name: 'vote.results',
    summary: 'The result: recorded at closing, or the running count of an open vote that does not hide it.',
    kind: 'query',
    input: z.object({ id: voteId }),
    output: z.object({ final: z.boolean(), result: voteResultSchema }),
    access: byVote('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.votes.results(i.id),
  }),
  defineOperation({
    name: 'vote.ballots',
    summary:
      'After closing: every ballot with its receipt code and the result, as a file anyone can recount (`ogas vote recount`).',
    kind: 'query',
    input: z.object({ id: voteId }),
    output: publishedBallotsSchema,
    access: byVote('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.votes.published(i.id),
  }),
  defineOperation({
    name: 'vote.electorate',
    summary: 'Who may vote (frozen when the vote opened) and who has voted; never what anyone voted.',
    kind: 'query',
    input: z.object({ id: voteId }),
    output: z.object({
      frozenAt: z.date().nullable(),
      members: z.array(
        z.object({
          personId: z.string(),
          name: z.string(),
          email: z.string(),
          role: z.string(),
          viaUnitId: z.string(),
          voted: z.boolean(),
        }),
      ),
    }),
    access: byVote('audit'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.votes.electorate(i.id),
  }),
  defineOperation({
    name: 'vote.import',
    summary:
      'Add paper ballots counted by hand, from a cast-vote file (generic CSV, NIST CDF JSON, ES&S .xlsx, .blt, OGAS JSON), while the vote is open.',
    kind: 'command',
    input: paperFileSchema.extend({ id: voteId }),
    output: z.object({ imported: z.number().int(), ballotsCast: z.number().int() }),
    access: byVote('govern'),
    cli: { local: paperFileOption },
    handler: ({ services, principal }, { id, ...file }) =>
      services.votes.importPaper(id, file, actorKey(principal)),
  }),
];
