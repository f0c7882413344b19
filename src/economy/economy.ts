// The economic model: products, skills, resources, technologies and final-demand targets.
// Pure types and rules shared by import, storage and planning; no I/O here.

export const PRODUCT_KINDS = ['consumer', 'means-of-production', 'service'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export interface Product {
  /** Stable code, unique in the economy (e.g. WIOD "C10-C12" or "p0001"). */
  code: string;
  name: string;
  /** Unit of measure of one unit of output (e.g. "EUR million", "t", "kWh"). */
  unit: string;
  kind: ProductKind;
}

/** A labour skill category; `available` is hours (or persons) available per period, if limited. */
export interface Skill {
  code: string;
  name: string;
  available?: number | null;
  /** What the labour is counted in (and `available` too): "h" when absent. */
  unit?: string;
}

/** A capacity-limited resource (land, water, a machine park); `capacity` is per period. */
export interface Resource {
  code: string;
  name: string;
  unit: string;
  capacity: number;
}

export interface InputCoefficient {
  product: string;
  /** Units of `product` consumed per unit of the technology's output. */
  perUnit: number;
}

export interface LabourCoefficient {
  skill: string;
  /** Labour of `skill` per unit of output. */
  perUnit: number;
}

export interface ResourceUse {
  resource: string;
  /** Units of the resource used per unit of output. */
  perUnit: number;
}

/** A production process. Several technologies may make the same product: the planner chooses. */
export interface Technology {
  code: string;
  name: string;
  /** Code of the product made. */
  product: string;
  /** Output per run (batch size); coefficients are always per unit of output. */
  outputPerRun: number;
  inputs: InputCoefficient[];
  labour: LabourCoefficient[];
  resources: ResourceUse[];
  /** Maximum output per period, if limited. */
  capacity?: number | null;
  /** Value added per unit of output, when the source table gives it (for multipliers). */
  valueAddedPerUnit?: number | null;
  /** Code of the holarchy unit that operates this technology, if assigned. */
  unit?: string | null;
}

/**
 * The last period a target or a plan may name: the planner's horizon limit, shared by the model's schema
 * (so that no stored target can ask for a plan the planner refuses) and by the planner itself.
 */
export const MAX_PERIOD = 100;

/** Net final demand wanted for `product` in `period` (periods count from 1). */
export interface DemandTarget {
  product: string;
  period: number;
  quantity: number;
}

export interface EconomyModel {
  name: string;
  /** Where the data came from (citation line). */
  source?: string | null;
  products: Product[];
  skills: Skill[];
  resources: Resource[];
  technologies: Technology[];
  targets: DemandTarget[];
}

/** What a technology consumes per unit of output: the part of it that an improvement changes. */
export type TechnologyCoefficients = Pick<Technology, 'inputs' | 'labour' | 'resources'>;

/** One dated version of a technology's coefficients; the current one has no `validTo`. */
export interface TechnologyVersion {
  technology: string;
  version: number;
  validFrom: Date;
  validTo: Date | null;
  coefficients: TechnologyCoefficients;
  reason: string;
  proposalId: string | null;
  /** The economy's version once this technology version was written. */
  economyVersion: number;
}

/** A unit that runs a technology, with its share of the technology's output (shares sum to at most 1). */
export interface TechnologyUser {
  unitId: string;
  share: number;
}

/** True when two sets of coefficients are the same, whatever the order of their entries. */
export function sameCoefficients(a: TechnologyCoefficients, b: TechnologyCoefficients): boolean {
  const key = (c: TechnologyCoefficients): string =>
    JSON.stringify([
      c.inputs.map((x) => [x.product, x.perUnit]).sort(),
      c.labour.map((x) => [x.skill, x.perUnit]).sort(),
      c.resources.map((x) => [x.resource, x.perUnit]).sort(),
    ]);
  return key(a) === key(b);
}
