// A planning round's problem: the economy's one-period minimum-labour plan, its technologies grouped by the unit
// that operates them. Prices are published for the rows that link units (products, shared skills and resources);
// a row that touches one unit only (a skill pool of its own) stays that unit's affair.
import { DomainError } from '../../core/errors';
import type { EconomyModel } from '../../economy/economy';
import type { BlockStructure } from '../../numeric/decomposition/block-structure';
import { splitIntoBlocks } from '../../numeric/decomposition/block-structure';
import { choosePolicy } from '../../numeric/technique-choice/policy-iteration';
import { techniquesByProduct, type TechniqueSet } from '../../numeric/technique-choice/technique-set';
import { compilePlanSpec } from '../formulation/compile-spec';
import type { CompiledPlan } from '../formulation/compiled-plan';
import { buildPlanLp } from '../formulation/plan-lp';
import type { PlanFormulation } from '../formulation/plan-index';

export interface PricedRow {
  kind: 'product' | 'skill' | 'resource';
  code: string;
}

export interface RoundProblem {
  plan: CompiledPlan;
  formulation: PlanFormulation;
  structure: BlockStructure;
  /** Unit codes, one per block, sorted. */
  units: string[];
  /** What each linking row is (same order as the prices). */
  priced: PricedRow[];
}

/** Builds the round problem of a model (period 1, minimum labour); refuses a technology without a unit. */
export function roundProblemOfCompiled(plan: CompiledPlan): RoundProblem {
  const formulation = buildPlanLp(plan);
  const units = [...new Set(plan.technologyUnits.map((u) => u ?? ''))].sort();
  const blockOf = Int32Array.from(plan.technologyUnits, (u) => units.indexOf(u ?? ''));
  const structure = splitIntoBlocks(formulation.lp, blockOf, units.length);
  const nP = plan.productCodes.length;
  const rowKind = new Map<number, PricedRow>();
  for (let p = 0; p < nP; p++) rowKind.set(p, { kind: 'product', code: plan.productCodes[p]! });
  formulation.index.skillRow.forEach((r, s) => {
    if (r >= 0) rowKind.set(r, { kind: 'skill', code: plan.skillCodes[s]! });
  });
  formulation.index.resourceRow.forEach((r, k) => {
    if (r >= 0) rowKind.set(r, { kind: 'resource', code: plan.resourceCodes[k]! });
  });
  const priced = Array.from(
    structure.linkingRows,
    (i) => rowKind.get(i) ?? { kind: 'product' as const, code: `row ${i}` },
  );
  return { plan, formulation, structure, units, priced };
}

export function roundProblem(model: EconomyModel): RoundProblem {
  const missing = model.technologies.findIndex((t) => !t.unit);
  if (missing >= 0)
    throw new DomainError(
      'invalid',
      `economyId: technology "${model.technologies[missing]!.code}" has no unit`,
      {
        issues: [
          {
            field: 'economyId',
            message: 'every technology of the economy must name the unit that operates it',
          },
        ],
        fix: 'assign each technology to a unit (the `unit` column of the economy file), then open the rounds',
      },
    );
  const onePeriod = { ...model, targets: model.targets.filter((t) => t.period === 1) };
  return roundProblemOfCompiled(compilePlanSpec({ economy: onePeriod, periods: 1, objective: 'min-labour' }));
}

/** The technologies (codes and positions) of one unit's block. */
export function unitTechnologies(
  problem: RoundProblem,
  unit: string,
): { codes: string[]; columns: Int32Array } {
  const b = problem.units.indexOf(unit);
  const columns = b >= 0 ? problem.structure.blocks[b]!.columns : new Int32Array(0);
  return { codes: Array.from(columns, (j) => problem.plan.technologyCodes[j]!), columns };
}

/**
 * The prices the office publishes before the first round: the labour value of every product with the
 * least-labour choice of technology (vₚ = min over p's technologies j of lⱼ + Σᵢ aᵢⱼ·vᵢ, weighted labour as the
 * objective counts it), and zero for shared skills and resources. Null when they cannot be computed (an
 * economy that is not productive); the rounds then start without a guess.
 */
export function labourValueGuess(problem: RoundProblem): Float64Array | null {
  const { plan, structure, formulation } = problem;
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const techProduct = Array.from(plan.techProduct.subarray(0, nT));
  const start = Array.from(plan.inputs.start.subarray(0, nT + 1));
  const cost = Array.from(formulation.lp.objective.subarray(0, nT));
  const has = new Uint8Array(nP);
  for (const p of techProduct) has[p] = 1;
  for (let p = 0; p < nP; p++)
    if (!has[p]) {
      techProduct.push(p);
      start.push(start.at(-1)!);
      cost.push(0);
    }
  const set: TechniqueSet = {
    products: nP,
    techProduct: Int32Array.from(techProduct),
    inputs: { start: Int32Array.from(start), index: plan.inputs.index, value: plan.inputs.value },
  };
  const out = choosePolicy(set, techniquesByProduct(set), Float64Array.from(cost));
  if (out.status !== 'optimal') return null;
  return Float64Array.from(structure.linkingRows, (i) => (i < nP ? out.values[i]! : 0));
}
