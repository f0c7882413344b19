// Rationalization proposal operations: file, review, decide, appeal, spread, the climb, savings, credit.
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { scopesFor } from '../core/principal';
import { meritEventSchema } from './merit';
import {
  adoptionSchema,
  attachmentSchema,
  coefficientChangeSchema,
  PROPOSAL_STATUSES,
  proposalEventSchema,
  proposalSchema,
} from './proposal';
import type { ProposalService } from './proposal.service';

declare module '../core/services' {
  interface Services {
    proposals: ProposalService;
  }
}

type Resolver = { unitOf(kind: string, id: string): Promise<string | null> };
const proposalId = z.string().min(1).describe('proposal id');
/** Reading and commenting: on the unit the proposal was filed on. */
const onProposal = (permission: 'read' | 'manage', publicRead = false) => ({
  kind: 'unit' as const,
  permission,
  publicRead,
  unit: (i: { id: string }, r: Resolver) => r.unitOf('proposal', i.id),
});
/** Acknowledging and deciding: managers of the unit where the proposal stands now (it climbs when ignored). */
const atLevel = {
  kind: 'unit' as const,
  permission: 'manage' as const,
  unit: (i: { id: string }, r: Resolver) => r.unitOf('proposal-level', i.id),
};
const onEconomy = (permission: 'read' | 'plan') => ({
  kind: 'unit' as const,
  permission,
  publicRead: permission === 'read',
  unit: (i: { economyId: string }, r: Resolver) => r.unitOf('economy', i.economyId),
});
const rootAdmin = { kind: 'unit' as const, permission: 'admin' as const, unit: () => null };
const text = (max: number) => z.string().trim().min(1).max(max);
const seconds = z
  .number()
  .int()
  .positive()
  .max(3650 * 86_400);
const deadlines = z.object({
  defaultSeconds: seconds.describe('deadline at every depth without its own'),
  byDepth: z.record(z.string().regex(/^\d+$/, 'a depth: 0 is the root'), seconds),
});
const deadlineBook = z.object({
  acknowledge: deadlines.describe('seconds a unit has to acknowledge a proposal (default 5 days)'),
  decide: deadlines.describe('seconds it has to decide once acknowledged (default 15 days)'),
});
const technologyVersionSchema = z.object({
  technology: z.string(),
  version: z.number().int(),
  validFrom: z.date(),
  validTo: z.date().nullable().describe('null for the current version'),
  coefficients: z.object({
    inputs: z.array(z.object({ product: z.string(), perUnit: z.number() })),
    labour: z.array(z.object({ skill: z.string(), perUnit: z.number() })),
    resources: z.array(z.object({ resource: z.string(), perUnit: z.number() })),
  }),
  reason: z.string(),
  proposalId: z.string().nullable(),
  economyVersion: z.number().int(),
});
const users = z.array(
  z.object({
    unitId: z.string().min(1),
    share: z.number().gt(0).max(1).describe("the unit's share of the technology's output"),
  }),
);

