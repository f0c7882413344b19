// Participatory-budget operations: open, propose, review, vote, close into plan targets, plan, Pabulib in and
// out; and priorities votes that weigh consumption groups in the harmony objective.
import { z } from 'zod';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { actorKey, scopesFor } from '../core/principal';
import { PLAN_SIZE_NOTE } from '../planning/formulation/plan-limits';
import { planProvenanceSchema } from '../planning/plan-provenance';
import {
  BUDGET_RULES,
  BUDGET_STATUSES,
  budgetProjectSchema,
  budgetResultSchema,
  budgetSettingsSchema,
  RANKED_SCORES,
  newProjectSchema,
  prioritiesResultSchema,
  priorityGroupSchema,
  projectItemSchema,
} from './budget';
import type { BudgetService } from './budget.service';
import { equalShares, greedy } from './counting/pb-rules';
import { pabulibInstance, readPabulib } from './cvr/pabulib';
import { electorateRuleSchema } from './participation';

declare module '../core/services' {
  interface Services {
    budgets: BudgetService;
  }
}

type Lookup = { unitOf(kind: string, id: string): Promise<string | null> };
const onBudget =
  (permission: 'read' | 'plan', publicRead = false) =>
  (field: 'id' | 'budgetId' = 'id') => ({
    kind: 'unit' as const,
    permission,
    publicRead,
    unit: (i: Record<string, unknown>, r: Lookup) => r.unitOf('budget', String(i[field])),
  });
const onEconomy = (i: { economyId: string }, r: Lookup) => r.unitOf('economy', i.economyId);

