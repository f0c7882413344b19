// Cockshott's harmony function of plan fulfilment, with its derivatives: pure scalar math.
//
// With s = (net output − target) / target, the published 5yearplan software (wc22m/5yearplan,
// Harmony.java) uses H(s) = ln(1 + s) for s ≥ 0 and H(s) = s − s²/2 for s < 0. Both branches have
// H(0) = 0, H′(0) = 1 and H″(0) = −1, so H is twice continuously differentiable and concave: a shortfall
// costs more harmony than the same surplus earns, which is what makes a plan meet every target evenly.

/** Relative fulfilment s = (net − target) / target; the target must be positive. */
export function fulfilment(target: number, net: number): number {
  return (net - target) / target;
}

/** H(s): ln(1 + s) for s ≥ 0, s − s²/2 for s < 0. */
export function harmony(s: number): number {
  return s >= 0 ? Math.log1p(s) : s - 0.5 * s * s;
}

/** H′(s): 1 / (1 + s) for s ≥ 0, 1 − s for s < 0. */
export function harmonySlope(s: number): number {
  return s >= 0 ? 1 / (1 + s) : 1 - s;
}

/** H″(s): −1 / (1 + s)² for s ≥ 0, −1 for s < 0; its magnitude never exceeds 1. */
export function harmonyCurvature(s: number): number {
  return s >= 0 ? -1 / ((1 + s) * (1 + s)) : -1;
}

/** Harmony of a product given its target and net output (the form the 5yearplan software prints). */
export function harmonyOf(target: number, net: number): number {
  return harmony(fulfilment(target, net));
}
