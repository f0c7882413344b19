// A plan problem compiled to indices and typed arrays: what the LP builder reads, at any scale.
//
// Codes become positions once here, so the builder never touches a string or a per-element object and
// the benchmarks can fill a CompiledPlan straight from a generated economy of 10⁶ products.
import type { PlanObjective } from './plan-spec';

/** Sparse rows over technologies: technology j's entries are start[j]..start[j+1]-1. */
export interface TechnologyRows {
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

export interface CompiledStocks {
  product: Int32Array;
  technology: Int32Array;
  perUnit: Float64Array;
  initial: Float64Array;
  depreciation: Float64Array;
  lag: Int32Array;
}

export interface CompiledPlan {
  periods: number;
  objective: PlanObjective;
  productCodes: string[];
  productUnits: string[];
  skillCodes: string[];
  /** What each skill's labour is counted in ("h" when the economy does not say). */
  skillUnits?: string[];
  resourceCodes: string[];
  resourceUnits: string[];
  technologyCodes: string[];
  /** Holarchy unit operating each technology, or null. */
  technologyUnits: (string | null)[];
  /** Product made by each technology. */
  techProduct: Int32Array;
  /** Input products per unit of output (index = product). */
  inputs: TechnologyRows;
  /** Labour per unit of output (index = skill). */
  labour: TechnologyRows;
  /** Resource use per unit of output (index = resource). */
  resources: TechnologyRows;
  /** Weight of each skill's hours in the min-labour objective. */
  labourWeight: Float64Array;
  /** Per period, period-major (t·count + i); Infinity where unlimited. */
  skillAvailable: Float64Array;
  resourceCapacity: Float64Array;
  techCapacity: Float64Array;
  /** Net output targets, t·products + p; 0 where none. */
  targets: Float64Array;
  stocks: CompiledStocks;
  assortmentPerPeriod: boolean;
  harmonyMaxError: number;
  harmonyMaxSurplus: number;
  /** Weight of each product's harmony (index = product); 1 unless a priorities vote set it. */
  harmonyWeight?: Float64Array;
}

/** Empty capital stocks, for plans without accumulation. */
export function noStocks(): CompiledStocks {
  return {
    product: new Int32Array(0),
    technology: new Int32Array(0),
    perUnit: new Float64Array(0),
    initial: new Float64Array(0),
    depreciation: new Float64Array(0),
    lag: new Int32Array(0),
  };
}
