// Reads an LP solution back into plan terms: activity levels, net outputs, shadow prices and binding limits.
//
// Shadow prices are Kantorovich's objectively determined valuations, reported with one sign convention
// for every objective: the improvement of the objective per unit of relaxation. A target's price is the
// objective gained by one more unit of net output (for min-labour: the labour it costs, i.e. the full
// labour value at the margin); a limit's price is the objective gained by one more unit of that limit.
import { harmony } from '../numeric/harmony/harmony';
import { harmonyConjugateGap } from '../numeric/harmony/harmony-pwl';
import type { LpSolution, LpStatus } from '../numeric/lp/lp';
import type { CompiledPlan } from './formulation/compiled-plan';
import { constraintName, formatAmount } from './formulation/describe';
import type { ConstraintKind } from './formulation/describe';
import { activityCol, stockCol, stockUseRow } from './formulation/plan-index';
import type { PlanFormulation } from './formulation/plan-index';
import type { PlanObjective } from './formulation/plan-spec';

export interface BindingConstraint {
  kind: ConstraintKind;
  code: string;
  period: number;
  /** Distance from the bound (≥ 0 up to the solver's tolerance). */
  slack: number;
  shadowPrice: number;
  description: string;
}

export interface SolverReport {
  name: string;
  status: LpStatus;
  iterations: number;
  residual: number;
  seconds: number;
  message?: string;
}

export interface PlanResult {
  status: LpStatus;
  /**
   * The levels below are a plan that meets every limit: an optimal answer, or the certified plan a solver
   * returns when a time or iteration limit stops it short of its tolerance (harmony-pdhg). Its objective and
   * harmony gap are then reported; prices and binding limits only with an optimal answer.
   */
  feasible: boolean;
  objective: PlanObjective;
  /**
   * The objective of the plan returned, recomputed from its activities (not the solver's figure, which a
   * first-order solver may overstate): weighted labour, Σ of λ = min net/target, or Σ H.
   */
  objectiveValue: number;
  /**
   * Harmony only: a proven bound on (true optimum of Σ H) − objectiveValue, from the LP's duals (see
   * harmony-pwl.ts) or the solver's own certificate; null for the other objectives or without a feasible plan.
   */
  harmonyGap: number | null;
  plan: CompiledPlan;
  /** Activity of technology j in period t at t·nT + j. */
  activity: Float64Array;
  /** Per product and period (t·nP + p). */
  grossOutput: Float64Array;
  netOutput: Float64Array;
  /** Labour used per skill and period (t·nS + s). */
  labourUsed: Float64Array;
  /** Investment in and level of capital stock k per period (t·nK + k). */
  investment: Float64Array;
  stock: Float64Array;
  /** λ per period for the assortment objective; empty otherwise. */
  lambda: Float64Array;
  /** H of every product with a positive target (t·nP + p), 0 elsewhere, and their sum weighted by harmonyWeight. */
  harmony: Float64Array;
  totalHarmony: number;
  prices: {
    target: Float64Array;
    skill: Float64Array;
    resource: Float64Array;
    capacity: Float64Array;
    stock: Float64Array;
  };
  binding: BindingConstraint[];
  solver: SolverReport;
}

export interface ReadOptions {
  /** Slack below tol·max(1, |bound|) counts as binding (default 1e-6). */
  bindingTolerance?: number;
  /** List binding targets too (default true; every target binds in a min-labour plan). */
  includeTargets?: boolean;
}

/**
 * Converts a solver's answer into a PlanResult; a non-optimal status gives zero levels and no prices, unless
 * the solver marks its point feasible (then the levels, objective and certified gap, still no prices).
 */
