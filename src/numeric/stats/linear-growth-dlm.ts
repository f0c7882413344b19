// One step of the linear growth dynamic linear model with component discounting and unknown observation
// variance (West & Harrison 1997, ch. 4 and 6): the Kalman filter each Harrison–Stevens branch runs.

/** A symmetric 2×2 matrix [c11, c12, c22]. */
export type Sym2 = [number, number, number];

/** Posterior at time t: state mean m = (level, growth), its covariance C (on the scale of the data), and the variance's n, d. */
export interface DlmPosterior {
  m: [number, number];
  C: Sym2;
  /** Degrees of freedom of the variance estimate. */
  n: number;
  /** Sum of squares: the estimate of the observation variance is S = d / n. */
  d: number;
}

/** Prior for time t+1: a = G m and R = G C G' + W, with W from the level and growth discount factors. */
export interface DlmPrior {
  a: [number, number];
  R: Sym2;
}

/**
 * Evolves the posterior through G = [[1, 1], [0, 1]] and discounts each block by its own factor δ
 * (W&H §6.3.2): W = diag(P11 (1/δ_level − 1), P22 (1/δ_growth − 1)) with P = G C G'.
 */
export function evolveLinearGrowth(post: DlmPosterior, deltaLevel: number, deltaGrowth: number): DlmPrior {
  const [c11, c12, c22] = post.C;
  const p11 = c11 + 2 * c12 + c22;
  const p12 = c12 + c22;
  const p22 = c22;
  return {
    a: [post.m[0] + post.m[1], post.m[1]],
    R: [p11 / deltaLevel, p12, p22 / deltaGrowth],
  };
}

/** One-step forecast: f = a_level, Q = R11 + k S, where k multiplies the observation variance. */
export function forecastLinearGrowth(prior: DlmPrior, S: number, k: number): { f: number; Q: number } {
  return { f: prior.a[0], Q: prior.R[0] + k * S };
}

/**
 * Updates the prior with observation y (W&H Theorem 4.3, unknown variance): A = R F / Q, e = y − f,
 * n' = n + 1, d' = d + S e² / Q, m = a + A e, C = (S' / S)(R − A A' Q).
 */
export function updateLinearGrowth(
  prior: DlmPrior,
  previous: { n: number; d: number },
  y: number,
  k: number,
): DlmPosterior {
  const S = previous.d / previous.n;
  const { f, Q } = forecastLinearGrowth(prior, S, k);
  const e = y - f;
  const A1 = prior.R[0] / Q;
  const A2 = prior.R[1] / Q;
  const n = previous.n + 1;
  const d = previous.d + (S * e * e) / Q;
  const ratio = d / n / S;
  return {
    m: [prior.a[0] + A1 * e, prior.a[1] + A2 * e],
    C: [
      ratio * (prior.R[0] - A1 * A1 * Q),
      ratio * (prior.R[1] - A1 * A2 * Q),
      ratio * (prior.R[2] - A2 * A2 * Q),
    ],
    n,
    d,
  };
}
