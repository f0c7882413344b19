// The Student-t law with location and scale: the predictive law of a Normal model with unknown variance.
import { logGamma, regularizedIncompleteBeta } from './special-functions';

/** A Student-t law: `df` degrees of freedom, location `loc`, squared scale `scale2` (variance × (df−2)/df). */
export interface StudentT {
  df: number;
  loc: number;
  scale2: number;
}

/** log density of the Student-t law at x. */
export function studentTLogPdf(x: number, t: StudentT): number {
  const z2 = ((x - t.loc) * (x - t.loc)) / t.scale2;
  return (
    logGamma((t.df + 1) / 2) -
    logGamma(t.df / 2) -
    0.5 * Math.log(t.df * Math.PI * t.scale2) -
    ((t.df + 1) / 2) * Math.log1p(z2 / t.df)
  );
}

/** P(X ≤ x) for the Student-t law. */
export function studentTCdf(x: number, t: StudentT): number {
  const z = (x - t.loc) / Math.sqrt(t.scale2);
  const tail = 0.5 * regularizedIncompleteBeta(t.df / (t.df + z * z), t.df / 2, 0.5);
  return z > 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of a finite mixture of Student-t laws (weights summing to 1), by bisection on the
 * mixture's distribution function to a relative width of 1e-7 of the bracket.
 */
export function studentTMixtureQuantile(
  weights: ArrayLike<number>,
  laws: readonly StudentT[],
  p: number,
): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const law of laws) {
    // A t with df ≥ 1 puts less than 1e-3 of its mass beyond 700 scales; widen until the bracket holds p.
    const s = Math.sqrt(law.scale2);
    lo = Math.min(lo, law.loc - 20 * s);
    hi = Math.max(hi, law.loc + 20 * s);
  }
  const cdf = (x: number): number => {
    let c = 0;
    for (let i = 0; i < laws.length; i++) c += (weights[i] as number) * studentTCdf(x, laws[i] as StudentT);
    return c;
  };
  let width = hi - lo;
  while (cdf(lo) > p && width < 1e12 * (Math.abs(lo) + 1)) {
    lo -= width;
    width *= 2;
  }
  while (cdf(hi) < p && width < 1e12 * (Math.abs(hi) + 1)) {
    hi += width;
    width *= 2;
  }
  const tolerance = 1e-7 * (hi - lo);
  while (hi - lo > tolerance) {
    const mid = 0.5 * (lo + hi);
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
