// The disaggregated master: each unit's proposals are combined activity by activity instead of as whole plans.
//
// The classical master takes a convex combination of each unit's proposals, so a unit's share of the optimal plan
// (most of its activities strictly between their bounds) needs about as many of its proposals as the unit has
// activities, all in the master's basis at once. At 10,000 products in 1,000 units that meant ~11 proposals
// per unit and a basis whose factors filled in round by round: the rounds never reached a feasible
// combination within 13 minutes. Here each activity is its own piece: its range in the master is the interval
// spanned by the values the unit has proposed for it (the convex hull of one number per proposal, which is
// what disaggregated Dantzig–Wolfe keeps per piece), and the unit's own rows (its own skill pool, its own
// limits) are written into the master so that any mix of the intervals is still a plan the unit can carry out.
// The unit's own set is the box of its activities cut by its own rows; with the rows in the master, the box is
// a product of intervals, and a product's pieces may be combined independently.
//
// What the office learns is the same as before: the proposals, and the unit's own limits, which the office
// already checks every proposal against (`planning/rounds/proposal-check.ts`).
//
// Convergence: every point of the master is a point of every unit's own set (intervals lie inside the bounds,
// the own rows hold), so a master without shortfall is a feasible plan (upper bound). The bound is the
// Lagrangian one, from the units' own answers at the master's prices y. If no answer leaves the master's
// intervals, each unit's minimum of (c − yᵀL)x over its whole set is attained inside the master's set for it,
// so the Lagrangian at y equals the master's (penalised) value: the master is optimal for the whole programme
// (or, with a shortfall, its penalty is too small). Otherwise an answer brings a new endpoint; the endpoints are
// values of vertices of the units' sets, finitely many, so the rounds end.
import { CscBuilderLite } from './csc-lite';
import type { LinearProgram } from '../lp/lp';
import { createIncrementalHighs, type IncrementalLp } from '../lp/highs-incremental';
import type { BlockStructure } from './block-structure';
import type { Column, MasterResult } from './master';

/** An endpoint counts as new when it lies beyond the interval by more than this, relative to its size. */
const EXTEND_TOLERANCE = 1e-9;

/** The master's programme: the whole programme with shortfall slacks on the linking rows, columns boxed. */
function buildIntervalMaster(
  s: BlockStructure,
  penalty: number | Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): LinearProgram {
  const { lp } = s;
  const m = new CscBuilderLite(lp.matrix.rows);
  const cost: number[] = [];
  const slackCost = (k: number) => (typeof penalty === 'number' ? penalty : penalty[k]!);
  for (const i of s.linkingRows) {
    if (Number.isFinite(lp.rowLower[i]!)) {
      m.add(i, 1);
      m.end();
      cost.push(slackCost(cost.length));
    }
    if (Number.isFinite(lp.rowUpper[i]!)) {
      m.add(i, -1);
      m.end();
      cost.push(slackCost(cost.length));
    }
  }
  const nSlack = cost.length;
  for (let j = 0; j < lp.matrix.cols; j++) {
    for (let e = lp.matrix.colStart[j]!; e < lp.matrix.colStart[j + 1]!; e++)
      m.add(lp.matrix.rowIndex[e]!, lp.matrix.values[e]!);
    m.end();
    cost.push(lp.objective[j]!);
  }
  const colLower = new Float64Array(cost.length);
  const colUpper = new Float64Array(cost.length).fill(Infinity);
  colLower.set(lower, nSlack);
  colUpper.set(upper, nSlack);
  return {
    sense: 'min',
    objective: Float64Array.from(cost),
    matrix: m.build(),
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    colLower,
    colUpper,
  };
}

/** A disaggregated master that lives across rounds: proposals widen its columns' bounds in one HiGHS model. */
export class IntervalMaster {
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private constructor(
    private readonly s: BlockStructure,
    private readonly model: IncrementalLp,
    private readonly nSlack: number,
    lower: Float64Array,
    upper: Float64Array,
  ) {
    this.lower = lower;
    this.upper = upper;
  }

