// Planning-round operations: open rounds on an economy split into units, propose by hand, close a round, run
// rounds automatically, read them. The office (planner) opens, closes and runs; members and managers of a unit
// propose for it.
import { z } from 'zod';
import { DomainError, notFound } from '../../core/errors';
import { defineOperation, type OpContext } from '../../core/operation';
import { actorKey, ROLE_PERMISSIONS, type Principal } from '../../core/principal';
import type { RoundsService } from './rounds.service';

declare module '../../core/services' {
  interface Services {
    rounds: RoundsService;
  }
}

type Resolver = { unitOf(kind: string, id: string): Promise<string | null> };
const onEconomy = (i: { economyId: string }, r: Resolver) => r.unitOf('economy', i.economyId);
const onRounds = (i: { roundsId: string }, r: Resolver) => r.unitOf('planning-rounds', i.roundsId);

/** Access on the unit named by its code (a proposal's unit). */
export const onUnitCode = async (i: { unit: string }, r: Resolver) =>
  (await r.unitOf('unit-code', i.unit)) ?? '';

/** A unit's proposed output per technology, here and when proposed from a node below (federation). */
export const proposalLevelsSchema = z
  .array(
    z.object({
      technology: z.string().min(1).max(200),
      quantity: z.number().min(0).describe('output of the technology this period (not negative)'),
    }),
  )
  .max(100_000)
  .describe('technologies left out are proposed at zero');

/**
 * The unit, when it lies inside the economy of the rounds; otherwise the rounds are "not found" for it, so a
 * member of one economy's unit learns nothing of another economy's rounds.
 */
async function unitInRounds(ctx: OpContext, roundsId: string, code: string) {
  const { holarchy, rounds, economy } = ctx.services;
  const unit = await holarchy.byCode(code);
  const economyId = await rounds.economyOfRounds(roundsId);
  const owner = economyId === null ? null : await holarchy.get((await economy.get(economyId)).unitId);
  if (!unit || !owner || !unit.path.startsWith(owner.path)) throw notFound('planning rounds', roundsId);
  return unit;
}

const numberMap = z.record(z.string(), z.number());
const priced = z.object({
  kind: z.string().describe('product, skill or resource'),
  code: z.string(),
  price: z
    .number()
    .describe('hours of (weighted) labour per unit: the value the office puts on one more unit'),
});
const proposalView = z.object({
  unit: z.string(),
  source: z
    .enum(['initial', 'hand', 'automatic', 'kept'])
    .describe('kept: the unit made no proposal this round'),
  kind: z
    .enum(['point', 'ray'])
    .describe('ray: at the prices the unit would run these levels at any scale (no capacity binds)'),
  madeIn: z.number().int().describe('the round the proposal was made in'),
  submittedBy: z.string(),
  levels: numberMap.describe('output of each of the unit’s technologies'),
  outputs: numberMap,
  inputs: numberMap,
  labour: numberMap.describe('hours by skill'),
});
const roundView = z.object({
  round: z.number().int(),
  prices: z
    .array(priced)
    .describe('the prices published for this round (empty unless the round was asked for)'),
  deadline: z.date(),
  closedAt: z.date().nullable(),
  bound: z.number().nullable().describe('Lagrangian lower bound at this round’s prices'),
  bestBound: z.number().nullable(),
  objective: z.number().nullable().describe('labour of the combined plan of this round'),
  bestObjective: z.number().nullable().describe('labour of the best combined plan that meets every target'),
  shortfall: z
    .number()
    .nullable()
    .describe('how far the combination falls short of targets and limits (0: feasible)'),
  gap: z
    .number()
    .nullable()
    .describe('(best − bound) / best: the most the best plan can be above the optimum'),
  combined: numberMap.nullable().describe('the combined plan: level of every technology'),
  proposals: z.array(proposalView),
});
const roundsRow = z.object({
  id: z.string(),
  economyId: z.string(),
  economyVersion: z.number().int(),
  name: z.string(),
  status: z.enum(['open', 'converged', 'round-limit']),
  tolerance: z.number(),
  maxRounds: z.number().int(),
  deadlineMinutes: z.number().int(),
  automatic: z.array(z.string()).describe('units answered automatically when they propose nothing by hand'),
  penalty: z.number(),
  createdBy: z.string(),
  createdAt: z.date(),
});
const roundsView = roundsRow.extend({
  units: z.array(z.string()),
  current: z.number().int().nullable().describe('the round open for proposals, null once the rounds stopped'),
  rounds: z.array(roundView),
});
const closeResult = z.object({
  round: z.number().int(),
  status: roundsRow.shape.status,
  gap: z.number().nullable(),
  bound: z.number().nullable(),
  objective: z.number().nullable(),
});
const ROUNDS_NOTE = 'the economy’s technologies, each operated by a unit; one period, minimum labour';

