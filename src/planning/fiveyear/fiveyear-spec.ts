// Turns 5yearplan data into our own PlanSpec: one technology per product with coefficients from the
// base-year table, one capital stock per non-zero entry of cap.csv, and Σ-of-yearly-λ assortment.
import type { EconomyModel } from '../../economy/economy';
import type { PlanObjective, PlanSpec } from '../formulation/plan-spec';
import type { FiveYearData } from './fiveyear-files';

export const FIVEYEAR_LABOUR = 'labour';

/**
 * The same plan as the 5yearplan LP, in our general form: technology j makes product j with inputs
 * flows[i][j]/output[j] and labour labour[j]/output[j]; its output is bounded by every stock of kind i
 * it holds, K ≥ (cap[i][j]/output[j])·x; stocks depreciate at dep[i][j] and grow by investment with a
 * lag of one year. The 5yearplan LP's objective (the default, 'assortment') maximises Σ_y λ_y with net
 * output ≥ λ_y·target in every year; 'harmony' maximises Σ H over every product and year with a target
 * (the objective of the 5yearplan harmony planner); 'min-labour' meets every target with the least labour.
 */
export function fiveYearPlanSpec(
  d: FiveYearData,
  name = '5yearplan import',
  objective: PlanObjective = 'assortment',
): PlanSpec {
  const n = d.products.length;
  const economy: EconomyModel = {
    name,
    source: 'files in the format of the 5yearplan software (wc22m/5yearplan)',
    products: d.products.map((code) => ({
      code,
      name: code,
      unit: '',
      kind: 'means-of-production' as const,
    })),
    skills: [{ code: FIVEYEAR_LABOUR, name: 'labour', available: null }],
    resources: [],
    technologies: d.products.map((code, j) => ({
      code,
      name: `production of ${code}`,
      product: code,
      outputPerRun: 1,
      inputs: d.products.flatMap((input, i) =>
        d.flows[i]![j]! > 0 ? [{ product: input, perUnit: d.flows[i]![j]! / d.output[j]! }] : [],
      ),
      labour: d.labour[j]! > 0 ? [{ skill: FIVEYEAR_LABOUR, perUnit: d.labour[j]! / d.output[j]! }] : [],
      resources: [],
    })),
    targets: d.targets.flatMap((row, y) =>
      row.flatMap((quantity, j) =>
        quantity > 0 ? [{ product: d.products[j]!, period: y + 1, quantity }] : [],
      ),
    ),
  };
  const capital: PlanSpec['capital'] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const stock = d.capital[i]![j]!;
      if (stock > 0) {
        capital.push({
          product: d.products[i]!,
          technology: d.products[j]!,
          perUnit: stock / d.output[j]!,
          initial: stock,
          depreciation: d.depreciation[i]![j]!,
          lag: 1,
        });
      }
    }
  }
  return {
    economy,
    periods: d.targets.length,
    objective,
    assortment: { perPeriod: true },
    skillsAvailable: d.labourSupply.map((available, y) => ({
      skill: FIVEYEAR_LABOUR,
      period: y + 1,
      available,
    })),
    capital,
  };
}
