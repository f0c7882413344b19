// From a budget's chosen projects to plan targets, and from an infeasible plan back to the projects that
// cannot be met together. Pure.
import type { EconomyModel } from '../economy/economy';
import { economyMatrices } from '../economy/economy-matrices';
import { checkAnalysisSize } from '../economy/analysis-limits';
import { solveLabourValues } from '../numeric/leontief/labour-values';
import { DomainError } from '../core/errors';
import type { BudgetProject, ScenarioTarget } from './budget';

/**
 * Labour value of every product (hours per unit): v = v·A + l over the economy's first technologies. A task
 * of the compute pool (`budget.labour-values`), within the analysis size limits.
 */
export function labourValuesTask(model: EconomyModel): Record<string, number> {
  checkAnalysisSize(model);
  return Object.fromEntries(labourValues(model));
}

export function labourValues(model: EconomyModel): Map<string, number> {
  const m = economyMatrices(model);
  const out = solveLabourValues(m.A, m.l);
  if (out.status !== 'ok') {
    throw new DomainError(
      'not-productive',
      `the economy's labour values cannot be computed (${out.status})`,
      {
        fix: 'check the economy with economy.analyze: its technologies must be productive to price projects',
      },
    );
  }
  return new Map(m.products.map((p, i) => [p, out.values[i] ?? 0]));
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
