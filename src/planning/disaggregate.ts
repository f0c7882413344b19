// Splits a plan's activity levels over the units that operate each technology, in proportion to their
// capacity and never above it, so that each unit can read its own targets.
import { DomainError } from '../core/errors';
import type { PlanResult } from './plan-result';

/** A unit operating (a share of) a technology, with its own output capacity per period. */
export interface UnitCapacity {
  unit: string;
  technology: string;
  capacity: number;
}

export interface UnitTarget {
  unit: string;
  technology: string;
  product: string;
  period: number;
  /** Output the unit is asked for. */
  quantity: number;
  capacity: number;
  /** Labour hours of every skill this output needs. */
  labour: number;
}

export interface Disaggregation {
  targets: UnitTarget[];
  /** Activity of technologies without any unit to take it (or above their units' total capacity). */
  unassigned: { technology: string; period: number; quantity: number }[];
}

/**
 * Unit u operating technology j receives xⱼₜ·cᵤ/Σ c (proportional to capacity). When xⱼₜ exceeds the
 * units' total capacity, each unit gets its full capacity and the excess is reported as unassigned.
 * Units of unlimited capacity (Infinity) dominate the proportion: they share the activity equally.
 * Without `units`, each technology's own unit (Technology.unit) takes all of it, capped at its capacity.
 */
export function disaggregate(result: PlanResult, units?: UnitCapacity[]): Disaggregation {
  const { plan } = result;
  const nT = plan.technologyCodes.length;
  const list: UnitCapacity[] =
    units ??
    plan.technologyCodes.flatMap((technology, j) => {
      const unit = plan.technologyUnits[j];
      return unit === null || unit === undefined
        ? []
        : [{ unit, technology, capacity: plan.techCapacity[j]! }];
    });
  const pos = new Map(plan.technologyCodes.map((c, j) => [c, j]));
  const byTech = new Map<number, UnitCapacity[]>();
  list.forEach((u, k) => {
    const j = pos.get(u.technology);
    if (j === undefined)
      throw new DomainError('invalid', `units[${k}]: technology "${u.technology}" is not in the plan`, {
        issues: [{ field: `units[${k}].technology`, message: 'unknown technology' }],
        fix: 'name a technology of the planned economy',
      });
    if (!(u.capacity > 0))
      throw new DomainError('invalid', `units[${k}]: capacity must be positive, got ${u.capacity}`, {
        issues: [{ field: `units[${k}].capacity`, message: 'must be positive' }],
        fix: 'give each unit its output capacity per period (Infinity if unlimited)',
      });
    byTech.set(j, [...(byTech.get(j) ?? []), u]);
  });
  const hoursPerUnit = (j: number) => {
    let h = 0;
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++) h += plan.labour.value[e]!;
    return h;
  };

  const targets: UnitTarget[] = [];
  const unassigned: Disaggregation['unassigned'] = [];
  for (let t = 0; t < plan.periods; t++) {
    for (let j = 0; j < nT; j++) {
      const x = result.activity[t * nT + j]!;
      if (x <= 0) continue;
      const operators = byTech.get(j) ?? [];
      const total = operators.reduce((s, u) => s + u.capacity, 0);
      const product = plan.productCodes[plan.techProduct[j]!]!;
      let given = 0;
      for (const u of operators) {
        const share = Number.isFinite(total)
          ? Math.min(u.capacity, (x * u.capacity) / total)
          : Number.isFinite(u.capacity)
            ? 0
            : x / operators.filter((o) => !Number.isFinite(o.capacity)).length;
        given += share;
        targets.push({
          unit: u.unit,
          technology: plan.technologyCodes[j]!,
          product,
          period: t + 1,
          quantity: share,
          capacity: u.capacity,
          labour: share * hoursPerUnit(j),
        });
      }
      if (x - given > 1e-9 * Math.max(1, x))
        unassigned.push({ technology: plan.technologyCodes[j]!, period: t + 1, quantity: x - given });
    }
  }
  return { targets, unassigned };
}

/** One unit's own targets. */
export function targetsOfUnit(d: Disaggregation, unit: string): UnitTarget[] {
  return d.targets.filter((t) => t.unit === unit);
}
