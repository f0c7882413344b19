// The minimum-cost plan with choice of technique and at most one limited input, solved exactly without an LP.
//
// Without a limit the non-substitution theorem applies: one choice of technique (policy-iteration.ts) is
// cheapest for every final demand, and the balance x = Bᵀx + d of that choice is the optimal plan.
// With one limited input (budget L, use uⱼ per unit) the Lagrangian dual is one-dimensional: at a price μ
// the costs are cⱼ + μ·uⱼ, the inner problem is again a technique choice, and its plan uses S(μ), a
// non-increasing step function. g(μ) = min over choices of W + μ(S − L) is concave and piecewise linear, one
// line per choice; Kelley's cutting planes (the intersection of the two lines that bracket L) reach the kink
// μ* where a choice using more than L and one using at most L are both optimal. Their mix using exactly L
// meets the demand exactly and satisfies complementary slackness with (v(μ*), μ*): the LP optimum.
import type { CsrMatrix } from '../sparse/csr';
import { keptKinkPrice, kinkPrice } from './kink-price';
import type { KinkCache } from './kink-price';
import { along, predictedPrice, pricedCost } from './parametric-price';
import { choosePolicy, switchCheaper } from './policy-iteration';
import type { PolicyOptions } from './policy-iteration';
import type { TechniqueSet, TechniquesByProduct } from './technique-set';
import { techniquesByProduct } from './technique-set';
import { choiceMatrix, lendSpareArrays, releaseCache, stopWhen, warmFixedPoint } from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

export interface TechniqueChoiceProblem {
  set: TechniqueSet;
  /** Objective cost per unit of each technique (weighted direct labour), ≥ 0. */
  cost: Float64Array;
  /** Net output wanted per product, ≥ 0. */
  demand: Float64Array;
  /** The one limited input: use per unit of each technique, and the amount available. */
  limit?: { use: Float64Array; available: number };
}

export interface TechniqueChoiceOptions {
  /** Relative residual of every value and balance solve (default 1e-12). */
  tolerance?: number;
  signal?: AbortSignal;
  /** performance.now() after which to stop with 'time-limit'. */
  deadline?: number;
  onEvaluation?: (e: { evaluation: number; price: number; used: number }) => void;
  /**
   * A previous answer to start from: its values, its price of the limited input, its technique levels, and
   * (when it came from this solver) the choices it mixed with their outputs (`ends` of the result).
   */
  warm?: { values: Float64Array; price: number; activity: Float64Array; ends?: ChoiceEnd[] };
  maxEvaluations?: number;
  /** Orders to share across calls on the same technique set (a replan); filled on first use. */
  orders?: OrderCache;
}

/** One choice of technique per product and the gross outputs of its balance. */
export interface ChoiceEnd {
  policy: Int32Array;
  output: Float64Array;
}

export type WarmChoices = 'kept' | 'rebuilt' | 'none';

export type TechniqueChoiceFailure =
  'infeasible' | 'not-productive' | 'not-converged' | 'cancelled' | 'time-limit';

export type TechniqueChoiceResult =
  | {
      status: 'optimal';
      /** Level of each technique. */
      activity: Float64Array;
      /** Values vₚ: the cost of one more unit of net output of p (the targets' shadow prices). */
      values: Float64Array;
      /** μ*: the limited input's shadow price (0 when it does not bind). */
      price: number;
      objective: number;
      used: number;
      /** The choice the plan runs, or the two it mixes (using more, then at most the limited input). */
      ends: ChoiceEnd[];
      /**
       * Where the two choices of a warm start with a limit came from: the previous answer's kept `ends`, or
       * rebuilt from its technique levels; 'none' when no choices were taken from a warm start.
       */
      warmChoices: WarmChoices;
      /** Whether the search started from a predicted kink (the previous pair's lines met far away). */
      predicted: boolean;
      /** Whether the change moved both of the previous answer's choices to one side of the limit. */
      unbracketed: boolean;
      /** Steps (lines, then evaluations) spent widening the predicted bracket when the guess missed it on one side. */
      widened: number;
      evaluations: number;
      sweeps: number;
      residual: number;
    }
  | {
      status: TechniqueChoiceFailure;
      message: string;
      evaluations: number;
      sweeps: number;
      residual: number;
    };

