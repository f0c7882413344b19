// Harmony plans whose capital stocks link the years, by a first-order method on the concave problem itself
// (numeric/harmony/harmony-pdhg.ts: PDHG with the proximal map of each harmony term, no breakpoints), and
// certified the way the exact solvers are: a feasible plan and a Lagrangian dual bound on the true optimum.
//
// Problem. The formulation's LP without its segment columns: activities x, investments I and stocks K with
// their rows (balance, labour and resource limits, stock use b·x ≤ K, K ≤ (1 − d)·K₋₁ + I₋lag, K₁ ≤ initial),
// plus one column y per harmony target in its balance row (net output ≥ y), earning w·H((y − T)/T) on
// 0 ≤ y ≤ (1 + sMax)·T: the same plans, the true concave objective with its surplus cap.
//
// Certificate, checked every CHECK_EVERY iterations; the run stops when it closes to the tolerance.
//  - Lower bound: the iterate repaired into a feasible plan, year by year. Stocks are the most the earlier
//    (repaired) investment allows; the year's final demand (the iterate's y, clipped to its box, plus its
//    investment) gives gross output x = (I − A)⁻¹·demand (one technology per product, a productive table:
//    the Neumann series, A ≥ 0); then x, y and investment are scaled by the one factor α ≤ 1 that fits every
//    limit and every stock. The plan meets every row by construction; its true harmony F is recomputed.
//  - Upper bound: for any row duals, weak duality gives the optimum ≤ Σ_rows (dual · its bound)
//    + Σ_columns max over the column's box of (reduced cost · value) + Σ_targets φ(q), φ the harmony term's
//    conjugate (harmony-prox.ts). Columns with no bound of their own get one every feasible plan obeys
//    (labour and stocks bound activity, activity bounds investment, investment bounds the stocks), so the
//    bound is finite for any duals and tight as they converge.
//  The gap reported is upper − F ≥ the plan's true distance from the optimum.
import { harmony } from '../../numeric/harmony/harmony';
import { runHarmonyPdhg } from '../../numeric/harmony/harmony-pdhg';
import type { HarmonyProgram } from '../../numeric/harmony/harmony-pdhg';
import { harmonyConjugate } from '../../numeric/harmony/harmony-prox';
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from '../../numeric/lp/lp';
import { lpResiduals } from '../../numeric/lp/lp-residuals';
import { pointActivity, solutionWithoutPoint } from '../../numeric/lp/lp-solution';
import { CscBuilder } from '../formulation/csc-builder';
import { eliminateStocks } from './harmony-stock-elimination';
import type { PlanFormulation } from '../formulation/plan-index';

export const HARMONY_PDHG = 'harmony-pdhg';

/** Default relative gap (to max(1, |harmony|)) at which the method stops. */
export const HARMONY_PDHG_TOLERANCE = 1e-4;
const CHECK_EVERY = 64;
/**
 * A fixed restart period: on the generated capital economies (100 and 1,000 industries × 5 years) restarting
 * every 32 iterations took 1,344 and 1,472 iterations to 1e-4 where PDLP's adaptive tests (every 64, with
 * artificial restarts after 36 % of the run) took 4,544 and 4,608; periods of 16–48 did about as well, 8 stalled.
 */
const RESTART_EVERY = 32;
const MAX_ITERATIONS = 200_000;
const NEUMANN_SWEEPS = 20_000;
/** Rounds of cutting final demand where gross output exceeds a capacity, before scaling the year. */
const CUT_ROUNDS = 4;

/**
 * x = (I − A)⁻¹·demand by the series x ← demand + A·x (A ≥ 0, productive), from the x given; false if it
 * does not settle (an unproductive table).
 */
function leontiefSolve(
  plan: PlanFormulation['plan'],
  demand: Float64Array,
  gross: Float64Array,
  next: Float64Array,
): boolean {
  const nT = plan.technologyCodes.length;
  for (let sweep = 0; sweep < NEUMANN_SWEEPS; sweep++) {
    next.set(demand);
    for (let j = 0; j < nT; j++) {
      const xj = gross[plan.techProduct[j]!]!;
      if (xj === 0) continue;
      for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
        next[plan.inputs.index[e]!]! += plan.inputs.value[e]! * xj;
    }
    let change = 0;
    let size = 0;
    for (let p = 0; p < next.length; p++) {
      change = Math.max(change, Math.abs(next[p]! - gross[p]!));
      size = Math.max(size, Math.abs(next[p]!));
    }
    gross.set(next);
    if (change <= 1e-15 * size) return true;
  }
  return false;
}

