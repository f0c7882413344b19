// The proximal map and conjugate of one harmony term against brute force: golden-section search on the
// strictly concave one-dimensional objective, and a fine grid for the conjugate.
import { describe, expect, it } from 'vitest';
import { harmony } from './harmony';
import { harmonyConjugate, harmonyProx } from './harmony-prox';

function goldenMax(f: (y: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let k = 0; k < 200; k++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) >= f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

describe('harmony proximal map and conjugate', () => {
  const cases: [number, number, number, number][] = [
    // v, τ, T, w
    [5, 0.1, 4, 1],
    [1, 3, 4, 1],
    [20, 2, 4, 2],
    [-3, 1, 2, 1],
    [100, 0.5, 7, 1],
    [7, 1e-3, 7, 1],
  ];
  for (const [v, tau, t, w] of cases)
    it(`prox(v=${v}, τ=${tau}, T=${t}, w=${w}) maximises w·H − (y − v)²/2τ on [0, 5T]`, () => {
      const f = (y: number) => w * harmony(Math.min((y - t) / t, 4)) - (y - v) ** 2 / (2 * tau);
      const y = harmonyProx(v, tau, t, w, 4);
      const brute = goldenMax(f, 0, 5 * t);
      expect(Math.abs(y - brute)).toBeLessThanOrEqual(1e-7 * Math.max(1, t));
    });

  it('conjugate equals the grid maximum and its maximiser attains it', () => {
    for (const q of [-0.5, 0, 0.05, 0.2, 0.25, 0.5, 1]) {
      const t = 4;
      const c = harmonyConjugate(q, t, 1, 4);
      let best = -Infinity;
      for (let k = 0; k <= 200_000; k++) {
        const y = (5 * t * k) / 200_000;
        best = Math.max(best, harmony((y - t) / t) - q * y);
      }
      expect(c.value).toBeGreaterThanOrEqual(best - 1e-12);
      expect(c.value - best).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(harmony((c.y - t) / t) - q * c.y - c.value)).toBeLessThanOrEqual(1e-12);
    }
  });
});
