// Prices of production with a uniform profit rate (Standard Interpretation): p = (1 + r) p (A + b l).
import { vecmat } from '../sparse/csr';
import { dominantEigen } from './productivity';
import type { Outcome } from './status';
import type { MatrixInput } from './validate';
import { isFailure, squareNonNegative, vectorOf } from './validate';

export interface PricesOfProduction {
  /** Uniform profit rate r = 1/λ − 1, λ the dominant eigenvalue of A + b l. */
  profitRate: number;
  eigenvalue: number;
  /** Left Perron eigenvector, scaled so that p·Q = Σ Q (total gross output at market prices, all prices 1). */
  prices: Float64Array;
}

/**
 * b is the real wage bundle per hour of labour (a column), l the direct labour row, Q gross output.
 * residual is ‖p − (1 + r) p M‖₂ / ‖p‖₂.
 */
export function pricesOfProduction(
  a: MatrixInput,
  labour: ArrayLike<number>,
  wageBundle: ArrayLike<number>,
  grossOutput: ArrayLike<number>,
): Outcome<PricesOfProduction> {
  const started = performance.now();
  const A = squareNonNegative(a, 'A');
  if (isFailure(A)) return A;
  const n = A.rows;
  const l = vectorOf(labour, n, 'l', true);
  if (isFailure(l)) return l;
  const b = vectorOf(wageBundle, n, 'b', true);
  if (isFailure(b)) return b;
  const Q = vectorOf(grossOutput, n, 'Q', true);
  if (isFailure(Q)) return Q;
  // y = Mᵀ x = Aᵀ x + lᵀ (b·x): the rank-one wage term never becomes a dense matrix.
  const applyTransposed = (x: Float64Array, y: Float64Array): void => {
    vecmat(A, x, y);
    let bx = 0;
    for (let i = 0; i < n; i++) bx += b[i]! * x[i]!;
    for (let j = 0; j < n; j++) y[j] = y[j]! + l[j]! * bx;
  };
  const eigen = dominantEigen(n, applyTransposed);
  const lambda = eigen.eigenvalue;
  if (!(lambda < 1)) {
    return {
      status: 'not-productive',
      eigenvalueEstimate: lambda,
      message: `A + b l has dominant eigenvalue ${lambda.toPrecision(6)} ≥ 1: after paying the real wage there is no surplus, so no positive profit rate`,
    };
  }
  if (!(lambda > 0)) {
    return {
      status: 'singular',
      message: 'A + b l is nilpotent (dominant eigenvalue 0): the profit rate is unbounded',
    };
  }
  const p = eigen.vector;
  let pq = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    pq += p[i]! * Q[i]!;
    total += Q[i]!;
  }
  if (!(pq > 0))
    return {
      status: 'invalid',
      field: 'Q',
      message: 'Q gives zero total price: no product with a price has output',
    };
  const prices = new Float64Array(n);
  for (let i = 0; i < n; i++) prices[i] = (p[i]! * total) / pq;
  const pm = new Float64Array(n);
  applyTransposed(prices, pm);
  let r2 = 0;
  let p2 = 0;
  for (let i = 0; i < n; i++) {
    r2 += (prices[i]! - pm[i]! / lambda) ** 2;
    p2 += prices[i]! ** 2;
  }
  return {
    status: 'ok',
    profitRate: 1 / lambda - 1,
    eigenvalue: lambda,
    prices,
    residual: Math.sqrt(r2 / p2),
    iterations: eigen.iterations,
    method: 'power-iteration',
    seconds: (performance.now() - started) / 1000,
  };
}

/** Labour values scaled like prices of production: v · Q = Σ Q. */
export function directPrices(values: Float64Array, grossOutput: ArrayLike<number>): Float64Array | undefined {
  let vq = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    vq += values[i]! * grossOutput[i]!;
    total += grossOutput[i]!;
  }
  if (!(vq > 0)) return undefined;
  return values.map((v) => (v * total) / vq);
}