/** One technique choice at one price: its values, its plan, and that plan's cost W and limited use S. */
interface Evaluation {
  price: number;
  policy: Int32Array;
  values: Float64Array;
  output: Float64Array;
  cost: number;
  used: number;
}

/** Where an evaluation starts: a nearby evaluation, or a previous answer (whose choice is rebuilt from its values). */
type Start = Pick<Evaluation, 'values'> & { policy: Int32Array | null; output?: Float64Array };

interface Failure {
  status: TechniqueChoiceFailure;
  message: string;
}
const failure = (status: TechniqueChoiceFailure, message: string): Failure => ({ status, message });

/** Two lines of g meet within this share of g: the kink is reached. */
const KINK_TOLERANCE = 1e-10;
/** From a previous price, the bracket is sought at price·(1 ± 10⁻³·4ᵏ), k < 6. */
const WARM_FIRST_STEP = 1e-3;
const WARM_STEPS = 6;
/**
 * When the previous pair's lines meet further than this share from the previous price, a replan first predicts
 * the kink (parametric-price.ts) and brackets it at ±WIDTH of the prediction.
 */
const FAR = 0.5;
const WIDTH = 1e-4;
/** When both ends of that bracket fall on one side, it widens on that side to ±4ᵏ·WIDTH, k ≤ this. */
const WIDEN_STEPS = 6;

/** Solves min Σⱼ cⱼxⱼ s.t. net output ≥ demand and, when given, Σⱼ uⱼxⱼ ≤ available, over x ≥ 0. */
export function solveTechniqueChoice(
  problem: TechniqueChoiceProblem,
  options: TechniqueChoiceOptions = {},
): TechniqueChoiceResult {
  const orders: OrderCache = options.orders ?? {};
  // Copies pushed out of the cache during this solve lend their memory to the next ones (warm-fixed-point.ts).
  lendSpareArrays(orders);
  // The time limit and the abort hold within a solve too (one took seconds at 10⁶ products), not only between
  // evaluations: each solve's sweeps ask.
  const { signal, deadline } = options;
  if (signal !== undefined || deadline !== undefined)
    stopWhen(
      orders,
      () => signal?.aborted === true || (deadline !== undefined && performance.now() > deadline),
    );
  try {
    return solveWithCache(problem, options, orders);
  } finally {
    releaseCache(orders);
  }
}