export function readPlanResult(f: PlanFormulation, sol: LpSolution, options: ReadOptions = {}): PlanResult {
  const { plan, index: ix, lp } = f;
  const tol = options.bindingTolerance ?? 1e-6;
  const { nT, nP, nS, nR, nK, periods: P } = ix;
  const ok = sol.status === 'optimal';
  const feasible = ok || sol.feasible === true;
  const x = feasible ? sol.x : new Float64Array(lp.matrix.cols);
  const sign = lp.sense === 'min' ? -1 : 1;

  // The loops over every product or technology are functions of their own taking typed arrays, and nothing
  // here makes a closure: a replan reads one result, so this function runs its loops once per call and V8
  // compiles them on the way (on-stack replacement); with every loop and closure in one function, each call
  // reached code its compiled version had no feedback for and was dropped and compiled again (--trace-deopt
  // showed five to eight compilations a read at 10⁵ products).
  const activity = x.slice(0, nT * P);
  const grossOutput = new Float64Array(nP * P);
  const netOutput = new Float64Array(nP * P);
  const labourUsed = new Float64Array(nS * P);
  for (let t = 0; t < P; t++) flowsOf(plan, activity, t, nP, nS, grossOutput, netOutput, labourUsed);
  const investment = new Float64Array(nK * P);
  const stock = new Float64Array(nK * P);
  for (let t = 0; t < P; t++) {
    for (let k = 0; k < nK; k++) {
      const c = ix.investCol[t * nK + k]!;
      if (c >= 0) {
        investment[t * nK + k] = x[c]!;
        netOutput[t * nP + plan.stocks.product[k]!]! -= x[c]!;
      }
      stock[t * nK + k] = x[stockCol(ix, k, t)]!;
    }
  }
  const lambda = plan.objective === 'assortment' ? lambdaOf(f, netOutput) : new Float64Array(0);
  const harmonyOfTargets = new Float64Array(nP * P);
  const totalHarmony = harmonyOf(plan, netOutput, harmonyOfTargets);

  // d objective / d bound, on the side a price is reported for (0 without an optimal answer or a row).
  const dual = ok ? sol.rowDual : null;
  const prices = {
    target: rowPrices(dual, -sign, null, nP * P),
    skill: rowPrices(dual, sign, ix.skillRow, ix.skillRow.length),
    resource: rowPrices(dual, sign, ix.resourceRow, ix.resourceRow.length),
    capacity: new Float64Array(nT * P),
    stock: new Float64Array(nK * P),
  };
  for (let t = 0; t < P; t++) {
    capacityPrices(f, sol, ok, x, t, tol, prices.capacity);
    for (let k = 0; k < nK; k++) prices.stock[t * nK + k] = rowPrice(dual, sign, stockUseRow(ix, k, t));
  }

  const binding: BindingConstraint[] = [];
  if (ok) {
    const act = sol.rowActivity;
    for (let t = 0; t < P; t++) {
      if (options.includeTargets ?? true) bindingTargets(f, act, prices.target, t, tol, binding);
      for (let s = 0; s < nS; s++) {
        const r = ix.skillRow[t * nS + s]!;
        if (r >= 0)
          addBinding(
            binding,
            tol,
            'skill',
            plan.skillCodes[s]!,
            t,
            lp.rowUpper[r]! - act[r]!,
            lp.rowUpper[r]!,
            prices.skill[t * nS + s]!,
          );
      }
      for (let q = 0; q < nR; q++) {
        const r = ix.resourceRow[t * nR + q]!;
        if (r >= 0)
          addBinding(
            binding,
            tol,
            'resource',
            plan.resourceCodes[q]!,
            t,
            lp.rowUpper[r]! - act[r]!,
            lp.rowUpper[r]!,
            prices.resource[t * nR + q]!,
          );
      }
      bindingCapacities(plan, activity, prices.capacity, t, tol, binding);
      for (let k = 0; k < nK; k++) {
        const j = plan.stocks.technology[k]!;
        const used = plan.stocks.perUnit[k]! * activity[t * nT + j]!;
        const code = `${plan.productCodes[plan.stocks.product[k]!]!} for ${plan.technologyCodes[j]!}`;
        addBinding(
          binding,
          tol,
          'stock',
          code,
          t,
          stock[t * nK + k]! - used,
          stock[t * nK + k]!,
          prices.stock[t * nK + k]!,
        );
      }
    }
  }

  let objectiveValue = 0;
  if (feasible && plan.objective === 'harmony') objectiveValue = totalHarmony;
  else if (feasible && plan.objective === 'assortment') {
    // λ is shared by every period unless per period: count each distinct λ column once.
    const seen = new Set<number>();
    ix.lambdaCol.forEach((c, t) => {
      if (c >= 0 && !seen.has(c)) {
        seen.add(c);
        objectiveValue += lambda[t]!;
      }
    });
  } else if (feasible) {
    for (let t = 0; t < P; t++)
      for (let s = 0; s < nS; s++) objectiveValue += plan.labourWeight[s]! * labourUsed[t * nS + s]!;
  }
  // A solver of the true concave problem brings its own bound (also when a limit stopped it: the bound holds
  // for any duals); the LP's gap comes from its duals, which mean something only at the optimum.
  const harmonyGap =
    plan.objective === 'harmony' && !ix.elastic && feasible
      ? sol.objectiveBound !== undefined
        ? Math.max(0, sol.objectiveBound - totalHarmony)
        : ok && f.pieces !== null
          ? harmonyGapOf(f, sol, totalHarmony)
          : null
      : null;

  return {
    status: sol.status,
    feasible,
    objective: plan.objective,
    objectiveValue,
    harmonyGap,
    plan,
    activity,
    grossOutput,
    netOutput,
    labourUsed,
    investment,
    stock,
    lambda,
    harmony: harmonyOfTargets,
    totalHarmony,
    prices,
    binding,
    solver: {
      name: sol.solver,
      status: sol.status,
      iterations: sol.iterations,
      residual: sol.residual,
      seconds: sol.seconds,
      ...(sol.message === undefined ? {} : { message: sol.message }),
    },
  };
}

