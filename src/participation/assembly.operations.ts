// Assembly operations: plan, open, attend, agenda with documents, votes and show-of-hands decisions, minutes, close.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { defineOperation } from '../core/operation';
import { ASSEMBLY_KINDS, assemblySchema, documentSchema } from './assembly';
import type { AssemblyService } from './assembly.service';
import { decisionKind } from './decision';
import {
  candidateSchema,
  electorateRuleSchema,
  methodSchema,
  quorumSchema,
  shareNeededSchema,
} from './participation';
import { voteSchema } from './vote-record';
import { readerScope } from './vote.operations';

declare module '../core/services' {
  interface Services {
    assemblies: AssemblyService;
  }
}

type Resolver = { unitOf(kind: string, id: string): Promise<string | null> };
const assemblyId = z.string().min(1).describe('assembly id');
const itemId = z.string().min(1).describe('agenda item id');
const byAssembly = (permission: 'read' | 'govern', publicRead = false) => ({
  kind: 'unit' as const,
  permission,
  publicRead,
  unit: (i: { id: string }, r: Resolver) => r.unitOf('assembly', i.id),
});
const byItem = {
  kind: 'unit' as const,
  permission: 'govern' as const,
  unit: (i: { itemId: string }, r: Resolver) => r.unitOf('agenda-item', i.itemId),
};

export const assemblyOperations = [
  defineOperation({
    name: 'assembly.create',
    summary: 'Plan an assembly of a unit (general assembly of a co-op, sector council) with its quorum.',
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1),
      title: z.string().trim().min(1).max(300),
      kind: z.enum(ASSEMBLY_KINDS).default('general-assembly'),
      scheduledFor: z.coerce.date(),
      quorum: quorumSchema.describe('members present needed before anything is decided'),
      electorateRule: electorateRuleSchema,
    }),
    output: assemblySchema,
    access: { kind: 'unit', permission: 'govern', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.assemblies.create(ctx.principal, i),
  }),
  defineOperation({
    name: 'assembly.get',
    summary: 'An assembly with its agenda, attendance against the quorum, decisions and minutes.',
    kind: 'query',
    input: z.object({ id: assemblyId }),
    output: assemblySchema,
    access: byAssembly('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.assemblies.get(i.id),
  }),
  defineOperation({
    name: 'assembly.list',
    summary: 'Assemblies of the units the caller may read (and public units), latest first.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ assemblies: z.array(assemblySchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const scope = await readerScope(ctx.services, ctx.principal, i.unitId);
      return { assemblies: await ctx.services.assemblies.list({ ...scope, limit: i.limit }) };
    },
  }),
  defineOperation({
    name: 'assembly.open',
    summary: 'Open the assembly: its electorate (the unit\u2019s members under its rule) is frozen now.',
    kind: 'command',
    input: z.object({ id: assemblyId }),
    output: assemblySchema,
    access: byAssembly('govern'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.assemblies.open(i.id),
  }),
  defineOperation({
    name: 'assembly.attend',
    summary: 'Check in to an open assembly (members of its electorate).',
    kind: 'command',
    input: z.object({ id: assemblyId }),
    output: assemblySchema,
    access: { kind: 'signed-in' },
    cli: { positional: ['id'] },
    handler: (ctx, i) => {
      if (ctx.principal.kind !== 'person') {
        throw new DomainError('forbidden', 'people check in, not machines or the operator', {
          fix: 'the chair records someone present with assembly.attendance.record',
        });
      }
      return ctx.services.assemblies.attend(i.id, ctx.principal.personId);
    },
  }),
  defineOperation({
    name: 'assembly.attendance.record',
    summary: 'Record a member present (the chair, for those without a device).',
    kind: 'command',
    input: z.object({ id: assemblyId, personId: z.string().min(1) }),
    output: assemblySchema,
    access: byAssembly('govern'),
    handler: (ctx, i) => ctx.services.assemblies.attend(i.id, i.personId),
  }),
  defineOperation({
    name: 'assembly.attendees',
    summary: 'Who is present (for the minutes): names and roles, never how anyone voted.',
    kind: 'query',
    input: z.object({ id: assemblyId }),
    output: z.object({
      attendees: z.array(
        z.object({
          personId: z.string(),
          name: z.string(),
          role: z.string(),
          viaUnitId: z.string(),
          arrivedAt: z.date(),
        }),
      ),
    }),
    access: byAssembly('read'),
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({ attendees: await ctx.services.assemblies.attendees(i.id) }),
  }),
  defineOperation({
    name: 'assembly.item.add',
    summary: 'Add an item to the agenda, with its documents (text or links).',
    kind: 'command',
    input: z.object({
      id: assemblyId,
      title: z.string().trim().min(1).max(300),
      body: z.string().max(50_000).default(''),
      documents: z.array(documentSchema).max(50).default([]),
    }),
    output: assemblySchema,
    access: byAssembly('govern'),
    handler: (ctx, i) => ctx.services.assemblies.addItem(i.id, i),
  }),
  defineOperation({
    name: 'assembly.item.vote',
    summary:
      'Put an agenda item to a vote of those present (or all members), once the quorum is present; the vote records the decision.',
    kind: 'command',
    input: z.object({
      itemId,
      voters: z.enum(['present', 'members']).default('present'),
      title: z.string().trim().min(1).max(300),
      description: z.string().max(20_000).default(''),
      method: methodSchema,
      candidates: z.array(candidateSchema).max(1000).default([]),
      quorum: quorumSchema,
      shareNeeded: shareNeededSchema.nullable().default(null),
      hideResults: z.boolean().default(true),
      anonymous: z.boolean().default(true),
      allowChanges: z.boolean().default(false),
      closesAt: z.coerce.date(),
      decisionKind,
      decisionPayload: z.record(z.string(), z.unknown()).default({}),
    }),
    output: voteSchema,
    access: byItem,
    handler: (ctx, { itemId: id, ...vote }) => ctx.services.assemblies.voteOnItem(ctx.principal, id, vote),
  }),
  defineOperation({
    name: 'assembly.item.decide',
    summary: 'Record a decision taken on an item by a show of hands, with its counts (quorum present).',
    kind: 'command',
    input: z.object({
      itemId,
      outcome: z.enum(['adopted', 'rejected']),
      counts: z.object({
        for: z.number().int().min(0),
        against: z.number().int().min(0),
        abstain: z.number().int().min(0).default(0),
      }),
      kind: decisionKind,
      payload: z.record(z.string(), z.unknown()).default({}),
    }),
    output: assemblySchema,
    access: byItem,
    handler: (ctx, i) => ctx.services.assemblies.decide(ctx.principal, i.itemId, i),
  }),
  defineOperation({
    name: 'assembly.minutes.set',
    summary: 'Write the minutes of the assembly (Markdown text).',
    kind: 'command',
    input: z.object({ id: assemblyId, minutes: z.string().max(200_000) }),
    output: assemblySchema,
    access: byAssembly('govern'),
    handler: (ctx, i) => ctx.services.assemblies.setMinutes(ctx.principal, i.id, i.minutes),
  }),
  defineOperation({
    name: 'assembly.close',
    summary: 'Close the assembly; votes still open on its items close at their own time.',
    kind: 'command',
    input: z.object({ id: assemblyId }),
    output: assemblySchema,
    access: byAssembly('govern'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.assemblies.close(i.id),
  }),
];
