// Adopting a plan, and a unit's targets from the adopted plan for one plan period set against its indicators'
// latest readings in that period.
import { federationTargets } from '../federation/plan-targets';
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { actorName } from '../core/actor-name';
import { actorKey } from '../core/principal';
import type { Indicator } from '../cybernet/indicator';
import { planPeriodOf, planPeriodSpan } from './plan-period';
import { PLAN_PERIOD, compareTargetToIndicator } from './target-comparison';
import { whyNotAdoptable, type AdoptedPlan } from './plan.service';

const adoptedSchema = z.object({
  planId: z.string(),
  planName: z.string(),
  economyId: z.string(),
  computedAt: z.date(),
  adoptedAt: z.date(),
  adoptedBy: z.string().describe('who adopted it, by name'),
  adoptedOn: z.object({ id: z.string(), name: z.string() }).describe('the unit whose planners adopted it'),
  note: z.string().nullable(),
});

type Lookup = { unitOf(kind: string, id: string): Promise<string | null> };

async function adoptedView(
  a: AdoptedPlan,
  nameOf: (actor: string) => Promise<string>,
): Promise<z.input<typeof adoptedSchema>> {
  return {
    planId: a.plan.id,
    planName: a.plan.name,
    economyId: a.plan.economyId,
    computedAt: a.plan.createdAt,
    adoptedAt: a.adoption.adoptedAt,
    adoptedBy: await nameOf(a.adoption.adoptedBy),
    adoptedOn: a.adoptedOn,
    note: a.adoption.note,
  };
}

const receivedSchema = z.object({
  fromNode: z.string().describe('the parent node that sent the targets'),
  planId: z.string(),
  planName: z.string().nullable().describe('null when the sending node did not say (an older node)'),
  receivedAt: z.date(),
});
type Received = z.input<typeof receivedSchema> | null;

/** A target as unit-progress reads it; `productUnit` null when a node above did not send it. */
interface ProgressTarget {
  unit: string;
  technology: string;
  product: string;
  period: number;
  quantity: number;
  productUnit: string | null;
}

const rowSchema = z.object({
  unitCode: z.string(),
  unitName: z.string().nullable(),
  technology: z.string(),
  product: z.string(),
  period: z.number().int(),
  planned: z.number().describe('output asked of the unit in the plan period, in plannedMeasure'),
  plannedMeasure: z.string().describe('e.g. "USD million a year"'),
  indicator: z
    .object({ name: z.string(), measure: z.string(), readings: z.number().int() })
    .nullable()
    .describe('the indicator that reports this output (summed over the units below when they report it)'),
  comparable: z.boolean(),
  reason: z.string().nullable().describe('why target and actual cannot be compared'),
  target: z.number().nullable().describe("the target in the indicator's own measure and period"),
  basis: z.string().nullable().describe('how the target was put in the indicator’s terms'),
  actual: z.number().nullable().describe('the latest reading (summed over the reporting units)'),
  actualAt: z.date().nullable(),
  fulfilment: z.number().nullable().describe('actual ÷ target'),
});

const periodSchema = z.object({
  period: z.number().int(),
  from: z.date().describe('when it begins (period 1 also holds the readings from before it)'),
  to: z.date().describe('when it ends: the next period begins'),
});

