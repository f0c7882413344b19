// One call that returns every Leontief result computable from the data given, each with its own status.
import { matvec } from '../sparse/csr';
import { solveBalance } from './balance';
import { solveLabourValues } from './labour-values';
import type { IterativeOptions } from './leontief-system';
import type { Multipliers } from './multipliers';
import { maxDenseProducts, multipliers } from './multipliers';
import { directPrices, pricesOfProduction } from './prices-of-production';
import type { PricesOfProduction } from './prices-of-production';
import { dominantEigen } from './productivity';
import type { LeontiefFailure, Outcome } from './status';
import type { MatrixInput } from './validate';
import { isFailure, squareNonNegative, vectorOf } from './validate';

export interface EconomyInput {
  /** A[i][j]: input of product i per unit of product j. */
  A: MatrixInput;
  /** Direct labour per unit of each product. */
  l: ArrayLike<number>;
  /** Gross output (needed to normalise prices). */
  Q?: ArrayLike<number>;
  /** Depreciation coefficients. */
  D?: MatrixInput;
  /** Real wage bundle per hour of labour. */
  b?: ArrayLike<number>;
  /** Net final demand. */
  d?: ArrayLike<number>;
  /** Value added per unit of output. */
  valueAdded?: ArrayLike<number>;
  /** Employment per unit of output. */
  employment?: ArrayLike<number>;
  options?: IterativeOptions;
}

export interface EconomyAnalysis {
  /** ρ(A) for tables up to maxDenseProducts; larger ones are checked by the solvers as they go. */
  productivity?: {
    status: 'ok';
    eigenvalue: number;
    productive: boolean;
    iterations: number;
    seconds: number;
  };
  balance?: Outcome<{ x: Float64Array }>;
  multipliers?: Multipliers | LeontiefFailure;
  labourValues: Outcome<{ values: Float64Array }>;
  labourValuesWithDepreciation?: Outcome<{ values: Float64Array }>;
  pricesOfProduction?: Outcome<PricesOfProduction>;
  directPrices?: Outcome<{ prices: Float64Array }>;
}

/** Runs each computation the inputs allow; a failure in one (e.g. a bad D) leaves the others intact. */
export function analyzeEconomy(input: EconomyInput): EconomyAnalysis | LeontiefFailure {
  const A = squareNonNegative(input.A, 'A');
  if (isFailure(A)) return A;
  const n = A.rows;
  const options = input.options ?? {};
  const out: EconomyAnalysis = { labourValues: solveLabourValues(A, input.l, options) };
  if (n <= maxDenseProducts) {
    const started = performance.now();
    const eigen = dominantEigen(n, (x, y) => matvec(A, x, y));
    out.productivity = {
      status: 'ok',
      eigenvalue: eigen.eigenvalue,
      productive: eigen.upper < 1 || eigen.eigenvalue < 1 - 1e-12,
      iterations: eigen.iterations,
      seconds: (performance.now() - started) / 1000,
    };
    const coefficients: { valueAdded?: ArrayLike<number>; employment?: ArrayLike<number> } = {};
    if (input.valueAdded !== undefined) coefficients.valueAdded = input.valueAdded;
    if (input.employment !== undefined) coefficients.employment = input.employment;
    out.multipliers = multipliers(A, coefficients);
  }
  if (input.d !== undefined) out.balance = solveBalance(A, input.d, options);
  if (input.D !== undefined) {
    out.labourValuesWithDepreciation = solveLabourValues(A, input.l, { ...options, depreciation: input.D });
  }
  if (input.Q !== undefined) {
    if (input.b !== undefined) out.pricesOfProduction = pricesOfProduction(A, input.l, input.b, input.Q);
    out.directPrices = direct(out.labourValues, input.Q, n);
  }
  return out;
}

function direct(
  values: EconomyAnalysis['labourValues'],
  grossOutput: ArrayLike<number>,
  n: number,
): Outcome<{ prices: Float64Array }> {
  if (values.status !== 'ok') return values;
  const Q = vectorOf(grossOutput, n, 'Q', true);
  if (isFailure(Q)) return Q;
  const prices = directPrices(values.values, Q);
  if (!prices)
    return {
      status: 'invalid',
      field: 'Q',
      message: 'Q gives zero total value: no product with a value has output',
    };
  return {
    status: 'ok',
    prices,
    residual: values.residual,
    iterations: values.iterations,
    method: 'scaled labour values',
    seconds: values.seconds,
  };
}