export type HarmonyPdhgVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The method needs a harmony plan (not the elastic programme) with capital stocks, one technology per product
 * (so final demand fixes gross output), non-negative coefficients and at least one target.
 */
export function harmonyPdhgApplies(f: PlanFormulation): HarmonyPdhgVerdict {
  const plan = f.plan;
  const no = (reason: string): HarmonyPdhgVerdict => ({ ok: false, reason });
  if (plan.objective !== 'harmony') return no(`the objective is ${plan.objective}, not harmony`);
  if (f.index.elastic || f.pieces === null) return no('the elastic programme is an LP');
  if (f.index.harmonyTarget.length === 0) return no('no target has a harmony term');
  if (plan.stocks.product.length === 0) return no('no capital stocks: the Leontief dual is exact');
  const nP = plan.productCodes.length;
  if (plan.technologyCodes.length !== nP) return no('some product has a choice of technique');
  const made = new Uint8Array(nP);
  for (const p of plan.techProduct) {
    if (made[p]) return no('some product has a choice of technique');
    made[p] = 1;
  }
  if (plan.inputs.value.some((a) => a < 0)) return no('an input coefficient is negative');
  if (plan.labour.value.some((a) => a < 0)) return no('a labour coefficient is negative');
  if (plan.resources.value.some((a) => a < 0)) return no('a resource coefficient is negative');
  if (plan.stocks.perUnit.some((a) => !(a > 0))) return no('a capital coefficient is not positive');
  if (plan.stocks.lag.some((l) => l < 1)) return no('a capital stock has a lag below one period');
  if (plan.harmonyWeight?.some((w) => !(w >= 0))) return no('a harmony weight is negative');
  return { ok: true };
}

/** The concave programme: the LP's columns before the segments, and one y column per harmony target. */
export function harmonyProgram(f: PlanFormulation): HarmonyProgram {
  const { lp, plan, index: ix } = f;
  const first = ix.segmentStart;
  const nQ = ix.harmonyTarget.length;
  const { colStart, rowIndex, values } = lp.matrix;
  const m = new CscBuilder(lp.matrix.rows, colStart[first]! + nQ);
  for (let c = 0; c < first; c++) {
    for (let k = colStart[c]!; k < colStart[c + 1]!; k++) m.push(rowIndex[k]!, values[k]!);
    m.endColumn();
  }
  const target = new Float64Array(nQ);
  const weight = new Float64Array(nQ);
  const harmonyCol = new Int32Array(nQ);
  const colUpper = new Float64Array(first + nQ);
  colUpper.set(lp.colUpper.subarray(0, first));
  for (let q = 0; q < nQ; q++) {
    const i = ix.harmonyTarget[q]!;
    target[q] = plan.targets[i]!;
    weight[q] = plan.harmonyWeight?.[i % ix.nP] ?? 1;
    m.push(i, -1);
    harmonyCol[q] = m.endColumn();
    colUpper[first + q] = (1 + plan.harmonyMaxSurplus) * target[q]!;
  }
  const program: LinearProgram = {
    sense: 'max',
    objective: new Float64Array(first + nQ),
    matrix: m.build(),
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    colLower: new Float64Array(first + nQ),
    colUpper,
  };
  return { lp: program, harmonyCol, target, weight, maxSurplus: plan.harmonyMaxSurplus };
}

/** What the certificate needs of the plan's structure, computed once. */
interface Structure {
  program: HarmonyProgram;
  /** Upper bounds every feasible plan obeys, per column of the program. */
  columnBound: Float64Array;
  /** The stocks each technology holds. */
  stocksOfTech: number[][];
  /** Rows every feasible plan meets that the bound keeps (see knapsackGroups), and each column's group. */
  groups: Group[];
  groupOf: Int32Array;
  chain: Chains;
}

