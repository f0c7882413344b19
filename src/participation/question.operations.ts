// Public question operations: ask, upvote, answer and edit, moderate, the public log, and the climb.
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { moderationEntrySchema, questionEventSchema, questionSchema } from './question';
import type { QuestionService } from './question.service';
import { readerScope } from './vote.operations';

declare module '../core/services' {
  interface Services {
    questions: QuestionService;
  }
}

const questionId = z.string().min(1).describe('question id');
type Resolver = { unitOf(kind: string, id: string): Promise<string | null> };
const byQuestion = (permission: 'read' | 'manage' | 'govern', publicRead = false) => ({
  kind: 'unit' as const,
  permission,
  publicRead,
  unit: (i: { id: string }, r: Resolver) => r.unitOf('question', i.id),
});
const rootAdmin = { kind: 'unit' as const, permission: 'admin' as const, unit: () => null };
const text = (max: number) => z.string().trim().min(1).max(max);

export const questionOperations = [
  defineOperation({
    name: 'question.ask',
    summary: 'Ask a unit a question in public (anyone who reads the unit; the public only of public units).',
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1),
      title: text(300),
      body: z.string().trim().max(10_000).default(''),
      askerName: z.string().trim().min(1).max(100).optional().describe('a name to show, when not signed in'),
    }),
    output: questionSchema,
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    handler: (ctx, i) => ctx.services.questions.ask(ctx.principal, i),
  }),
  defineOperation({
    name: 'question.list',
    summary: 'Questions the caller may read (units it reads, public units), most upvoted or newest first.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional().describe('only questions asked of this unit or below'),
      levelUnitId: z.string().min(1).optional().describe('only questions that now stand at this unit'),
      status: z.enum(['open', 'answered', 'all']).default('all'),
      order: z.enum(['top', 'new']).default('top'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ questions: z.array(questionSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const scope = await readerScope(ctx.services, ctx.principal, i.unitId);
      return {
        questions: await ctx.services.questions.list(ctx.principal, {
          ...scope,
          ...(i.levelUnitId === undefined ? {} : { levelUnitId: i.levelUnitId }),
          ...(i.status === 'all' ? {} : { answered: i.status === 'answered' }),
          order: i.order,
          limit: i.limit,
        }),
      };
    },
  }),
  defineOperation({
    name: 'question.get',
    summary: 'One question with its answers and every earlier version of them.',
    kind: 'query',
    input: z.object({ id: questionId }),
    output: questionSchema,
    access: byQuestion('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.questions.get(ctx.principal, i.id),
  }),
  defineOperation({
    name: 'question.timeline',
    summary: 'What happened to a question: asked, threshold reached, each climb, answers, moderation.',
    kind: 'query',
    input: z.object({ id: questionId }),
    output: z.object({ events: z.array(questionEventSchema) }),
    access: byQuestion('read', true),
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({ events: await ctx.services.questions.timeline(i.id) }),
  }),
  defineOperation({
    name: 'question.upvote',
    summary: 'Upvote a question (signed in, once each); past the threshold its deadline starts to run.',
    kind: 'command',
    input: z.object({ id: questionId }),
    output: questionSchema,
    access: byQuestion('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.questions.upvote(ctx.principal, i.id),
  }),
  defineOperation({
    name: 'question.answer',
    summary: 'Answer a question in public (officials who govern the unit asked, or a unit above it).',
    kind: 'command',
    input: z.object({ id: questionId, body: text(20_000) }),
    output: questionSchema,
    access: byQuestion('govern'),
    handler: (ctx, i) => ctx.services.questions.answer(ctx.principal, i.id, i.body),
  }),
  defineOperation({
    name: 'question.answer.edit',
    summary: 'Edit an answer; every earlier version stays readable.',
    kind: 'command',
    input: z.object({ id: z.string().min(1).describe('answer id'), body: text(20_000) }),
    output: questionSchema,
    access: { kind: 'unit', permission: 'govern', unit: (i, r) => r.unitOf('answer', i.id) },
    handler: (ctx, i) => ctx.services.questions.editAnswer(ctx.principal, i.id, i.body),
  }),
  defineOperation({
    name: 'question.hide',
    summary:
      'Hide a question with a public reason (managers of the unit); it stays listed, its text withheld.',
    kind: 'command',
    input: z.object({
      id: questionId,
      reason: text(2000).describe('shown to everyone in the moderation log'),
    }),
    output: questionSchema,
    access: byQuestion('manage'),
    handler: (ctx, i) => ctx.services.questions.moderate(ctx.principal, i.id, 'hidden', i.reason),
  }),
  defineOperation({
    name: 'question.show',
    summary: 'Show a hidden question again, with a public reason.',
    kind: 'command',
    input: z.object({ id: questionId, reason: text(2000) }),
    output: questionSchema,
    access: byQuestion('manage'),
    handler: (ctx, i) => ctx.services.questions.moderate(ctx.principal, i.id, 'shown', i.reason),
  }),
  defineOperation({
    name: 'question.moderation-log',
    summary: 'The public log of moderation: what was hidden or shown again, when, by whom, and why.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ entries: z.array(moderationEntrySchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const scope = await readerScope(ctx.services, ctx.principal, i.unitId);
      return { entries: await ctx.services.questions.moderationLog({ ...scope, limit: i.limit }) };
    },
  }),
  defineOperation({
    name: 'question.threshold.get',
    summary: 'Upvotes a question needs before its escalation deadline starts to run.',
    kind: 'query',
    input: z.object({}),
    output: z.object({ upvotes: z.number().int() }),
    access: { kind: 'public' },
    handler: async (ctx) => ({ upvotes: await ctx.services.questions.threshold() }),
  }),
  defineOperation({
    name: 'question.threshold.set',
    summary: 'Set the upvote threshold of the climb (federation admins); the deadlines are escalation.set.',
    kind: 'command',
    input: z.object({ upvotes: z.number().int().min(1).max(1_000_000) }),
    output: z.object({ upvotes: z.number().int() }),
    access: rootAdmin,
    handler: async (ctx, i) => ({ upvotes: await ctx.services.questions.setThreshold(i.upvotes) }),
  }),
];
