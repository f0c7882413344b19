// The restricted master programme of Dantzig–Wolfe decomposition: the best convex combination of each block's
// proposals (plus non-negative multiples of its rays) that meets the linking rows. Rows it cannot meet are
// relaxed by slacks at a penalty, so it always has a solution; its row duals are the prices published next.
import { CscBuilderLite } from './csc-lite';
import type { LinearProgram, LpSolution, LpSolver } from '../lp/lp';
import { createIncrementalHighs, type IncrementalLp } from '../lp/highs-incremental';
import type { BlockStructure } from './block-structure';
import { blockCost } from './pricing';

export interface Column {
  block: number;
  kind: 'point' | 'ray';
  x: Float64Array;
}

export interface MasterResult {
  status: 'optimal' | 'error';
  message?: string;
  /** Prices of the linking rows (row duals of the master). */
  prices: Float64Array;
  /** Duals of the blocks' convexity rows. */
  convexityDuals: Float64Array;
  /** Weight of each column in the combination. */
  weights: Float64Array;
  /** Cost of the combination, without penalties. */
  cost: number;
  /** Sum of slacks on linking rows: 0 when the combination is a feasible plan. */
  shortfall: number;
  /** Each slack (one per finite side of each linking row, in the master's order). */
  slack: Float64Array;
  /** The combined point over all columns of the programme. */
  x: Float64Array;
  /** Simplex iterations and seconds of the master's solve (for the round reports). */
  iterations: number;
  seconds: number;
}

/**
 * Appends proposal columns to a builder. A proposal is not written as its dense linking activity L_b·x (a unit's
 * proposal touches every product its technologies use, and a basis of such columns factors into a nearly dense
 * LU: at 1,000 products the master took longer than the whole central plan, and at 10,000 it did not finish).
 * It is written on the copy rows of its own technologies instead (x_j − Σ_k λ_k·v_kj = 0), plus the block's
 * convexity row for a point; the linking rows see the technologies' own sparse columns.
 */
function pushColumns(s: BlockStructure, m: CscBuilderLite, columns: Column[]): void {
  const nL = s.linkingRows.length;
  const copyRow = nL + s.blocks.length;
  for (const c of columns) {
    if (c.kind === 'point') m.add(nL + c.block, 1);
    s.blocks[c.block]!.columns.forEach((j, k) => m.add(copyRow + j, -c.x[k]!));
    m.end();
  }
}

/** Number of slack columns the master starts with (one per finite side of each linking row). */
export function slackCount(s: BlockStructure): number {
  let k = 0;
  for (const i of s.linkingRows) {
    if (Number.isFinite(s.lp.rowLower[i]!)) k++;
    if (Number.isFinite(s.lp.rowUpper[i]!)) k++;
  }
  return k;
}

/**
 * The master programme in its explicit form: rows are the linking rows, one convexity row per block and one copy
 * row per column of the programme; columns are the slacks, then the programme's own columns x_j (free, at their
 * cost, with their linking entries and +1 on their copy row), then the proposals (cost 0). It is the classical
 * master with x_j = Σ_k λ_k·v_kj substituted back, so its optimum and its duals on the linking and convexity rows
 * are the same, while its basis stays as sparse as the central plan's.
 */
export function buildMaster(
  s: BlockStructure,
  columns: Column[],
  penalty: number | Float64Array,
): LinearProgram {
  const slackCost = (k: number) => (typeof penalty === 'number' ? penalty : penalty[k]!);
  const nL = s.linkingRows.length;
  const nB = s.blocks.length;
  const { lp } = s;
  const nX = lp.matrix.cols;
  const rows = nL + nB + nX;
  const m = new CscBuilderLite(rows);
  const cost: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let li = 0; li < nL; li++) {
    const i = s.linkingRows[li]!;
    if (Number.isFinite(lp.rowLower[i]!)) {
      m.add(li, 1);
      m.end();
      cost.push(slackCost(cost.length));
    }
    if (Number.isFinite(lp.rowUpper[i]!)) {
      m.add(li, -1);
      m.end();
      cost.push(slackCost(cost.length));
    }
  }
  while (lower.length < cost.length) {
    lower.push(0);
    upper.push(Infinity);
  }
  for (let j = 0; j < nX; j++) {
    for (let e = lp.matrix.colStart[j]!; e < lp.matrix.colStart[j + 1]!; e++) {
      const li = s.linkingIndex[lp.matrix.rowIndex[e]!]!;
      if (li >= 0) m.add(li, lp.matrix.values[e]!);
    }
    m.add(nL + nB + j, 1);
    m.end();
    cost.push(lp.objective[j]!);
    lower.push(-Infinity);
    upper.push(Infinity);
  }
  pushColumns(s, m, columns);
  for (let k = 0; k < columns.length; k++) {
    cost.push(0);
    lower.push(0);
    upper.push(Infinity);
  }
  const rowLower = new Float64Array(rows);
  const rowUpper = new Float64Array(rows);
  for (let li = 0; li < nL; li++) {
    rowLower[li] = lp.rowLower[s.linkingRows[li]!]!;
    rowUpper[li] = lp.rowUpper[s.linkingRows[li]!]!;
  }
  rowLower.fill(1, nL, nL + nB);
  rowUpper.fill(1, nL, nL + nB);
  return {
    sense: 'min',
    objective: Float64Array.from(cost),
    matrix: m.build(),
    rowLower,
    rowUpper,
    colLower: Float64Array.from(lower),
    colUpper: Float64Array.from(upper),
  };
}