function solveWithCache(
  problem: TechniqueChoiceProblem,
  options: TechniqueChoiceOptions,
  orders: OrderCache,
): TechniqueChoiceResult {
  const { set, demand, limit } = problem;
  const tolerance = options.tolerance ?? 1e-12;
  const byProduct = techniquesByProduct(set);
  const nT = set.techProduct.length;
  let evaluations = 0;
  let sweeps = 0;
  let residual = 0;
  let warmChoices: WarmChoices = 'none';
  let predicted = false;
  let unbracketed = false;
  let widened = 0;
  const kinks: KinkCache = { orders, demand };
  // One copy of the demand for every balance this solve remembers (keptBalance compares a later demand with it).
  let demandCopy: Float64Array | undefined;
  const solvedDemand = () => (demandCopy ??= demand.slice());
  const done = <T extends object>(r: T) => ({ ...r, evaluations, sweeps, residual });

  /** The cheapest choice at price μ of the limited input (or at cost `pure` alone), and its plan. */
  const evaluate = (price: number, near: Start | null, pure?: Float64Array): Evaluation | Failure => {
    evaluations++;
    let cost = pure;
    if (cost === undefined) {
      cost = limit ? pricedCost(problem.cost, limit.use, price) : Float64Array.from(problem.cost);
    }
    const policyOptions: PolicyOptions = { tolerance, orders };
    if (near?.policy) policyOptions.policy = near.policy;
    if (near && pure === undefined) policyOptions.guess = near.values;
    const chosen = choosePolicy(set, byProduct, cost, policyOptions);
    sweeps += chosen.sweeps;
    if (chosen.status === 'stopped') return stopped() ?? failure('time-limit', 'the time limit was reached');
    residual = Math.max(residual, chosen.residual);
    if (chosen.status !== 'optimal')
      return failure(
        chosen.status,
        `the values did not converge (${chosen.status}, residual ${chosen.residual})`,
      );
    const balance =
      keptBalance(set, chosen.policy, demand, near?.output, tolerance) ??
      remember(set, chosen.policy, solvedDemand(), tolerance, near?.output ?? null, orders, chosen.matrix);
    sweeps += balance.iterations;
    if (balance.status === 'stopped') return stopped() ?? failure('time-limit', 'the time limit was reached');
    residual = Math.max(residual, balance.residual);
    if (balance.status !== 'converged')
      return failure(
        'not-productive',
        `the balance of the chosen techniques did not converge (${balance.status})`,
      );
    const w = weighed(chosen.policy, problem.cost, balance.x);
    const s = limit ? weighed(chosen.policy, limit.use, balance.x) : 0;
    const e = { price, policy: chosen.policy, values: chosen.values, output: balance.x, cost: w, used: s };
    options.onEvaluation?.({ evaluation: evaluations, price, used: s });
    return e;
  };
  /**
   * An end of Kelley's bracket at `price` without a policy iteration: the choice that `near` (an evaluation at a
   * nearby price, another line, or the old choice at the predicted price) switches to at its values moved along
   * `slope` (the skill content, the values' slope while the choice stays), and that choice's balance solved from
   * near's, whose residual lies on the switched products' inputs only (a few sweeps, where a policy iteration's values and a balance from the old answer
   * took 19 at the 10⁵ hub). Its line W + μ(S − L) bounds the dual function from above like any choice's, which
   * is all Kelley asks of a bracket's end; its values are a start for the evaluations between, never an
   * answer (finish takes the values of an evaluation). Null when nothing switches or the balance fails.
   */
  const lineFrom = (near: Evaluation, price: number, slope: Float64Array): Evaluation | null => {
    const values = along(near.values, slope, price - near.price);
    const cost = limit ? pricedCost(problem.cost, limit.use, price) : Float64Array.from(problem.cost);
    const policy = near.policy.slice();
    if (switchCheaper(set, byProduct, cost, values, policy) === 0) return null;
    const matrix = choiceMatrix(set, policy, orders);
    const balance = remember(set, policy, solvedDemand(), tolerance, near.output, orders, matrix);
    sweeps += balance.iterations;
    if (balance.status !== 'converged') return null;
    residual = Math.max(residual, balance.residual);
    const w = weighed(policy, problem.cost, balance.x);
    const u = limit ? weighed(policy, limit.use, balance.x) : 0;
    return { price, policy, values, output: balance.x, cost: w, used: u };
  };
  const stopped = () =>
    options.signal?.aborted === true
      ? failure('cancelled', 'cancelled')
      : options.deadline !== undefined && performance.now() > options.deadline
        ? failure('time-limit', 'the time limit was reached')
        : null;

  /** The plan mixing a (using more than L) and b (at most L) to use exactly L, priced at `at`. */
  const finish = (at: Evaluation, a: Evaluation, b: Evaluation | null) => {
    let { price, values } = at;
    if (b !== null && limit !== undefined) {
      const kink = kinkPrice(set, problem.cost, limit.use, a, b, tolerance, orders, kinks);
      // A solve ended by the time limit gives no kink: the answer would be short of its accuracy.
      const stop = stopped();
      if (stop !== null) return done(stop);
      if (kink !== null) {
        sweeps += kink.sweeps;
        residual = Math.max(residual, kink.residual);
        // The values are linear in the price while the choice stays: solve them again at the better price
        // from those at the old one (its residual is the price's change times the skill's use).
        if (Math.abs(kink.price - price) > tolerance * Math.abs(price)) {
          const c = new Float64Array(set.products);
          for (let p = 0; p < set.products; p++) {
            const j = at.policy[p]!;
            c[p] = problem.cost[j]! + kink.price * limit.use[j]!;
          }
          const again = warmFixedPoint(
            choiceMatrix(set, at.policy, orders),
            c,
            values,
            tolerance,
            false,
            orders,
          );
          sweeps += again.iterations;
          if (again.status === 'stopped')
            return done(stopped() ?? failure('time-limit', 'the time limit was reached'));
          if (again.status === 'converged') {
            residual = Math.max(residual, again.residual);
            price = kink.price;
            values = again.x;
          }
        } else price = kink.price;
      }
    }
    // Keep the answer's choices (and their permuted copies) in the cache last: a replan starts from them.
    if (b !== null) choiceMatrix(set, b.policy, orders);
    choiceMatrix(set, a.policy, orders);
    const activity = new Float64Array(nT);
    const theta = b === null || limit === undefined ? 1 : (limit.available - b.used) / (a.used - b.used);
    for (let p = 0; p < set.products; p++) {
      activity[a.policy[p]!]! += theta * a.output[p]!;
      if (b !== null && theta < 1) activity[b.policy[p]!]! += (1 - theta) * b.output[p]!;
    }
    const objective = b === null ? a.cost : theta * a.cost + (1 - theta) * b.cost;
    const used = b === null ? a.used : theta * a.used + (1 - theta) * b.used;
    return done({
      status: 'optimal' as const,
      activity,
      values,
      price,
      objective,
      used,
      ends: (b === null ? [a] : [a, b]).map((e) => ({ policy: e.policy, output: e.output })),
      warmChoices,
      predicted,
      unbracketed,
      widened,
    });
  };

  const maxEvaluations = options.maxEvaluations ?? 200;
  /** Kelley's cutting planes from lo (using more than L) and hi (at most L); null after too many evaluations. */
  const kelley = (lo: Evaluation, hi: Evaluation): TechniqueChoiceResult | null => {
    const L = limit!.available;
    const slack = KINK_TOLERANCE * Math.max(1, Math.abs(L));
    while (evaluations < maxEvaluations) {
      const stop = stopped();
      if (stop !== null) return done(stop);
      // The lines' intersection; from a kept difference when lo and hi are a pair solved before (a replan after
      // a labour change that leaves the kink between them), so that this step's evaluation is the exact answer.
      const crossing =
        keptKinkPrice(set, problem.cost, limit!.use, lo, hi, tolerance, kinks) ??
        (hi.cost - lo.cost) / (lo.used - hi.used);
      // The price is sought over μ ≥ 0. Lines of choices optimal at their prices cross there, but a warm
      // start's old choices are priced under the new costs without being optimal at any price, and after a
      // change that frees the limited input their lines can cross below zero (a replan then converged on a
      // negative price to a plan 0.3 % dearer than the optimum). Every line still bounds the dual function
      // from above, so the model's best over μ ≥ 0 is at 0, where the lower of the two lines is the bound.
      const price = Math.max(0, crossing);
      const model =
        price === crossing
          ? lo.cost + price * (lo.used - L)
          : Math.min(lo.cost + price * (lo.used - L), hi.cost + price * (hi.used - L));
      const c = evaluate(price, between(lo, hi, price, options.warm?.values));
      if (!('policy' in c)) return done(c);
      if (Math.abs(c.used - L) <= slack) return finish(c, c, null);
      // At price 0 a plan within the limit is optimal on its own: the limit does not bind.
      if (price === 0 && c.used <= L) return finish(c, c, null);
      const line = c.cost + price * (c.used - L);
      const onKink = model - line <= KINK_TOLERANCE * Math.max(Math.abs(model), Math.abs(c.cost));
      if (c.used > L) {
        if (onKink || samePolicy(c.policy, lo.policy)) return finish(c, c, hi);
        lo = c;
      } else {
        if (onKink || samePolicy(c.policy, hi.policy)) return finish(c, lo, c);
        hi = c;
      }
    }
    return null;
  };

  const warm = options.warm;
  const warmOutput = warm && outputOf(set, warm.activity);
  if (limit && warm && warmOutput && warm.price > 0) {
    // The previous answer mixed two choices at its kink: rebuild both, price them by their balances under the
    // new costs, and when they still bracket L let Kelley start from them (often one evaluation is left).
    // The choices themselves when the answer kept them: rebuilding them from the levels cannot tell which
    // choice a product's technique belongs to where the two differ in more than one product.
    const kept =
      warm.ends?.length === 2 &&
      warm.ends.every((e) => isChoice(set, e.policy) && e.output.length === set.products)
        ? warm.ends
        : null;
    warmChoices = kept ? 'kept' : 'rebuilt';
    const ends = kept ?? choicesOfMix(set, byProduct, warm.activity, limit.use).map((policy) => ({ policy }));
    const [a, b] = ends.map(({ policy, output }: { policy: Int32Array; output?: Float64Array }) => {
      const matrix = choiceMatrix(set, policy, orders);
      const balance =
        keptBalance(set, policy, demand, output, tolerance) ??
        remember(set, policy, solvedDemand(), tolerance, output ?? warmOutput, orders, matrix);
      sweeps += balance.iterations;
      if (balance.status !== 'converged') return null;
      residual = Math.max(residual, balance.residual);
      const w = weighed(policy, problem.cost, balance.x);
      const u = weighed(policy, limit.use, balance.x);
      return { price: warm.price, policy, values: warm.values, output: balance.x, cost: w, used: u };
    });
    const L = limit.available;
    if (a && b) {
      // The old pair's ends that still bracket L under the new costs: the choice using more than L that uses
      // the least, and the one within L that uses the most (their lines are the flattest on each side).
      const over = [a, b].filter((e) => e.used > L).sort((x, y) => x.used - y.used);
      const within = [a, b].filter((e) => e.used <= L).sort((x, y) => y.used - x.used);
      const oldLo: Evaluation | null = over[0] ?? null;
      const oldHi: Evaluation | null = within[0] ?? null;
      let lo = oldLo;
      let hi = oldHi;
      unbracketed = lo === null || hi === null;
      const far = lo && hi ? (hi.cost - lo.cost) / (lo.used - hi.used) : NaN;
      // Predicted when the old pair's lines meet far away, and also when the change moved both old choices to
      // one side of L: stepping geometrically from the old price took 5–6 evaluations before Kelley's steps
      // began (at the 10⁵ plan, the second-largest labour bill cut by 20%: 13 evaluations, 2.2 s).
      if (!(Math.abs(far - warm.price) <= FAR * warm.price)) {
        const guess = predictedPrice(set, byProduct, problem.cost, limit.use, a, warm, L, orders);
        // A guess at or below zero says the limit may no longer bind: Kelley's steps find that at price 0.
        if (guess !== null && guess.price > 0) {
          sweeps += guess.sweeps;
          predicted = true;
          // Both ends of the narrow bracket as lines, no policy iteration of their own: the near one is the old
          // choice with the techniques cheaper at the guessed values (moved along y to its price), its balance
          // solved from the old choice's; the far one what the near one switches to, as below. Kelley's step at
          // the pair's exact kink then evaluates once, and when that evaluation lands on either end it is the
          // answer (its choice is optimal at the crossing of the two lines, so both are). At the 10⁵ hub this
          // saved the near end's policy iteration (8 + 2 value sweeps) for 4 more in the step's evaluation.
          /** Keeps the tightest bracket: a new end beats the old pair, and of two on one side the nearer one. */
          const tighten = (e: Evaluation) => {
            if (e.used > L) {
              if (lo === oldLo || lo === null || e.price > lo.price) lo = e;
            } else if (hi === oldHi || hi === null || e.price < hi.price) hi = e;
          };
          const open = () => lo === oldLo || hi === oldHi || lo === null || hi === null;
          /** The kink lies above every price tried (a new end uses more than L). */
          const up = () => lo !== oldLo && lo !== null;
          /** The newest end on the open side, to start the next line or evaluation from. */
          const nearest = (): Evaluation => (up() ? lo! : hi !== oldHi && hi !== null ? hi : a);
          const onLimit = (e: Evaluation) =>
            Math.abs(e.used - L) <= KINK_TOLERANCE * Math.max(1, Math.abs(L));
          const near = lineFrom(
            { ...a, price: guess.price, values: guess.values },
            guess.price * (1 - WIDTH),
            guess.slope,
          );
          if (near !== null) {
            tighten(near);
            const beyond = near.used > L ? lineFrom(near, guess.price * (1 + WIDTH), guess.slope) : null;
            if (beyond !== null) tighten(beyond);
          }
          // Both ends of the narrow bracket on one side of the kink: the guess was off by more than WIDTH. Step
          // away from it geometrically on that side (±4ᵏ·WIDTH) until the kink is bracketed, rather than leave
          // Kelley between a near end and an old far one: from such a pair its steps crept in by halves (the 10⁵
          // plan's fifth-largest labour bill cut by 20%: 11 steps from a guess 1.6e-3 below the kink). Each step
          // is first a line from the newest end (what its values, moved along y, switch to: no policy
          // iteration), and an evaluation once no technique switches.
          let k = 0;
          const nextPrice = () => guess.price * (1 + (up() ? 1 : -1) * WIDTH * 4 ** (k + 1));
          // Never past an old end on that side: Kelley's steps from it do as well.
          const pastOld = (price: number) =>
            up() ? hi !== null && price >= hi.price : price <= 0 || (lo !== null && price <= lo.price);
          while (near !== null && open() && k < WIDEN_STEPS && !pastOld(nextPrice())) {
            const line = lineFrom(nearest(), nextPrice(), guess.slope);
            if (line === null) break;
            k++;
            widened++;
            tighten(line);
          }
          /** An evaluation at `price`, started from the guessed values moved there (linear in the price). */
          const around = (price: number) => {
            const values = along(guess.values, guess.slope, price - guess.price);
            const from = nearest();
            return evaluate(price, { values, policy: from.policy, output: from.output });
          };
          // Without a near line, a narrow bracket of evaluations around the guess.
          for (const side of near === null ? [-1, 1] : []) {
            const price = guess.price * (1 + side * WIDTH);
            // The far end from the near one's choice when that one uses more than L (the usual case): only the
            // line of the choice the near values switch to, with its balance solved from the near one's.
            const line = side === 1 && up() ? lineFrom(lo!, price, guess.slope) : null;
            if (line !== null && line.used <= L) {
              tighten(line);
              continue;
            }
            const e = around(price);
            if (!('policy' in e)) return done(e);
            if (onLimit(e)) return finish(e, e, null);
            tighten(e);
          }
          while (open() && k < WIDEN_STEPS && !pastOld(nextPrice())) {
            const e = around(nextPrice());
            k++;
            widened++;
            if (!('policy' in e)) return done(e);
            if (onLimit(e)) return finish(e, e, null);
            tighten(e);
          }
        }
      }
      if (lo !== null && hi !== null) {
        // When both ends are new and close (the prediction's narrow bracket), the kink's difference is solved
        // now rather than after Kelley's step: the step is then taken at the exact kink price (keptKinkPrice),
        // its evaluation is the answer, and finish neither solves the difference nor the values again.
        if (predicted && lo !== oldLo && hi !== oldHi) {
          const kink = kinkPrice(set, problem.cost, limit.use, lo, hi, tolerance, orders, kinks);
          if (kink !== null) {
            sweeps += kink.sweeps;
            residual = Math.max(residual, kink.residual);
          }
          const stop = stopped();
          if (stop !== null) return done(stop);
        }
        const r = kelley(lo, hi);
        if (r !== null) return r;
      }
    }
  }
  const start = evaluate(
    limit ? (warm?.price ?? 0) : 0,
    warm === undefined ? null : { values: warm.values, policy: null, output: warmOutput },
  );
  if (!('policy' in start)) return done(start);
  if (limit === undefined) return finish(start, start, null);
  const L = limit.available;
  const slack = KINK_TOLERANCE * Math.max(1, Math.abs(L));
  if (start.price === 0 && start.used <= L + slack) return finish(start, start, null);

  // Bracket L: lo uses more than L, hi at most L. From a previous price, step away from it geometrically
  // (a small change moves the kink a little); otherwise, or when that fails, take the ends: price 0 and the
  // choice using the least of the limited input (which also proves the plan infeasible when it needs more than L).
  let lo: Evaluation | null = start.used > L + slack ? start : null;
  let hi: Evaluation | null = lo === null ? start : null;
  for (let k = 0; k < WARM_STEPS && (lo === null || hi === null) && start.price > 0; k++) {
    const step = WARM_FIRST_STEP * 4 ** k;
    const e = evaluate(lo === null ? Math.max(0, start.price * (1 - step)) : start.price * (1 + step), start);
    if (!('policy' in e)) return done(e);
    if (e.used > L + slack) lo = e;
    else if (e.price === 0) return finish(e, e, null);
    else hi = e;
  }
  if (lo === null) {
    const zero = evaluate(0, hi);
    if (!('policy' in zero)) return done(zero);
    if (zero.used <= L + slack) return finish(zero, zero, null);
    lo = zero;
  }
  if (hi === null) {
    const least = evaluate(0, lo, limit.use);
    if (!('policy' in least)) return done(least);
    if (least.used > L + slack)
      return done(
        failure(
          'infeasible',
          `the limited input is short: the least-using plan needs ${least.used}, ${L} available`,
        ),
      );
    // The end of the line: the choice optimal as the price grows without bound.
    hi = { ...least, price: Infinity };
  }

  return (
    kelley(lo, hi) ??
    done(failure('not-converged', `no price of the limited input found in ${maxEvaluations} evaluations`))
  );
}

