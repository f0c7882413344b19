// The observation model of one BOCPD run: a straight line in the readings of the run (level and slope) with
// unknown noise variance, under a conjugate Normal–inverse-Gamma prior; the run keeps six sums, so each
// reading costs O(1) and the state is plain JSON.
import { z } from 'zod';
import type { StudentT } from '../../numeric/stats/student-t';

/** Sums over the run's readings j = 0, 1, … (index within the run) of the scaled readings u_j. */
export interface RunSums {
  n: number;
  sj: number;
  sjj: number;
  su: number;
  sju: number;
  suu: number;
}

/**
 * Prior of every run, on readings scaled as u = (y − centre) / scale: level ~ N(0, σ²/levelPrecision),
 * slope ~ N(0, σ²/slopePrecision) per reading, σ² ~ InvGamma(alpha, beta).
 */
export interface LinearRunPrior {
  centre: number;
  scale: number;
  levelPrecision: number;
  slopePrecision: number;
  alpha: number;
  beta: number;
}

export const runSumsSchema = z.object({
  n: z.number(),
  sj: z.number(),
  sjj: z.number(),
  su: z.number(),
  sju: z.number(),
  suu: z.number(),
});

export const linearRunPriorSchema = z.object({
  centre: z.number(),
  scale: z.number().gt(0),
  levelPrecision: z.number().gt(0),
  slopePrecision: z.number().gt(0),
  alpha: z.number().gt(0),
  beta: z.number().gt(0),
});

export const EMPTY_RUN: RunSums = { n: 0, sj: 0, sjj: 0, su: 0, sju: 0, suu: 0 };

export function addReading(r: RunSums, u: number): RunSums {
  const j = r.n;
  return { n: j + 1, sj: r.sj + j, sjj: r.sjj + j * j, su: r.su + u, sju: r.sju + j * u, suu: r.suu + u * u };
}

/** The Student-t law of the next reading of the run, on the original scale of y. */
export function runPredictive(p: LinearRunPrior, r: RunSums): StudentT {
  // Posterior precision Λ = Λ0 + XᵀX and mean m = Λ⁻¹ (Xᵀu) (prior mean 0).
  const l11 = p.levelPrecision + r.n;
  const l12 = r.sj;
  const l22 = p.slopePrecision + r.sjj;
  const det = l11 * l22 - l12 * l12;
  const m1 = (l22 * r.su - l12 * r.sju) / det;
  const m2 = (l11 * r.sju - l12 * r.su) / det;
  const alpha = p.alpha + r.n / 2;
  const beta = p.beta + 0.5 * Math.max(r.suu - (m1 * r.su + m2 * r.sju), 0);
  // x = (1, n): the next reading's position in the run; x'Λ⁻¹x = (l22 − 2 n l12 + n² l11) / det.
  const j = r.n;
  const spread = (l22 - 2 * j * l12 + j * j * l11) / det;
  const loc = m1 + m2 * j;
  return {
    df: 2 * alpha,
    loc: p.centre + p.scale * loc,
    scale2: p.scale * p.scale * (beta / alpha) * (1 + spread),
  };
}
