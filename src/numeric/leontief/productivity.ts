// Dominant (Perron–Frobenius) eigenvalue of a non-negative matrix, bracketed by Collatz–Wielandt bounds.

export interface DominantEigen {
  /** Best estimate of the spectral radius ρ. */
  eigenvalue: number;
  /** Proven bounds: lower ≤ ρ ≤ upper (lower may stay loose for reducible matrices). */
  lower: number;
  upper: number;
  /** The matching non-negative eigenvector estimate, scaled to max 1. */
  vector: Float64Array;
  iterations: number;
  converged: boolean;
}

export interface EigenOptions {
  tolerance?: number;
  maxIterations?: number;
  /** Stop as soon as the bounds put ρ on one side of this threshold (e.g. 1 for productivity). */
  decideAgainst?: number;
}

/**
 * Power iteration on M + I from the all-ones vector. The shift keeps every iterate strictly positive, so for
 * y = M x the ratios min y_i/x_i and max y_i/x_i bound ρ(M) (Collatz–Wielandt) at every step, and it makes
 * M + I primitive when M is irreducible, so the iteration converges even for periodic structures.
 * `apply(x, y)` must set y = M x.
 */
export function dominantEigen(
  n: number,
  apply: (x: Float64Array, y: Float64Array) => void,
  options: EigenOptions = {},
): DominantEigen {
  const tolerance = options.tolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 20_000;
  let x = new Float64Array(n).fill(1);
  let y = new Float64Array(n);
  let lower = 0;
  let upper = Infinity;
  let estimate = 0;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    apply(x, y);
    let lo = Infinity;
    let hi = 0;
    let top = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! / x[i]!;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
      const shifted = y[i]! + x[i]!;
      y[i] = shifted;
      if (shifted > top) top = shifted;
    }
    // x is scaled to max 1, so the growth of the shifted iterate's max norm tends to ρ + 1.
    estimate = top - 1;
    lower = Math.max(lower, lo);
    upper = Math.min(upper, hi);
    for (let i = 0; i < n; i++) y[i] = y[i]! / top;
    [x, y] = [y, x];
    if (upper - lower <= tolerance * Math.max(upper, 1e-300)) {
      converged = true;
      break;
    }
    const t = options.decideAgainst;
    if (t !== undefined && (upper < t || lower >= t)) break;
  }
  const eigenvalue = converged ? (lower + upper) / 2 : Math.min(Math.max(estimate, lower), upper);
  return { eigenvalue, lower, upper, vector: x, iterations, converged };
}