/** The stock accumulation rows K_t ≤ (1 − d)·K_{t−1} + I_{t−lag}, kept whole in the dual bound. */
interface Chains {
  rows: Int32Array;
  /** 1 on a stock column. */
  isStock: Uint8Array;
  nK: number;
  periods: number;
  stockStart: number;
  investCol: Int32Array;
  lag: Int32Array;
  depreciation: Float64Array;
  initial: Float64Array;
}

function chainsOf(f: PlanFormulation, cols: number): Chains {
  const ix = f.index;
  const isStock = new Uint8Array(cols);
  isStock.fill(1, ix.stockStart, ix.stockStart + ix.nK * ix.periods);
  return {
    rows: ix.stockBalanceRow.filter((r) => r >= 0),
    isStock,
    nK: ix.nK,
    periods: ix.periods,
    stockStart: ix.stockStart,
    investCol: ix.investCol,
    lag: f.plan.stocks.lag,
    depreciation: f.plan.stocks.depreciation,
    initial: f.plan.stocks.initial,
  };
}

/**
 * The inner maximum over stocks, given the reduced costs without the accumulation rows' duals: a unit of
 * stock k held in period t is worth W_t = max(0, r_t + (1 − d)·W_{t+1}) (it can be let go at any time, and
 * stocks have no other bound), so the initial stock earns initial·W_1 and an investment made in period u
 * earns W_{u+lag} more, which is added to its reduced cost (for the box or knapsack term that follows).
 * Stock columns' own reduced costs are consumed here.
 */
function stockChains(s: Structure, reduced: Float64Array): number {
  const { nK, periods: P, stockStart, investCol, lag, depreciation, initial } = s.chain;
  const worth = new Float64Array(P + 1);
  let total = 0;
  for (let k = 0; k < nK; k++) {
    worth[P] = 0;
    for (let t = P - 1; t >= 0; t--)
      worth[t] = Math.max(0, reduced[stockStart + t * nK + k]! + (1 - depreciation[k]!) * worth[t + 1]!);
    total += initial[k]! * worth[0]!;
    for (let u = 0; u < P; u++) {
      const col = investCol[u * nK + k]!;
      if (col >= 0 && u + lag[k]! < P) reduced[col]! += worth[u + lag[k]!]!;
    }
  }
  return total;
}

/**
 * Upper bounds on every column that every feasible plan obeys: an activity by each limit it uses
 * (skills, resources, its capacity) and by its stocks; an investment in a product by that product's gross
 * output; a stock by its initial value and the investments that can reach it.
 */
function columnBounds(f: PlanFormulation, program: HarmonyProgram, stocksOfTech: number[][]): Float64Array {
  const { plan, index: ix } = f;
  const { nT, nS, nR, nK, periods: P } = ix;
  const bound = Float64Array.from(program.lp.colUpper);
  const stockBound = new Float64Array(nK * P);
  const grossBound = new Float64Array(ix.nP);
  for (let t = 0; t < P; t++) {
    for (let k = 0; k < nK; k++) {
      const col = ix.stockStart + t * nK + k;
      if (t === 0) stockBound[k] = plan.stocks.initial[k]!;
      else {
        let b = (1 - plan.stocks.depreciation[k]!) * stockBound[(t - 1) * nK + k]!;
        const from = t - plan.stocks.lag[k]!;
        if (from >= 0 && ix.investCol[from * nK + k]! >= 0) b += bound[ix.investCol[from * nK + k]!]!;
        stockBound[t * nK + k] = b;
      }
      bound[col] = Math.min(bound[col]!, stockBound[t * nK + k]!);
    }
    grossBound.fill(0);
    for (let j = 0; j < nT; j++) {
      let b = plan.techCapacity[t * nT + j]!;
      for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++) {
        const avail = plan.skillAvailable[t * nS + plan.labour.index[e]!]!;
        if (plan.labour.value[e]! > 0) b = Math.min(b, avail / plan.labour.value[e]!);
      }
      for (let e = plan.resources.start[j]!; e < plan.resources.start[j + 1]!; e++) {
        const avail = plan.resourceCapacity[t * nR + plan.resources.index[e]!]!;
        if (plan.resources.value[e]! > 0) b = Math.min(b, avail / plan.resources.value[e]!);
      }
      for (const k of stocksOfTech[j]!) b = Math.min(b, stockBound[t * nK + k]! / plan.stocks.perUnit[k]!);
      bound[t * nT + j] = b;
      grossBound[plan.techProduct[j]!]! += b;
    }
    for (let k = 0; k < nK; k++) {
      const col = ix.investCol[t * nK + k]!;
      if (col >= 0) bound[col] = grossBound[plan.stocks.product[k]!]!;
    }
  }
  return bound;
}

