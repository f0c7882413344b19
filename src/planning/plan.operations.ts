// Planning operations: compute plans and scenarios, read them, compare them, read a unit's own targets.
import { z } from 'zod';
import { actorKey } from '../core/principal';
import { defineOperation } from '../core/operation';
import { PLAN_LIMITS, PLAN_SIZE_NOTE } from './formulation/plan-limits';
import { expectationOf, expectationOfTargets } from './plan-expectation';
import { planRecordSchema } from './plan-record';
import { planProvenanceSchema } from './plan-provenance';
import type { PlanService } from './plan.service';

declare module '../core/services' {
  interface Services {
    planning: PlanService;
  }
}

const perPeriod = {
  period: z
    .number()
    .int()
    .min(1)
    .max(PLAN_LIMITS.periods)
    .optional()
    .describe('the period; every period when omitted'),
};
const amount = z.number().min(0);

const change = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('target'),
    product: z.string(),
    period: z.number().int().min(1).max(PLAN_LIMITS.periods),
    quantity: z.number(),
  }),
  z.object({
    kind: z.literal('coefficient'),
    technology: z.string(),
    input: z.string().optional(),
    skill: z.string().optional(),
    resource: z.string().optional(),
    perUnit: amount,
  }),
  z.object({
    kind: z.literal('technology-capacity'),
    technology: z.string(),
    ...perPeriod,
    capacity: amount,
  }),
  z.object({ kind: z.literal('skill-available'), skill: z.string(), ...perPeriod, available: amount }),
  z.object({ kind: z.literal('resource-capacity'), resource: z.string(), ...perPeriod, capacity: amount }),
]);

const planRow = z.object({
  id: z.string(),
  economyId: z.string(),
  economyVersion: z.number().int(),
  name: z.string(),
  basePlanId: z.string().nullable(),
  objective: z.string(),
  status: z.string().describe('optimal, infeasible, unbounded, time-limit, iteration-limit or error'),
  objectiveValue: z.number().nullable(),
  spec: z.record(z.string(), z.unknown()).describe('the settings the plan was computed with'),
  createdBy: z.string(),
  createdAt: z.date(),
});

const onEconomy = (
  i: { economyId: string },
  r: { unitOf(kind: string, id: string): Promise<string | null> },
) => r.unitOf('economy', i.economyId);
const onPlan = (i: { id: string }, r: { unitOf(kind: string, id: string): Promise<string | null> }) =>
  r.unitOf('plan', i.id);

const indicatorExpectedOperation = defineOperation({
  name: 'planning.indicator-expected',
  summary:
    'What a plan expects of an indicator linked to a technology or product (the adopted plan by default).',
  kind: 'query',
  input: z.object({
    indicatorId: z.string().min(1),
    planId: z
      .string()
      .min(1)
      .optional()
      .describe('the plan to read; the plan adopted for the unit (or above it) by default'),
  }),
  output: z.object({
    indicatorId: z.string(),
    planId: z.string().nullable(),
    planName: z.string().nullable(),
    basis: z.string().describe('what the expectation is, in words; why there is none when planId is null'),
    expected: z.array(z.object({ period: z.number().int(), value: z.number() })),
  }),
  access: {
    kind: 'unit',
    permission: 'read',
    unit: (i, r) => r.unitOf('indicator', i.indicatorId),
    publicRead: true,
  },
  handler: async (ctx, i) => {
    const { cybernet, holarchy, planning } = ctx.services;
    const indicator = await cybernet.getIndicator(i.indicatorId);
    const none = (basis: string) => ({
      indicatorId: indicator.id,
      planId: null,
      planName: null,
      basis,
      expected: [],
    });
    if (!indicator.technologyCode && !indicator.productCode) {
      return none('the indicator is linked to no technology or product of the plan');
    }
    const path = await holarchy.pathToRoot(indicator.unitId);
    let plan = i.planId ? await planning.get(i.planId) : null;
    if (!plan) {
      // Targets come only from the plan the unit's planners adopted, never from whatever was computed last.
      const adopted = await planning.adoptedPlanFor(indicator.unitId);
      if (!adopted) {
        // On a federation node below the centre, the plan in force is the targets its parent node sent.
        const codes = [...path].reverse().map((u) => u.code);
        const received = await ctx.services.federation.receivedPlanFor(
          codes.filter((c): c is string => c !== null),
        );
        const found = received && expectationOfTargets(received.targets, indicator, codes);
        if (!received) return none('no plan has been adopted for this unit or a unit above it');
        const planName = `targets received from node '${received.fromNode}'`;
        if (!found)
          return {
            ...none(
              `the targets received from node '${received.fromNode}' ask nothing of the linked technology or product here`,
            ),
            planId: received.planId,
            planName,
          };
        return {
          indicatorId: indicator.id,
          planId: received.planId,
          planName,
          basis: `${found.basis}, received from node '${received.fromNode}'`,
          expected: found.expected,
        };
      }
      plan = await planning.get(adopted.plan.id);
    }
    const codes = [...path].reverse().map((u) => u.code);
    const found = expectationOf(plan.record, indicator, codes);
    if (!found)
      return {
        ...none(`plan "${plan.name}" has no activity for the linked technology or product`),
        planId: plan.id,
        planName: plan.name,
      };
    return { indicatorId: indicator.id, planId: plan.id, planName: plan.name, ...found };
  },
});

