// A block's answer to prices: the point of its own feasible set that minimises cost less the priced value of
// its linking rows (the Lagrangian subproblem). A block without local rows answers in closed form.
import type { LpSolver } from '../lp/lp';
import type { BlockStructure } from './block-structure';
import { blockProgram } from './block-structure';
import { oneRowBlock, solveOneRow } from './one-row-block';

export interface BlockAnswer {
  block: number;
  /** 'point': a vertex of the block's set; 'ray': a direction of unbounded decrease; otherwise the block failed. */
  kind: 'point' | 'ray' | 'infeasible' | 'error';
  /** Values over the block's columns (a unit direction for a ray). */
  x: Float64Array;
  /** Priced cost (c − yᵀL)·x of the answer; −∞ for a ray. */
  value: number;
  message?: string;
}

/** Priced costs of the block's columns: cⱼ − Σᵢ yᵢ·Lᵢⱼ over linking rows i. */
export function pricedCosts(s: BlockStructure, b: number, prices: Float64Array): Float64Array {
  const { lp } = s;
  const cols = s.blocks[b]!.columns;
  const d = new Float64Array(cols.length);
  cols.forEach((j, k) => {
    let v = lp.objective[j]!;
    for (let e = lp.matrix.colStart[j]!; e < lp.matrix.colStart[j + 1]!; e++) {
      const li = s.linkingIndex[lp.matrix.rowIndex[e]!]!;
      if (li >= 0) v -= prices[li]! * lp.matrix.values[e]!;
    }
    d[k] = v;
  });
  return d;
}

/** Closed form for a block whose only limits are column bounds: each column at the bound its priced cost favours. */
function boundsOnlyAnswer(s: BlockStructure, b: number, d: Float64Array): BlockAnswer {
  const { lp } = s;
  const cols = s.blocks[b]!.columns;
  const x = new Float64Array(cols.length);
  let value = 0;
  for (let k = 0; k < cols.length; k++) {
    const j = cols[k]!;
    const lo = lp.colLower[j]!;
    const up = lp.colUpper[j]!;
    // A priced cost within rounding of zero is zero: otherwise an activity with no capacity whose price exactly
    // pays its cost (every activity of the optimal plan) would answer "any amount" on rounding noise.
    const tol = 1e-9 * Math.max(1, Math.abs(lp.objective[j]!));
    const dk = Math.abs(d[k]!) <= tol ? 0 : d[k]!;
    const at = dk < 0 ? up : dk > 0 ? lo : Number.isFinite(lo) ? lo : Number.isFinite(up) ? up : 0;
    if (!Number.isFinite(at)) {
      const ray = new Float64Array(cols.length);
      ray[k] = dk < 0 ? 1 : -1;
      return { block: b, kind: 'ray', x: ray, value: Number.NEGATIVE_INFINITY };
    }
    x[k] = at;
    value += dk * at;
  }
  return { block: b, kind: 'point', x, value };
}

/** The block's best answer to `prices` (one per linking row). */
export async function answerPrices(
  s: BlockStructure,
  b: number,
  prices: Float64Array,
  solver: LpSolver,
): Promise<BlockAnswer> {
  const d = pricedCosts(s, b, prices);
  if (s.blocks[b]!.localRows.length === 0) return boundsOnlyAnswer(s, b, d);
  const knapsack = oneRowBlock(s, b);
  if (knapsack) {
    const tol = Float64Array.from(
      s.blocks[b]!.columns,
      (j) => 1e-9 * Math.max(1, Math.abs(s.lp.objective[j]!)),
    );
    const a = solveOneRow(knapsack, d, tol);
    if (a.kind === 'point') return { block: b, kind: 'point', x: a.x, value: a.value };
    return {
      block: b,
      kind: 'infeasible',
      x: new Float64Array(s.blocks[b]!.columns.length),
      value: Number.NaN,
      message: 'its own limit cannot be met within its capacities',
    };
  }
  const program = blockProgram(s, b, d);
  const sol = await solver.solve(program, { tolerance: 1e-9 });
  if (sol.status === 'optimal') return { block: b, kind: 'point', x: sol.x, value: sol.objective };
  const kind = sol.status === 'infeasible' ? 'infeasible' : 'error';
  const message =
    sol.status === 'unbounded'
      ? 'its own limits leave a direction of unbounded production: give every activity a capacity'
      : (sol.message ?? sol.status);
  return { block: b, kind, x: new Float64Array(s.blocks[b]!.columns.length), value: Number.NaN, message };
}

/** Cost c·x of a block answer over its columns. */
export function blockCost(s: BlockStructure, b: number, x: Float64Array): number {
  let v = 0;
  s.blocks[b]!.columns.forEach((j, k) => (v += s.lp.objective[j]! * x[k]!));
  return v;
}