const budgetSchema = z.object({
  id: z.string(),
  kind: z.enum(['projects', 'priorities']),
  unitId: z.string(),
  economyId: z.string(),
  name: z.string(),
  status: z.enum(BUDGET_STATUSES),
  settings: budgetSettingsSchema,
  groups: z.array(priorityGroupSchema),
  voteId: z.string().nullable().describe('the vote (vote.get) members cast their ballots in'),
  result: z.union([budgetResultSchema, prioritiesResultSchema]).nullable(),
  planId: z.string().nullable().describe('the last plan computed from the result'),
  createdBy: z.string(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
});
const budgetView = budgetSchema.extend({ projects: z.array(budgetProjectSchema) });

const pbOutcome = z.object({
  rule: z.enum(BUDGET_RULES),
  selected: z.array(z.string()),
  cost: z.number(),
  steps: z.array(z.object({ project: z.string(), by: z.string(), score: z.number() })),
});

/** Counts a Pabulib file by a rule: a pure task of the compute pool. */
export function countPabulibTask(i: { content: string; rule: (typeof BUDGET_RULES)[number] }) {
  const inst = pabulibInstance(readPabulib(i.content));
  const o = i.rule === 'greedy' ? greedy(inst) : equalShares(inst);
  return {
    rule: i.rule,
    budget: inst.budget,
    voteType: inst.voteType,
    projects: inst.projects.length,
    ballots: inst.ballots.length,
    outcome: { rule: i.rule, selected: o.selected, cost: o.cost, steps: o.steps },
  };
}

export const budgetOperations = [
  defineOperation({
    name: 'budget.open',
    summary:
      'Open a participatory budget on an economy: a pool (labour hours or money), the ballot, the rule, and the office’s projects.',
    kind: 'command',
    input: z.object({
      economyId: z.string().min(1),
      name: z.string().trim().min(1).max(200),
      pool: budgetSettingsSchema.shape.pool,
      period: budgetSettingsSchema.shape.period.default(1),
      ballot: budgetSettingsSchema.shape.ballot.default('approval'),
      points: z.number().int().min(1).max(100).optional().describe('cumulative ballots: points per voter'),
      rule: budgetSettingsSchema.shape.rule.default('equal-shares'),
      rankedScore: z
        .enum(RANKED_SCORES)
        .default('pabutools')
        .describe(
          'ranked ballots: pabutools (default; the k-th of the L projects a voter ranks scores L − k, as Pabulib’s tool counts) or borda (n − k + 1 over the n projects)',
        ),
      projects: z
        .array(newProjectSchema)
        .max(500)
        .default([])
        .describe('projects of the office, accepted at once'),
    }),
    output: budgetView,
    access: { kind: 'unit', permission: 'plan', unit: onEconomy },
    handler: (ctx, i) =>
      ctx.services.budgets.open(ctx.principal, {
        economyId: i.economyId,
        name: i.name,
        settings: {
          pool: i.pool,
          period: i.period,
          ballot: i.ballot,
          points: i.points ?? null,
          rule: i.rule,
          ...(i.ballot === 'ranked' ? { rankedScore: i.rankedScore } : {}),
        },
        projects: i.projects,
      }),
  }),
  defineOperation({
    name: 'budget.get',
    summary:
      'One budget (or priorities vote): settings, projects with their costs, vote, result and scenario.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: budgetView,
    access: onBudget('read', true)(),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.budgets.get(i.id),
  }),
  defineOperation({
    name: 'budget.list',
    summary: 'Budgets and priorities votes the caller may see, newest first (of one economy, if given).',
    kind: 'query',
    input: z.object({ economyId: z.string().min(1).optional() }),
    output: z.object({ budgets: z.array(budgetSchema) }),
    access: { kind: 'public' },
    handler: async (ctx, i) => ({
      budgets: await ctx.services.budgets.list(
        { paths: scopesFor(ctx.principal, 'read'), includePublic: true },
        i.economyId,
      ),
    }),
  }),
  defineOperation({
    name: 'budget.propose',
    summary: 'Propose a project (a bundle of final demand) to a budget; it is priced and waits for review.',
    kind: 'command',
    input: z.object({ budgetId: z.string().min(1) }).extend(newProjectSchema.shape),
    output: budgetProjectSchema,
    access: onBudget('read')('budgetId'),
    handler: (ctx, { budgetId, ...p }) => ctx.services.budgets.propose(ctx.principal, budgetId, p),
  }),
  defineOperation({
    name: 'budget.review',
    summary: 'Accept or reject a proposed project (with a reason); corrected items are priced again.',
    kind: 'command',
    input: z.object({
      budgetId: z.string().min(1),
      projectId: z.string().min(1),
      accept: z.boolean(),
      reason: z.string().trim().min(1).max(2000).optional(),
      items: z.array(projectItemSchema).min(1).max(500).optional().describe('corrected items'),
    }),
    output: budgetProjectSchema,
    access: onBudget('plan')('budgetId'),
    handler: (ctx, i) =>
      ctx.services.budgets.review(i.budgetId, i.projectId, {
        accept: i.accept,
        ...(i.reason === undefined ? {} : { reason: i.reason }),
        ...(i.items === undefined ? {} : { items: i.items }),
      }),
  }),
  defineOperation({
    name: 'budget.start-vote',
    summary:
      'Open the vote over the accepted projects (a secret ballot of the unit’s members, with receipts).',
    kind: 'command',
    input: z.object({
      id: z.string().min(1),
      closesAt: z.coerce.date(),
      electorateRule: electorateRuleSchema.optional(),
    }),
    output: budgetView,
    access: onBudget('plan')(),
    handler: (ctx, i) =>
      ctx.services.budgets.startVote(ctx.principal, i.id, {
        closesAt: i.closesAt,
        ...(i.electorateRule === undefined ? {} : { electorateRule: i.electorateRule }),
      }),
  }),
  defineOperation({
    name: 'budget.vote',
    summary:
      'Cast a ballot in a budget (or priorities) vote: approve projects within the pool, distribute points, or rank.',
    kind: 'command',
    input: z.object({
      id: z.string().min(1),
      approve: z
        .array(z.string())
        .max(1000)
        .optional()
        .describe('approval: project ids, costing at most the pool'),
      points: z
        .record(z.string(), z.number().int().min(0))
        .optional()
        .describe('cumulative (and priorities): points per project or group, at most the points given'),
      ranking: z.array(z.string()).max(1000).optional().describe('ranked: project ids, first choice first'),
      receipt: z.string().max(100).optional().describe('to change your ballot: the receipt of the first'),
    }),
    output: z.object({ receipt: z.string(), replaced: z.boolean() }),
    access: { kind: 'signed-in' },
    handler: (ctx, i) =>
      ctx.services.budgets.vote(
        ctx.principal,
        i.id,
        {
          ...(i.approve ? { approve: i.approve } : {}),
          ...(i.points ? { points: i.points } : {}),
          ...(i.ranking ? { ranking: i.ranking } : {}),
        },
        i.receipt,
      ),
  }),
  defineOperation({
    name: 'budget.close',
    summary:
      'Close the vote and count it by the budget’s rule: the chosen projects become a final-demand scenario.',
    kind: 'command',
    input: z.object({ id: z.string().min(1) }),
    output: budgetView,
    access: onBudget('plan')(),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.budgets.close(actorKey(ctx.principal), i.id),
  }),
  defineOperation({
    name: 'budget.plan',
    summary:
      'Compute a plan whose targets are a closed budget’s scenario; every target names its projects and vote.',
    kind: 'command',
    input: z.object({
      id: z.string().min(1),
      objective: z.enum(['min-labour', 'assortment', 'harmony']).default('min-labour'),
      prioritiesId: z
        .string()
        .min(1)
        .optional()
        .describe('a closed priorities vote whose weights the harmony objective takes'),
    }),
    output: z.object({
      budgetId: z.string(),
      plan: z.object({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        objectiveValue: z.number().nullable(),
        economyId: z.string(),
      }),
      targets: planProvenanceSchema.shape.targets,
      conflict: z
        .object({
          projects: z.array(z.object({ id: z.string(), name: z.string() })),
          limits: z.array(z.string()),
          summary: z.string(),
        })
        .nullable()
        .describe(
          'an infeasible plan: the chosen projects that cannot be met together, and the limits short',
        ),
    }),
    access: onBudget('plan')(),
    heavy: { limits: [], notes: [PLAN_SIZE_NOTE] },
    handler: async (ctx, i) => {
      const r = await ctx.services.budgets.plan(
        i.id,
        { objective: i.objective, ...(i.prioritiesId === undefined ? {} : { prioritiesId: i.prioritiesId }) },
        { signal: ctx.signal, onProgress: ctx.progress, actor: actorKey(ctx.principal) },
      );
      const { plan } = r;
      return {
        ...r,
        plan: {
          id: plan.id,
          name: plan.name,
          status: plan.status,
          objectiveValue: plan.objectiveValue,
          economyId: plan.economyId,
        },
      };
    },
  }),
  defineOperation({
    name: 'budget.pabulib',
    summary:
      'A budget as a Pabulib .pb file: projects, costs, votes, selection and (once closed) the ballots.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ content: z.string() }),
    access: onBudget('read', true)(),
    cli: { positional: ['id'], output: 'content' },
    handler: async (ctx, i) => ({ content: await ctx.services.budgets.pabulib(i.id) }),
  }),
  defineOperation({
    name: 'budget.count-pabulib',
    summary: 'Count a Pabulib .pb file by greedy or Equal Shares (add1 completion), with no database.',
    kind: 'query',
    input: z.object({
      content: z
        .string()
        .max(64 * 1024 * 1024)
        .describe('the .pb file'),
      rule: z.enum(BUDGET_RULES).default('equal-shares'),
    }),
    output: z.object({
      rule: z.enum(BUDGET_RULES),
      budget: z.number(),
      voteType: z.string(),
      projects: z.number().int(),
      ballots: z.number().int(),
      outcome: pbOutcome,
    }),
    access: { kind: 'public' },
    needsStore: false,
    cli: { files: [{ field: 'content', encoding: 'utf8' }] },
    heavy: {
      limits: [
        {
          field: 'content',
          unit: 'characters',
          max: 64 * 1024 * 1024,
          anonymousMax: 1024 * 1024,
          measure: (i) => i.content.length,
        },
      ],
    },
    handler: (ctx, i) => offload(ctx, 'budget.count-pabulib', i),
  }),
  defineOperation({
    name: 'priorities.open',
    summary:
      'Open a priorities vote on an economy: members distribute points over consumption groups; the shares weigh the harmony objective.',
    kind: 'command',
    input: z.object({
      economyId: z.string().min(1),
      name: z.string().trim().min(1).max(200),
      groups: z.array(priorityGroupSchema).min(2).max(100),
      points: z.number().int().min(1).max(100).default(10),
      closesAt: z.coerce.date(),
      electorateRule: electorateRuleSchema.optional(),
    }),
    output: budgetView,
    access: { kind: 'unit', permission: 'plan', unit: onEconomy },
    handler: (ctx, i) =>
      ctx.services.budgets.openPriorities(ctx.principal, {
        economyId: i.economyId,
        name: i.name,
        groups: i.groups,
        points: i.points,
        closesAt: i.closesAt,
        ...(i.electorateRule === undefined ? {} : { electorateRule: i.electorateRule }),
      }),
  }),
  defineOperation({
    name: 'priorities.close',
    summary:
      'Close a priorities vote: each group’s weight is the number of groups × its share of the points.',
    kind: 'command',
    input: z.object({ id: z.string().min(1) }),
    output: budgetView,
    access: onBudget('plan')(),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.budgets.closePriorities(actorKey(ctx.principal), i.id),
  }),
];
