// Refuses, before any solve, a plan whose objective nothing can bound: an assortment or harmony plan in
// which no limit (labour, resource, technology capacity, capital stock) reaches any product with a target.
//
// Assortment maximises λ with net output ≥ λ·target; harmony rewards every unit of surplus up to its cap
// (maxSurplus). If every technology can run without bound, λ is unbounded and harmony sits at its cap: the
// answer says nothing about the economy. The test is structural, per period (or per group of periods that
// share a λ): a technology is bounded if its capacity is finite, it needs a skill or resource with a finite
// limit, it is tied to a capital stock, or it needs an input whose supply is bounded; a product's supply is
// bounded if every technology making it is. The objective can be bounded only if some product with a target
// has a bounded supply. (Stocks can grow by investment, so the test can pass a plan that the solver then
// finds unbounded; the solver's answer is mapped to the same refusal.)
import { DomainError } from '../../core/errors';
import type { CompiledPlan } from './compiled-plan';

/** Field the refusal names: labour is the limit a planner gives first. */
export const UNBOUNDED_FIELD = 'skillsAvailable';

function boundedProducts(plan: CompiledPlan, t: number): Uint8Array {
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const nS = plan.skillCodes.length;
  const nR = plan.resourceCodes.length;
  const techBounded = new Uint8Array(nT);
  for (let k = 0; k < plan.stocks.technology.length; k++) techBounded[plan.stocks.technology[k]!] = 1;
  for (let j = 0; j < nT; j++) {
    if (Number.isFinite(plan.techCapacity[t * nT + j]!)) techBounded[j] = 1;
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      if (plan.labour.value[e]! > 0 && Number.isFinite(plan.skillAvailable[t * nS + plan.labour.index[e]!]!))
        techBounded[j] = 1;
    for (let e = plan.resources.start[j]!; e < plan.resources.start[j + 1]!; e++)
      if (
        plan.resources.value[e]! > 0 &&
        Number.isFinite(plan.resourceCapacity[t * nR + plan.resources.index[e]!]!)
      )
        techBounded[j] = 1;
  }
  const productBounded = new Uint8Array(nP);
  // Fixpoint: at most nP rounds, each marking at least one more product.
  for (let changed = true; changed;) {
    changed = false;
    const unbounded = new Uint8Array(nP);
    for (let j = 0; j < nT; j++) {
      if (!techBounded[j]) {
        for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
          if (plan.inputs.value[e]! > 0 && productBounded[plan.inputs.index[e]!]) techBounded[j] = 1;
      }
      if (!techBounded[j]) unbounded[plan.techProduct[j]!] = 1;
    }
    for (let p = 0; p < nP; p++)
      if (!productBounded[p] && !unbounded[p]) {
        productBounded[p] = 1;
        changed = true;
      }
  }
  return productBounded;
}

/** The error an edge shows for a plan that cannot be bounded; `period` is 1-based. */
export function unboundedPlanError(plan: CompiledPlan, period: number | null): DomainError {
  const where = period === null ? '' : ` in period ${period}`;
  const message =
    `${plan.objective} cannot be bounded: no labour, resource, capacity or capital limit reaches any ` +
    `product with a target${where}, so every target could be exceeded without end`;
  return new DomainError('invalid', message, {
    issues: [
      {
        field: UNBOUNDED_FIELD,
        message: `give the labour available (skillsAvailable, or economy.skills[].available) or another limit (resourceCapacities, technologyCapacities, capital)${where}`,
      },
    ],
    fix: 'set the labour available per period (or a resource or capacity limit) so that production is bounded',
  });
}

/** Throws unboundedPlanError when an assortment or harmony plan has nothing to bound it. */
export function checkPlanBounded(plan: CompiledPlan): void {
  if (plan.objective === 'min-labour') return;
  const nP = plan.productCodes.length;
  const P = plan.periods;
  const hasTarget = (t: number) => {
    for (let p = 0; p < nP; p++) if (plan.targets[t * nP + p]! > 0) return true;
    return false;
  };
  const boundedIn = (t: number) => {
    const b = boundedProducts(plan, t);
    for (let p = 0; p < nP; p++) if (plan.targets[t * nP + p]! > 0 && b[p]) return true;
    return false;
  };
  const perPeriod = plan.objective === 'harmony' || plan.assortmentPerPeriod;
  if (perPeriod) {
    for (let t = 0; t < P; t++) if (hasTarget(t) && !boundedIn(t)) throw unboundedPlanError(plan, t + 1);
    return;
  }
  // One λ over every period: bounded when any period with targets is.
  let any = false;
  for (let t = 0; t < P; t++) {
    if (!hasTarget(t)) continue;
    any = true;
    if (boundedIn(t)) return;
  }
  if (any) throw unboundedPlanError(plan, null);
}
