// A first guess at a far kink, from one choice's values as a line in the skill's price (an experiment for the
// hub replan, see docs/architecture.md). Under choice a the values are v(μ) = v₁ + (μ − μ₀)·y, y = B y + u_a
// (the skill content), so every other technique k of product p has a reduced cost linear in μ,
// r_k(μ) = r_k(μ₀) + β_k (μ − μ₀) with β_k = u_k + a_k·y − y_p, and switching p to k changes the plan's use
// by about β_k·x_p. The predicted use is a non-increasing step function of μ; where it crosses the limit is
// the guess. Kelley's method then starts from an evaluation there instead of the old pair's intersection.
import { techniqueCost } from './policy-iteration';
import type { TechniqueSet, TechniquesByProduct } from './technique-set';
import { choiceMatrix, warmFixedPoint } from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

/** The prediction needs the slopes to a few digits only. */
const PREDICTION_TOLERANCE = 1e-6;

export interface PredictedPrice {
  price: number;
  /** Values of choice a at the predicted price (a start for its evaluation). */
  values: Float64Array;
  /** The skill content y: the values' slope in the price while the choice stays. */
  slope: Float64Array;
  sweeps: number;
}

/** The price where the use predicted from choice a (balance `output`, use `used`) crosses `available`. */
export function predictedPrice(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  cost: Float64Array,
  use: Float64Array,
  a: { policy: Int32Array; output: Float64Array; used: number },
  from: { price: number; values: Float64Array },
  available: number,
  orders: OrderCache,
): PredictedPrice | null {
  const n = set.products;
  const matrix = choiceMatrix(set, a.policy, orders);
  const c = new Float64Array(n);
  const u = new Float64Array(n);
  chosenCosts(a.policy, cost, use, from.price, c, u);
  const v1 = warmFixedPoint(matrix, c, from.values, PREDICTION_TOLERANCE, false, orders);
  if (v1.status !== 'converged') return null;
  const y = warmFixedPoint(matrix, u, null, PREDICTION_TOLERANCE, false, orders);
  if (y.status !== 'converged') return null;
  const sweeps = v1.iterations + y.iterations;
  // Plain loops (pricedCost, along): Float64Array.from with a callback took 0.1–0.3 s at 3·10⁵ techniques.
  // Each loop over every product is a function of its own (chosenCosts, switches, firstCrossing): in this
  // one function each replan's compiled code reached a later loop without feedback and was dropped and
  // compiled again (--trace-deopt), twice a hub replan.
  const full = pricedCost(cost, use, from.price);
  const at: number[] = [];
  const step: number[] = [];
  const used = switches(set, byProduct, full, use, a, v1.x, y.x, from.price, at, step);
  if (used <= available) return null;
  const i = firstCrossing(at, step, used, available);
  if (i < 0) return null;
  const price = at[i]!;
  return { price, values: along(v1.x, y.x, price - from.price), slope: y.x, sweeps };
}

/** Choice `policy`'s cost at `price` (into c) and its use of the limited input (into u), per product. */
function chosenCosts(
  policy: Int32Array,
  cost: Float64Array,
  use: Float64Array,
  price: number,
  c: Float64Array,
  u: Float64Array,
): void {
  for (let p = 0; p < policy.length; p++) {
    const j = policy[p]!;
    c[p] = cost[j]! + price * use[j]!;
    u[p] = use[j]!;
  }
}

/**
 * Each alternative's switch: the price where it starts (β < 0, from there up) or stops (β > 0, up to there)
 * being cheaper, and the change in use it brings, pushed onto `at` and `step`. Returns a's use with the
 * switches already made at μ = 0 added.
 */
function switches(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  full: Float64Array,
  use: Float64Array,
  a: { policy: Int32Array; output: Float64Array; used: number },
  values: Float64Array,
  slope: Float64Array,
  price: number,
  at: number[],
  step: number[],
): number {
  let used = a.used;
  for (let p = 0; p < set.products; p++) {
    const x = a.output[p]!;
    if (!(x > 0)) continue;
    const j = a.policy[p]!;
    for (let q = byProduct.start[p]!; q < byProduct.start[p + 1]!; q++) {
      const k = byProduct.techs[q]!;
      if (k === j) continue;
      const r = techniqueCost(set, full, values, k) - values[p]!;
      const beta = techniqueCost(set, use, slope, k) - slope[p]!;
      if (beta === 0) continue;
      const cross = price - r / beta;
      if (beta > 0) {
        // Cheaper below `cross`: counted from μ = 0, dropped at `cross`.
        if (cross <= 0) continue;
        used += beta * x;
        at.push(cross);
        step.push(-beta * x);
      } else {
        if (cross <= 0) used += beta * x;
        else {
          at.push(cross);
          step.push(beta * x);
        }
      }
    }
  }
  return used;
}

/** The switch (index into at) at which the use, from `used` and taking the switches by rising price, first falls to `available`; −1 if none. */
function firstCrossing(at: number[], step: number[], used: number, available: number): number {
  const order = Array.from(at.keys()).sort((i, k) => at[i]! - at[k]!);
  for (const i of order) {
    used += step[i]!;
    if (used <= available) return i;
  }
  return -1;
}

/**
 * v + step·slope: values moved along the skill content to another price. A function of its own so that it
 * stays compiled across solves (inline in a solve's closures it ran unoptimised, a heap number per product).
 */
export function along(v: Float64Array, slope: Float64Array, step: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let p = 0; p < out.length; p++) out[p] = v[p]! + step * slope[p]!;
  return out;
}

/** The costs at price μ of the limited input: cⱼ + μ·uⱼ (a function of its own for the same reason as along). */
export function pricedCost(cost: Float64Array, use: Float64Array, price: number): Float64Array {
  const out = new Float64Array(cost.length);
  for (let j = 0; j < out.length; j++) out[j] = cost[j]! + price * use[j]!;
  return out;
}
