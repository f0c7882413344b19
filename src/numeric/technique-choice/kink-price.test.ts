import { describe, expect, it } from 'vitest';
import { keptKinkPrice, kinkPrice } from './kink-price';
import { predictedPrice } from './parametric-price';
import type { KinkEnd } from './kink-price';
import { solveTechniqueChoice } from './technique-choice';
import type { TechniqueSet } from './technique-set';
import { techniquesByProduct } from './technique-set';
import type { OrderCache } from './warm-fixed-point';

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

function techniqueSet(inputs: number[][] = a): TechniqueSet {
  const start = [0];
  const index: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < 7; j++) {
    for (let i = 0; i < n; i++)
      if (inputs[i]![j] !== 0) {
        index.push(i);
        value.push(inputs[i]![j]!);
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
function balance(policy: Int32Array, d: Float64Array = demand, inputs: number[][] = a): number[] {
  const m = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, p) => (i === p ? 1 : 0) - inputs[i]![policy[p]!]!),
  );
  return denseSolve(m, [...d]);
}

/**
 * The kink price from the dual side, where no balances are subtracted: under choice 0 the values are
 * v(μ) = v₀ + μy with v₀ = (I − B)⁻¹c and y = (I − B)⁻¹u, and μ* is where technique 6 costs exactly v₀(μ).
 */
function dualKinkPrice(c: Float64Array = cost, u: Float64Array = use, inputs: number[][] = a): number {
  const policy = choice(0);
  const m = Array.from({ length: n }, (_, p) =>
    Array.from({ length: n }, (_, i) => (i === p ? 1 : 0) - inputs[i]![policy[p]!]!),
  );
  const v0 = denseSolve(
    m,
    [...policy].map((j) => c[j]!),
  );
  const y = denseSolve(
    m,
    [...policy].map((j) => u[j]!),
  );
  let num = c[6]! - v0[0]!;
  let den = y[0]! - u[6]!;
  for (let i = 0; i < n; i++) {
    num += inputs[i]![6]! * v0[i]!;
    den -= inputs[i]![6]! * y[i]!;
  }
  return num / den;
}