export const planOperations = [
  indicatorExpectedOperation,
  defineOperation({
    name: 'planning.compute',
    summary: 'Compute an optimal plan (or a what-if scenario of a base plan) and keep it as a record.',
    kind: 'command',
    input: z.object({
      economyId: z.string().min(1),
      objective: z.enum(['min-labour', 'assortment', 'harmony']).default('min-labour'),
      periods: z
        .number()
        .int()
        .min(1)
        .max(PLAN_LIMITS.periods)
        .optional()
        .describe(`horizon (at most ${PLAN_LIMITS.periods}); the last target period by default`),
      name: z.string().trim().min(1).max(200).optional(),
      skillsAvailable: z.array(z.object({ skill: z.string(), ...perPeriod, available: amount })).optional(),
      resourceCapacities: z
        .array(z.object({ resource: z.string(), ...perPeriod, capacity: amount }))
        .optional(),
      technologyCapacities: z
        .array(z.object({ technology: z.string(), ...perPeriod, capacity: amount }))
        .optional(),
      capital: z
        .array(
          z.object({
            product: z.string(),
            technology: z.string(),
            perUnit: z.number().positive(),
            initial: amount,
            depreciation: z.number().min(0).max(1),
            lag: z.number().int().min(0).max(50).optional(),
          }),
        )
        .optional()
        .describe('capital stocks that bound technologies and grow by investment'),
      solver: z
        .enum(['auto', 'highs', 'pdlp', 'technique-choice', 'harmony-pdhg'])
        .default('auto')
        .describe(
          "'auto' uses exact technique choice where it applies (min-labour, at most one limited skill) and exact harmony by the Leontief dual where that applies (harmony, no capital stocks), else for harmony with capital stocks the first-order method 'harmony-pdhg' from 400 products on and below that HiGHS on the piecewise-linear LP with breakpoints refined to a certified gap of 1e-6 relative; 'technique-choice' and 'harmony-pdhg' (harmony with capital stocks, one technology per product: a feasible plan certified within 1e-4 relative of the true optimum) force those and are refused with the reason where they do not apply; 'highs' or 'pdlp' force an LP solver",
        ),
      basePlanId: z
        .string()
        .optional()
        .describe('compute a scenario of this plan (its settings and changes, plus yours)'),
      changes: z.array(change).optional().describe('what-if changes to targets, coefficients and limits'),
      harmonyWeights: z
        .array(z.object({ product: z.string(), weight: amount }))
        .optional()
        .describe("weights of products' harmony (objective harmony); 1 for products not listed"),
      runId: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('follow progress at /api/runs/{runId}/events; cancel with system.run.cancel'),
    }),
    output: planRow.extend({ record: planRecordSchema, provenance: planProvenanceSchema.nullable() }),
    access: { kind: 'unit', permission: 'plan', unit: onEconomy },
    longRun: true,
    heavy: { limits: [], notes: [PLAN_SIZE_NOTE] },
    handler: (ctx, { runId: _runId, ...i }) =>
      ctx.services.planning.compute(
        {
          economyId: i.economyId,
          objective: i.objective,
          solver: i.solver,
          ...(i.periods === undefined ? {} : { periods: i.periods }),
          ...(i.name === undefined ? {} : { name: i.name }),
          ...(i.skillsAvailable === undefined ? {} : { skillsAvailable: i.skillsAvailable }),
          ...(i.resourceCapacities === undefined ? {} : { resourceCapacities: i.resourceCapacities }),
          ...(i.technologyCapacities === undefined ? {} : { technologyCapacities: i.technologyCapacities }),
          ...(i.capital === undefined ? {} : { capital: i.capital }),
          ...(i.basePlanId === undefined ? {} : { basePlanId: i.basePlanId }),
          ...(i.changes === undefined ? {} : { changes: i.changes }),
          ...(i.harmonyWeights === undefined ? {} : { harmonyWeights: i.harmonyWeights }),
        },
        { signal: ctx.signal, onProgress: ctx.progress, actor: actorKey(ctx.principal) },
      ),
  }),
  defineOperation({
    name: 'planning.list',
    summary: 'The plans of an economy, newest first (summaries, without results).',
    kind: 'query',
    input: z.object({ economyId: z.string().min(1) }),
    output: z.object({ plans: z.array(planRow) }),
    access: { kind: 'unit', permission: 'read', unit: onEconomy, publicRead: true },
    cli: { positional: ['economyId'] },
    handler: async (ctx, i) => ({ plans: await ctx.services.planning.list(i.economyId) }),
  }),
  defineOperation({
    name: 'planning.get',
    summary:
      'One plan with its results: activities, net outputs, shadow prices, binding limits, unit targets.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: planRow.extend({ record: planRecordSchema, provenance: planProvenanceSchema.nullable() }),
    access: { kind: 'unit', permission: 'read', unit: onPlan, publicRead: true },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.planning.get(i.id),
  }),
  defineOperation({
    name: 'planning.diff',
    summary: 'What changed between two plans of one economy, by product and by unit.',
    kind: 'query',
    input: z.object({ a: z.string().min(1), b: z.string().min(1) }),
    output: z.object({
      objective: z.object({ a: z.number().nullable(), b: z.number().nullable() }),
      byProduct: z.array(
        z.object({
          product: z.string(),
          period: z.number(),
          netA: z.number(),
          netB: z.number(),
          delta: z.number(),
        }),
      ),
      byUnit: z.array(
        z.object({
          unit: z.string().nullable(),
          activityA: z.number(),
          activityB: z.number(),
          delta: z.number(),
        }),
      ),
    }),
    access: {
      kind: 'unit',
      permission: 'read',
      unit: async (i, r) => [(await r.unitOf('plan', i.a)) ?? '', (await r.unitOf('plan', i.b)) ?? ''],
      publicRead: true,
    },
    cli: { positional: ['a', 'b'] },
    handler: (ctx, i) => ctx.services.planning.diff(i.a, i.b),
  }),
  defineOperation({
    name: 'planning.unit-targets',
    summary: "A unit's own share of a plan: the output asked of it per technology and period.",
    kind: 'query',
    input: z.object({ planId: z.string().min(1), unitId: z.string().min(1) }),
    output: z.object({
      unitId: z.string(),
      unitCode: z.string().nullable(),
      targets: planRecordSchema.shape.unitTargets,
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    handler: async (ctx, i) => {
      const unit = await ctx.services.holarchy.get(i.unitId);
      const plan = await ctx.services.planning.get(i.planId);
      const economy = await ctx.services.economy.get(plan.economyId);
      const owner = await ctx.services.holarchy.get(economy.unitId);
      if (!unit.path.startsWith(owner.path)) return { unitId: unit.id, unitCode: unit.code, targets: [] };
      return {
        unitId: unit.id,
        unitCode: unit.code,
        targets: plan.record.unitTargets.filter((t) => t.unit === unit.code),
      };
    },
  }),
];
