// The harmony programme with its stock columns eliminated, for the first-order method.
//
// A stock is only ever used (b·x ≤ K) and nothing is gained by holding less of it than the accumulation rows
// allow, so every plan of the full programme has a plan as good with each stock at its most:
//   K_t = (1 − d)^t·K_initial + Σ_{u + lag ≤ t} (1 − d)^{t − u − lag}·I_u,
// and conversely. Substituting this into the stock-use rows gives b·x_t − Σ_u (1 − d)^{t−u−lag}·I_u ≤
// (1 − d)^t·K_initial and removes the stock columns and the accumulation rows: at 1,000 industries × 5 years,
// 37k columns and 30k rows of 77k and 72k. The same plans, the same optimum; PDHG no longer has to carry
// values along the stock chains one accumulation row per iteration.
//
// The certificate is taken in the full programme: `toFull` gives back its columns (stocks at their most)
// and its row duals (the accumulation rows' at zero: the dual bound keeps those rows whole and does not read
// their duals, see harmony-pdhg-solver.ts).
import type { HarmonyProgram } from '../../numeric/harmony/harmony-pdhg';
import type { LinearProgram } from '../../numeric/lp/lp';
import { CscBuilder } from '../formulation/csc-builder';
import type { PlanFormulation } from '../formulation/plan-index';

export interface StockElimination {
  program: HarmonyProgram;
  /** Full-programme column of each reduced column, and row of each reduced row. */
  fullCol: Int32Array;
  fullRow: Int32Array;
  /** A reduced point and its row duals in the full programme's columns and rows (written into z and dual). */
  toFull(reducedZ: Float64Array, reducedDual: Float64Array, z: Float64Array, dual: Float64Array): void;
}

/** `full` is harmonyProgram(f): x, I, then K (stockStart…), then the harmony columns. */
export function eliminateStocks(f: PlanFormulation, full: HarmonyProgram): StockElimination {
  const { plan, index: ix } = f;
  const { nK, periods: P, stockStart } = ix;
  const lp = full.lp;
  const { colStart, rowIndex, values } = lp.matrix;
  const nCols = lp.matrix.cols;
  const stockEnd = stockStart + nK * P;
  const isAccumulation = new Uint8Array(lp.matrix.rows);
  for (const r of ix.stockBalanceRow) if (r >= 0) isAccumulation[r] = 1;
  const reducedRow = new Int32Array(lp.matrix.rows).fill(-1);
  const fullRow: number[] = [];
  for (let i = 0; i < lp.matrix.rows; i++)
    if (isAccumulation[i] === 0) {
      reducedRow[i] = fullRow.length;
      fullRow.push(i);
    }
  // The investment (if any) in each column: its stock and period.
  const investOf = new Map<number, { k: number; u: number }>();
  for (let u = 0; u < P; u++)
    for (let k = 0; k < nK; k++) {
      const c = ix.investCol[u * nK + k]!;
      if (c >= 0) investOf.set(c, { k, u });
    }
  const m = new CscBuilder(fullRow.length, values.length);
  const fullCol: number[] = [];
  const colLower: number[] = [];
  const colUpper: number[] = [];
  const objective: number[] = [];
  for (let c = 0; c < nCols; c++) {
    if (c >= stockStart && c < stockEnd) continue;
    for (let e = colStart[c]!; e < colStart[c + 1]!; e++) {
      const r = reducedRow[rowIndex[e]!]!;
      if (r >= 0) m.add(r, values[e]!);
    }
    const inv = investOf.get(c);
    if (inv !== undefined) {
      const { k, u } = inv;
      const keep = 1 - plan.stocks.depreciation[k]!;
      for (let t = u + plan.stocks.lag[k]!, w = 1; t < P; t++, w *= keep)
        m.add(reducedRow[ix.stockUseStart + t * nK + k]!, -w);
    }
    m.endColumn();
    fullCol.push(c);
    colLower.push(lp.colLower[c]!);
    colUpper.push(lp.colUpper[c]!);
    objective.push(lp.objective[c]!);
  }
  const rowLower = new Float64Array(fullRow.length);
  const rowUpper = new Float64Array(fullRow.length);
  fullRow.forEach((i, r) => {
    rowLower[r] = lp.rowLower[i]!;
    rowUpper[r] = lp.rowUpper[i]!;
  });
  // The use rows' right-hand sides: what is left of the initial stock (K₁ ≤ initial is a column bound).
  for (let k = 0; k < nK; k++) {
    const keep = 1 - plan.stocks.depreciation[k]!;
    for (let t = 0, w = 1; t < P; t++, w *= keep)
      rowUpper[reducedRow[ix.stockUseStart + t * nK + k]!]! += w * lp.colUpper[stockStart + k]!;
  }
  const reducedColOf = new Int32Array(nCols).fill(-1);
  fullCol.forEach((c, r) => (reducedColOf[c] = r));
  const reduced: LinearProgram = {
    sense: lp.sense,
    objective: Float64Array.from(objective),
    matrix: m.build(),
    rowLower,
    rowUpper,
    colLower: Float64Array.from(colLower),
    colUpper: Float64Array.from(colUpper),
  };
  const program: HarmonyProgram = {
    ...full,
    lp: reduced,
    harmonyCol: full.harmonyCol.map((c) => reducedColOf[c]!),
  };
  const fullColArr = Int32Array.from(fullCol);
  const fullRowArr = Int32Array.from(fullRow);
  return {
    program,
    fullCol: fullColArr,
    fullRow: fullRowArr,
    toFull(reducedZ, reducedDual, z, dual) {
      fullColArr.forEach((c, r) => (z[c] = reducedZ[r]!));
      for (let k = 0; k < nK; k++) {
        const keep = 1 - plan.stocks.depreciation[k]!;
        for (let t = 0; t < P; t++) {
          let v = t === 0 ? lp.colUpper[stockStart + k]! : keep * z[stockStart + (t - 1) * nK + k]!;
          const from = t - plan.stocks.lag[k]!;
          if (t > 0 && from >= 0 && ix.investCol[from * nK + k]! >= 0) v += z[ix.investCol[from * nK + k]!]!;
          z[stockStart + t * nK + k] = v;
        }
      }
      dual.fill(0);
      fullRowArr.forEach((i, r) => (dual[i] = reducedDual[r]!));
    },
  };
}