/** Reads a master solution over `columns` (after `nSlack` slacks and the programme's columns) into prices, weights and the point. */
function readMaster(s: BlockStructure, columns: Column[], nSlack: number, sol: LpSolution): MasterResult {
  const nL = s.linkingRows.length;
  const x = new Float64Array(s.lp.matrix.cols);
  if (sol.status !== 'optimal') {
    return {
      status: 'error',
      message: `the master programme ended ${sol.status}${sol.message ? `: ${sol.message}` : ''}`,
      prices: new Float64Array(nL),
      convexityDuals: new Float64Array(s.blocks.length),
      weights: new Float64Array(columns.length),
      cost: Number.NaN,
      shortfall: Number.POSITIVE_INFINITY,
      slack: new Float64Array(nSlack),
      x,
      iterations: sol.iterations,
      seconds: sol.seconds,
    };
  }
  let shortfall = 0;
  for (let k = 0; k < nSlack; k++) shortfall += sol.x[k]!;
  const weights = sol.x.slice(nSlack + s.lp.matrix.cols);
  let cost = 0;
  columns.forEach((c, k) => {
    const w = weights[k]!;
    if (w === 0) return;
    s.blocks[c.block]!.columns.forEach((j, q) => (x[j]! += w * c.x[q]!));
    cost += w * blockCost(s, c.block, c.x);
  });
  return {
    status: 'optimal',
    prices: sol.rowDual.slice(0, nL),
    convexityDuals: sol.rowDual.slice(nL, nL + s.blocks.length),
    weights,
    cost,
    shortfall,
    slack: sol.x.slice(0, nSlack),
    x,
    iterations: sol.iterations,
    seconds: sol.seconds,
  };
}

/**
 * A master that lives across rounds: columns are added to one HiGHS model, which restarts from its last basis.
 * For the automatic rounds, where the master is solved many times; the stored rounds rebuild theirs each round.
 */
export class GrowingMaster {
  private readonly columns: Column[] = [];
  private constructor(
    private readonly s: BlockStructure,
    private readonly model: IncrementalLp,
    private readonly nSlack: number,
  ) {}

  static async create(s: BlockStructure, penalty: number | Float64Array): Promise<GrowingMaster> {
    const model = await createIncrementalHighs(buildMaster(s, [], penalty));
    return new GrowingMaster(s, model, slackCount(s));
  }

  add(columns: Column[]): void {
    const m = new CscBuilderLite(this.s.linkingRows.length + this.s.blocks.length + this.s.lp.matrix.cols);
    pushColumns(this.s, m, columns);
    const n = columns.length;
    this.model.addColumns(
      m.build(),
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n).fill(Infinity),
    );
    this.columns.push(...columns);
  }

  /** Sets the cost of every slack (one number for all, or one per slack). */
  setPenalty(penalty: number | Float64Array): void {
    this.model.setCosts(
      Int32Array.from({ length: this.nSlack }, (_, k) => k),
      typeof penalty === 'number' ? new Float64Array(this.nSlack).fill(penalty) : penalty,
    );
  }

  solve(): MasterResult {
    return readMaster(this.s, this.columns, this.nSlack, this.model.solve());
  }

  get all(): Column[] {
    return this.columns;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Solves the restricted master over `columns` and reads prices, weights and the combined point. */
export async function solveMaster(
  s: BlockStructure,
  columns: Column[],
  penalty: number | Float64Array,
  solver: LpSolver,
): Promise<MasterResult> {
  const master = buildMaster(s, columns, penalty);
  const sol = await solver.solve(master, { tolerance: 1e-9 });
  return readMaster(s, columns, slackCount(s), sol);
}