/**
 * Σ over rows of the best bound term plus Σ over columns of the best box term: weak duality. The stock
 * accumulation rows are not priced by the duals given: they stay in the inner maximisation (see stockChains),
 * which is the same as taking the best duals for them, so the bound is never looser and converges with the
 * other duals instead of waiting for the chain's.
 */
function dualBound(s: Structure, givenDual: Float64Array): number {
  const { lp, harmonyCol, target, weight, maxSurplus } = s.program;
  const { colStart, rowIndex, values } = lp.matrix;
  const minDual = Float64Array.from(givenDual);
  for (const r of s.chain.rows) minDual[r] = 0;
  let bound = 0;
  for (let i = 0; i < lp.matrix.rows; i++) {
    const y = minDual[i]!;
    // Minimisation convention: y > 0 prices the lower side. The run keeps the signs each row allows.
    if (y > 0) bound -= y * lp.rowLower[i]!;
    else if (y < 0) bound -= y * lp.rowUpper[i]!;
  }
  const isHarmony = new Int32Array(lp.matrix.cols).fill(-1);
  harmonyCol.forEach((c, h) => (isHarmony[c] = h));
  const gains = new Float64Array(lp.matrix.cols);
  const reducedOf = new Float64Array(lp.matrix.cols);
  for (let c = 0; c < lp.matrix.cols; c++) {
    let reduced = lp.objective[c]!;
    for (let k = colStart[c]!; k < colStart[c + 1]!; k++) reduced += values[k]! * minDual[rowIndex[k]!]!;
    reducedOf[c] = reduced;
  }
  bound += stockChains(s, reducedOf);
  for (let c = 0; c < lp.matrix.cols; c++) {
    if (s.chain.isStock[c] === 1) continue;
    const reduced = reducedOf[c]!;
    const h = isHarmony[c]!;
    if (h >= 0) bound += harmonyConjugate(-reduced, target[h]!, weight[h]!, maxSurplus).value;
    else if (reduced > 0) {
      if (s.groupOf[c]! >= 0) gains[c] = reduced;
      else bound += reduced * s.columnBound[c]!;
    } else bound += reduced * lp.colLower[c]!;
  }
  // Columns in a group share its row: the best use of the row's capacity (a fractional knapsack, greedy by
  // gain per unit of the row) is never more than the sum of each column's best alone.
  for (const g of s.groups) {
    const members = g.cols.filter((c) => gains[c]! > 0);
    members.sort((a, b) => gains[b]! / g.use[b]! - gains[a]! / g.use[a]!);
    let left = g.capacity;
    for (const c of members) {
      if (!(left > 0)) break;
      const take = Math.min(s.columnBound[c]!, left / g.use[c]!);
      bound += gains[c]! * take;
      left -= take * g.use[c]!;
    }
    for (const c of members) gains[c] = 0;
  }
  return bound;
}

/**
 * Rows Σ use·z ≤ capacity that every feasible plan meets, over columns with positive coefficients: a
 * period's first limited skill over its activities, and a product's investments in a period, which its
 * gross output bounds (investment is net output set aside, and net output never exceeds gross output).
 */
