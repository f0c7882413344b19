// Checks one linear-growth DLM step against the matrix form of West & Harrison's Theorem 4.3, evaluated with
// numpy on the CP6 priors (m0 = (600, 10), C0 = diag(10000, 25), n0 = 10, d0 = 1440, y1 = 620).
import { describe, expect, it } from 'vitest';
import { evolveLinearGrowth, forecastLinearGrowth, updateLinearGrowth } from './linear-growth-dlm';
import type { DlmPosterior } from './linear-growth-dlm';

const post0: DlmPosterior = { m: [600, 10], C: [10000, 0, 25], n: 10, d: 1440 };

const cases = [
  {
    name: 'standard',
    dl: 0.9,
    dg: 0.9,
    k: 1,
    Q: 11282.888888888889,
    m: [619.87237311, 10.02215745],
    C: [129.35288258, 0.29031819, 25.22450405],
    d: 1441.2762688830678,
  },
  {
    name: 'level change',
    dl: 0.01,
    dg: 0.9,
    k: 1,
    Q: 1002644.0,
    m: [619.9985638, 10.00024934],
    C: [130.891595, 3.26412956e-3, 25.2522104],
    d: 1440.014362026801,
  },
  {
    name: 'outlier',
    dl: 0.9,
    dg: 0.9,
    k: 100,
    Q: 25538.88888888889,
    m: [614.36154013, 10.00978899],
    C: [5711.8882101, 12.81969922, 25.2401567],
    d: 1440.563845986513,
  },
];

describe('linear growth DLM step', () => {
  for (const c of cases) {
    it(`matches the numpy matrix computation for the ${c.name} branch to 1e-8 relative`, () => {
      const prior = evolveLinearGrowth(post0, c.dl, c.dg);
      expect(prior.a).toEqual([610, 10]);
      expect(forecastLinearGrowth(prior, 144, c.k).Q).toBeCloseTo(c.Q, 6);
      const post = updateLinearGrowth(prior, post0, 620, c.k);
      expect(post.n).toBe(11);
      expect(post.d).toBeCloseTo(c.d, 8);
      post.m.forEach((v, i) => expect(Math.abs(v / (c.m[i] as number) - 1)).toBeLessThan(1e-8));
      post.C.forEach((v, i) => expect(Math.abs(v / (c.C[i] as number) - 1)).toBeLessThan(1e-7));
    });
  }
});