export const proposalOperations = [
  defineOperation({
    name: 'improvement.file',
    summary:
      'File a rationalization proposal on your unit: what to change in a technology, as new coefficients.',
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1).describe('the unit that runs the technology (or a unit inside it)'),
      economyId: z.string().min(1),
      technology: z.string().min(1).describe('the technology code, as in economy.model'),
      title: text(300),
      body: z.string().trim().max(20_000).default(''),
      changes: z.array(coefficientChangeSchema).min(1).max(200),
      attachments: z.array(attachmentSchema).max(50).default([]),
    }),
    output: proposalSchema,
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.proposals.file(ctx.principal, i),
  }),
  defineOperation({
    name: 'improvement.list',
    summary: 'Proposals on the units the caller may read, newest first.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional().describe('only proposals filed on this unit or below'),
      levelUnitId: z.string().min(1).optional().describe('only proposals that now stand at this unit'),
      status: z.enum([...PROPOSAL_STATUSES, 'open', 'all']).default('all'),
      technology: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ proposals: z.array(proposalSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => {
      const under = i.unitId === undefined ? undefined : (await ctx.services.holarchy.get(i.unitId)).path;
      const statuses =
        i.status === 'all'
          ? undefined
          : i.status === 'open'
            ? (['filed', 'acknowledged', 'on-trial', 'appealed'] as const)
            : ([i.status] as const);
      return {
        proposals: await ctx.services.proposals.list({
          paths: scopesFor(ctx.principal, 'read'),
          includePublic: true,
          ...(under === undefined ? {} : { under }),
          ...(i.levelUnitId === undefined ? {} : { levelUnitId: i.levelUnitId }),
          ...(statuses === undefined ? {} : { statuses: [...statuses] }),
          ...(i.technology === undefined ? {} : { technology: i.technology }),
          limit: i.limit,
        }),
      };
    },
  }),
  defineOperation({
    name: 'improvement.get',
    summary: 'One proposal: its changes, where it stands, its deadline, its decision and every adoption.',
    kind: 'query',
    input: z.object({ id: proposalId }),
    output: proposalSchema,
    access: onProposal('read', true),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.proposals.get(i.id),
  }),
  defineOperation({
    name: 'improvement.timeline',
    summary: 'Every state change of a proposal, with who and why: filed, acknowledged, climbs, decisions.',
    kind: 'query',
    input: z.object({ id: proposalId }),
    output: z.object({ events: z.array(proposalEventSchema) }),
    access: onProposal('read', true),
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({ events: await ctx.services.proposals.timeline(i.id) }),
  }),
  defineOperation({
    name: 'improvement.acknowledge',
    summary: 'Acknowledge a proposal (managers where it stands): its decision deadline starts.',
    kind: 'command',
    input: z.object({ id: proposalId, note: z.string().trim().max(2000).optional() }),
    output: proposalSchema,
    access: atLevel,
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.proposals.acknowledge(ctx.principal, i.id, i.note ?? null),
  }),
  defineOperation({
    name: 'improvement.comment',
    summary: 'Comment on a proposal (anyone with a role on its unit or above).',
    kind: 'command',
    input: z.object({ id: proposalId, text: text(10_000) }),
    output: proposalSchema,
    access: onProposal('read'),
    handler: (ctx, i) => ctx.services.proposals.comment(ctx.principal, i.id, i.text),
  }),
  defineOperation({
    name: 'improvement.trial',
    summary: 'Ask for a trial until a date: the decision falls due a decision deadline after it ends.',
    kind: 'command',
    input: z.object({
      id: proposalId,
      until: z.coerce.date().describe('when the trial ends (ISO 8601)'),
      reason: text(4000),
    }),
    output: proposalSchema,
    access: atLevel,
    handler: (ctx, i) => ctx.services.proposals.requestTrial(ctx.principal, i.id, i.until, i.reason),
  }),
  defineOperation({
    name: 'improvement.decide',
    summary:
      'Adopt, adopt in part or reject a proposal, with reasons. Adoption makes a new version of the technology.',
    kind: 'command',
    input: z.object({
      id: proposalId,
      outcome: z.enum(['adopt', 'adopt-in-part', 'reject']),
      reason: text(4000),
      changes: z
        .array(coefficientChangeSchema)
        .max(200)
        .optional()
        .describe('adopt-in-part: the coefficients adopted, a part of those proposed'),
    }),
    output: proposalSchema,
    access: atLevel,
    handler: (ctx, i) => ctx.services.proposals.decide(ctx.principal, i.id, i.outcome, i.reason, i.changes),
  }),
  defineOperation({
    name: 'improvement.appeal',
    summary: 'Appeal a rejection to the parent unit (the author, once).',
    kind: 'command',
    input: z.object({ id: proposalId, reason: text(4000) }),
    output: proposalSchema,
    access: onProposal('read'),
    handler: (ctx, i) => ctx.services.proposals.appeal(ctx.principal, i.id, i.reason),
  }),
  defineOperation({
    name: 'improvement.spread',
    summary: 'Adopt an adopted improvement on another unit that runs the same technology, in one action.',
    kind: 'command',
    input: z.object({ id: proposalId, unitId: z.string().min(1).describe('the adopting unit') }),
    output: proposalSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.proposals.spread(ctx.principal, i.id, i.unitId),
  }),
  defineOperation({
    name: 'improvement.adoptions',
    summary: 'Where an improvement is used and what each adoption saved.',
    kind: 'query',
    input: z.object({ id: proposalId }),
    output: z.object({
      adoptions: z.array(adoptionSchema),
      publication: z
        .object({ requestedAt: z.date(), status: z.string(), recordId: z.string().nullable() })
        .nullable()
        .describe('its public record in the library ("awaiting" until the library publishes it)'),
    }),
    access: onProposal('read', true),
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({
      adoptions: await ctx.services.proposals.adoptionsOf([i.id]),
      publication: await ctx.services.proposals.publication(i.id),
    }),
  }),
  defineOperation({
    name: 'improvement.plan-savings',
    summary:
      'What a plan owes to improvements: adoptions since the previous plan, each with the hours it saves at this plan’s demand.',
    kind: 'query',
    input: z.object({ planId: z.string().min(1) }),
    output: z.object({
      planId: z.string(),
      previousPlanId: z.string().nullable(),
      labour: z.number().describe('labour of this plan, first period, hours'),
      previousLabour: z.number().nullable(),
      credited: z.array(
        z.object({
          proposalId: z.string(),
          title: z.string(),
          authorName: z.string(),
          adoptionId: z.string(),
          unitId: z.string(),
          technology: z.string(),
          hoursSaved: z.number(),
        }),
      ),
      creditedHours: z.number(),
    }),
    access: {
      kind: 'unit',
      permission: 'read',
      publicRead: true,
      unit: (i: { planId: string }, r: Resolver) => r.unitOf('plan', i.planId),
    },
    cli: { positional: ['planId'] },
    handler: (ctx, i) => ctx.services.proposals.planSavings(i.planId),
  }),
  defineOperation({
    name: 'improvement.technology-versions',
    summary: "Every dated version of a technology's coefficients (the imported one is version 1).",
    kind: 'query',
    input: z.object({ economyId: z.string().min(1), technology: z.string().min(1) }),
    output: z.object({ versions: z.array(technologyVersionSchema) }),
    access: onEconomy('read'),
    handler: async (ctx, i) => ({
      versions: await ctx.services.economy.technologyVersions(i.economyId, i.technology),
    }),
  }),
  defineOperation({
    name: 'improvement.technology-users.get',
    summary:
      'The units that run a technology and their shares (the operating unit alone when none declared).',
    kind: 'query',
    input: z.object({ economyId: z.string().min(1), technology: z.string().min(1) }),
    output: z.object({ users }),
    access: onEconomy('read'),
    handler: async (ctx, i) => {
      await ctx.services.economy.technology(i.economyId, i.technology);
      return { users: await ctx.services.proposals.usersOf(i.economyId, i.technology) };
    },
  }),
  defineOperation({
    name: 'improvement.technology-users.set',
    summary: 'Declare the units that run a technology and their shares of its output (planners).',
    kind: 'command',
    input: z.object({ economyId: z.string().min(1), technology: z.string().min(1), users }),
    output: z.object({ users }),
    access: onEconomy('plan'),
    handler: async (ctx, i) => {
      for (const u of i.users) await ctx.services.holarchy.get(u.unitId);
      return { users: await ctx.services.economy.setTechnologyUsers(i.economyId, i.technology, i.users) };
    },
  }),
  defineOperation({
    name: 'improvement.deadlines.get',
    summary: 'The deadlines of proposals per holarchy depth: acknowledge (default 5 days), decide (15 days).',
    kind: 'query',
    input: z.object({}),
    output: deadlineBook,
    access: { kind: 'public' },
    handler: (ctx) => ctx.services.proposals.getDeadlines(),
  }),
  defineOperation({
    name: 'improvement.deadlines.set',
    summary: 'Set the deadlines of proposals per holarchy depth (federation admins).',
    kind: 'command',
    input: deadlineBook,
    output: deadlineBook,
    access: rootAdmin,
    handler: (ctx, i) => ctx.services.proposals.setDeadlines(i),
  }),
  defineOperation({
    name: 'improvement.tick',
    summary: 'Climb every proposal past its deadline (the server runs it on a timer).',
    kind: 'command',
    input: z.object({}),
    output: z.object({ escalated: z.number().int(), steps: z.number().int() }),
    access: rootAdmin,
    handler: (ctx) => ctx.services.proposals.escalate(),
  }),
  defineOperation({
    name: 'merit.events',
    summary:
      "Merit events (one per adoption of a person's improvement, with its saving) on units the caller reads.",
    kind: 'query',
    input: z.object({
      personId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ events: z.array(meritEventSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => ({
      events: await ctx.services.proposals.meritEvents({
        paths: scopesFor(ctx.principal, 'read'),
        includePublic: true,
        ...(i.personId === undefined ? {} : { personId: i.personId }),
        limit: i.limit,
      }),
    }),
  }),
];