function knapsackGroups(
  f: PlanFormulation,
  columnBound: Float64Array,
): { groups: Group[]; groupOf: Int32Array } {
  const { plan, index: ix } = f;
  const { nT, nS, nK, periods: P } = ix;
  const groups: Group[] = [];
  const groupOf = new Int32Array(columnBound.length).fill(-1);
  const use = new Float64Array(columnBound.length);
  for (let t = 0; t < P; t++) {
    let skill = -1;
    for (let r = 0; r < nS && skill < 0; r++)
      if (Number.isFinite(plan.skillAvailable[t * nS + r]!)) skill = r;
    if (skill < 0) continue;
    const cols: number[] = [];
    for (let j = 0; j < nT; j++)
      for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
        if (plan.labour.index[e] === skill && plan.labour.value[e]! > 0) {
          cols.push(t * nT + j);
          use[t * nT + j] = plan.labour.value[e]!;
          groupOf[t * nT + j] = groups.length;
        }
    groups.push({ cols, use, capacity: plan.skillAvailable[t * nS + skill]! });
  }
  const techOf = new Int32Array(ix.nP);
  for (let j = 0; j < nT; j++) techOf[plan.techProduct[j]!] = j;
  for (let t = 0; t < P; t++) {
    const byProduct = new Map<number, number[]>();
    for (let k = 0; k < nK; k++) {
      const col = ix.investCol[t * nK + k]!;
      if (col < 0) continue;
      const p = plan.stocks.product[k]!;
      const list = byProduct.get(p) ?? [];
      list.push(col);
      byProduct.set(p, list);
    }
    for (const [p, cols] of byProduct) {
      for (const c of cols) {
        use[c] = 1;
        groupOf[c] = groups.length;
      }
      groups.push({ cols, use, capacity: columnBound[t * nT + techOf[p]!]! });
    }
  }
  return { groups, groupOf };
}

interface Group {
  cols: number[];
  /** Coefficient of each column in the group's row (indexed by column). */
  use: Float64Array;
  capacity: number;
}

interface Repaired {
  /** The program's columns (x, I, K, y), feasible. */
  z: Float64Array;
  harmony: number;
}

