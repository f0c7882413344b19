// The Normal–Gamma conjugate model of a Normal mean and precision, and its Student-t predictive law.
import type { StudentT } from './student-t';

/**
 * Posterior of (μ, τ) with τ ~ Gamma(alpha, beta) and μ | τ ~ Normal(mu, 1 / (kappa τ)).
 * Plain numbers only, so it serialises as JSON.
 */
export interface NormalGamma {
  mu: number;
  kappa: number;
  alpha: number;
  beta: number;
}

/** The posterior after one more observation x (Murphy 2007, "Conjugate Bayesian analysis", eq. 86–89). */
export function normalGammaUpdate(p: NormalGamma, x: number): NormalGamma {
  const kappa = p.kappa + 1;
  return {
    mu: (p.kappa * p.mu + x) / kappa,
    kappa,
    alpha: p.alpha + 0.5,
    beta: p.beta + (p.kappa * (x - p.mu) * (x - p.mu)) / (2 * kappa),
  };
}

/** The law of the next observation: Student-t with 2α degrees of freedom, scale² = β(κ+1)/(ακ). */
export function normalGammaPredictive(p: NormalGamma): StudentT {
  return { df: 2 * p.alpha, loc: p.mu, scale2: (p.beta * (p.kappa + 1)) / (p.alpha * p.kappa) };
}
