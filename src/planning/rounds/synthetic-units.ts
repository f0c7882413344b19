// Generated economies split into units for tests and benchmarks of planning rounds: the synthetic plan's
// technologies dealt to units, each technology with a capacity, and each unit with its own pool of one skill.
import { Random } from '../../numeric/synthetic/random';
import type { CompiledPlan } from '../formulation/compiled-plan';

export interface SplitOptions {
  units: number;
  seed: number;
  /** Capacity of a technology as a multiple of its product's gross output in the one-technique plan: [lo, hi]. */
  capacityFactor?: [number, number];
  /**
   * Each unit gets its own pool of this skill (a skill of its own, "<skill>@<unit>") holding this share of
   * what its technologies would need in the one-technique plan; null keeps every skill shared (default 1.1 of skill 1).
   */
  ownSkill?: { skill: number; share: number } | null;
}

const NEUMANN_TERMS = 24;

/** Gross output of the one-technique plan, x = Σₖ Aᵏd, with A read from the plan's first technique of each product. */
export function grossOutputEstimate(plan: CompiledPlan): Float64Array {
  const nP = plan.productCodes.length;
  const first = new Int32Array(nP).fill(-1);
  for (let j = 0; j < plan.techProduct.length; j++)
    if (first[plan.techProduct[j]!]! < 0) first[plan.techProduct[j]!] = j;
  const x = Float64Array.from(plan.targets.subarray(0, nP));
  let term = Float64Array.from(x);
  for (let k = 0; k < NEUMANN_TERMS; k++) {
    const next = new Float64Array(nP);
    for (let p = 0; p < nP; p++) {
      const j = first[p]!;
      if (j < 0 || term[p] === 0) continue;
      for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
        next[plan.inputs.index[e]!]! += plan.inputs.value[e]! * term[p]!;
    }
    term = next;
    for (let p = 0; p < nP; p++) x[p]! += term[p]!;
  }
  return x;
}

/** Deals the plan's technologies to `units` units (a product's techniques stay together) and sets capacities. */
export function splitIntoUnits(plan: CompiledPlan, options: SplitOptions): CompiledPlan {
  const rng = new Random(options.seed);
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const [lo, hi] = options.capacityFactor ?? [1.5, 3];
  const unitOfProduct = Int32Array.from({ length: nP }, (_, p) => p % options.units);
  const unitCodes = Array.from({ length: options.units }, (_, u) => `u${u}`);
  const gross = grossOutputEstimate(plan);
  const techCapacity = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    const g = gross[plan.techProduct[j]!]!;
    techCapacity[j] = (lo + (hi - lo) * rng.next()) * Math.max(g, 1);
  }
  const technologyUnits = Array.from(
    { length: nT },
    (_, j) => unitCodes[unitOfProduct[plan.techProduct[j]!]!]!,
  );
  const own = options.ownSkill === undefined ? { skill: 1, share: 1.1 } : options.ownSkill;
  if (own === null || plan.periods !== 1) return { ...plan, techCapacity, technologyUnits };

  // Labour of the chosen skill moves to the unit's own skill; its pool is a share of the one-technique need.
  const nS = plan.skillCodes.length;
  const need = new Float64Array(options.units);
  for (let j = 0; j < nT; j++) {
    if (j !== plan.techProduct[j]) continue; // first techniques only (the synthetic plan numbers them as products)
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      if (plan.labour.index[e] === own.skill)
        need[unitOfProduct[plan.techProduct[j]!]!]! += plan.labour.value[e]! * gross[plan.techProduct[j]!]!;
  }
  const index = Int32Array.from(plan.labour.index);
  for (let j = 0; j < nT; j++)
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      if (index[e] === own.skill) index[e] = nS + unitOfProduct[plan.techProduct[j]!]!;
  const skillAvailable = new Float64Array(nS + options.units);
  skillAvailable.set(plan.skillAvailable.subarray(0, nS));
  for (let u = 0; u < options.units; u++) skillAvailable[nS + u] = Math.max(own.share * need[u]!, 1e-3);
  const labourWeight = new Float64Array(nS + options.units).fill(plan.labourWeight[own.skill] ?? 1);
  labourWeight.set(plan.labourWeight.subarray(0, nS));
  return {
    ...plan,
    techCapacity,
    technologyUnits,
    skillCodes: [...plan.skillCodes, ...unitCodes.map((u) => `${plan.skillCodes[own.skill]}@${u}`)],
    labour: { ...plan.labour, index },
    labourWeight,
    skillAvailable,
  };
}