/** The iterate made feasible year by year (see the header); null where the table is not productive. */
function repair(f: PlanFormulation, s: Structure, z: Float64Array): Repaired | null {
  const { plan, index: ix } = f;
  const { nT, nP, nS, nR, nK, periods: P } = ix;
  const { harmonyCol, target, weight, maxSurplus } = s.program;
  const out = new Float64Array(z.length);
  const demand = new Float64Array(nP);
  const gross = new Float64Array(nP);
  const next = new Float64Array(nP);
  const yOf = new Float64Array(nP);
  const qOf = new Int32Array(nP * P).fill(-1);
  ix.harmonyTarget.forEach((i, q) => (qOf[i] = q));
  let total = 0;
  for (let t = 0; t < P; t++) {
    // Stocks: the most the repaired past allows.
    for (let k = 0; k < nK; k++) {
      const col = ix.stockStart + t * nK + k;
      if (t === 0) out[col] = plan.stocks.initial[k]!;
      else {
        let v = (1 - plan.stocks.depreciation[k]!) * out[col - nK]!;
        const from = t - plan.stocks.lag[k]!;
        if (from >= 0 && ix.investCol[from * nK + k]! >= 0) v += out[ix.investCol[from * nK + k]!]!;
        out[col] = v;
      }
    }
    // Final demand: the iterate's y (clipped to its box) plus its investments (clipped at zero).
    demand.fill(0);
    yOf.fill(0);
    for (let p = 0; p < nP; p++) {
      const q = qOf[t * nP + p]!;
      if (q < 0) continue;
      const y = Math.min(Math.max(0, z[harmonyCol[q]!]!), (1 + maxSurplus) * target[q]!);
      yOf[p] = y;
      demand[p] = y;
    }
    for (let k = 0; k < nK; k++) {
      const col = ix.investCol[t * nK + k]!;
      if (col < 0) continue;
      const v = Math.max(0, z[col]!);
      out[col] = v;
      demand[plan.stocks.product[k]!]! += v;
    }
    // Gross output x = (I − A)⁻¹·demand. Where x exceeds a technology's capacity (its own, or what its
    // stocks allow), that product's own final demand is cut by the excess (its harmony output first, then
    // its investment): (I − A)⁻¹ ≥ I, so gross output falls by at least as much, and nothing else rises.
    // A first-order iterate misses a few capacities by a little; cutting only there costs far less harmony
    // than scaling the whole year down.
    gross.set(demand);
    for (let round = 0; ; round++) {
      if (!leontiefSolve(plan, demand, gross, next)) return null;
      if (round === CUT_ROUNDS) break;
      let cut = false;
      for (let j = 0; j < nT; j++) {
        const p = plan.techProduct[j]!;
        let cap = plan.techCapacity[t * nT + j]!;
        for (const k of s.stocksOfTech[j]!)
          cap = Math.min(cap, out[ix.stockStart + t * nK + k]! / plan.stocks.perUnit[k]!);
        const excess = gross[p]! - cap;
        if (!(excess > 0)) continue;
        let left = Math.min(demand[p]!, excess * (1 + 1e-9));
        demand[p]! -= left;
        const fromY = Math.min(yOf[p]!, left);
        yOf[p]! -= fromY;
        left -= fromY;
        for (let k = 0; k < nK && left > 0; k++) {
          const col = ix.investCol[t * nK + k]!;
          if (col < 0 || plan.stocks.product[k] !== p) continue;
          const take = Math.min(out[col]!, left);
          out[col]! -= take;
          left -= take;
        }
        cut = true;
      }
      if (!cut) break;
    }
    // One factor α fits every limit and every stock (all scale with the year's demand).
    let alpha = 1;
    const fit = (use: number, avail: number) => {
      if (use > avail) alpha = Math.min(alpha, avail / use);
    };
    const skillUse = new Float64Array(nS);
    const resourceUse = new Float64Array(nR);
    for (let j = 0; j < nT; j++) {
      const xj = gross[plan.techProduct[j]!]!;
      fit(xj, plan.techCapacity[t * nT + j]!);
      for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
        skillUse[plan.labour.index[e]!]! += plan.labour.value[e]! * xj;
      for (let e = plan.resources.start[j]!; e < plan.resources.start[j + 1]!; e++)
        resourceUse[plan.resources.index[e]!]! += plan.resources.value[e]! * xj;
    }
    for (let r = 0; r < nS; r++) fit(skillUse[r]!, plan.skillAvailable[t * nS + r]!);
    for (let r = 0; r < nR; r++) fit(resourceUse[r]!, plan.resourceCapacity[t * nR + r]!);
    for (let k = 0; k < nK; k++)
      fit(
        plan.stocks.perUnit[k]! * gross[plan.techProduct[plan.stocks.technology[k]!]!]!,
        out[ix.stockStart + t * nK + k]!,
      );
    // Round-off margin: the scaled plan must meet every row in floating point too.
    if (alpha < 1) alpha *= 1 - 1e-12;
    for (let j = 0; j < nT; j++) out[t * nT + j] = alpha * gross[plan.techProduct[j]!]!;
    for (let k = 0; k < nK; k++) {
      const col = ix.investCol[t * nK + k]!;
      if (col >= 0) out[col] = alpha * out[col]!;
    }
    for (let p = 0; p < nP; p++) {
      const q = qOf[t * nP + p]!;
      if (q < 0) continue;
      const y = alpha * yOf[p]!;
      out[harmonyCol[q]!] = y;
      total += weight[q]! * harmony(Math.min((y - target[q]!) / target[q]!, maxSurplus));
    }
  }
  return { z: out, harmony: total };
}

/**
 * An LpSolver for `formulation.lp` where `harmonyPdhgApplies`; any other LP goes to `fallback`. Answers with
 * the plan in the formulation's own columns (segments filled in order) and the certified bound.
 */
export function harmonyPdhgSolver(formulation: PlanFormulation, fallback: LpSolver): LpSolver {
  return {
    name: HARMONY_PDHG,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      if (lp !== formulation.lp || !harmonyPdhgApplies(formulation).ok) return fallback.solve(lp, options);
      return solveByPdhg(formulation, options);
    },
  };
}

export interface PdhgCertificate {
  z: Float64Array;
  harmony: number;
  bound: number;
}

