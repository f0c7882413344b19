// What a planner asks for: the economy, the horizon, the objective and the limits of an optimal plan.
import type { EconomyModel } from '../../economy/economy';

/**
 * - `min-labour`: minimise Σₜ Σⱼ Σₛ wₛ·lₛⱼ·xⱼₜ (labour of skill s per unit of technology j, weighted by wₛ,
 *   default 1) subject to net output ≥ target.
 * - `assortment` (Kantorovich): maximise λ subject to net output ≥ λ·target for every product and period;
 *   with `assortment.perPeriod`, one λₜ per period and maximise Σₜ λₜ (the 5yearplan LP).
 * - `harmony` (Cockshott 1990): maximise Σₚₜ H(sₚₜ), sₚₜ = (net − target)/target, over products with a
 *   positive target, H(s) = ln(1+s) for s ≥ 0 and s − s²/2 for s < 0, represented by tangent cuts.
 */
export type PlanObjective = 'min-labour' | 'assortment' | 'harmony';

/** A limit per period; without `period` it applies to every period. */
export interface SkillLimit {
  skill: string;
  period?: number;
  available: number;
}
export interface ResourceLimit {
  resource: string;
  period?: number;
  capacity: number;
}
export interface TechnologyLimit {
  technology: string;
  period?: number;
  capacity: number;
}

/**
 * A stock of a capital good that bounds one technology's output: output ≤ stock / perUnit.
 * Investment of the good in period t adds to the stock from period t + lag; the stock loses
 * `depreciation` of itself each period: Kₜ ≤ (1 − d)·Kₜ₋₁ + Iₜ₋lag, K₁ ≤ initial.
 */
export interface CapitalStockSpec {
  /** Product code of the capital good. */
  product: string;
  /** Code of the technology whose capacity the stock sets. */
  technology: string;
  /** Units of stock per unit of the technology's output per period (capital coefficient). */
  perUnit: number;
  /** Stock in place in period 1. */
  initial: number;
  /** Share of the stock worn out per period, in [0, 1]. */
  depreciation: number;
  /** Periods from investment to use (default 1). */
  lag?: number;
}

export interface PlanSpec {
  economy: EconomyModel;
  /** Number of periods (≥ 1); targets in the economy name their period. */
  periods: number;
  objective: PlanObjective;
  /** Overrides `Skill.available`; a skill with neither is unlimited. */
  skillsAvailable?: SkillLimit[];
  /** Overrides `Resource.capacity`. */
  resourceCapacities?: ResourceLimit[];
  /** Overrides `Technology.capacity`. */
  technologyCapacities?: TechnologyLimit[];
  capital?: CapitalStockSpec[];
  /** Weights wₛ of each skill's hours in the min-labour objective (default 1). */
  labourWeights?: { skill: string; weight: number }[];
  assortment?: { perPeriod?: boolean };
  harmony?: {
    /** Overestimate of H allowed per product and period (default 1e-3). */
    maxError?: number;
    /** Fulfilment above which surplus earns no more harmony (default 4, i.e. five times the target). */
    maxSurplus?: number;
    /**
     * Weight of each product's harmony in the sum (default 1): maximise Σₚₜ wₚ·H(sₚₜ). A priorities vote over
     * consumption groups sets them (participation/budget).
     */
    weights?: { product: string; weight: number }[];
  };
}
