// Tangent cuts that represent the concave harmony function H inside a linear programme (epigraph form).
//
// An LP maximises h subject to h ≤ H(sₖ) + H′(sₖ)(s − sₖ) for every tangent point sₖ. Because H is
// concave, the lower envelope of its tangents lies above H, and between two neighbouring points a < b the
// gap is at most max|H″|·(b − a)²/8 on [a, b] (each tangent errs by at most max|H″|·d²/2 at distance d,
// and every point of [a, b] lies within (b − a)/2 of one end). |H″| = 1 on [−1, 0], so points there are
// evenly spaced by δ = √(8ε); on s ≥ 0, |H″| = 1/(1+s)², so points are spaced geometrically,
// 1 + sₖ₊₁ = (1 + sₖ)(1 + δ), which keeps the same bound ε on every piece up to sMax.
import { harmony, harmonySlope } from './harmony';

export interface HarmonyCutOptions {
  /** Largest overestimate of H allowed on [sMin, sMax] (default 1e-3). */
  maxError?: number;
  /** Lowest fulfilment represented (default −1: zero net output). */
  sMin?: number;
  /** Highest fulfilment represented (default 4: five times the target). */
  sMax?: number;
}

export interface HarmonyCuts {
  /** Tangent points sₖ, ascending; sMin and sMax are always among them. */
  points: Float64Array;
  /** H(sₖ). */
  values: Float64Array;
  /** H′(sₖ). */
  slopes: Float64Array;
  /** Proven bound on envelope − H over [sMin, sMax]. */
  errorBound: number;
}

/** Tangent points giving an envelope within `maxError` of H on [sMin, sMax]. */
export function harmonyCuts(options: HarmonyCutOptions = {}): HarmonyCuts {
  const maxError = options.maxError ?? 1e-3;
  const sMin = options.sMin ?? -1;
  const sMax = options.sMax ?? 4;
  if (!(maxError > 0) || !(sMin >= -1) || !(sMax > sMin)) {
    throw new RangeError(
      `harmonyCuts: need maxError > 0 and −1 ≤ sMin < sMax, got ${maxError}, ${sMin}, ${sMax}`,
    );
  }
  const delta = Math.sqrt(8 * maxError);
  const points: number[] = [sMin];
  let s = sMin;
  while (s < sMax) {
    s = s < 0 ? Math.min(s + delta, 0) : (1 + s) * (1 + delta) - 1;
    points.push(Math.min(s, sMax));
  }
  const p = Float64Array.from(points);
  return {
    points: p,
    values: p.map(harmony),
    slopes: p.map(harmonySlope),
    errorBound: maxError,
  };
}

/** The envelope of the cuts at s: min over k of H(sₖ) + H′(sₖ)(s − sₖ). */
export function harmonyEnvelope(cuts: HarmonyCuts, s: number): number {
  let best = Infinity;
  for (let k = 0; k < cuts.points.length; k++) {
    const v = cuts.values[k]! + cuts.slopes[k]! * (s - cuts.points[k]!);
    if (v < best) best = v;
  }
  return best;
}