/** The certificate of one iterate: the repaired plan's harmony and the dual bound (exported for tests). */
export function certifyIterate(
  f: PlanFormulation,
  program: HarmonyProgram,
  z: Float64Array,
  minDual: Float64Array,
): PdhgCertificate | null {
  const s = structureOf(f, program);
  const fromIterate = repair(f, s, z);
  // The duals' own net outputs (each term's maximiser at its price) are often closer to the optimum than
  // the iterate's: repair both and keep the better plan.
  const priced = Float64Array.from(z);
  program.harmonyCol.forEach((c, h) => {
    const price = minDual[f.index.harmonyTarget[h]!]!;
    priced[c] = harmonyConjugate(price, program.target[h]!, program.weight[h]!, program.maxSurplus).y;
  });
  const fromDuals = repair(f, s, priced);
  const fixed =
    fromIterate === null || (fromDuals !== null && fromDuals.harmony > fromIterate.harmony)
      ? fromDuals
      : fromIterate;
  if (fixed === null) return null;
  const prices = leontiefPrices(f, s, minDual);
  const bound =
    prices === null ? dualBound(s, minDual) : Math.min(dualBound(s, minDual), dualBound(s, prices));
  return { z: fixed.z, harmony: fixed.harmony, bound };
}

/**
 * The duals with each year's balance prices recomputed from the others: p = Aᵀp + c, c the activity's cost
 * at the other rows' duals (labour, resources, stock use), so every activity's reduced cost is zero. Those
 * are the prices the optimum has wherever every product is made; from an iterate they carry no error of their
 * own, only that of the few cost duals, so the bound they give converges much sooner. Null where the series
 * does not settle.
 */
function leontiefPrices(f: PlanFormulation, s: Structure, minDual: Float64Array): Float64Array | null {
  const { plan, index: ix } = f;
  const { nT, nP, periods: P } = ix;
  const { colStart, rowIndex, values } = s.program.lp.matrix;
  const out = Float64Array.from(minDual);
  const cost = new Float64Array(nP);
  const price = new Float64Array(nP);
  for (let t = 0; t < P; t++) {
    const balance = t * nP;
    for (let j = 0; j < nT; j++) {
      const c = t * nT + j;
      let v = 0;
      for (let k = colStart[c]!; k < colStart[c + 1]!; k++) {
        const r = rowIndex[k]!;
        if (r >= P * nP) v += values[k]! * minDual[r]!;
      }
      cost[plan.techProduct[j]!] = -v;
    }
    // Gauss–Seidel on p_j = cost_j + Σ_i a_ij·p_i from the iterate's prices (A ≥ 0 and productive).
    for (let p = 0; p < nP; p++) price[p] = Math.max(0, minDual[balance + p]!);
    let settled = false;
    for (let sweep = 0; sweep < NEUMANN_SWEEPS && !settled; sweep++) {
      let change = 0;
      let size = 0;
      for (let j = 0; j < nT; j++) {
        const p = plan.techProduct[j]!;
        let v = cost[p]!;
        for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
          v += plan.inputs.value[e]! * price[plan.inputs.index[e]!]!;
        change = Math.max(change, Math.abs(v - price[p]!));
        size = Math.max(size, Math.abs(v));
        price[p] = v;
      }
      settled = change <= 1e-14 * size;
    }
    if (!settled) return null;
    for (let p = 0; p < nP; p++) out[balance + p] = Math.max(0, price[p]!);
  }
  return out;
}

const structures = new WeakMap<HarmonyProgram, Structure>();
function structureOf(f: PlanFormulation, program: HarmonyProgram): Structure {
  let s = structures.get(program);
  if (s === undefined) {
    const stocksOfTech: number[][] = Array.from({ length: f.index.nT }, () => []);
    for (let k = 0; k < f.index.nK; k++) stocksOfTech[f.plan.stocks.technology[k]!]!.push(k);
    const columnBound = columnBounds(f, program, stocksOfTech);
    s = {
      program,
      stocksOfTech,
      columnBound,
      ...knapsackGroups(f, columnBound),
      chain: chainsOf(f, program.lp.matrix.cols),
    };
    structures.set(program, s);
  }
  return s;
}

