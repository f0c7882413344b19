// The price of the limited input at a kink: where the lines W + μ(S − L) of the two choices mixed there meet,
// μ = (W_b − W_a)/(S_a − S_b), a using more than L and b at most L.
//
// Near the kink the two choices often differ in one small product, so S_a − S_b is a few units of a use of
// hundreds of thousands (4.2 of 840,612 at the 10⁵ hub). Each balance solved to a relative residual ε knows
// S only to about ε·S, so the subtraction leaves the price known to about ε·S/(S_a − S_b): 2e-5 there, and
// two runs that reach the pair through different balances disagree in the sixth digit. The difference of
// the balances is then solved for itself: δ = x_a − x_b satisfies δ = B_aᵀδ + (B_a − B_b)ᵀx_b, whose right
// side lives on the switched products' inputs, so one solve gives δ (and S_a − S_b, W_a − W_b) to ε of
// their own size.
import type { TechniqueSet } from './technique-set';
import { choiceMatrix, samePolicy, warmFixedPoint } from './warm-fixed-point';
import type { KeptDifference, OrderCache } from './warm-fixed-point';

/**
 * Below this share of S_a the difference S_a − S_b is solved for: the subtraction's error ε·S/(S_a − S_b)
 * would exceed 10ε (1e-9 at the solver's 1e-10), more than the solves' own accuracy should allow a price to
 * lose. Above it the subtraction is good to 10ε and the common case keeps its cost (no extra solve).
 */
export const CLOSE_USES = 0.1;

/** One choice at a kink: its technique per product, its balance, and that balance's cost W and use S. */
export interface KinkEnd {
  policy: Int32Array;
  output: Float64Array;
  cost: number;
  used: number;
}

export interface KinkPrice {
  price: number;
  /** Sweeps of the difference's solve. */
  sweeps: number;
  residual: number;
}

/** How many solved differences a cache keeps: the answer's pair, and the one before it. */
const KEPT_DIFFERENCES = 2;

/**
 * Where the kink's difference comes from: `orders` keeps it (with a copy of `demand`) for a later solve of the
 * same problem, and a replan whose answer is the same pair of choices under the same inputs and demand prices
 * it from the kept δ without a solve (a labour change moves W and S, never δ).
 */
export interface KinkCache {
  orders: OrderCache;
  demand: Float64Array;
}

/**
 * μ where the lines of a (using more) and b (using less) meet, with S_a − S_b and W_a − W_b from one solve
 * of the balances' difference, when the uses are within CLOSE_USES of each other. Null otherwise, or when
 * that solve fails or the difference is not positive: the caller's price (from the subtraction) stands.
 */
export function kinkPrice(
  set: TechniqueSet,
  cost: Float64Array,
  use: Float64Array,
  a: KinkEnd,
  b: KinkEnd,
  tolerance: number,
  orders?: OrderCache,
  cache?: KinkCache,
): KinkPrice | null {
  if (!close(a, b)) return null;
  const kept = cache && keptDifference(set, a, b, tolerance, cache);
  if (kept) {
    const price = priceFrom(set, cost, use, a, b, kept.difference);
    return price === null ? null : { price, sweeps: 0, residual: kept.residual };
  }
  // Both loops over every product are functions of their own: here they made V8 drop and recompile this
  // function's compiled code on every hub replan (--trace-deopt).
  const rhs = switchedInputs(set, a, b);
  // From the subtraction of the balances: its error is ε·|x|, far below |δ| in every product the switch
  // does not reach, so the solve starts with a small residual.
  const guess = subtracted(a.output, b.output);
  const solved = warmFixedPoint(choiceMatrix(set, a.policy, orders), rhs, guess, tolerance, true, orders);
  if (solved.status !== 'converged') return null;
  if (cache) {
    const list = (cache.orders.differences ??= []);
    list.push({
      inputs: set.inputs,
      demand: cache.demand.slice(),
      more: a.policy.slice(),
      less: b.policy.slice(),
      difference: solved.x,
      residual: solved.residual,
      tolerance,
    });
    while (list.length > KEPT_DIFFERENCES) list.shift();
  }
  const price = priceFrom(set, cost, use, a, b, solved.x);
  return price === null ? null : { price, sweeps: solved.iterations, residual: solved.residual };
}

/** (B_a − B_b)ᵀx_b: the switched products' inputs. */
function switchedInputs(set: TechniqueSet, a: KinkEnd, b: KinkEnd): Float64Array {
  const n = set.products;
  const { start, index, value } = set.inputs;
  const rhs = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const ja = a.policy[p]!;
    const jb = b.policy[p]!;
    if (ja === jb) continue;
    const xb = b.output[p]!;
    for (let e = start[ja]!; e < start[ja + 1]!; e++) rhs[index[e]!]! += value[e]! * xb;
    for (let e = start[jb]!; e < start[jb + 1]!; e++) rhs[index[e]!]! -= value[e]! * xb;
  }
  return rhs;
}

/** x − y. */
function subtracted(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let p = 0; p < out.length; p++) out[p] = x[p]! - y[p]!;
  return out;
}

/**
 * The kink's price from a kept difference only (no solve): null when the uses are not close or no difference
 * of this pair under these inputs and demand is kept. Kelley's step between two such choices (a replan that
 * starts from the previous answer's pair) is then the exact kink, and the step's own evaluation its answer.
 */
export function keptKinkPrice(
  set: TechniqueSet,
  cost: Float64Array,
  use: Float64Array,
  a: KinkEnd,
  b: KinkEnd,
  tolerance: number,
  cache: KinkCache,
): number | null {
  if (!close(a, b)) return null;
  const kept = keptDifference(set, a, b, tolerance, cache);
  return kept ? priceFrom(set, cost, use, a, b, kept.difference) : null;
}

const close = (a: KinkEnd, b: KinkEnd) => a.used - b.used < CLOSE_USES * Math.abs(a.used);

/** The kept difference of a and b, when it was solved for the same inputs and demand, at least as tightly. */
function keptDifference(
  set: TechniqueSet,
  a: KinkEnd,
  b: KinkEnd,
  tolerance: number,
  { orders, demand }: KinkCache,
): KeptDifference | undefined {
  return orders.differences?.find(
    (d) =>
      d.inputs === set.inputs &&
      d.tolerance <= tolerance &&
      samePolicy(d.more, a.policy) &&
      samePolicy(d.less, b.policy) &&
      sameValues(d.demand, demand),
  );
}

/**
 * −(W_a − W_b)/(S_a − S_b) from δ = x_a − x_b: the switched products' own terms at b's outputs, plus a's
 * cost and use over δ. Null when the difference in use is not positive.
 */
function priceFrom(
  set: TechniqueSet,
  cost: Float64Array,
  use: Float64Array,
  a: KinkEnd,
  b: KinkEnd,
  delta: Float64Array,
): number | null {
  let dS = 0;
  let dW = 0;
  for (let p = 0; p < set.products; p++) {
    const ja = a.policy[p]!;
    const jb = b.policy[p]!;
    if (ja !== jb) {
      const xb = b.output[p]!;
      dS += (use[ja]! - use[jb]!) * xb;
      dW += (cost[ja]! - cost[jb]!) * xb;
    }
    dS += use[ja]! * delta[p]!;
    dW += cost[ja]! * delta[p]!;
  }
  return dS > 0 ? -dW / dS : null;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
