// Federation operations: the node's place and children, the quarantine of messages it could not apply, the
// targets its units received from above, the alerts that climbed in from below, and sending a plan down.
import { actorOf } from '../cybernet/cybernet.operations';
import { federationTargets } from './plan-targets';
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import type { FederationService } from './federation.service';
import { QUARANTINE_REASONS, nodeIdSchema, shortfallFacts } from './messages';
import { DomainError, notFound } from '../core/errors';
import { actorKey } from '../core/principal';
import { actorName } from '../core/actor-name';
import { mayPropose, onUnitCode, proposalLevelsSchema } from '../planning/rounds/rounds.operations';

const receivedRoundSchema = z.object({
  roundsId: z.string(),
  round: z.number().int(),
  name: z.string(),
  deadline: z.date(),
  prices: z.array(z.object({ kind: z.string(), code: z.string(), price: z.number() })),
  units: z.array(z.string()).describe('the units of this node that take part'),
  fromNode: z.string().describe('the node where the rounds were opened'),
  receivedAt: z.date(),
});

declare module '../core/services' {
  interface Services {
    federation: FederationService;
  }
}

const date = z.date();
const rootAdmin = { kind: 'unit' as const, permission: 'admin' as const, unit: () => null };

const targetSchema = z.object({
  planId: z.string(),
  unit: z.string().describe('unit code'),
  technology: z.string(),
  product: z.string(),
  period: z.number().int(),
  quantity: z.number(),
  labour: z.number(),
  rev: z.number(),
  fromNode: z.string(),
  receivedAt: date,
  productUnit: z
    .string()
    .nullable()
    .describe('what the plan counts the product in (null from an older node)'),
  planName: z.string().nullable(),
});