/** Members and managers (and admins) of a unit propose for it; auditors and planners above it do not. */
export function mayPropose(p: Principal, unitPath: string): boolean {
  if (p.kind === 'system') return true;
  if (p.kind === 'machine') return unitPath.startsWith(p.unitPath);
  if (p.kind === 'anonymous') return false;
  return p.grants.some(
    (g) =>
      unitPath.startsWith(g.unitPath) && (g.role === 'member' || ROLE_PERMISSIONS[g.role].includes('report')),
  );
}

/**
 * On a federation node, the open round goes down to the child nodes whose subtrees hold units taking part
 * (their proposals come back up as if made here). Through the outbox, so it survives a NATS outage.
 */
async function sendRoundDown(ctx: OpContext, roundsId: string): Promise<void> {
  const { federation, rounds } = ctx.services;
  if (!federation.node()) return;
  const view = await rounds.get(roundsId, { round: -1 });
  if (view.current === null) return;
  const step = view.rounds.find((r) => r.round === view.current);
  const prices = (await rounds.get(roundsId, { round: view.current })).rounds.find(
    (r) => r.round === view.current,
  )?.prices;
  if (!step || !prices) return;
  await federation.publishRound({
    roundsId: view.id,
    round: view.current,
    name: view.name,
    deadline: step.deadline,
    prices,
    units: view.units,
  });
}