/**
 * Balances this module solved, by their output array: a choice's balance depends on its inputs and the demand
 * only, never on costs or the limited input, so after a labour change a replan's kept choices (and a Kelley
 * step that ends on one of them) have theirs already: checking it again cost a pass over the matrix each.
 */
const solvedBalances = new WeakMap<
  Float64Array,
  {
    inputs: TechniqueSet['inputs'];
    policy: Int32Array;
    demand: Float64Array;
    residual: number;
    tolerance: number;
  }
>();

/** The balance of `policy` under `demand` when `output` is one solved here for the same, at least as tightly. */
function keptBalance(
  set: TechniqueSet,
  policy: Int32Array,
  demand: Float64Array,
  output: Float64Array | undefined,
  tolerance: number,
): { status: 'converged'; x: Float64Array; residual: number; iterations: 0 } | null {
  const kept = output && solvedBalances.get(output);
  if (!kept || kept.inputs !== set.inputs || kept.tolerance > tolerance) return null;
  if (!samePolicy(kept.policy, policy) || !sameValues(kept.demand, demand)) return null;
  return { status: 'converged', x: output, residual: kept.residual, iterations: 0 };
}

/**
 * Solves the balance of `policy` (its `matrix`, from `guess`) for `demand` (a copy this solve keeps unchanged)
 * and remembers a converged one for keptBalance. The policy is kept by reference: no caller changes a choice
 * once it is evaluated (policy iteration works on its own copy).
 */
