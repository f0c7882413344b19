// Compiles a PlanSpec (codes, objects) into a CompiledPlan (indices, typed arrays), checking every reference.
import { DomainError } from '../../core/errors';
import type { FieldIssue } from '../../core/errors';
import type { CompiledPlan, TechnologyRows } from './compiled-plan';
import { checkPlanBounded } from './plan-bounded';
import { checkPlanSize } from './plan-limits';
import type { PlanSpec } from './plan-spec';

const DEFAULT_HARMONY_ERROR = 1e-3;
const DEFAULT_MAX_SURPLUS = 4;

function indexOf(codes: { code: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  codes.forEach((c, i) => m.set(c.code, i));
  return m;
}

const validNumber = (v: number) => Number.isFinite(v) && v >= 0;

/** Builds period-major limits: defaults first, then overrides for one period or all. */
function perPeriod(
  count: number,
  periods: number,
  base: (i: number) => number,
  overrides: { key: string; period?: number; value: number; field: string }[],
  lookup: Map<string, number>,
  issues: FieldIssue[],
): Float64Array {
  const out = new Float64Array(count * periods);
  for (let t = 0; t < periods; t++) for (let i = 0; i < count; i++) out[t * count + i] = base(i);
  for (const o of overrides) {
    const i = lookup.get(o.key);
    if (i === undefined) {
      issues.push({ field: o.field, message: `"${o.key}" is not in the economy` });
      continue;
    }
    if (!validNumber(o.value))
      issues.push({ field: o.field, message: `must be a non-negative number, got ${o.value}` });
    if (o.period !== undefined && !(Number.isInteger(o.period) && o.period >= 1 && o.period <= periods)) {
      issues.push({ field: o.field, message: `period ${o.period} is outside 1..${periods}` });
      continue;
    }
    for (let t = 0; t < periods; t++)
      if (o.period === undefined || o.period === t + 1) out[t * count + i] = o.value;
  }
  return out;
}

function rows<T>(
  techs: T[],
  entries: (t: T) => { key: string; perUnit: number }[],
  lookup: Map<string, number>,
  field: (j: number, k: number) => string,
  issues: FieldIssue[],
): TechnologyRows {
  let total = 0;
  for (const t of techs) total += entries(t).length;
  const start = new Int32Array(techs.length + 1);
  const index = new Int32Array(total);
  const value = new Float64Array(total);
  let e = 0;
  techs.forEach((t, j) => {
    entries(t).forEach((c, k) => {
      const i = lookup.get(c.key);
      if (i === undefined) issues.push({ field: field(j, k), message: `"${c.key}" is not in the economy` });
      if (!validNumber(c.perUnit))
        issues.push({ field: field(j, k), message: `must be a non-negative number, got ${c.perUnit}` });
      index[e] = i ?? 0;
      value[e] = c.perUnit;
      e++;
    });
    start[j + 1] = e;
  });
  return { start, index, value };
}

/** Compiles a plan specification; throws DomainError('invalid') listing every bad field. */
export function compilePlanSpec(spec: PlanSpec): CompiledPlan {
  const { economy, periods } = spec;
  checkPlanSize(spec);
  const issues: FieldIssue[] = [];
  if (!(Number.isInteger(periods) && periods >= 1))
    issues.push({ field: 'periods', message: `must be an integer ≥ 1, got ${periods}` });
  const P = Number.isInteger(periods) && periods >= 1 ? periods : 1;
  const products = indexOf(economy.products);
  const skills = indexOf(economy.skills);
  const resources = indexOf(economy.resources);
  const techs = indexOf(economy.technologies);
  const nP = economy.products.length;

  const techProduct = new Int32Array(economy.technologies.length);
  economy.technologies.forEach((t, j) => {
    const p = products.get(t.product);
    if (p === undefined)
      issues.push({
        field: `technologies[${j}].product`,
        message: `"${t.product}" is not a product of the economy`,
      });
    techProduct[j] = p ?? 0;
  });
  const inputs = rows(
    economy.technologies,
    (t) => t.inputs.map((c) => ({ key: c.product, perUnit: c.perUnit })),
    products,
    (j, k) => `technologies[${j}].inputs[${k}]`,
    issues,
  );
  const labour = rows(
    economy.technologies,
    (t) => t.labour.map((c) => ({ key: c.skill, perUnit: c.perUnit })),
    skills,
    (j, k) => `technologies[${j}].labour[${k}]`,
    issues,
  );
  const resUse = rows(
    economy.technologies,
    (t) => t.resources.map((c) => ({ key: c.resource, perUnit: c.perUnit })),
    resources,
    (j, k) => `technologies[${j}].resources[${k}]`,
    issues,
  );

  const skillAvailable = perPeriod(
    economy.skills.length,
    P,
    (i) => economy.skills[i]!.available ?? Infinity,
    (spec.skillsAvailable ?? []).map((l, k) => ({
      key: l.skill,
      period: l.period,
      value: l.available,
      field: `skillsAvailable[${k}]`,
    })),
    skills,
    issues,
  );
  const resourceCapacity = perPeriod(
    economy.resources.length,
    P,
    (i) => economy.resources[i]!.capacity,
    (spec.resourceCapacities ?? []).map((l, k) => ({
      key: l.resource,
      period: l.period,
      value: l.capacity,
      field: `resourceCapacities[${k}]`,
    })),
    resources,
    issues,
  );
  const techCapacity = perPeriod(
    economy.technologies.length,
    P,
    (j) => economy.technologies[j]!.capacity ?? Infinity,
    (spec.technologyCapacities ?? []).map((l, k) => ({
      key: l.technology,
      period: l.period,
      value: l.capacity,
      field: `technologyCapacities[${k}]`,
    })),
    techs,
    issues,
  );

  const targets = new Float64Array(nP * P);
  economy.targets.forEach((d, k) => {
    const p = products.get(d.product);
    const field = `economy.targets[${k}]`;
    if (p === undefined) issues.push({ field, message: `"${d.product}" is not a product of the economy` });
    else if (!(Number.isInteger(d.period) && d.period >= 1))
      issues.push({ field, message: `period must be an integer ≥ 1, got ${d.period}` });
    else if (!validNumber(d.quantity))
      issues.push({ field, message: `quantity must be a non-negative number, got ${d.quantity}` });
    else if (d.period <= P) targets[(d.period - 1) * nP + p]! += d.quantity;
  });

  const labourWeight = new Float64Array(economy.skills.length).fill(1);
  (spec.labourWeights ?? []).forEach((w, k) => {
    const s = skills.get(w.skill);
    if (s === undefined)
      issues.push({ field: `labourWeights[${k}]`, message: `"${w.skill}" is not a skill of the economy` });
    else if (!validNumber(w.weight))
      issues.push({
        field: `labourWeights[${k}]`,
        message: `must be a non-negative number, got ${w.weight}`,
      });
    else labourWeight[s] = w.weight;
  });

  const capital = spec.capital ?? [];
  const stocks = {
    product: new Int32Array(capital.length),
    technology: new Int32Array(capital.length),
    perUnit: new Float64Array(capital.length),
    initial: new Float64Array(capital.length),
    depreciation: new Float64Array(capital.length),
    lag: new Int32Array(capital.length),
  };
  capital.forEach((c, k) => {
    const field = `capital[${k}]`;
    const p = products.get(c.product);
    const j = techs.get(c.technology);
    if (p === undefined)
      issues.push({ field: `${field}.product`, message: `"${c.product}" is not a product of the economy` });
    if (j === undefined)
      issues.push({
        field: `${field}.technology`,
        message: `"${c.technology}" is not a technology of the economy`,
      });
    if (!(validNumber(c.perUnit) && c.perUnit > 0))
      issues.push({ field: `${field}.perUnit`, message: `must be a positive number, got ${c.perUnit}` });
    if (!validNumber(c.initial))
      issues.push({ field: `${field}.initial`, message: `must be a non-negative number, got ${c.initial}` });
    if (!(c.depreciation >= 0 && c.depreciation <= 1))
      issues.push({ field: `${field}.depreciation`, message: `must lie in [0, 1], got ${c.depreciation}` });
    const lag = c.lag ?? 1;
    if (!(Number.isInteger(lag) && lag >= 1))
      issues.push({ field: `${field}.lag`, message: `must be an integer ≥ 1, got ${lag}` });
    stocks.product[k] = p ?? 0;
    stocks.technology[k] = j ?? 0;
    stocks.perUnit[k] = c.perUnit;
    stocks.initial[k] = c.initial;
    stocks.depreciation[k] = c.depreciation;
    stocks.lag[k] = lag;
  });

  const maxError = spec.harmony?.maxError ?? DEFAULT_HARMONY_ERROR;
  const maxSurplus = spec.harmony?.maxSurplus ?? DEFAULT_MAX_SURPLUS;
  if (!(maxError > 0))
    issues.push({ field: 'harmony.maxError', message: `must be positive, got ${maxError}` });
  if (!(maxSurplus > 0))
    issues.push({ field: 'harmony.maxSurplus', message: `must be positive, got ${maxSurplus}` });
  const harmonyWeight = new Float64Array(economy.products.length).fill(1);
  const productIndex = indexOf(economy.products);
  (spec.harmony?.weights ?? []).forEach((w, k) => {
    const p = productIndex.get(w.product);
    if (p === undefined)
      issues.push({
        field: `harmony.weights[${k}].product`,
        message: `"${w.product}" is not a product of the economy`,
      });
    else if (!validNumber(w.weight))
      issues.push({
        field: `harmony.weights[${k}].weight`,
        message: `must be a non-negative number, got ${w.weight}`,
      });
    else harmonyWeight[p] = w.weight;
  });

  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `plan specification has ${issues.length} problem(s): ${issues[0]!.field}: ${issues[0]!.message}`,
      {
        issues,
        fix: 'correct the listed fields so that every code names an existing product, skill, resource or technology',
      },
    );
  }
  const compiled: CompiledPlan = {
    periods: P,
    objective: spec.objective,
    productCodes: economy.products.map((p) => p.code),
    productUnits: economy.products.map((p) => p.unit),
    skillCodes: economy.skills.map((s) => s.code),
    skillUnits: economy.skills.map((s) => s.unit ?? 'h'),
    resourceCodes: economy.resources.map((r) => r.code),
    resourceUnits: economy.resources.map((r) => r.unit),
    technologyCodes: economy.technologies.map((t) => t.code),
    technologyUnits: economy.technologies.map((t) => t.unit ?? null),
    techProduct,
    inputs,
    labour,
    resources: resUse,
    labourWeight,
    skillAvailable,
    resourceCapacity,
    techCapacity,
    targets,
    stocks,
    assortmentPerPeriod: spec.assortment?.perPeriod ?? false,
    harmonyMaxError: maxError,
    harmonyMaxSurplus: maxSurplus,
    harmonyWeight,
  };
  checkPlanBounded(compiled);
  return compiled;
}
