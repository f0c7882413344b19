// Log-space sums and normalisation, so mixture weights of very unlikely readings never underflow to 0/0.

/** log(Σ exp(x_i)), exact for any finite inputs; -Infinity for an empty list or all -Infinity. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (x > max) max = x;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp((xs[i] as number) - max);
  return max + Math.log(sum);
}

/** Turns log-weights into probabilities that sum to 1; uniform when every weight is -Infinity. */
export function normalizeLogWeights(logWeights: ArrayLike<number>): number[] {
  const total = logSumExp(logWeights);
  const n = logWeights.length;
  if (total === -Infinity) return Array.from({ length: n }, () => 1 / n);
  return Array.from({ length: n }, (_, i) => Math.exp((logWeights[i] as number) - total));
}