/** Gross output, net output and labour used of period t's activities, added into the arrays. */
function flowsOf(
  plan: CompiledPlan,
  activity: Float64Array,
  t: number,
  nP: number,
  nS: number,
  grossOutput: Float64Array,
  netOutput: Float64Array,
  labourUsed: Float64Array,
): void {
  const nT = plan.techProduct.length;
  for (let j = 0; j < nT; j++) {
    const level = activity[t * nT + j]!;
    if (level === 0) continue;
    grossOutput[t * nP + plan.techProduct[j]!]! += level;
    netOutput[t * nP + plan.techProduct[j]!]! += level;
    for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
      netOutput[t * nP + plan.inputs.index[e]!]! -= plan.inputs.value[e]! * level;
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      labourUsed[t * nS + plan.labour.index[e]!]! += plan.labour.value[e]! * level;
  }
}

/** H of every product with a positive target, written into `out`; returns their weighted sum. */
function harmonyOf(plan: CompiledPlan, netOutput: Float64Array, out: Float64Array): number {
  const nP = plan.productCodes.length;
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    const target = plan.targets[i]!;
    if (target > 0) {
      // Surplus above maxSurplus earns nothing more (the plan's definition of its objective), so a product
      // that costs no limited input cannot run the total up without bound.
      out[i] = harmony(Math.min((netOutput[i]! - target) / target, plan.harmonyMaxSurplus));
      // The objective weighs each product's harmony (1 unless a priorities vote set a weight).
      total += (plan.harmonyWeight?.[i % nP] ?? 1) * out[i]!;
    }
  }
  return total;
}

/** A row's price on the reported side (`side` ±1 times its dual); 0 without duals or without the row. */
function rowPrice(dual: Float64Array | null, side: number, row: number): number {
  return dual !== null && row >= 0 ? side * dual[row]! : 0;
}

/** The prices of rows `rows` (or of rows 0 … length − 1 when null). Plain loops: Float64Array.from with a callback cost tens of milliseconds over 10⁵ targets. */
function rowPrices(
  dual: Float64Array | null,
  side: number,
  rows: Int32Array | null,
  length: number,
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rowPrice(dual, side, rows === null ? i : rows[i]!);
  return out;
}

/** Period t's capacity prices: a capacity row's, or a column bound's (the magnitude of its reduced cost) when at it. */
function capacityPrices(
  f: PlanFormulation,
  sol: LpSolution,
  ok: boolean,
  x: Float64Array,
  t: number,
  tol: number,
  out: Float64Array,
): void {
  const { index: ix, lp } = f;
  const nT = ix.nT;
  const sign = lp.sense === 'min' ? -1 : 1;
  const dual = ok ? sol.rowDual : null;
  for (let j = 0; j < nT; j++) {
    const c = activityCol(ix, j, t);
    const row = ix.capacityRow[t * nT + j]!;
    if (row >= 0) out[t * nT + j] = rowPrice(dual, sign, row);
    else if (
      ok &&
      Number.isFinite(lp.colUpper[c]!) &&
      lp.colUpper[c]! - x[c]! <= tol * Math.max(1, lp.colUpper[c]!)
    ) {
      out[t * nT + j] = Math.abs(sol.colDual[c]!);
    }
  }
}

/** Period t's binding targets. */
function bindingTargets(
  f: PlanFormulation,
  act: Float64Array,
  price: Float64Array,
  t: number,
  tol: number,
  binding: BindingConstraint[],
): void {
  const { plan, lp } = f;
  const nP = plan.productCodes.length;
  for (let p = 0; p < nP; p++) {
    const i = t * nP + p;
    if (plan.targets[i]! > 0)
      addBinding(
        binding,
        tol,
        'target',
        plan.productCodes[p]!,
        t,
        act[i]! - lp.rowLower[i]!,
        plan.targets[i]!,
        price[i]!,
      );
  }
}

