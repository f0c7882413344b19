// Participation-wide operations: the timer pass, decisions, and the recount and receipt check of published ballots.
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { decisionSchema } from './decision';
import type { DecisionService } from './decision.service';
import { readPublished, recount, verifyReceipt, publishedBallotsSchema } from './published-ballots';
import { countVote } from './tally';
import { voteResultSchema } from './vote-record';
import { readerScope } from './vote.operations';

declare module '../core/services' {
  interface Services {
    decisions: DecisionService;
  }
}

const rootAdmin = { kind: 'unit' as const, permission: 'admin' as const, unit: () => null };
const file = z
  .string()
  .min(1)
  .describe('the published ballots (JSON text, as `ogas vote ballots <id> --json` wrote them)');

export const participationOperations = [
  defineOperation({
    name: 'participation.tick',
    summary:
      'Open and close every vote whose time has come, and climb every ignored question past its deadline (the server runs it on a timer).',
    kind: 'command',
    input: z.object({}),
    output: z.object({
      votes: z.object({
        opened: z.number().int(),
        closed: z.number().int(),
        failed: z
          .array(z.object({ voteId: z.string(), reason: z.string() }))
          .describe('votes that could not be opened or closed, tried again at the next pass'),
      }),
      questions: z.object({ escalated: z.number().int(), steps: z.number().int() }),
    }),
    access: rootAdmin,
    handler: async (ctx) => ({
      votes: await ctx.services.votes.tick(),
      questions: await ctx.services.questions.escalate(),
    }),
  }),
  defineOperation({
    name: 'decision.list',
    summary:
      'Decisions of votes and assemblies on the units the caller may read, newest first (filter by kind).',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional(),
      kind: z.string().min(1).optional().describe('e.g. plan-approval, rule-change, election'),
      assemblyId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ decisions: z.array(decisionSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const scope = await readerScope(ctx.services, ctx.principal, i.unitId);
      return {
        decisions: await ctx.services.decisions.list({
          ...scope,
          ...(i.kind === undefined ? {} : { kind: i.kind }),
          ...(i.assemblyId === undefined ? {} : { assemblyId: i.assemblyId }),
          limit: i.limit,
        }),
      };
    },
  }),
  defineOperation({
    name: 'decision.get',
    summary: 'One decision with its payload and result.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: decisionSchema,
    access: {
      kind: 'unit',
      permission: 'read',
      publicRead: true,
      unit: (i, r) => r.unitOf('decision', i.id),
    },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.decisions.get(i.id),
  }),
  defineOperation({
    name: 'vote.recount',
    summary: 'Recount published ballots with no database and compare every figure with the published result.',
    kind: 'query',
    input: z.object({ file }),
    output: z.object({
      matches: z.boolean(),
      differences: z.array(z.string()),
      recounted: voteResultSchema,
      vote: publishedBallotsSchema.shape.vote,
    }),
    access: { kind: 'public' },
    needsStore: false,
    cli: { positional: ['file'], files: [{ field: 'file', encoding: 'utf8' }] },
    handler: async (_ctx, i) => {
      const published = readPublished(i.file);
      return { ...recount(published, countVote), vote: published.vote };
    },
  }),
  defineOperation({
    name: 'vote.verify',
    summary: 'Find your ballot by its receipt code in the published ballots: it was counted if it is there.',
    kind: 'query',
    input: z.object({ file, receipt: z.string().min(1).max(100).describe('your receipt code') }),
    output: z.object({
      found: z.boolean(),
      receipt: z.string(),
      ballots: z.number().int(),
      ballot: publishedBallotsSchema.shape.ballots.element.nullable(),
    }),
    access: { kind: 'public' },
    needsStore: false,
    cli: { positional: ['file'], files: [{ field: 'file', encoding: 'utf8' }] },
    handler: async (_ctx, i) => verifyReceipt(readPublished(i.file), i.receipt),
  }),
];