  /** The master whose intervals are the points of `first` (one point per block). */
  static async create(
    s: BlockStructure,
    penalty: number | Float64Array,
    first: Column[],
  ): Promise<IntervalMaster> {
    const n = s.lp.matrix.cols;
    const lower = new Float64Array(n).fill(Infinity);
    const upper = new Float64Array(n).fill(-Infinity);
    for (const c of first) {
      if (c.kind !== 'point') throw new RangeError('IntervalMaster: the first columns must be points');
      s.blocks[c.block]!.columns.forEach((j, k) => {
        lower[j] = Math.min(lower[j]!, c.x[k]!);
        upper[j] = Math.max(upper[j]!, c.x[k]!);
      });
    }
    for (let j = 0; j < n; j++)
      if (lower[j]! > upper[j]!) throw new RangeError(`IntervalMaster: column ${j} has no first point`);
    const lp = buildIntervalMaster(s, penalty, lower, upper);
    // Dual simplex: widening a bound keeps the last basis dual feasible (primal simplex took 1.5× as long on
    // the large early rounds at 2,000 products, and 86.6 s for round 3 at 10,000).
    const model = await createIncrementalHighs(lp, 'dual');
    return new IntervalMaster(s, model, lp.matrix.cols - n, lower, upper);
  }

  /**
   * Widens the intervals by the columns' values (a ray opens its columns' intervals in its direction) and
   * returns the columns that widened at least one interval.
   */
  add(columns: Column[]): Column[] {
    const changed = new Map<number, true>();
    const widened: Column[] = [];
    for (const c of columns) {
      let grew = false;
      this.s.blocks[c.block]!.columns.forEach((j, k) => {
        const v = c.x[k]!;
        const lo = this.lower[j]!;
        const up = this.upper[j]!;
        const tol = EXTEND_TOLERANCE * Math.max(1, Math.abs(lo), Math.abs(up));
        if (c.kind === 'ray') {
          if (v > 0 && up !== Infinity) this.upper[j] = Infinity;
          else if (v < 0 && lo !== -Infinity) this.lower[j] = -Infinity;
          else return;
        } else if (v < lo - tol) this.lower[j] = v;
        else if (v > up + tol) this.upper[j] = v;
        else return;
        changed.set(j, true);
        grew = true;
      });
      if (grew) widened.push(c);
    }
    const idx = Int32Array.from(changed.keys()).sort();
    this.model.setBounds(
      Int32Array.from(idx, (j) => this.nSlack + j),
      Float64Array.from(idx, (j) => this.lower[j]!),
      Float64Array.from(idx, (j) => this.upper[j]!),
    );
    return widened;
  }

  /** Sets the cost of every slack (one number for all, or one per slack). */
  setPenalty(penalty: number | Float64Array): void {
    this.model.setCosts(
      Int32Array.from({ length: this.nSlack }, (_, k) => k),
      typeof penalty === 'number' ? new Float64Array(this.nSlack).fill(penalty) : penalty,
    );
  }

  solve(): MasterResult {
    const { s, nSlack } = this;
    const nL = s.linkingRows.length;
    const sol = this.model.solve();
    const blank = {
      convexityDuals: new Float64Array(s.blocks.length),
      weights: new Float64Array(0),
      iterations: sol.iterations,
      seconds: sol.seconds,
    };
    if (sol.status !== 'optimal')
      return {
        ...blank,
        status: 'error',
        message: `the master programme ended ${sol.status}${sol.message ? `: ${sol.message}` : ''}`,
        prices: new Float64Array(nL),
        cost: Number.NaN,
        shortfall: Number.POSITIVE_INFINITY,
        slack: new Float64Array(nSlack),
        x: new Float64Array(s.lp.matrix.cols),
      };
    let shortfall = 0;
    for (let k = 0; k < nSlack; k++) shortfall += sol.x[k]!;
    const x = sol.x.slice(nSlack);
    let cost = 0;
    for (let j = 0; j < x.length; j++) cost += s.lp.objective[j]! * x[j]!;
    return {
      ...blank,
      status: 'optimal',
      prices: Float64Array.from(s.linkingRows, (i) => sol.rowDual[i]!),
      cost,
      shortfall,
      slack: sol.x.slice(0, nSlack),
      x,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