/** Period t's binding capacities. */
function bindingCapacities(
  plan: CompiledPlan,
  activity: Float64Array,
  price: Float64Array,
  t: number,
  tol: number,
  binding: BindingConstraint[],
): void {
  const nT = plan.technologyCodes.length;
  for (let j = 0; j < nT; j++) {
    const cap = plan.techCapacity[t * nT + j]!;
    if (Number.isFinite(cap))
      addBinding(
        binding,
        tol,
        'capacity',
        plan.technologyCodes[j]!,
        t,
        cap - activity[t * nT + j]!,
        cap,
        price[t * nT + j]!,
      );
  }
}

/** Adds the limit when its slack is within tolerance of its bound. */
function addBinding(
  binding: BindingConstraint[],
  tol: number,
  kind: ConstraintKind,
  code: string,
  t: number,
  slack: number,
  bound: number,
  price: number,
): void {
  if (slack > tol * Math.max(1, Math.abs(bound))) return;
  // A zero limit left unused (a capacity of 0, an empty stock) binds only in a degenerate sense.
  if (bound === 0 && Math.abs(price) <= tol) return;
  binding.push(new LazyBinding(kind, code, t + 1, Math.max(0, slack), price));
}

/**
 * A binding constraint whose description is written when read: a min-labour plan binds every target, and
 * formatting 10⁵ shadow prices (Intl) cost 0.2 s of CPU of every plan read, replans included, which most
 * readers never look at. A prototype getter (an own one per object measured slower than formatting): JSON
 * sees the words through toJSON; what crosses a structured clone or is stored goes through plainBinding.
 */
class LazyBinding implements BindingConstraint {
  constructor(
    readonly kind: ConstraintKind,
    readonly code: string,
    readonly period: number,
    readonly slack: number,
    readonly shadowPrice: number,
  ) {}

  get description(): string {
    return `${constraintName(this.kind, this.code, this.period)} is binding (shadow price ${formatAmount(this.shadowPrice)})`;
  }

  toJSON(): BindingConstraint {
    return plainBinding(this);
  }
}

/** A binding constraint as a plain object with its description written out (for a record or a worker's reply). */
export function plainBinding(b: BindingConstraint): BindingConstraint {
  const { kind, code, period, slack, shadowPrice, description } = b;
  return { kind, code, period, slack, shadowPrice, description };
}

/** λ per period recomputed from net output: the smallest share of a target met in its group of periods. */
function lambdaOf(f: PlanFormulation, netOutput: Float64Array): Float64Array {
  const { plan, index: ix } = f;
  const { nP, periods: P } = ix;
  const byColumn = new Map<number, number>();
  for (let t = 0; t < P; t++) {
    const c = ix.lambdaCol[t]!;
    if (c < 0) continue;
    let least = byColumn.get(c) ?? Infinity;
    for (let p = 0; p < nP; p++) {
      const target = plan.targets[t * nP + p]!;
      if (target > 0) least = Math.min(least, netOutput[t * nP + p]! / target);
    }
    byColumn.set(c, least);
  }
  return Float64Array.from(ix.lambdaCol, (c) => (c >= 0 ? Math.max(0, byColumn.get(c) ?? 0) : 0));
}

/**
 * Certified distance to the true harmony optimum: LP value + Σ conjugate gaps at the balance rows' duals
 * bounds the optimum from above (harmony-pwl.ts); the plan achieves totalHarmony.
 */
function harmonyGapOf(f: PlanFormulation, sol: LpSolution, totalHarmony: number): number {
  const { plan, index: ix, pieces } = f;
  let bound = sol.objective;
  for (const i of ix.harmonyTarget) {
    // rowDual is d objective / d bound of "net − Σ segments ≥ 0": the price of one unit of net output;
    // in fulfilment units (objective per unit of s) it is that price times the target.
    const q = Math.max(0, -sol.rowDual[i]!) * plan.targets[i]!;
    // With weight w the term is w·H: its conjugate gap at q is w times H's at q / w (none when w = 0).
    const w = plan.harmonyWeight?.[i % plan.productCodes.length] ?? 1;
    if (w > 0) bound += w * harmonyConjugateGap(pieces!, q / w);
  }
  return Math.max(0, bound - totalHarmony);
}
