// The economy as the square matrices of input–output analysis: one technology per product.
import type { EconomyModel } from './economy';
import type { ObservedData, RawMatrices } from './import/import-result';

export interface AnalysisMatrices {
  products: string[];
  A: number[][];
  l: number[];
  Q?: number[];
  D?: number[][];
  b?: number[];
  d: number[];
  valueAdded?: number[];
  employment?: number[];
  warnings: string[];
}

/**
 * A[i][j] is the input of product i per unit of product j, l the direct labour over all skills, d the
 * targets of the first period. A product with several technologies is represented by the first one,
 * since I–O analysis has one technique per product (the optimal plan chooses among them); a product
 * with none gets a zero column, with a warning.
 */
export function economyMatrices(
  model: EconomyModel,
  observed?: ObservedData,
  raw?: RawMatrices,
): AnalysisMatrices {
  const products = model.products.map((p) => p.code);
  const index = new Map(products.map((c, i) => [c, i]));
  const n = products.length;
  const warnings: string[] = [];
  if (raw) {
    const firstPeriod = Math.min(...model.targets.map((t) => t.period), 1);
    const d = new Array<number>(n).fill(0);
    for (const t of model.targets) if (t.period === firstPeriod) d[index.get(t.product) ?? 0] = t.quantity;
    return {
      products,
      A: raw.A,
      l: raw.l,
      Q: raw.Q,
      ...(raw.D ? { D: raw.D } : {}),
      ...(raw.b ? { b: raw.b } : {}),
      d,
      warnings,
    };
  }
  const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const l = new Array<number>(n).fill(0);
  const va = new Array<number>(n).fill(0);
  const emp = new Array<number>(n).fill(0);
  let hasVa = false;
  let hasEmp = false;
  for (const [j, code] of products.entries()) {
    const techs = model.technologies.filter((t) => t.product === code);
    const tech = techs[0];
    if (!tech) {
      warnings.push(`product '${code}' has no technology: its column is zero`);
      continue;
    }
    if (techs.length > 1)
      warnings.push(`product '${code}' has ${techs.length} technologies; analysis uses '${tech.code}'`);
    for (const input of tech.inputs) {
      const i = index.get(input.product);
      if (i !== undefined) (A[i] as number[])[j] = input.perUnit;
    }
    l[j] = tech.labour.reduce((s, c) => s + c.perUnit, 0);
    const e = tech.labour.find((c) => c.skill === 'employment');
    if (e) {
      emp[j] = e.perUnit;
      hasEmp = true;
    }
    if (tech.valueAddedPerUnit !== null && tech.valueAddedPerUnit !== undefined) {
      va[j] = tech.valueAddedPerUnit;
      hasVa = true;
    }
  }
  const periods = model.targets.map((t) => t.period);
  const first = periods.length > 0 ? Math.min(...periods) : 1;
  const d = new Array<number>(n).fill(0);
  for (const t of model.targets) {
    const i = index.get(t.product);
    if (t.period === first && i !== undefined) d[i] = t.quantity;
  }
  return {
    products,
    A,
    l,
    ...(observed ? { Q: observed.grossOutput } : {}),
    d,
    ...(hasVa ? { valueAdded: va } : {}),
    ...(hasEmp ? { employment: emp } : {}),
    warnings,
  };
}
