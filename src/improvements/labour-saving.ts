// The labour an improvement saves: total labour to meet a final demand with one technology's old and new
// coefficients, from the labour values v = l (I − A)⁻¹ (total labour = v · d). Pure: models in, numbers out.
import { DomainError } from '../core/errors';
import type { EconomyModel, TechnologyCoefficients } from '../economy/economy';
import { solveLabourValues } from '../numeric/leontief/labour-values';
import { checkProductive } from '../numeric/leontief/leontief-system';
import { fromTriplets, type CsrMatrix } from '../numeric/sparse/csr';

export interface LabourSaving {
  /** Hours to meet the demand with the old coefficients. */
  before: number;
  /** Hours with the new coefficients. */
  after: number;
  /** before − after (negative when the change costs labour). */
  saved: number;
}

/**
 * A and l with one technique per product: `technology` (with `coefficients`) for its product, the first
 * technology of every other product, as the input–output analysis takes it (economy-matrices.ts).
 */
export function techniqueMatrices(
  model: EconomyModel,
  technology: string,
  coefficients: TechnologyCoefficients,
): { products: string[]; A: CsrMatrix; l: Float64Array } {
  const products = model.products.map((p) => p.code);
  const index = new Map(products.map((c, i) => [c, i]));
  const chosen = model.technologies.find((t) => t.code === technology);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const l = new Float64Array(products.length);
  for (const [j, code] of products.entries()) {
    const tech =
      chosen && chosen.product === code
        ? { ...chosen, ...coefficients }
        : model.technologies.find((t) => t.product === code);
    if (!tech) continue;
    for (const input of tech.inputs) {
      const i = index.get(input.product);
      if (i === undefined || input.perUnit === 0) continue;
      rows.push(i);
      cols.push(j);
      values.push(input.perUnit);
    }
    l[j] = tech.labour.reduce((s, c) => s + c.perUnit, 0);
  }
  return { products, A: fromTriplets(products.length, products.length, rows, cols, values), l };
}

/** Refuses coefficients under which the economy cannot produce a surplus, naming the eigenvalue. */
export function assertProductive(A: CsrMatrix, field: string): void {
  const failure = checkProductive(A);
  if (!failure || failure.status !== 'not-productive') return;
  throw new DomainError('not-productive', `${field}: ${failure.message}`, {
    issues: [{ field, message: `the dominant eigenvalue of A would be ${failure.eigenvalueEstimate}` }],
    data: { eigenvalueEstimate: failure.eigenvalueEstimate },
    fix: 'lower the input coefficients: the dominant eigenvalue of A must stay below 1',
  });
}

/** Total labour v · d to deliver `demand` (one quantity per product of the model). */
export function totalLabour(
  model: EconomyModel,
  technology: string,
  coefficients: TechnologyCoefficients,
  demand: ArrayLike<number>,
  field = 'changes',
): number {
  const { A, l } = techniqueMatrices(model, technology, coefficients);
  assertProductive(A, field);
  const solved = solveLabourValues(A, l);
  if (solved.status !== 'ok') {
    throw new DomainError(
      solved.status === 'not-productive' ? 'not-productive' : 'singular',
      `${field}: ${solved.message}`,
      {
        ...(solved.status === 'not-productive'
          ? { data: { eigenvalueEstimate: solved.eigenvalueEstimate } }
          : {}),
        fix: 'check the coefficients (inputs per unit of output)',
      },
    );
  }
  let total = 0;
  for (let i = 0; i < solved.values.length; i++) total += (solved.values[i] ?? 0) * (demand[i] ?? 0);
  return total;
}

/** The change in total labour when `technology` goes from `before` to `after` coefficients. */
export function labourSaving(
  model: EconomyModel,
  technology: string,
  before: TechnologyCoefficients,
  after: TechnologyCoefficients,
  demand: ArrayLike<number>,
): LabourSaving {
  const b = totalLabour(model, technology, before, demand, 'technology');
  const a = totalLabour(model, technology, after, demand, 'changes');
  return { before: b, after: a, saved: b - a };
}

/** The first period's targets of the model, one quantity per product (the demand when no plan exists). */
export function targetDemand(model: EconomyModel): number[] {
  const index = new Map(model.products.map((p, i) => [p.code, i]));
  const first = model.targets.reduce((m, t) => Math.min(m, t.period), Infinity);
  const d = new Array<number>(model.products.length).fill(0);
  for (const t of model.targets) {
    const i = index.get(t.product);
    if (t.period === first && i !== undefined) d[i] = t.quantity;
  }
  return d;
}