/** A choice's end as a solve to a relative residual of about 1e-10 leaves it: each output off by that much. */
function endOf(
  policy: Int32Array,
  seed: number,
  c: Float64Array = cost,
  u: Float64Array = use,
  d: Float64Array = demand,
  inputs: number[][] = a,
): KinkEnd {
  const output = Float64Array.from(
    balance(policy, d, inputs),
    (x, p) => x * (1 + 1e-10 * Math.sin(seed + 7 * p)),
  );
  let w = 0;
  let s = 0;
  for (let p = 0; p < n; p++) {
    w += c[policy[p]!]! * output[p]!;
    s += u[policy[p]!]! * output[p]!;
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

const relative = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);

/** Values of choice `zero` at skill price μ, dense. */
function denseValues(policy: Int32Array, c: Float64Array, u: Float64Array, price: number): number[] {
  const m = Array.from({ length: n }, (_, p) =>
    Array.from({ length: n }, (_, i) => (i === p ? 1 : 0) - a[i]![policy[p]!]!),
  );
  return denseSolve(
    m,
    [...policy].map((j) => c[j]! + price * u[j]!),
  );
}

// A labour change to product 1's technique (used by both choices): its cost falls by a fifth (labour of another
// skill than the limited one, whose use stays). The two choices' balances, hence their difference, stay as
// they were; the kink's price moves.
const cheaper = Float64Array.from(cost, (c, j) => (j === 1 ? 0.8 * c : c));

describe('kinkPrice with a kept difference (a replan ending on the same pair)', () => {
  const set = techniqueSet();
  const more = endOf(choice(0), 1);
  const less = endOf(choice(6), 2);
  const exact = dualKinkPrice();

  it('solves the difference once; the same pair, inputs and demand are priced again without a solve', () => {
    const orders: OrderCache = {};
    const first = kinkPrice(set, cost, use, more, less, 1e-10, orders, { orders, demand })!;
    expect(first.sweeps).toBeGreaterThan(0);
    const again = kinkPrice(set, cost, use, more, less, 1e-10, orders, { orders, demand })!;
    expect(again.sweeps).toBe(0);
    expect(again.price).toBe(first.price);
  });

  it("after a labour change gives the changed kink's exact price from the kept difference", () => {
    const orders: OrderCache = {};
    kinkPrice(set, cost, use, more, less, 1e-10, orders, { orders, demand });
    const changed = dualKinkPrice(cheaper, use);
    // The change matters: a price kept from before would be far off.
    expect(relative(exact, changed)).toBeGreaterThan(1e-3);
    const m = endOf(choice(0), 3, cheaper, use);
    const l = endOf(choice(6), 4, cheaper, use);
    const k = kinkPrice(set, cheaper, use, m, l, 1e-10, orders, { orders, demand })!;
    expect(k.sweeps).toBe(0);
    expect(relative(k.price, changed)).toBeLessThanOrEqual(1e-9);
    expect(keptKinkPrice(set, cheaper, use, m, l, 1e-10, { orders, demand })).toBe(k.price);
  });

  it('solves again for another demand, other inputs or a tighter tolerance, and is exact for each', () => {
    const orders: OrderCache = {};
    kinkPrice(set, cost, use, more, less, 1e-6, orders, { orders, demand });
    // Tighter than the kept difference was solved to.
    const tight = kinkPrice(set, cost, use, more, less, 1e-10, orders, { orders, demand })!;
    expect(tight.sweeps).toBeGreaterThan(0);
    expect(relative(tight.price, exact)).toBeLessThanOrEqual(1e-9);
    // Product 1 wanted three times as much: the same kink price (the dual does not see the demand), another δ.
    const wanted = Float64Array.from(demand, (d, p) => (p === 1 ? 3 * d : d));
    const m = endOf(choice(0), 5, cost, use, wanted);
    const l = endOf(choice(6), 6, cost, use, wanted);
    expect(keptKinkPrice(set, cost, use, m, l, 1e-10, { orders, demand: wanted })).toBeNull();
    const k = kinkPrice(set, cost, use, m, l, 1e-10, orders, { orders, demand: wanted })!;
    expect(k.sweeps).toBeGreaterThan(0);
    expect(relative(k.price, exact)).toBeLessThanOrEqual(1e-9);
    // Technique 6 needs a quarter more of product 2: another set of inputs (a new object, as a patch makes).
    const inputs = a.map((row, i) => row.map((v, j) => (i === 2 && j === 6 ? 1.25 * v : v)));
    const other = techniqueSet(inputs);
    const mi = endOf(choice(0), 7, cost, use, wanted, inputs);
    const li = endOf(choice(6), 8, cost, use, wanted, inputs);
    const ki = kinkPrice(other, cost, use, mi, li, 1e-10, orders, { orders, demand: wanted })!;
    expect(ki.sweeps).toBeGreaterThan(0);
    expect(relative(ki.price, dualKinkPrice(cost, use, inputs))).toBeLessThanOrEqual(1e-9);
  });

  it('a warm solve after the labour change agrees with the dual and a solve from scratch, and solves no difference', () => {
    const available = (more.used + less.used) / 2;
    const orders: OrderCache = {};
    const problem = { set, cost, demand, limit: { use, available } };
    const base = solveTechniqueChoice(problem, { tolerance: 1e-10, orders });
    expect(base.status).toBe('optimal');
    if (base.status !== 'optimal') return;
    const changed = { set, cost: cheaper, demand, limit: { use: use, available } };
    const warm = { values: base.values, price: base.price, activity: base.activity, ends: base.ends };
    const prices: number[] = [];
    const replan = solveTechniqueChoice(changed, {
      tolerance: 1e-10,
      orders,
      warm,
      onEvaluation: (e) => prices.push(e.price),
    });
    // The same warm start without the kept difference: it solves the difference again.
    const unkept = solveTechniqueChoice(changed, {
      tolerance: 1e-10,
      orders: { ...orders, differences: [] },
      warm,
    });
    const scratch = solveTechniqueChoice(changed, { tolerance: 1e-10 });
    for (const r of [replan, unkept, scratch]) expect(r.status).toBe('optimal');
    if (replan.status !== 'optimal' || unkept.status !== 'optimal' || scratch.status !== 'optimal') return;
    expect(replan.warmChoices).toBe('kept');
    expect(replan.sweeps).toBeLessThan(unkept.sweeps);
    // Kelley's one step was taken at the kept difference's price, which is the answer's: no values solved again.
    expect(prices).toEqual([replan.price]);
    const exactPrice = dualKinkPrice(cheaper, use);
    expect(relative(replan.price, exactPrice)).toBeLessThanOrEqual(1e-9);
    expect(relative(replan.price, scratch.price)).toBeLessThanOrEqual(1e-9);
    expect(relative(replan.objective, scratch.objective)).toBeLessThanOrEqual(1e-12);
    const v = denseValues(choice(0), cheaper, use, exactPrice);
    const scale = Math.max(...v);
    for (let p = 0; p < n; p++) {
      expect(Math.abs(replan.values[p]! - v[p]!) / scale).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(replan.values[p]! - scratch.values[p]!) / scale).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe('a replan whose kink moves far: the predicted price (parametric-price.ts)', () => {
  const set = techniqueSet();
  const more = endOf(choice(0), 1);
  const less = endOf(choice(6), 2);
  const available = (more.used + less.used) / 2;
  // Technique 6 (less of the skill) becomes dearer: the kink's price moves far up, between the same choices.
  const dearer = Float64Array.from(cost, (c, j) => (j === 6 ? c + 0.6 : c));

  it('predicts the moved kink from the old choice and price to the accuracy of its solves', () => {
    const before = dualKinkPrice();
    const after = dualKinkPrice(dearer);
    expect(relative(after, before)).toBeGreaterThan(0.5);
    const values = denseValues(choice(0), cost, use, before);
    const guess = predictedPrice(
      set,
      techniquesByProduct(set),
      dearer,
      use,
      endOf(choice(0), 3, dearer),
      { price: before, values: Float64Array.from(values) },
      available,
      {},
    );
    expect(guess).not.toBeNull();
    expect(relative(guess!.price, after)).toBeLessThanOrEqual(1e-5);
  });

  it('a warm solve takes the prediction and agrees with the dual and a solve from scratch', () => {
    const orders: OrderCache = {};
    const base = solveTechniqueChoice(
      { set, cost, demand, limit: { use, available } },
      { tolerance: 1e-10, orders },
    );
    expect(base.status).toBe('optimal');
    if (base.status !== 'optimal') return;
    const changed = { set, cost: dearer, demand, limit: { use, available } };
    const warm = { values: base.values, price: base.price, activity: base.activity, ends: base.ends };
    const replan = solveTechniqueChoice(changed, { tolerance: 1e-10, orders, warm });
    const scratch = solveTechniqueChoice(changed, { tolerance: 1e-10 });
    expect(replan.status).toBe('optimal');
    expect(scratch.status).toBe('optimal');
    if (replan.status !== 'optimal' || scratch.status !== 'optimal') return;
    expect(replan.predicted).toBe(true);
    expect(scratch.predicted).toBe(false);
    // One policy iteration near the guess, and Kelley's one step at the exact price: the far end of the
    // bracket is the line of the choice the near one switches to (no evaluation of its own), and the kink's
    // difference solved before the step (the step's evaluation is the answer).
    expect(replan.evaluations).toBe(2);
    const exactPrice = dualKinkPrice(dearer);
    expect(relative(replan.price, exactPrice)).toBeLessThanOrEqual(1e-9);
    expect(relative(replan.price, scratch.price)).toBeLessThanOrEqual(1e-9);
    expect(relative(replan.objective, scratch.objective)).toBeLessThanOrEqual(1e-12);
    const v = denseValues(choice(0), dearer, use, exactPrice);
    const scale = Math.max(...v);
    for (let p = 0; p < n; p++) {
      expect(Math.abs(replan.values[p]! - v[p]!) / scale).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(replan.activity[p]! - scratch.activity[p]!) / scale).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe('the time limit and the abort in solveTechniqueChoice', () => {
  const more = endOf(choice(0), 1);
  const less = endOf(choice(6), 2);
  const problem = () => ({
    set: techniqueSet(),
    cost,
    demand,
    limit: { use, available: (more.used + less.used) / 2 },
  });

  it('starts no work once the deadline has passed: no sweep at all', () => {
    const r = solveTechniqueChoice(problem(), { tolerance: 1e-10, deadline: performance.now() - 1 });
    expect(r.status).toBe('time-limit');
    expect(r.sweeps).toBe(0);
  });

  it('starts no further evaluation once the signal has aborted', () => {
    const whole = solveTechniqueChoice(problem(), { tolerance: 1e-10 });
    expect(whole.status).toBe('optimal');
    expect(whole.evaluations).toBeGreaterThan(1);
    // The clock of the test: the signal aborts as the first evaluation ends, so the second one is asked first.
    const controller = new AbortController();
    const r = solveTechniqueChoice(problem(), {
      tolerance: 1e-10,
      signal: controller.signal,
      onEvaluation: () => {
        if (controller.signal.aborted) return;
        controller.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    // The second evaluation was begun (counted) and stopped before its choice's first solve: no sweep of it.
    expect(r.evaluations).toBe(2);
    expect(r.sweeps).toBeLessThan(whole.sweeps);
  });
});