export const roundsOperations = [
  defineOperation({
    name: 'planning.rounds.open',
    summary:
      'Open planning rounds on an economy split into units: the office publishes prices, units answer with proposals.',
    kind: 'command',
    input: z.object({
      economyId: z.string().min(1),
      name: z.string().trim().min(1).max(200).optional(),
      tolerance: z.number().positive().max(1).default(1e-6).describe('stop when the gap is at most this'),
      maxRounds: z.number().int().min(1).max(1000).default(100),
      deadlineMinutes: z
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 90)
        .default(60 * 24)
        .describe('time for proposals in each round, from its publication'),
      automatic: z
        .array(z.string().min(1).max(200))
        .max(100_000)
        .optional()
        .describe(
          'units whose answers are computed when they propose nothing by hand; every unit when omitted',
        ),
    }),
    output: roundsView,
    access: { kind: 'unit', permission: 'plan', unit: onEconomy },
    heavy: { limits: [], notes: [ROUNDS_NOTE] },
    handler: async (ctx, i) => {
      const opened = await ctx.services.rounds.open(
        {
          economyId: i.economyId,
          tolerance: i.tolerance,
          maxRounds: i.maxRounds,
          deadlineMinutes: i.deadlineMinutes,
          ...(i.name === undefined ? {} : { name: i.name }),
          ...(i.automatic === undefined ? {} : { automatic: i.automatic }),
        },
        actorKey(ctx.principal),
        ctx.signal,
      );
      await sendRoundDown(ctx, opened.id);
      return opened;
    },
  }),
  defineOperation({
    name: 'planning.rounds.propose',
    summary:
      'A unit’s proposal for the open round: the output of each of its technologies, within its capacities.',
    kind: 'command',
    input: z.object({
      roundsId: z.string().min(1),
      unit: z.string().min(1).max(200).describe('code of the unit proposing'),
      levels: proposalLevelsSchema,
    }),
    output: proposalView.extend({ round: z.number().int() }),
    access: { kind: 'unit', permission: 'read', unit: onUnitCode },
    handler: async (ctx, i) => {
      const unit = await unitInRounds(ctx, i.roundsId, i.unit);
      if (!mayPropose(ctx.principal, unit.path))
        throw new DomainError('forbidden', `only members and managers of ${i.unit} propose for it`, {
          fix: 'sign in as a member or manager of the unit',
        });
      return ctx.services.rounds.propose(i, actorKey(ctx.principal));
    },
  }),
  defineOperation({
    name: 'planning.rounds.close',
    summary:
      'Close the open round: automatic answers, the combined plan, the bound and gap, and the next round’s prices.',
    kind: 'command',
    input: z.object({ roundsId: z.string().min(1) }),
    output: closeResult,
    access: { kind: 'unit', permission: 'plan', unit: onRounds },
    heavy: { limits: [], notes: [ROUNDS_NOTE] },
    cli: { positional: ['roundsId'] },
    handler: async (ctx, i) => {
      const closed = await ctx.services.rounds.close(i.roundsId, actorKey(ctx.principal), {
        signal: ctx.signal,
      });
      await sendRoundDown(ctx, i.roundsId);
      return closed;
    },
  }),
  defineOperation({
    name: 'planning.rounds.run',
    summary:
      'Run rounds with every unit answered automatically until the gap is within tolerance or the round limit.',
    kind: 'command',
    input: z.object({
      roundsId: z.string().min(1),
      rounds: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(100)
        .describe('at most this many rounds in this call'),
    }),
    output: closeResult.nullable(),
    access: { kind: 'unit', permission: 'plan', unit: onRounds },
    heavy: { limits: [], notes: [ROUNDS_NOTE] },
    cli: { positional: ['roundsId'] },
    handler: async (ctx, i) => {
      const last = await ctx.services.rounds.run(i.roundsId, actorKey(ctx.principal), i.rounds, {
        signal: ctx.signal,
        progress: (message, fraction) => ctx.progress({ message, fraction }),
      });
      await sendRoundDown(ctx, i.roundsId);
      return last;
    },
  }),
  defineOperation({
    name: 'planning.rounds.unit-view',
    summary:
      'What a unit sees of planning rounds: the open round’s prices and deadline, its technologies, its own proposals.',
    kind: 'query',
    input: z.object({ roundsId: z.string().min(1), unit: z.string().min(1).max(200) }),
    output: z.object({
      roundsId: z.string(),
      name: z.string(),
      status: roundsRow.shape.status,
      unit: z.string(),
      current: z.number().int().nullable(),
      deadline: z.date().nullable(),
      prices: z.array(priced).describe('the prices of the open round (of the last round once stopped)'),
      technologies: z.array(
        z.object({ code: z.string(), product: z.string(), capacity: z.number().nullable() }),
      ),
      proposals: z.array(proposalView.extend({ round: z.number().int() })),
    }),
    access: { kind: 'unit', permission: 'read', unit: onUnitCode },
    handler: async (ctx, i) => {
      await unitInRounds(ctx, i.roundsId, i.unit);
      return ctx.services.rounds.unitView(i.roundsId, i.unit);
    },
  }),
  defineOperation({
    name: 'planning.rounds.list',
    summary: 'The planning rounds of an economy, newest first.',
    kind: 'query',
    input: z.object({ economyId: z.string().min(1) }),
    output: z.object({ rounds: z.array(roundsRow) }),
    access: { kind: 'unit', permission: 'read', unit: onEconomy, publicRead: true },
    cli: { positional: ['economyId'] },
    handler: async (ctx, i) => ({ rounds: await ctx.services.rounds.list(i.economyId) }),
  }),
  defineOperation({
    name: 'planning.rounds.get',
    summary:
      'Planning rounds as a record: every round’s bound, best plan and gap; prices, proposals and combined plan of one round.',
    kind: 'query',
    input: z.object({
      roundsId: z.string().min(1),
      round: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe('the round shown in full (prices, proposals, combined plan); every round when omitted'),
    }),
    output: roundsView,
    access: { kind: 'unit', permission: 'read', unit: onRounds, publicRead: true },
    cli: { positional: ['roundsId'] },
    handler: (ctx, i) => ctx.services.rounds.get(i.roundsId, i.round === undefined ? {} : { round: i.round }),
  }),
];
