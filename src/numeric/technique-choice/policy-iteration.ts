// Labour values with choice of technique: vₚ = min over techniques j of p of cⱼ + Σᵢ aᵢⱼ vᵢ, by policy iteration.
//
// Howard's policy iteration: evaluate the current choice exactly (one Leontief value system, solved by the
// sparse fixed-point solver), then let every product switch to a technique that is cheaper at those values.
// Costs only fall, the choices are finite, and in a productive economy it ends in a handful of rounds, each
// an exact solve; the values then satisfy the fixed point above, which is the dual of the min-cost LP.
import type { CsrMatrix } from '../sparse/csr';
import type { TechniqueSet, TechniquesByProduct } from './technique-set';
import { choiceMatrix, stopRequested, warmFixedPoint } from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

export interface PolicyOptions {
  /** Relative residual of each value solve (default 1e-12). */
  tolerance?: number;
  /** A technique must be cheaper by this fraction of the value to replace the current one (default 1e-9). */
  switchTolerance?: number;
  maxRounds?: number;
  /** Starting choice; without it, the techniques cheapest at `guess` (or by direct cost). */
  policy?: Int32Array;
  /** Values to start the first solve from (a previous answer). */
  guess?: Float64Array;
  /** Orders shared with other solves of the same problem (filled on first use). */
  orders?: OrderCache;
}

export type PolicyResult =
  | {
      status: 'optimal';
      policy: Int32Array;
      values: Float64Array;
      /** B of the chosen techniques (row p = inputs of p's technique). */
      matrix: CsrMatrix;
      rounds: number;
      sweeps: number;
      residual: number;
    }
  | {
      /** 'stopped': a solve was ended by the caller's stop (a time limit or an abort). */
      status: 'not-productive' | 'not-converged' | 'stopped';
      rounds: number;
      sweeps: number;
      residual: number;
    };

/** Full cost of technique j at values v: cⱼ + Σᵢ aᵢⱼ vᵢ. */
export function techniqueCost(set: TechniqueSet, cost: Float64Array, v: Float64Array, j: number): number {
  const { start, index, value } = set.inputs;
  let s = cost[j]!;
  for (let e = start[j]!; e < start[j + 1]!; e++) s += value[e]! * v[index[e]!]!;
  return s;
}

/** Replaces each product's technique by the cheapest at v when it is cheaper by the tolerance; returns the count. */
export function switchCheaper(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  cost: Float64Array,
  v: Float64Array,
  policy: Int32Array,
  tolerance = 1e-9,
): number {
  let switched = 0;
  for (let p = 0; p < set.products; p++) {
    const from = byProduct.start[p]!;
    const to = byProduct.start[p + 1]!;
    if (to - from < 2) continue;
    const current = policy[p]!;
    const currentCost = techniqueCost(set, cost, v, current);
    let best = current;
    let bestCost = currentCost;
    for (let k = from; k < to; k++) {
      const j = byProduct.techs[k]!;
      if (j === current) continue;
      const c = techniqueCost(set, cost, v, j);
      if (c < bestCost) [best, bestCost] = [j, c];
    }
    if (best !== current && bestCost < currentCost - tolerance * Math.abs(currentCost)) {
      policy[p] = best;
      switched++;
    }
  }
  return switched;
}

/** The starting choice: cheapest at `v` when given, else cheapest in direct cost. */
function initialPolicy(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  cost: Float64Array,
  v: Float64Array | undefined,
): Int32Array {
  const policy = new Int32Array(set.products);
  const zero = new Float64Array(set.products);
  for (let p = 0; p < set.products; p++) {
    let best = -1;
    let bestCost = Infinity;
    for (let k = byProduct.start[p]!; k < byProduct.start[p + 1]!; k++) {
      const j = byProduct.techs[k]!;
      const c = techniqueCost(set, cost, v ?? zero, j);
      if (best < 0 || c < bestCost) [best, bestCost] = [j, c];
    }
    policy[p] = best;
  }
  return policy;
}

/** Values and the technique choice that minimises every product's full cost (every product needs a technique). */
export function choosePolicy(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  cost: Float64Array,
  options: PolicyOptions = {},
): PolicyResult {
  const tolerance = options.tolerance ?? 1e-12;
  const switchTolerance = options.switchTolerance ?? 1e-9;
  const maxRounds = options.maxRounds ?? 100;
  const policy = options.policy?.slice() ?? initialPolicy(set, byProduct, cost, options.guess);
  // A starting choice and values from nearby (another price of the limited input): switch the techniques
  // that are cheaper at those values before the first solve, which then often is the last. Any start is
  // exact: the loop below still ends only when no technique is cheaper at the exact values of the choice.
  if (options.policy && options.guess)
    switchCheaper(set, byProduct, cost, options.guess, policy, switchTolerance);
  let guess: Float64Array | null = options.guess ?? null;
  let sweeps = 0;
  let residual = Infinity;
  // One right-hand side for every round (the solves copy it): a fresh one each round was 80 MB of new pages
  // at 10⁷ products.
  const b = new Float64Array(policy.length);
  for (let round = 1; round <= maxRounds; round++) {
    // Before the choice's matrix is built (no sweep to ask during it).
    if (stopRequested(options.orders)) return { status: 'stopped', rounds: round, sweeps, residual };
    const matrix = choiceMatrix(set, policy, options.orders);
    for (let p = 0; p < policy.length; p++) b[p] = cost[policy[p]!]!;
    const solved = warmFixedPoint(matrix, b, guess, tolerance, false, options.orders);
    sweeps += solved.iterations;
    residual = solved.residual;
    if (solved.status !== 'converged') {
      const status =
        solved.status === 'stopped'
          ? 'stopped'
          : solved.status === 'diverged' || solved.growth >= 1
            ? 'not-productive'
            : 'not-converged';
      return { status, rounds: round, sweeps, residual };
    }
    if (switchCheaper(set, byProduct, cost, solved.x, policy, switchTolerance) === 0)
      return { status: 'optimal', policy, values: solved.x, matrix, rounds: round, sweeps, residual };
    guess = solved.x;
  }
  return { status: 'not-converged', rounds: maxRounds, sweeps, residual };
}
