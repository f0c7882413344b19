// Differences between two plans (a base and a scenario, or two versions): by product and by unit.
import type { PlanResult } from './plan-result';

export interface ProductDiff {
  product: string;
  period: number;
  netA: number;
  netB: number;
  grossA: number;
  grossB: number;
  /** netB − netA. */
  delta: number;
}

export interface TechnologyDiff {
  technology: string;
  product: string;
  period: number;
  a: number;
  b: number;
  delta: number;
}

export interface UnitDiff {
  /** Holarchy unit code, or null for technologies not assigned to a unit. */
  unit: string | null;
  /** Hours of labour of every skill at the unit, in each plan. */
  labourA: number;
  labourB: number;
  technologies: TechnologyDiff[];
}

export interface PlanDiff {
  objective: { a: number; b: number; delta: number };
  byProduct: ProductDiff[];
  byUnit: UnitDiff[];
}

const changed = (a: number, b: number, tol: number) =>
  Math.abs(b - a) > tol * Math.max(1, Math.abs(a), Math.abs(b));

function labourOf(r: PlanResult, j: number, t: number): number {
  const { plan } = r;
  let h = 0;
  for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++) h += plan.labour.value[e]!;
  return h * r.activity[t * plan.technologyCodes.length + j]!;
}

/**
 * Lists what differs between plan a and plan b, matching products and technologies by code and periods
 * by number (a code or period present in only one plan counts as 0 in the other). Differences within
 * tol·max(1, |a|, |b|) (default 1e-9) are left out.
 */
export function diffPlans(a: PlanResult, b: PlanResult, tolerance = 1e-9): PlanDiff {
  const periods = Math.max(a.plan.periods, b.plan.periods);
  const productCodes = [...new Set([...a.plan.productCodes, ...b.plan.productCodes])];
  const techCodes = [...new Set([...a.plan.technologyCodes, ...b.plan.technologyCodes])];
  const pos = (codes: string[]) => new Map(codes.map((c, i) => [c, i]));
  const pa = pos(a.plan.productCodes);
  const pb = pos(b.plan.productCodes);
  const ta = pos(a.plan.technologyCodes);
  const tb = pos(b.plan.technologyCodes);
  const at = (r: PlanResult, arr: Float64Array, n: number, i: number | undefined, t: number) =>
    i === undefined || t >= r.plan.periods ? 0 : arr[t * n + i]!;

  const byProduct: ProductDiff[] = [];
  for (let t = 0; t < periods; t++) {
    for (const code of productCodes) {
      const i = pa.get(code);
      const k = pb.get(code);
      const netA = at(a, a.netOutput, a.plan.productCodes.length, i, t);
      const netB = at(b, b.netOutput, b.plan.productCodes.length, k, t);
      const grossA = at(a, a.grossOutput, a.plan.productCodes.length, i, t);
      const grossB = at(b, b.grossOutput, b.plan.productCodes.length, k, t);
      if (changed(netA, netB, tolerance) || changed(grossA, grossB, tolerance)) {
        byProduct.push({ product: code, period: t + 1, netA, netB, grossA, grossB, delta: netB - netA });
      }
    }
  }

  const units = new Map<string | null, UnitDiff>();
  for (const code of techCodes) {
    const i = ta.get(code);
    const k = tb.get(code);
    const unit = (k === undefined ? a.plan.technologyUnits[i!] : b.plan.technologyUnits[k]) ?? null;
    const product =
      k === undefined
        ? a.plan.productCodes[a.plan.techProduct[i!]!]!
        : b.plan.productCodes[b.plan.techProduct[k]!]!;
    let u = units.get(unit);
    for (let t = 0; t < periods; t++) {
      const va = at(a, a.activity, a.plan.technologyCodes.length, i, t);
      const vb = at(b, b.activity, b.plan.technologyCodes.length, k, t);
      const la = i === undefined || t >= a.plan.periods ? 0 : labourOf(a, i, t);
      const lb = k === undefined || t >= b.plan.periods ? 0 : labourOf(b, k, t);
      if (u === undefined) {
        u = { unit, labourA: 0, labourB: 0, technologies: [] };
        units.set(unit, u);
      }
      u.labourA += la;
      u.labourB += lb;
      if (changed(va, vb, tolerance))
        u.technologies.push({ technology: code, product, period: t + 1, a: va, b: vb, delta: vb - va });
    }
  }
  const byUnit = [...units.values()].filter((u) => u.technologies.length > 0);
  return {
    objective: { a: a.objectiveValue, b: b.objectiveValue, delta: b.objectiveValue - a.objectiveValue },
    byProduct,
    byUnit,
  };
}
