// Dantzig–Wolfe decomposition as rounds: the master publishes prices, every block answers with its best point at
// those prices, the master combines all answers so far into the best plan it can make of them and publishes new
// prices. Each round gives a Lagrangian lower bound (exact for any prices) and, once the combination meets the
// linking rows, an upper bound; the gap between them bounds the distance to the optimum of the whole programme.
//
// Prices are stabilised (Wentges smoothing): the prices sent out lie between the master's duals and the prices
// that gave the best bound so far, which damps the oscillation that makes plain column generation tail off.
// When smoothed prices yield no improving answer, the round is priced again at the master's own duals, so
// convergence is kept (the "mispricing" rule).
import type { LpSolver } from '../lp/lp';
import type { BlockStructure } from './block-structure';
import type { Column, MasterResult } from './master';
import { GrowingMaster, solveMaster } from './master';
import { IntervalMaster } from './interval-master';
import type { BlockAnswer } from './pricing';
import { answerPrices, pricedCosts } from './pricing';

export interface DecompositionOptions {
  /** Stop when (upper − lower) / max(1, |upper|) is at most this (default 1e-6). */
  gapTolerance?: number;
  /** Round limit (default 200). */
  maxRounds?: number;
  /** Wall-clock limit in seconds, checked after each round (default none): the best plan so far is returned. */
  timeLimitSeconds?: number;
  /** Weight of the best-bound prices in the prices sent out, in [0, 1) (default 0: plain column generation, which took fewer rounds on generated economies than 0.5). */
  smoothing?: number;
  /**
   * Guessed prices of the linking rows (for example the labour values the office publishes before the first
   * round); with them the master's prices start in a box around the guess (see boxCosts) instead of under one
   * big penalty.
   */
  priceGuess?: Float64Array;
  /** Solver of the master programme; by default one HiGHS model grown round by round (warm-started). */
  masterSolver?: LpSolver;
  /**
   * How proposals are combined: 'combination' (default), the classical master (a convex combination of each
   * block's whole proposals); 'intervals', the disaggregated master (`interval-master.ts`: each activity ranges
   * over the values its block proposed, the blocks' own rows are written into the master). 'intervals' ignores
   * `masterSolver`.
   */
  master?: 'combination' | 'intervals';
  /** Solver of the blocks' own programmes (blocks with local rows only). */
  blockSolver: LpSolver;
  /** Called after every round. */
  onRound?: (round: RoundReport) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface RoundReport {
  round: number;
  /** Prices of the linking rows sent to the blocks this round. */
  prices: Float64Array;
  /** Lagrangian bound at these prices, and the best so far. */
  bound: number;
  bestBound: number;
  /** Cost of the best combination so far that meets the linking rows (+∞ before one exists). */
  best: number;
  gap: number;
  /** Linking shortfall of this round's combination (0 once it is feasible). */
  shortfall: number;
  /** Answers that improved the master this round. */
  improving: number;
  seconds: number;
  /** Of which the master's solve (seconds, simplex iterations). */
  masterSeconds: number;
  masterIterations: number;
}

export type DecompositionStatus =
  'converged' | 'round-limit' | 'time-limit' | 'infeasible' | 'error' | 'cancelled';

export interface DecompositionResult {
  status: DecompositionStatus;
  message?: string;
  rounds: RoundReport[];
  /** Best combined point (all columns of the programme), and its cost. */
  x: Float64Array;
  objective: number;
  bound: number;
  gap: number;
  columns: Column[];
}

const MAX_PENALTY = 1e14;
/** The shortfall has stalled when a round leaves more than this share of the last round's. */
const STALL = 0.99;

/** Relative gap as the module defines it. */
export function relativeGap(upper: number, lower: number): number {
  if (!Number.isFinite(upper) || !Number.isFinite(lower)) return Number.POSITIVE_INFINITY;
  return Math.max(0, upper - lower) / Math.max(1, Math.abs(upper));
}

/**
 * Keeps prices on the side the rows allow (≥ rows non-negative, ≤ rows non-positive) so that the Lagrangian
 * bound stays valid; the master's duals already satisfy this up to its tolerance.
 */
export function signedPrices(s: BlockStructure, prices: Float64Array): Float64Array {
  const out = Float64Array.from(prices);
  s.linkingRows.forEach((i, li) => {
    const lo = Number.isFinite(s.lp.rowLower[i]!);
    const up = Number.isFinite(s.lp.rowUpper[i]!);
    if (lo && !up) out[li] = Math.max(0, out[li]!);
    else if (up && !lo) out[li] = Math.min(0, out[li]!);
    else if (!lo && !up) out[li] = 0;
  });
  return out;
}

/** Lagrangian bound Σ_b min_{x∈X_b}(c − yᵀL)x + Σᵢ yᵢ·bᵢ, from every block's best answer at prices y. */
export function lagrangianBound(s: BlockStructure, prices: Float64Array, answers: BlockAnswer[]): number {
  let bound = 0;
  for (const a of answers) {
    if (a.kind !== 'point') return Number.NEGATIVE_INFINITY;
    bound += a.value;
  }
  s.linkingRows.forEach((i, li) => {
    const y = prices[li]!;
    if (y > 0) bound += y * s.lp.rowLower[i]!;
    else if (y < 0) bound += y * s.lp.rowUpper[i]!;
  });
  return Number.isNaN(bound) ? Number.NEGATIVE_INFINITY : bound;
}

/** Reduced cost of an answer in the master at its prices: (c − yᵀL)·x − σ_b for a point, without σ for a ray. */
export function reducedCost(s: BlockStructure, master: MasterResult, a: Column): number {
  const d = pricedCosts(s, a.block, master.prices);
  let v = 0;
  for (let k = 0; k < d.length; k++) v += d[k]! * a.x[k]!;
  return a.kind === 'point' ? v - master.convexityDuals[a.block]! : v;
}

/** Every block's answer to the prices, in order. */
export async function answerAll(
  s: BlockStructure,
  prices: Float64Array,
  solver: LpSolver,
): Promise<BlockAnswer[]> {
  const out: BlockAnswer[] = [];
  for (let b = 0; b < s.blocks.length; b++) out.push(await answerPrices(s, b, prices, solver));
  return out;
}

/** A first point of every block: its answer at zero prices, or a point of its set when that answer is a ray. */
export async function initialColumns(s: BlockStructure, solver: LpSolver): Promise<Column[] | BlockAnswer> {
  const zero = new Float64Array(s.linkingRows.length);
  const columns: Column[] = [];
  for (let b = 0; b < s.blocks.length; b++) {
    let a = await answerPrices(s, b, zero, solver);
    if (a.kind === 'ray') {
      // Any point will do: the cheapest under a zero objective is a point of the set.
      const blank = new Float64Array(s.linkingRows.length);
      const saved = s.lp.objective;
      const flat = { ...s, lp: { ...s.lp, objective: new Float64Array(saved.length) } };
      a = await answerPrices(flat, b, blank, solver);
    }
    if (a.kind !== 'point') return a;
    columns.push({ block: b, kind: 'point', x: a.x });
  }
  return columns;
}

/** Initial penalty on linking shortfall: well above any price the master should need. */
export function initialPenalty(s: BlockStructure): number {
  let m = 0;
  for (let j = 0; j < s.lp.objective.length; j++) m = Math.max(m, Math.abs(s.lp.objective[j]!));
  return 1e3 * Math.max(1, m);
}

/** How far above the guessed prices the first box reaches (costs of slacks are (1 + BOX) × the guess). */
const BOX = 0.5;

/**
 * Costs of the master's slacks as a box around guessed prices (box-step stabilisation, in the form of
 * du Merle, Villeneuve, Desrosiers and Hansen): a row's slack costs a little more than its guessed price, so
 * the master's prices cannot run above it. Under one uniform big penalty the first rounds' prices were that
 * penalty on every row short of its target; every unit then answered "everything at capacity", and the master
 * spent most of its simplex iterations (and most of the run) on those useless proposals. A row whose slack is
 * still used when no proposal improves has its box widened (×10); the bound stays exact for any prices.
 */
export function boxCosts(s: BlockStructure, guess: Float64Array, uniform: number): Float64Array {
  let top = 0;
  for (const g of guess) top = Math.max(top, Math.abs(g));
  const floor = Math.max(1e-3 * uniform, 0.1 * top, 1e-9);
  const out: number[] = [];
  s.linkingRows.forEach((i, li) => {
    const g = guess[li] ?? 0;
    if (Number.isFinite(s.lp.rowLower[i]!)) out.push(Math.max(floor, (1 + BOX) * Math.max(0, g)));
    if (Number.isFinite(s.lp.rowUpper[i]!)) out.push(Math.max(floor, (1 + BOX) * Math.max(0, -g)));
  });
  return Float64Array.from(out);
}

/** Tolerance on the master's linking shortfall, relative to the linking right-hand sides. */
export function shortfallTolerance(s: BlockStructure): number {
  let m = 0;
  s.linkingRows.forEach((i) => {
    for (const v of [s.lp.rowLower[i]!, s.lp.rowUpper[i]!])
      if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  });
  return 1e-7 * Math.max(1, m);
}

/** Runs rounds with automatic answers until the gap is within tolerance or the round limit is reached. */
export async function decompose(
  s: BlockStructure,
  options: DecompositionOptions,
): Promise<DecompositionResult> {
  const rounds: RoundReport[] = [];
  const empty = (
    status: DecompositionStatus,
    message: string,
    columns: Column[] = [],
  ): DecompositionResult => ({
    status,
    message,
    rounds,
    x: new Float64Array(s.lp.matrix.cols),
    objective: Number.NaN,
    bound: Number.NEGATIVE_INFINITY,
    gap: Number.POSITIVE_INFINITY,
    columns,
  });
  const first = await initialColumns(s, options.blockSolver);
  if (!Array.isArray(first))
    return empty(
      first.kind === 'infeasible' ? 'infeasible' : 'error',
      `block ${first.block}: ${first.message ?? first.kind}`,
    );
  const uniform = initialPenalty(s);
  const penalty: number | Float64Array = options.priceGuess
    ? boxCosts(s, options.priceGuess, uniform)
    : uniform;
  const columns = first;
  let master: RoundMaster;
  if (options.master === 'intervals') {
    const intervals = await IntervalMaster.create(s, penalty, first);
    master = {
      solve: async () => intervals.solve(),
      // An answer joins when it widens an interval: the master's optimality test (see interval-master.ts).
      add: (answers) => intervals.add(answers),
      setPenalty: (p) => intervals.setPenalty(p),
      dispose: () => intervals.dispose(),
    };
  } else {
    const grown = options.masterSolver ? null : await GrowingMaster.create(s, penalty);
    grown?.add(first);
    let current: MasterResult | null = null;
    let currentPenalty = penalty;
    master = {
      solve: async () =>
        (current = grown
          ? grown.solve()
          : await solveMaster(s, columns, currentPenalty, options.masterSolver!)),
      add: (answers) => {
        // An answer joins when its reduced cost in the master is negative.
        const scale = Math.max(1, Math.abs(current!.cost));
        const improving = answers.filter((a) => reducedCost(s, current!, a) < -1e-9 * scale);
        grown?.add(improving);
        return improving;
      },
      setPenalty: (p) => {
        currentPenalty = p;
        grown?.setPenalty(p);
      },
      dispose: () => grown?.dispose(),
    };
  }
  try {
    return await rounds_(s, options, columns, master, penalty, rounds, empty);
  } finally {
    master.dispose();
  }
}

/** The restricted master as the rounds see it, whichever form it takes. */
interface RoundMaster {
  solve(): Promise<MasterResult>;
  /** Offers the answers to the last solved master; returns those that joined it. */
  add(answers: Column[]): Column[];
  setPenalty(penalty: number | Float64Array): void;
  dispose(): void;
}

async function rounds_(
  s: BlockStructure,
  options: DecompositionOptions,
  columns: Column[],
  masterOf: RoundMaster,
  startPenalty: number | Float64Array,
  rounds: RoundReport[],
  empty: (status: DecompositionStatus, message: string, columns?: Column[]) => DecompositionResult,
): Promise<DecompositionResult> {
  const tolerance = options.gapTolerance ?? 1e-6;
  const maxRounds = options.maxRounds ?? 200;
  const alpha = options.smoothing ?? 0;
  let penalty = startPenalty;
  const feasible = shortfallTolerance(s);
  let bestBound = Number.NEGATIVE_INFINITY;
  let bestPrices: Float64Array | null = null;
  let best = Number.POSITIVE_INFINITY;
  let bestX: Float64Array = new Float64Array(s.lp.matrix.cols);
  let lastShortfall = Number.POSITIVE_INFINITY;
  const startedAt = performance.now();
  const deadline = options.timeLimitSeconds === undefined ? Infinity : options.timeLimitSeconds * 1000;

  for (let round = 1; round <= maxRounds; round++) {
    if (options.signal?.aborted) return { ...empty('cancelled', 'cancelled', columns), rounds };
    const started = performance.now();
    const master = await masterOf.solve();
    if (master.status !== 'optimal') return empty('error', master.message ?? 'master failed', columns);
    const masterPrices = signedPrices(s, master.prices);
    if (master.shortfall <= feasible && master.cost < best) {
      best = master.cost;
      bestX = master.x;
    }
    let prices: Float64Array =
      bestPrices === null || alpha === 0
        ? masterPrices
        : masterPrices.map((y, li) => alpha * bestPrices![li]! + (1 - alpha) * y);
    const answers = await answerAll(s, prices, options.blockSolver);
    const failed = answers.find((a) => a.kind === 'infeasible' || a.kind === 'error');
    if (failed)
      return empty(
        failed.kind === 'infeasible' ? 'infeasible' : 'error',
        `block ${failed.block}: ${failed.message ?? failed.kind}`,
        columns,
      );
    const improvingOf = (list: BlockAnswer[]) => masterOf.add(list as Column[]);
    let bound = lagrangianBound(s, prices, answers);
    let improving = improvingOf(answers);
    if (improving.length === 0 && prices !== masterPrices) {
      // Mispricing: the smoothed prices found nothing the master lacks; price at the master's own duals.
      const direct = await answerAll(s, masterPrices, options.blockSolver);
      const directBound = lagrangianBound(s, masterPrices, direct);
      if (directBound > bound) bound = directBound;
      prices = masterPrices;
      improving = improvingOf(direct);
    }
    if (bound > bestBound) {
      bestBound = bound;
      bestPrices = prices;
    }
    columns.push(...improving);
    let gap = relativeGap(best, bestBound);
    // The penalty is raised when the master is optimal over every block's set yet short (no answer improves),
    // and also when the shortfall has stalled (fell by less than STALL since the last round) while answers still
    // trickle in: under a box that is too tight (a scarce shared skill's price kept below what switching
    // technology costs) the rounds otherwise added one answer at a time for a dozen rounds before the boxes
    // widened. Raising a penalty never breaks the bound (it holds for any prices) nor convergence (finitely many
    // raises, up to MAX_PENALTY).
    const short = master.shortfall > feasible;
    const stalled = short && improving.length > 0 && master.shortfall > STALL * lastShortfall;
    lastShortfall = master.shortfall;
    if ((improving.length === 0 && short) || stalled) {
      if (typeof penalty === 'number') {
        if (penalty >= MAX_PENALTY) {
          if (!stalled)
            return empty('infeasible', 'the blocks cannot meet the linking rows together', columns);
        } else penalty *= 10;
      } else {
        // Widen the boxes; past the largest penalty the rows cannot be met.
        const widened = Float64Array.from(penalty);
        let grew = false;
        // Every box widens, not only the rows short now: widening one row at a time moved the shortfall
        // from row to row for dozens of rounds.
        widened.forEach((v, k) => {
          if (v < MAX_PENALTY) {
            widened[k] = v * 10;
            grew = true;
          }
        });
        if (!grew && !stalled)
          return empty('infeasible', 'the blocks cannot meet the linking rows together', columns);
        penalty = widened;
      }
      masterOf.setPenalty(penalty);
    } else if (improving.length === 0) {
      // The master is optimal over every block's set and its combination is feasible: it is the optimum.
      bestBound = Math.max(bestBound, Math.min(best, master.cost));
      gap = relativeGap(best, bestBound);
    }
    const report: RoundReport = {
      round,
      prices,
      bound,
      bestBound,
      best,
      gap,
      shortfall: master.shortfall,
      improving: improving.length,
      seconds: (performance.now() - started) / 1000,
      masterSeconds: master.seconds,
      masterIterations: master.iterations,
    };
    rounds.push(report);
    await options.onRound?.(report);
    if (gap <= tolerance)
      return { status: 'converged', rounds, x: bestX, objective: best, bound: bestBound, gap, columns };
    if (performance.now() - startedAt > deadline)
      return { status: 'time-limit', rounds, x: bestX, objective: best, bound: bestBound, gap, columns };
  }
  return {
    status: 'round-limit',
    rounds,
    x: bestX,
    objective: best,
    bound: bestBound,
    gap: relativeGap(best, bestBound),
    columns,
  };
}