export const adoptionOperations = [
  defineOperation({
    name: 'planning.adopt',
    summary:
      "Adopt a plan for the unit that owns its economy: from now on the unit's targets come from it (planners only).",
    kind: 'command',
    input: z.object({ planId: z.string().min(1), note: z.string().trim().max(2000).optional() }),
    output: adoptedSchema,
    access: {
      kind: 'unit',
      permission: 'plan',
      unit: (i: { planId: string }, r: Lookup) => r.unitOf('plan', i.planId),
    },
    cli: { positional: ['planId'] },
    handler: async (ctx, i) => {
      const adopted = await ctx.services.planning.adopt(i.planId, actorKey(ctx.principal), i.note);
      // Plans flow down: on a federation node, the adopted plan's targets go to the child nodes at once
      // (through the node's outbox, so they survive a NATS outage).
      if (ctx.services.federation.node()) {
        const plan = await ctx.services.planning.get(i.planId);
        // The product units go along, so a node below can set the targets against its indicators.
        const model = await ctx.services.economy.model(plan.economyId);
        const units = new Map(model.products.map((p) => [p.code, p.unit]));
        await ctx.services.federation.publishPlan(plan.id, federationTargets(plan.record, units), plan.name);
      }
      return adoptedView(adopted, (a) => actorName(a, ctx.services.auth));
    },
  }),
  defineOperation({
    name: 'planning.adopted',
    summary:
      'The plan in force on a unit: the newest adoption on it or the nearest unit above it (null when none).',
    kind: 'query',
    input: z.object({ unitId: z.string().min(1) }),
    output: z.object({ adopted: adoptedSchema.nullable() }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => {
      const adopted = await ctx.services.planning.adoptedPlanFor(i.unitId);
      return {
        adopted: adopted ? await adoptedView(adopted, (a) => actorName(a, ctx.services.auth)) : null,
      };
    },
  }),
  defineOperation({
    name: 'planning.adoptable',
    summary: 'Whether a plan can be adopted, and why not in words (a failed solve, a what-if scenario).',
    kind: 'query',
    input: z.object({ planId: z.string().min(1) }),
    output: z.object({ adoptable: z.boolean(), reason: z.string().nullable() }),
    access: {
      kind: 'unit',
      permission: 'read',
      unit: (i: { planId: string }, r: Lookup) => r.unitOf('plan', i.planId),
      publicRead: true,
    },
    handler: async (ctx, i) => {
      const reason = whyNotAdoptable(await ctx.services.planning.get(i.planId));
      return { adoptable: reason === null, reason };
    },
  }),
  defineOperation({
    name: 'planning.unit-progress',
    summary:
      "A unit's targets from the adopted plan (or, on a federation node with none adopted, those received from the parent node) for one plan period (by default the one in force now) against its indicators' latest readings in that period, in the indicator's own measure and period (or why not).",
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1),
      period: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .optional()
        .describe(
          'the plan period to show (1 is the first year the plan is in force); default: the period in force now',
        ),
    }),
    output: z.object({
      unitId: z.string(),
      adopted: adoptedSchema.nullable(),
      received: receivedSchema
        .nullable()
        .describe(
          'on a federation node with no plan adopted here: the targets received from the parent node',
        ),
      planPeriod: z.string().describe('the length of one plan period, in words'),
      periodInForce: z
        .number()
        .int()
        .nullable()
        .describe(
          'the plan period now, by the calendar the shortfall alerts use: period 1 from when the plan came into force on the unit, a year each (null without a plan)',
        ),
      period: z.number().int().nullable().describe('the period the rows are of (null without a plan)'),
      periods: z
        .array(periodSchema)
        .describe("the plan's periods that set this unit or the units below it targets, with their dates"),
      rows: z.array(rowSchema).describe("the shown period's targets; the actual is the latest reading in it"),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    handler: async (ctx, i) => {
      const { holarchy, planning, cybernet, economy, federation } = ctx.services;
      const unit = await holarchy.get(i.unitId);
      const adopted = await planning.adoptedPlanFor(unit.id);
      const base = { unitId: unit.id, planPeriod: `one ${PLAN_PERIOD.words}` };
      const none = { periodInForce: null, period: null, periods: [], rows: [] };
      const below = await holarchy.subtree(unit.id, { includeArchived: false });
      const byCode = new Map(below.flatMap((u) => (u.code ? [[u.code, u] as const] : [])));
      let source: {
        targets: ProgressTarget[];
        adopted: z.input<typeof adoptedSchema> | null;
        received: Received;
        /** When the plan came into force on the unit: period 1 of its calendar begins. */
        startsAt: Date;
      };
      if (adopted) {
        const plan = await planning.get(adopted.plan.id);
        const model = await economy.model(plan.economyId);
        const productUnit = new Map(model.products.map((p) => [p.code, p.unit]));
        source = {
          targets: plan.record.unitTargets.map((t) => ({
            ...t,
            productUnit: productUnit.get(t.product) ?? '',
          })),
          adopted: await adoptedView(adopted, (a) => actorName(a, ctx.services.auth)),
          received: null,
          startsAt: adopted.adoption.adoptedAt,
        };
      } else {
        // On a federation node below the centre with no plan adopted here, the plan in force is the newest
        // targets the parent node sent for units of this subtree.
        const got = federation.node() ? await federation.receivedPlanFor([...byCode.keys()]) : null;
        if (!got) return { ...base, adopted: null, received: null, ...none };
        source = {
          targets: got.targets.map((t) => ({ ...t, productUnit: t.productUnit })),
          adopted: null,
          received: {
            fromNode: got.fromNode,
            planId: got.planId,
            planName: got.planName,
            receivedAt: got.receivedAt,
          },
          startsAt: got.receivedAt,
        };
      }
      const indicators = await cybernet.listIndicators(unit.id, true);
      const ours = source.targets.filter((t) => byCode.has(t.unit));
      // The same calendar as the shortfall rule (planPeriodOf), so the page and the alerts speak of one period.
      const periodInForce = planPeriodOf(source.startsAt, ctx.clock.now(), PLAN_PERIOD.seconds);
      const shown = i.period ?? periodInForce;
      const span = planPeriodSpan(source.startsAt, shown, PLAN_PERIOD.seconds);
      const periods = [...new Set(ours.map((t) => t.period))]
        .sort((a, b) => a - b)
        .map((period) => ({ period, ...planPeriodSpan(source.startsAt, period, PLAN_PERIOD.seconds) }));
      const targets = ours.filter((t) => t.period === shown);
      const rows = await Promise.all(
        targets.map(async (t) => {
          const owner = byCode.get(t.unit);
          const measure = t.productUnit ?? '';
          const row = {
            unitCode: t.unit,
            unitName: owner?.name ?? null,
            technology: t.technology,
            product: t.product,
            period: t.period,
            planned: t.quantity,
            plannedMeasure: `${measure} a ${PLAN_PERIOD.words}`.trim(),
          };
          const reporting = owner
            ? indicators.filter(
                (x) =>
                  (x.technologyCode === t.technology || x.productCode === t.product) &&
                  below.some((u) => u.id === x.unitId && u.path.startsWith(owner.path)),
              )
            : [];
          const notComparable = (reason: string, indicator: Indicator | null = null) => ({
            ...row,
            indicator: indicator
              ? { name: indicator.name, measure: indicator.measure, readings: reporting.length }
              : null,
            comparable: false,
            reason,
            target: null,
            basis: null,
            actual: null,
            actualAt: null,
            fulfilment: null,
          });
          const any = reporting[0];
          if (!any) return notComparable('no indicator of this unit or below it reports this output');
          if (t.productUnit === null)
            return notComparable(
              `node '${source.received?.fromNode ?? ''}' sent this target without the unit its plan counts the product in (an older node), so it cannot be put in the indicator's terms`,
              any,
            );
          // Several indicators may report one output in different terms (cars/h at the shops, USD million a
          // month at the enterprise): the target is compared with those in the plan's own terms, if any are.
          const inTerms = reporting.filter(
            (x) => compareTargetToIndicator(t.quantity, measure, x).comparable,
          );
          const first = inTerms[0];
          const compared = compareTargetToIndicator(t.quantity, measure, first ?? any);
          if (!first || !compared.comparable)
            return notComparable(
              compared.comparable ? 'no indicator reports it in comparable terms' : compared.reason,
              any,
            );
          if (inTerms.some((x) => x.measure !== first.measure || x.code !== first.code))
            return notComparable(
              'the units below report this output with different indicators or measures',
              first,
            );
          // The latest reading in the period shown: period 1 also holds those from before the plan's start.
          const latest = await Promise.all(
            inTerms.map(async (x) =>
              (
                await cybernet.series(
                  x.id,
                  shown === 1 ? null : span.from,
                  new Date(span.to.getTime() - 1),
                  1,
                )
              ).points.at(-1),
            ),
          );
          const present = latest.filter((p): p is NonNullable<typeof p> => p !== undefined);
          const actual = present.length === 0 ? null : present.reduce((s, p) => s + p.value, 0);
          const actualAt =
            present.length === 0 ? null : new Date(Math.max(...present.map((p) => p.at.getTime())));
          return {
            ...row,
            indicator: { name: first.name, measure: first.measure, readings: inTerms.length },
            comparable: true,
            reason: actual === null ? `no reading has been reported in period ${shown} yet` : null,
            target: compared.target,
            basis: compared.basis,
            actual,
            actualAt,
            fulfilment: actual === null || compared.target === 0 ? null : actual / compared.target,
          };
        }),
      );
      return {
        ...base,
        adopted: source.adopted,
        received: source.received,
        periodInForce,
        period: shown,
        periods,
        rows,
      };
    },
  }),
];
