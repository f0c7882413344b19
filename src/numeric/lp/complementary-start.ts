// A starting point for HiGHS's own crossover (IPX's, `crossover()` in highs-js) made from a first-order method's
// approximate answer. IPX accepts a start only if it is exactly complementary: every column and row slack within
// its bounds, a nonzero reduced cost only where its variable sits exactly on the bound the sign allows. PDLP's
// point is that only to within its tolerance, so it is made exact for a nearby LP instead:
//   - a column strictly between its bounds keeps its value, and its cost moves so that its reduced cost is 0;
//   - a column on a bound whose reduced cost has the wrong sign gets the cost that makes it 0;
//   - a row with a nonzero dual gets the activity as its bound on the side the dual's sign names, and loses the
//     other side (a nearby LP with no two-sided rows: see below);
//   - a row whose activity is outside its bounds (PDLP's primal residual) gets its bounds widened to it.
// Dropping a side whose multiplier is 0 keeps the point a KKT point, so it stays optimal for the nearby LP.
// Each change is of the size of PDLP's residuals. HiGHS computes a row slack as bound − activity and clips it to
// its sign, so a moved row bound is set a hair (1e-12 relative) on the far side of the activity: the slack then
// clips to exactly 0 whatever the order in which HiGHS sums the activity. The crossover on this nearby LP needs few
// pivots; the simplex then finishes on the true LP from its basis. Pure: no HiGHS here.
import type { LinearProgram } from './lp';

/** Relative distance by which a moved row bound lies past the activity (see above). */
const PAST_ACTIVITY = 1e-12;

export interface ComplementaryStart {
  /** The LP, in minimisation form, for which (x, rowDual, colDual) is exactly complementary. */
  nearby: LinearProgram;
  x: Float64Array;
  /** Minimisation-form duals (HiGHS's convention for a minimisation: d objective / d bound). */
  rowDual: Float64Array;
  colDual: Float64Array;
  /** Columns strictly between their bounds: the pushes the crossover may have to make. */
  between: number;
  movedCosts: number;
  movedRows: number;
}

/**
 * Makes (x, rowDual), an approximate optimum of `lp` in the LP's own sense and HiGHS's dual convention, into an
 * exactly complementary primal–dual point of a nearby minimisation LP (see the file comment).
 */
export function complementaryStart(
  lp: LinearProgram,
  point: { x: Float64Array; rowDual: Float64Array },
): ComplementaryStart {
  const { rows: m, cols: n, colStart, rowIndex, values } = lp.matrix;
  const sign = lp.sense === 'max' ? -1 : 1;
  const x = new Float64Array(n);
  const rowDual = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // A dual whose sign no finite bound supports is dropped (PDLP's projection keeps them out already).
    let y = sign * (point.rowDual[i] as number);
    if (y > 0 && !(lp.rowLower[i]! > Number.NEGATIVE_INFINITY)) y = 0;
    if (y < 0 && !(lp.rowUpper[i]! < Number.POSITIVE_INFINITY)) y = 0;
    rowDual[i] = y;
  }
  const cost = new Float64Array(n);
  const colDual = new Float64Array(n);
  const activity = new Float64Array(m);
  let between = 0;
  let movedCosts = 0;
  for (let j = 0; j < n; j++) {
    const lo = lp.colLower[j] as number;
    const hi = lp.colUpper[j] as number;
    const v = Math.min(Math.max(point.x[j] as number, lo), hi);
    x[j] = v;
    const c = sign * (lp.objective[j] as number);
    let d = c;
    for (let k = colStart[j] as number; k < (colStart[j + 1] as number); k++) {
      const i = rowIndex[k] as number;
      d -= (values[k] as number) * (rowDual[i] as number);
      activity[i] = (activity[i] as number) + (values[k] as number) * v;
    }
    let z = d;
    if (lo === hi) {
      // A fixed column may carry any reduced cost.
    } else if (v === lo) {
      if (z < 0) z = 0;
    } else if (v === hi) {
      if (z > 0) z = 0;
    } else {
      z = 0;
      between++;
    }
    cost[j] = c - d + z;
    if (z !== d) movedCosts++;
    colDual[j] = z;
  }
  const rowLower = Float64Array.from(lp.rowLower);
  const rowUpper = Float64Array.from(lp.rowUpper);
  let movedRows = 0;
  for (let i = 0; i < m; i++) {
    const a = activity[i] as number;
    const y = rowDual[i] as number;
    const past = PAST_ACTIVITY * (1 + Math.abs(a));
    let lo = rowLower[i] as number;
    let hi = rowUpper[i] as number;
    if (lo === hi) {
      // HiGHS fixes an equality row's slack at 0 itself; the bound only has to be the activity.
      lo = a;
      hi = a;
    } else if (y > 0) {
      lo = a + past;
      hi = Number.POSITIVE_INFINITY;
    } else if (y < 0) {
      hi = a - past;
      lo = Number.NEGATIVE_INFINITY;
    } else {
      if (a < lo) lo = a - past;
      if (a > hi) hi = a + past;
      // Of a two-sided row, keep the side nearer the activity: a dual of 0 lets the other go without
      // changing the optimum, and HiGHS 1.15's crossover reads past its arrays on two-sided rows.
      if (lo > Number.NEGATIVE_INFINITY && hi < Number.POSITIVE_INFINITY) {
        if (a - lo <= hi - a) hi = Number.POSITIVE_INFINITY;
        else lo = Number.NEGATIVE_INFINITY;
      }
    }
    if (lo !== rowLower[i] || hi !== rowUpper[i]) movedRows++;
    rowLower[i] = lo;
    rowUpper[i] = hi;
  }
  const { rowNames: _r, colNames: _c, ...rest } = lp;
  return {
    nearby: {
      ...rest,
      sense: 'min',
      objective: cost,
      objectiveOffset: sign * (lp.objectiveOffset ?? 0),
      rowLower,
      rowUpper,
    },
    x,
    rowDual,
    colDual,
    between,
    movedCosts,
    movedRows,
  };
}