function remember(
  set: TechniqueSet,
  policy: Int32Array,
  demand: Float64Array,
  tolerance: number,
  guess: Float64Array | null,
  orders: OrderCache,
  matrix: CsrMatrix,
) {
  const balance = warmFixedPoint(matrix, demand, guess, tolerance, true, orders);
  if (balance.status === 'converged')
    solvedBalances.set(balance.x, {
      inputs: set.inputs,
      policy,
      demand,
      residual: balance.residual,
      tolerance,
    });
  return balance;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Where to start the evaluation at `price` inside the bracket: the nearer end's choice and outputs, and the
 * values interpolated between the ends' values. Each product's value is concave and piecewise linear in the
 * price, linear where the choice stays, and near the kink the two ends differ in few products, so this guess
 * leaves a far smaller residual than the nearer end's values (off by the price step times the skill's values).
 */
function between(lo: Evaluation, hi: Evaluation, price: number, stale?: Float64Array): Start {
  const near = price - lo.price < hi.price - price ? lo : hi;
  // An end from the warm start carries the previous answer's values, under the old costs: after a labour change
  // they are off everywhere downstream of it, so the other end's (evaluated under the new costs) start alone.
  if (stale !== undefined && (lo.values === stale) !== (hi.values === stale)) {
    const fresh = lo.values === stale ? hi : lo;
    return { values: fresh.values, policy: near.policy, output: near.output };
  }
  const span = hi.price - lo.price;
  if (!(Number.isFinite(span) && span > 0) || lo.values === hi.values) return near;
  const w = (price - lo.price) / span;
  const values = new Float64Array(lo.values.length);
  for (let p = 0; p < values.length; p++) values[p] = lo.values[p]! + w * (hi.values[p]! - lo.values[p]!);
  return { values, policy: near.policy, output: near.output };
}