async function solveByPdhg(f: PlanFormulation, options: SolveOptions): Promise<LpSolution> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const program = harmonyProgram(f);
  // The method iterates on the programme without stock columns; each check maps back to the full one.
  const eliminated = eliminateStocks(f, program);
  // Built now, not in the first check: the run spaces checks by what the last one cost.
  structureOf(f, program);
  const fullZ = new Float64Array(program.lp.matrix.cols);
  const fullDual = new Float64Array(program.lp.matrix.rows);
  const tolerance = options.tolerance ?? HARMONY_PDHG_TOLERANCE;
  let best: (PdhgCertificate & { dual: Float64Array }) | null = null;
  let bestBound = Infinity;
  const run = await runHarmonyPdhg(eliminated.program, {
    maxIterations: options.maxIterations ?? MAX_ITERATIONS,
    timeLimitSeconds: options.timeLimitSeconds ?? Infinity,
    checkEvery: CHECK_EVERY,
    restartEvery: RESTART_EVERY,
    artificialShare: 0,
    ...(options.signal ? { signal: options.signal } : {}),
    check(reducedZ, reducedDual, iterations) {
      eliminated.toFull(reducedZ, reducedDual, fullZ, fullDual);
      const z = fullZ;
      const minDual = fullDual;
      const c = certifyIterate(f, program, z, minDual);
      if (c === null) return false;
      // The bound holds for every dual, so the smallest one seen is kept; the plan with the best harmony too.
      if (c.bound < bestBound) bestBound = c.bound;
      if (best === null || c.harmony > best.harmony) best = { ...c, dual: Float64Array.from(minDual) };
      const gap = bestBound - best.harmony;
      options.onProgress?.({
        iteration: iterations,
        message: `iteration ${iterations}: harmony ${best.harmony.toFixed(6)}, certified gap ${gap.toExponential(2)}`,
      });
      return gap <= tolerance * Math.max(1, Math.abs(best.harmony));
    },
  });
  if (run.stopped === 'cancelled')
    return solutionWithoutPoint(
      f.lp,
      'cancelled',
      'aborted by signal',
      HARMONY_PDHG,
      seconds(),
      run.iterations,
    );
  const found = best as (PdhgCertificate & { dual: Float64Array }) | null;
  if (found === null)
    return solutionWithoutPoint(
      f.lp,
      run.stopped === 'time-limit' ? 'time-limit' : 'iteration-limit',
      'no iterate could be repaired into a feasible plan',
      HARMONY_PDHG,
      seconds(),
      run.iterations,
    );
  return answer(f, program, found, bestBound, run, seconds(), tolerance);
}

/** The LpSolution for the formulation's LP: program columns copied, segments filled in order. */
function answer(
  f: PlanFormulation,
  program: HarmonyProgram,
  found: PdhgCertificate & { dual: Float64Array },
  bound: number,
  run: { iterations: number; stopped: string },
  seconds: number,
  tolerance: number,
): LpSolution {
  const { lp, index: ix, pieces, plan } = f;
  const first = ix.segmentStart;
  const x = new Float64Array(lp.matrix.cols);
  x.set(found.z.subarray(0, first));
  const K = ix.segmentsPerTarget;
  for (let q = 0; q < ix.harmonyTarget.length; q++) {
    const t = plan.targets[ix.harmonyTarget[q]!]!;
    let left = found.z[program.harmonyCol[q]!]!;
    for (let k = 0; k < K; k++) {
      const width = (pieces!.points[k + 1]! - pieces!.points[k]!) * t;
      const fill = Math.min(width, left);
      x[ix.segmentStart + q * K + k] = fill;
      left -= fill;
    }
  }
  // LpSolution's duals are d objective / d bound: the negated minimisation-form duals.
  const rowDual = found.dual.map((v) => -v);
  const { objective, rowActivity, colDual } = pointActivity(lp, x, rowDual);
  const gap = Math.max(0, bound - found.harmony) / Math.max(1, Math.abs(found.harmony));
  const res = lpResiduals(lp, x, rowDual);
  const reached = gap <= tolerance * (1 + 1e-12);
  return {
    status: reached ? 'optimal' : run.stopped === 'time-limit' ? 'time-limit' : 'iteration-limit',
    // Stopped short of the tolerance or not, the plan is repaired into a feasible one and certified.
    feasible: true,
    message: `harmony by PDHG with the proximal map of H: harmony ${found.harmony.toFixed(6)}, bound ${bound.toFixed(6)}, certified relative gap ${gap.toExponential(1)} after ${run.iterations} iterations`,
    objective,
    objectiveBound: bound,
    x,
    rowDual,
    colDual,
    rowActivity,
    iterations: run.iterations,
    residual: Math.max(res.primal, gap),
    seconds,
    solver: HARMONY_PDHG,
  };
}