export const federationOperations = [
  defineOperation({
    name: 'federation.status',
    summary: "This node's place in the federation: its parent, its children, what waits to be sent.",
    kind: 'query',
    input: z.object({}),
    output: z.object({
      node: z
        .object({
          nodeId: z.string(),
          parent: z.string().nullable(),
          unitId: z.string(),
          natsUrl: z.string(),
          prefix: z.string(),
          bucketSeconds: z.number(),
        })
        .nullable(),
      children: z.array(
        z.object({ nodeId: z.string(), unitId: z.string(), addedAt: date, lastHeardAt: date.nullable() }),
      ),
      pendingOutbox: z.number().int().describe('messages waiting for NATS to confirm them'),
      acks: z.array(
        z.object({
          planId: z.string(),
          childNode: z.string(),
          rev: z.number(),
          stored: z.number().int(),
          quarantined: z.number().int(),
          ackedAt: date,
        }),
      ),
    }),
    access: rootAdmin,
    handler: async (ctx) => {
      const s = await ctx.services.federation.status();
      // The node's NATS password never leaves the node.
      const node = s.node && {
        nodeId: s.node.nodeId,
        parent: s.node.parent,
        unitId: s.node.unitId,
        natsUrl: s.node.natsUrl,
        prefix: s.node.prefix,
        bucketSeconds: s.node.bucketSeconds,
      };
      return { ...s, node };
    },
  }),
  defineOperation({
    name: 'federation.child.add',
    summary: 'Accepts a child node: its reports and alerts count under the given unit of this node.',
    kind: 'command',
    input: z.object({
      node: nodeIdSchema.describe("the child node's name (its `ogas node init --node`)"),
      unitId: z.string().min(1).describe("the unit of this node under which the child's subtree counts"),
    }),
    output: z.object({ node: z.string(), unitId: z.string() }),
    access: { kind: 'unit', permission: 'admin', unit: (i) => i.unitId },
    cli: { positional: ['node', 'unitId'] },
    handler: async (ctx, i) => {
      await ctx.services.federation.addChild(i.node, i.unitId);
      return { node: i.node, unitId: i.unitId };
    },
  }),
  defineOperation({
    name: 'federation.quarantine',
    summary: 'Federation messages this node could not apply (unknown node or unit, newer schema), with why.',
    kind: 'query',
    input: z.object({
      limit: z.number().int().min(1).max(1000).default(100),
      reason: z.enum(QUARANTINE_REASONS).optional(),
    }),
    output: z.object({
      entries: z.array(
        z.object({
          id: z.number().int(),
          at: date,
          subject: z.string(),
          fromNode: z.string().nullable(),
          reason: z.enum(QUARANTINE_REASONS),
          message: z.string(),
          raw: z.string(),
        }),
      ),
    }),
    access: rootAdmin,
    handler: async (ctx, i) => ({ entries: await ctx.services.federation.quarantined(i.limit, i.reason) }),
  }),
  defineOperation({
    name: 'federation.targets',
    summary:
      'Plan targets this unit received from the nodes above, and which of its indicators each concerns.',
    kind: 'query',
    input: z.object({ unitId: z.string().min(1) }),
    output: z.object({
      unitId: z.string(),
      targets: z.array(
        targetSchema.extend({
          indicators: z
            .array(z.string())
            .describe("ids of the unit's indicators linked to its technology or product"),
        }),
      ),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    handler: async (ctx, i) => {
      const targets = await ctx.services.federation.targetsOfUnit(i.unitId);
      const indicators = [...(await ctx.services.cybernet.indicatorsOf(i.unitId)).values()];
      return {
        unitId: i.unitId,
        targets: targets.map((t) => ({
          ...t,
          indicators: indicators
            .filter((ind) => ind.technologyCode === t.technology || ind.productCode === t.product)
            .map((ind) => ind.id),
        })),
      };
    },
  }),
  defineOperation({
    name: 'federation.alerts',
    summary: 'Alerts that climbed in from child nodes to this unit or below it.',
    kind: 'query',
    input: z.object({ unitId: z.string().min(1), limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({
      alerts: z.array(
        z.object({
          originAlertId: z.string(),
          childNode: z.string(),
          originNode: z.string(),
          unitId: z.string(),
          status: z.string(),
          severity: z.string(),
          message: z.string(),
          originUnitCode: z.string().nullable(),
          openedAt: date,
          kind: z
            .string()
            .nullable()
            .describe(
              '"statistical", "plan-shortfall"; null when the node below did not say (an older node)',
            ),
          shortfall: shortfallFacts
            .nullable()
            .describe(
              "a plan-shortfall alert's plan, target, actual and share of plan, as judged at its origin",
            ),
          statusBy: z
            .string()
            .describe(
              'who moved it to its state here: a person here (`person:<id>`) or the node below (`system:node:<child>`); states only move forward',
            ),
          statusAt: date,
          receivedAt: date,
          forwardDueAt: date.nullable(),
          forwardedAt: date.nullable(),
        }),
      ),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId },
    handler: async (ctx, i) => ({ alerts: await ctx.services.federation.alertsUnder(i.unitId, i.limit) }),
  }),
  defineOperation({
    name: 'federation.alert.acknowledge',
    summary:
      'Acknowledges an alert that climbed in from a child node: it stops climbing on, and the acknowledgement goes down to the node where it arose, which acknowledges the alert itself.',
    kind: 'command',
    input: z.object({
      originAlertId: z.string().min(1).describe('as federation.alerts lists it ("<origin node>:<alert id>")'),
      note: z.string().max(2000).optional(),
    }),
    output: z.object({ originAlertId: z.string(), status: z.string(), childNode: z.string() }),
    access: {
      kind: 'unit',
      permission: 'manage',
      unit: async (i, r) => (await r.unitOf('federation-alert', i.originAlertId)) ?? '',
    },
    cli: { positional: ['originAlertId'] },
    handler: async (ctx, i) => {
      const a = await ctx.services.federation.acknowledgeRemoteAlert(
        i.originAlertId,
        actorOf(ctx.principal),
        i.note,
      );
      return { originAlertId: a.originAlertId, status: a.status, childNode: a.childNode };
    },
  }),
  defineOperation({
    name: 'federation.publish-plan',
    summary: "Sends a plan's unit targets down to the child nodes whose subtrees hold those units.",
    kind: 'command',
    input: z.object({ planId: z.string().min(1) }),
    output: z.object({
      planId: z.string(),
      rev: z.number(),
      storedHere: z.number().int().describe("targets of this node's own units"),
      forwarded: z.array(z.object({ node: z.string(), targets: z.number().int() })),
      unrouted: z
        .array(z.object({ unit: z.string(), technology: z.string(), period: z.number() }).loose())
        .describe('targets for unit codes neither this node nor any child node serves'),
    }),
    access: {
      kind: 'unit',
      permission: 'plan',
      unit: async (i, r) => (await r.unitOf('plan', i.planId)) ?? '',
    },
    cli: { positional: ['planId'] },
    handler: async (ctx, i) => {
      const plan = await ctx.services.planning.get(i.planId);
      const model = await ctx.services.economy.model(plan.economyId);
      const units = new Map(model.products.map((p) => [p.code, p.unit]));
      return ctx.services.federation.publishPlan(plan.id, federationTargets(plan.record, units), plan.name);
    },
  }),
  defineOperation({
    name: 'federation.rounds',
    summary:
      'Planning rounds a node above opened that this unit takes part in: the open round’s prices and deadline.',
    kind: 'query',
    input: z.object({ unit: z.string().min(1).max(200).describe('code of the unit') }),
    output: z.object({ rounds: z.array(receivedRoundSchema) }),
    access: { kind: 'unit', permission: 'read', unit: onUnitCode },
    handler: async (ctx, i) => ({
      rounds: (await ctx.services.federation.receivedRounds()).filter((r) => r.units.includes(i.unit)),
    }),
  }),
  defineOperation({
    name: 'federation.rounds.propose',
    summary:
      'A unit’s proposal for a round opened at a node above: it goes up and is checked and recorded there.',
    kind: 'command',
    input: z.object({
      roundsId: z.string().min(1),
      unit: z.string().min(1).max(200).describe('code of the unit proposing'),
      levels: proposalLevelsSchema,
    }),
    output: z.object({
      roundsId: z.string(),
      round: z.number().int(),
      unit: z.string(),
      queued: z
        .literal(true)
        .describe('sent up; a refusal there (a capacity exceeded) is in that node’s federation.quarantine'),
    }),
    access: { kind: 'unit', permission: 'read', unit: onUnitCode },
    handler: async (ctx, i) => {
      const unit = await ctx.services.holarchy.byCode(i.unit);
      if (!unit) throw notFound('unit', i.unit);
      if (!mayPropose(ctx.principal, unit.path))
        throw new DomainError('forbidden', `only members and managers of ${i.unit} propose for it`, {
          fix: 'sign in as a member or manager of the unit',
        });
      const by = await actorName(actorKey(ctx.principal), ctx.services.auth);
      return ctx.services.federation.proposeUp(i, by);
    },
  }),
];
