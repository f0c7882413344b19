// The Leontief inverse L = (I − A)⁻¹ and multipliers (coefficient row × L) for tables small enough to factor.
import { luFactor, luSolve, luSolveTransposed } from './dense-lu';
import { checkProductive, identityMinus } from './leontief-system';
import type { LeontiefFailure } from './status';
import type { MatrixInput } from './validate';
import { isFailure, squareNonNegative, vectorOf } from './validate';

/** Above this many products a dense inverse costs too much time and memory; use the iterative solvers. */
export const maxDenseProducts = 2000;

export interface Multipliers {
  status: 'ok';
  /** Column sums of L: gross output in the whole economy per unit of final demand for each product. */
  output: Float64Array;
  /** Value added per unit of final demand (value-added coefficient row × L), when coefficients were given. */
  valueAdded?: Float64Array;
  /** Employment per unit of final demand (employment coefficient row × L), when coefficients were given. */
  employment?: Float64Array;
  seconds: number;
}

/** L = (I − A)⁻¹ as dense rows, for small productive tables. */
export function leontiefInverse(a: MatrixInput): { status: 'ok'; inverse: number[][] } | LeontiefFailure {
  const A = squareNonNegative(a, 'A');
  if (isFailure(A)) return A;
  const n = A.rows;
  if (n > maxDenseProducts) return tooLarge(n);
  const productive = checkProductive(A);
  if (productive) return productive;
  const f = luFactor(identityMinus(A), n);
  if (f.status === 'singular')
    return { status: 'singular', message: `I − A has no usable pivot in column ${f.column}` };
  const columns: Float64Array[] = [];
  const unit = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    columns.push(luSolve(f.factors, unit));
  }
  const inverse: number[][] = [];
  for (let i = 0; i < n; i++) inverse.push(columns.map((c) => c[i]!));
  return { status: 'ok', inverse };
}

/**
 * Output multipliers (column sums of L) and, for each coefficient row given (per unit of output), the
 * multiplier row c L, computed as the solution of (I − A)ᵀ yᵀ = cᵀ without forming L.
 */
export function multipliers(
  a: MatrixInput,
  coefficients: { valueAdded?: ArrayLike<number>; employment?: ArrayLike<number> } = {},
): Multipliers | LeontiefFailure {
  const started = performance.now();
  const A = squareNonNegative(a, 'A');
  if (isFailure(A)) return A;
  const n = A.rows;
  if (n > maxDenseProducts) return tooLarge(n);
  const va =
    coefficients.valueAdded === undefined ? undefined : vectorOf(coefficients.valueAdded, n, 'valueAdded');
  if (isFailure(va)) return va;
  const emp =
    coefficients.employment === undefined ? undefined : vectorOf(coefficients.employment, n, 'employment');
  if (isFailure(emp)) return emp;
  const productive = checkProductive(A);
  if (productive) return productive;
  const f = luFactor(identityMinus(A), n);
  if (f.status === 'singular')
    return { status: 'singular', message: `I − A has no usable pivot in column ${f.column}` };
  const output = luSolveTransposed(f.factors, new Float64Array(n).fill(1));
  const result: Multipliers = { status: 'ok', output, seconds: 0 };
  if (va) result.valueAdded = luSolveTransposed(f.factors, va);
  if (emp) result.employment = luSolveTransposed(f.factors, emp);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function tooLarge(n: number): LeontiefFailure {
  return {
    status: 'invalid',
    field: 'A',
    message: `${n} products is more than the ${maxDenseProducts} a dense Leontief inverse allows; use solveBalance or solveLabourValues`,
  };
}