/** Output per product from technique levels. */
function outputOf(set: TechniqueSet, activity: Float64Array): Float64Array {
  const out = new Float64Array(set.products);
  for (let j = 0; j < activity.length; j++) out[set.techProduct[j]!]! += activity[j]!;
  return out;
}

/**
 * The two choices a mixed plan runs: where a product runs two techniques, the first takes the one using
 * more of the limited input and the second the other; where it runs none, both take its first technique.
 */
function choicesOfMix(
  set: TechniqueSet,
  byProduct: TechniquesByProduct,
  activity: Float64Array,
  use: Float64Array,
): [Int32Array, Int32Array] {
  const more = new Int32Array(set.products);
  const less = new Int32Array(set.products);
  for (let p = 0; p < set.products; p++) {
    let m = -1;
    let l = -1;
    for (let k = byProduct.start[p]!; k < byProduct.start[p + 1]!; k++) {
      const j = byProduct.techs[k]!;
      if (!(activity[j]! > 0)) continue;
      if (m < 0 || use[j]! > use[m]!) m = j;
      if (l < 0 || use[j]! < use[l]!) l = j;
    }
    const first = byProduct.techs[byProduct.start[p]!]!;
    more[p] = m < 0 ? first : m;
    less[p] = l < 0 ? first : l;
  }
  return [more, less];
}

/** True when `policy` names, for every product, one of its own techniques. */
function isChoice(set: TechniqueSet, policy: Int32Array): boolean {
  if (policy.length !== set.products) return false;
  for (let p = 0; p < policy.length; p++) {
    const j = policy[p]!;
    if (!(j >= 0 && j < set.techProduct.length) || set.techProduct[j] !== p) return false;
  }
  return true;
}

function samePolicy(a: Int32Array, b: Int32Array): boolean {
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) return false;
  return true;
}

// The loops over every product or technique that a solve runs a few times sit in small functions of typed
// arrays (weighed here; pricedCost and along in parametric-price.ts): inline in solveWithCache's closures they
// were compiled again on every solve (on-stack replacement after each new closure) and ran unoptimised
// meanwhile, allocating a heap number per step (about 50 MB a hub replan at 10⁵ products, with V8's sampling
// heap profiler).

/** Σₚ w_{policy(p)}·xₚ: a choice's cost or use of the limited input over its outputs. */
function weighed(policy: Int32Array, weight: Float64Array, x: Float64Array): number {
  let sum = 0;
  for (let p = 0; p < policy.length; p++) sum += weight[policy[p]!]! * x[p]!;
  return sum;
}
