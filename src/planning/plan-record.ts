// A computed plan as a stored record: plain JSON by product, technology, skill and unit, and its diff.
import { z } from 'zod';
import type { Disaggregation } from './disaggregate';
import type { InfeasibilityReport } from './formulation/infeasibility';
import { plainBinding } from './plan-result';
import type { PlanResult } from './plan-result';

const series = z.array(z.number()).describe('one value per period');

export const planRecordSchema = z.object({
  periods: z.number().int(),
  products: z.array(
    z.object({
      code: z.string(),
      unit: z.string(),
      gross: series,
      net: series,
      target: series,
      price: series,
    }),
  ),
  technologies: z.array(
    z.object({ code: z.string(), product: z.string(), unit: z.string().nullable(), activity: series }),
  ),
  skills: z.array(z.object({ code: z.string(), used: series, price: series })),
  resources: z.array(z.object({ code: z.string(), price: series })),
  lambda: z.array(z.number()),
  totalHarmony: z.number(),
  binding: z.array(
    z.object({
      kind: z.string(),
      code: z.string(),
      period: z.number(),
      slack: z.number(),
      shadowPrice: z.number(),
      description: z.string(),
    }),
  ),
  solver: z.object({
    name: z.string(),
    status: z.string(),
    iterations: z.number(),
    residual: z.number(),
    seconds: z.number(),
    message: z.string().optional(),
  }),
  infeasibility: z
    .object({
      explained: z.boolean(),
      summary: z.string(),
      solverStatus: z.string(),
      relaxations: z.array(
        z.object({
          kind: z.string(),
          code: z.string(),
          period: z.number(),
          amount: z.number(),
          bound: z.number(),
          unit: z.string(),
          description: z.string(),
        }),
      ),
    })
    .nullable(),
  unitTargets: z.array(
    z.object({
      unit: z.string(),
      technology: z.string(),
      product: z.string(),
      period: z.number(),
      quantity: z.number(),
      capacity: z.number().nullable(),
      labour: z.number(),
    }),
  ),
});
export type PlanRecord = z.infer<typeof planRecordSchema>;

function slice(a: Float64Array, periods: number, count: number, i: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < periods; t++) out.push(a[t * count + i] ?? 0);
  return out;
}

/** Infinity (unlimited capacity) has no JSON form: it is stored as null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function toPlanRecord(
  result: PlanResult,
  disaggregation: Disaggregation,
  infeasibility: InfeasibilityReport | undefined,
): PlanRecord {
  const { plan } = result;
  const T = plan.periods;
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const nS = plan.skillCodes.length;
  const nR = plan.resourceCodes.length;
  return {
    periods: T,
    products: plan.productCodes.map((code, p) => ({
      code,
      unit: plan.productUnits[p] ?? '',
      gross: slice(result.grossOutput, T, nP, p),
      net: slice(result.netOutput, T, nP, p),
      target: slice(plan.targets, T, nP, p),
      price: slice(result.prices.target, T, nP, p),
    })),
    technologies: plan.technologyCodes.map((code, j) => ({
      code,
      product: plan.productCodes[plan.techProduct[j] ?? 0] ?? '',
      unit: plan.technologyUnits[j] ?? null,
      activity: slice(result.activity, T, nT, j),
    })),
    skills: plan.skillCodes.map((code, s) => ({
      code,
      used: slice(result.labourUsed, T, nS, s),
      price: slice(result.prices.skill, T, nS, s),
    })),
    resources: plan.resourceCodes.map((code, r) => ({
      code,
      price: slice(result.prices.resource, T, nR, r),
    })),
    lambda: Array.from(result.lambda),
    totalHarmony: result.totalHarmony,
    // Written out: the record is stored and may cross a worker's structured clone (no getters there).
    binding: result.binding.map(plainBinding),
    solver: result.solver,
    infeasibility: infeasibility ?? null,
    unitTargets: disaggregation.targets.map((t) => ({ ...t, capacity: finite(t.capacity) })),
  };
}

export interface RecordDiff {
  byProduct: { product: string; period: number; netA: number; netB: number; delta: number }[];
  byUnit: { unit: string | null; activityA: number; activityB: number; delta: number }[];
}

/** What changed between two plans of the same economy, by product (net output) and by operating unit. */
export function diffRecords(a: PlanRecord, b: PlanRecord, tolerance = 1e-9): RecordDiff {
  const changed = (x: number, y: number) =>
    Math.abs(y - x) > tolerance * Math.max(1, Math.abs(x), Math.abs(y));
  const netB = new Map(b.products.map((p) => [p.code, p.net]));
  const byProduct: RecordDiff['byProduct'] = [];
  const codes = new Set([...a.products.map((p) => p.code), ...b.products.map((p) => p.code)]);
  const netA = new Map(a.products.map((p) => [p.code, p.net]));
  for (const code of codes) {
    for (let t = 0; t < Math.max(a.periods, b.periods); t++) {
      const x = netA.get(code)?.[t] ?? 0;
      const y = netB.get(code)?.[t] ?? 0;
      if (changed(x, y)) byProduct.push({ product: code, period: t + 1, netA: x, netB: y, delta: y - x });
    }
  }
  const perUnit = (r: PlanRecord) => {
    const m = new Map<string | null, number>();
    for (const t of r.technologies)
      m.set(t.unit, (m.get(t.unit) ?? 0) + t.activity.reduce((s, v) => s + v, 0));
    return m;
  };
  const ua = perUnit(a);
  const ub = perUnit(b);
  const byUnit: RecordDiff['byUnit'] = [];
  for (const unit of new Set([...ua.keys(), ...ub.keys()])) {
    const x = ua.get(unit) ?? 0;
    const y = ub.get(unit) ?? 0;
    if (changed(x, y)) byUnit.push({ unit, activityA: x, activityB: y, delta: y - x });
  }
  byProduct.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta));
  byUnit.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta));
  return { byProduct, byUnit };
}
