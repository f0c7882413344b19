import { describe, expect, it } from 'vitest';
import { kinkPrice } from './kink-price';
import type { KinkEnd } from './kink-price';
import { solveTechniqueChoice } from './technique-choice';
import type { TechniqueSet } from './technique-set';

// Six products; product 0 has two techniques: 0 (cheaper, more of the skill) and 6 (dearer, less). Product 0
// is wanted in a tiny amount and barely used by the others, so the two choices' skill uses differ by about
// 1e-3 of a use of about 1e4: the kink where a limited skill mixes them is the hard case of kink-price.ts.
const n = 6;
const techProduct = Int32Array.from([0, 1, 2, 3, 4, 5, 0]);
/** a[i][j]: input of product i per unit of technique j. */
const a: number[][] = Array.from({ length: n }, (_, i) =>
  Array.from({ length: 7 }, (_, j) => {
    if (i === techProduct[j]) return 0;
    if (i === 0) return 1e-6;
    if (j === 0) return 0.1;
    if (j === 6) return 0.12;
    return (0.05 * ((i * 3 + j * 5) % 7)) / 7;
  }),
);
const cost = Float64Array.from([1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.5]);
const use = Float64Array.from([2, 1.2, 1.4, 1.6, 1.8, 2.0, 1]);
const demand = Float64Array.from([1e-3, 1000, 800, 1200, 900, 1100]);

function techniqueSet(): TechniqueSet {
  const start = [0];
  const index: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < 7; j++) {
    for (let i = 0; i < n; i++)
      if (a[i]![j] !== 0) {
        index.push(i);
        value.push(a[i]![j]!);
      }
    start.push(index.length);
  }
  return {
    products: n,
    techProduct,
    inputs: { start: Int32Array.from(start), index: Int32Array.from(index), value: Float64Array.from(value) },
  };
}

/** Solves m z = r by Gaussian elimination with partial pivoting (dense, independent of the sparse solvers). */
function denseSolve(m: number[][], r: number[]): number[] {
  const k = r.length;
  const w = m.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(w[i]![c]!) > Math.abs(w[piv]![c]!)) piv = i;
    [w[c], w[piv]] = [w[piv]!, w[c]!];
    for (let i = c + 1; i < k; i++) {
      const f = w[i]![c]! / w[c]![c]!;
      for (let q = c; q <= k; q++) w[i]![q]! -= f * w[c]![q]!;
    }
  }
  const z = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = w[i]![k]!;
    for (let q = i + 1; q < k; q++) s -= w[i]![q]! * z[q]!;
    z[i] = s / w[i]![i]!;
  }
  return z;
}

/** Techniques of a choice: product 0 by `zero`, every other product by its own. */
const choice = (zero: number) => Int32Array.from([zero, 1, 2, 3, 4, 5]);

/** The exact balance x = Bᵀx + d of a choice. */
function balance(policy: Int32Array): number[] {
  const m = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, p) => (i === p ? 1 : 0) - a[i]![policy[p]!]!),
  );
  return denseSolve(m, [...demand]);
}

/**
 * The kink price from the dual side, where no balances are subtracted: under choice 0 the values are
 * v(μ) = v₀ + μy with v₀ = (I − B)⁻¹c and y = (I − B)⁻¹u, and μ* is where technique 6 costs exactly v₀(μ).
 */
function dualKinkPrice(): number {
  const policy = choice(0);
  const m = Array.from({ length: n }, (_, p) =>
    Array.from({ length: n }, (_, i) => (i === p ? 1 : 0) - a[i]![policy[p]!]!),
  );
  const v0 = denseSolve(
    m,
    [...policy].map((j) => cost[j]!),
  );
  const y = denseSolve(
    m,
    [...policy].map((j) => use[j]!),
  );
  let num = cost[6]! - v0[0]!;
  let den = y[0]! - use[6]!;
  for (let i = 0; i < n; i++) {
    num += a[i]![6]! * v0[i]!;
    den -= a[i]![6]! * y[i]!;
  }
  return num / den;
}

/** A choice's end as a solve to a relative residual of about 1e-10 leaves it: each output off by that much. */
function endOf(policy: Int32Array, seed: number): KinkEnd {
  const output = Float64Array.from(balance(policy), (x, p) => x * (1 + 1e-10 * Math.sin(seed + 7 * p)));
  let w = 0;
  let s = 0;
  for (let p = 0; p < n; p++) {
    w += cost[policy[p]!]! * output[p]!;
    s += use[policy[p]!]! * output[p]!;
  }
  return { policy, output, cost: w, used: s };
}

describe('kinkPrice', () => {
  const exact = dualKinkPrice();
  const more = endOf(choice(0), 1);
  const less = endOf(choice(6), 2);

  it('builds the hard case: uses within 1e-6 of each other, a positive price', () => {
    expect(more.used - less.used).toBeGreaterThan(0);
    expect((more.used - less.used) / more.used).toBeLessThan(1e-6);
    expect(exact).toBeGreaterThan(0);
  });

  it('gives the price to 1e-9 from balances off by 1e-10, where subtracting them does not', () => {
    const subtracted = (less.cost - more.cost) / (more.used - less.used);
    expect(Math.abs(subtracted - exact) / exact).toBeGreaterThan(1e-6);
    const k = kinkPrice(techniqueSet(), cost, use, more, less, 1e-10);
    expect(k).not.toBeNull();
    expect(Math.abs(k!.price - exact) / exact).toBeLessThanOrEqual(1e-9);
  });

  it('leaves a pair whose uses are not close to the caller', () => {
    const far = { ...less, used: less.used * 0.5 };
    expect(kinkPrice(techniqueSet(), cost, use, more, far, 1e-10)).toBeNull();
  });

  it("gives solveTechniqueChoice's answer the dual's price and values at it", () => {
    const r = solveTechniqueChoice(
      { set: techniqueSet(), cost, demand, limit: { use, available: (more.used + less.used) / 2 } },
      { tolerance: 1e-10 },
    );
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(Math.abs(r.price - exact) / exact).toBeLessThanOrEqual(1e-9);
    // Values at μ*: both choices' values agree there, so choice 0's dense values are the reference.
    const policy = choice(0);
    const m = Array.from({ length: n }, (_, p) =>
      Array.from({ length: n }, (_, i) => (i === p ? 1 : 0) - a[i]![policy[p]!]!),
    );
    const v = denseSolve(
      m,
      [...policy].map((j) => cost[j]! + exact * use[j]!),
    );
    const scale = Math.max(...v);
    for (let p = 0; p < n; p++) expect(Math.abs(r.values[p]! - v[p]!) / scale).toBeLessThanOrEqual(1e-9);
  });
});
