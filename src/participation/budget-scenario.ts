// From a budget's chosen projects to plan targets, and from an infeasible plan back to the projects that
// cannot be met together. Pure.
import type { EconomyModel } from '../economy/economy';
import { checkAnalysisSize } from '../economy/analysis-limits';
import { choosePolicy } from '../numeric/technique-choice/policy-iteration';
import { techniquesByProduct, type TechniqueSet } from '../numeric/technique-choice/technique-set';
import { DomainError } from '../core/errors';
import type { BudgetProject, ScenarioTarget } from './budget';

/**
 * Labour value of every product (hours per unit), with the technology the plan would use: vₚ = min over the
 * technologies j of p of lⱼ + Σᵢ aᵢⱼ·vᵢ, over the economy's current technology versions (the model holds the
 * active coefficients of each technology). By the non-substitution theorem one choice of technology is the
 * least-labour one for every final demand, so this is what a project costs in the least-labour plan. A task
 * of the compute pool (`budget.labour-values`), within the analysis size limits.
 */
export function labourValuesTask(model: EconomyModel): Record<string, number> {
  checkAnalysisSize(model);
  return Object.fromEntries(labourValues(model));
}

export function labourValues(model: EconomyModel): Map<string, number> {
  const products = model.products.map((p) => p.code);
  const index = new Map(products.map((c, i) => [c, i]));
  const techProduct: number[] = [];
  const cost: number[] = [];
  const start: number[] = [0];
  const inputIndex: number[] = [];
  const inputValue: number[] = [];
  const has = new Uint8Array(products.length);
  for (const t of model.technologies) {
    const p = index.get(t.product);
    if (p === undefined) continue;
    has[p] = 1;
    techProduct.push(p);
    cost.push(t.labour.reduce((s, c) => s + c.perUnit, 0));
    for (const input of t.inputs) {
      const i = index.get(input.product);
      if (i !== undefined && input.perUnit !== 0) {
        inputIndex.push(i);
        inputValue.push(input.perUnit);
      }
    }
    start.push(inputIndex.length);
  }
  // A product without a technology costs nothing (it cannot be made; planning it is refused elsewhere).
  products.forEach((_, p) => {
    if (has[p]) return;
    techProduct.push(p);
    cost.push(0);
    start.push(inputIndex.length);
  });
  const set: TechniqueSet = {
    products: products.length,
    techProduct: Int32Array.from(techProduct),
    inputs: {
      start: Int32Array.from(start),
      index: Int32Array.from(inputIndex),
      value: Float64Array.from(inputValue),
    },
  };
  const out = choosePolicy(set, techniquesByProduct(set), Float64Array.from(cost));
  if (out.status !== 'optimal') {
    throw new DomainError(
      'not-productive',
      `the economy's labour values cannot be computed (${out.status})`,
      {
        fix: 'check the economy with economy.analyze: its technologies must be productive to price projects',
      },
    );
  }
  return new Map(products.map((p, i) => [p, out.values[i] ?? 0]));
}

/**
 * The targets of the chosen projects in the budget's period: the economy's own target for each product plus
 * the projects' quantities, each with the projects it came from.
 */
export function scenarioTargets(
  model: EconomyModel,
  chosen: BudgetProject[],
  period: number,
): ScenarioTarget[] {
  const byProduct = new Map<string, ScenarioTarget>();
  for (const p of chosen) {
    for (const it of p.items) {
      let t = byProduct.get(it.product);
      if (!t) {
        const base =
          model.targets.find((d) => d.product === it.product && d.period === period)?.quantity ?? 0;
        t = { product: it.product, period, base, total: base, projects: [] };
        byProduct.set(it.product, t);
      }
      t.total += it.quantity;
      t.projects.push({ id: p.id, name: p.name, quantity: it.quantity });
    }
  }
  return [...byProduct.values()].sort((a, b) => (a.product < b.product ? -1 : 1));
}

interface Relaxation {
  kind: string;
  code: string;
  description: string;
}

/**
 * The chosen projects an infeasible plan cannot meet together: those whose products need, directly or
 * through the inputs of their technologies, a limit the explanation says must rise (a skill, a resource, a
 * technology's capacity) or a target that cannot be met at all.
 */
export function projectsInConflict(
  model: EconomyModel,
  chosen: BudgetProject[],
  relaxations: Relaxation[],
): { projects: { id: string; name: string }[]; limits: string[] } {
  const techsOf = new Map<string, EconomyModel['technologies']>();
  for (const t of model.technologies) techsOf.set(t.product, [...(techsOf.get(t.product) ?? []), t]);
  const needs = (product: string): Set<string> => {
    const seen = new Set<string>();
    const limits = new Set<string>();
    const stack = [product];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      limits.add(`target:${p}`);
      for (const t of techsOf.get(p) ?? []) {
        limits.add(`capacity:${t.code}`);
        for (const l of t.labour) limits.add(`skill:${l.skill}`);
        for (const r of t.resources) limits.add(`resource:${r.resource}`);
        for (const i of t.inputs) stack.push(i.product);
      }
    }
    return limits;
  };
  const short = relaxations.map((r) => `${r.kind}:${r.code}`);
  const projects = chosen.filter((p) => {
    const limits = new Set<string>();
    for (const it of p.items) for (const l of needs(it.product)) limits.add(l);
    return short.some((s) => limits.has(s));
  });
  return {
    projects: projects.map((p) => ({ id: p.id, name: p.name })),
    limits: relaxations.map((r) => r.description),
  };
}
