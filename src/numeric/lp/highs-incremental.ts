// A HiGHS model that lives across solves and grows by columns: the master programme of column generation.
// Adding columns keeps the last basis, so each solve starts where the previous one ended (a warm start that the
// one-shot adapter, which loads a fresh instance per solve, cannot give). Dispose it when done: its Wasm memory
// is released only with the instance.
import type { Highs, Model } from 'highs';
import type { CscMatrix, LinearProgram, LpSolution } from './lp';
import { solutionWithoutPoint } from './lp-solution';
import { loadHighsInstance } from './highs-instance';
import { iterationsOf, statusOf, toModelData } from './highs-solver';

export interface IncrementalLp {
  /** Appends columns (their matrix has the model's rows). */
  addColumns(matrix: CscMatrix, cost: Float64Array, lower: Float64Array, upper: Float64Array): void;
  /** Changes the cost of the columns given. */
  setCosts(columns: Int32Array, cost: Float64Array): void;
  /** Changes the bounds of the columns given (the basis is kept). */
  setBounds(columns: Int32Array, lower: Float64Array, upper: Float64Array): void;
  /** Solves from the last basis. */
  solve(): LpSolution;
  readonly columns: number;
  dispose(): void;
}

const csc = (m: CscMatrix) => ({
  format: 'csc' as const,
  numRows: m.rows,
  numCols: m.cols,
  starts: m.colStart,
  indices: m.rowIndex,
  values: m.values,
});

/** Loads a HiGHS instance holding `lp` (minimisation), ready to grow. */
export async function createIncrementalHighs(
  lp: LinearProgram,
  simplex: 'primal' | 'dual' = 'primal',
): Promise<IncrementalLp> {
  const highs: Highs = await loadHighsInstance();
  const model: Model = highs.createModel(toModelData(highs, lp));
  // Primal simplex keeps a feasible basis feasible when columns are added; dual simplex keeps an optimal basis
  // dual feasible when bounds widen. Tight tolerances for exact duals.
  model.options.set({
    output_flag: false,
    solver: 'simplex',
    simplex_strategy: simplex === 'primal' ? 4 : 1,
    primal_feasibility_tolerance: 1e-9,
    dual_feasibility_tolerance: 1e-9,
  });
  let cols = lp.matrix.cols;
  const shape = (): LinearProgram => ({
    ...lp,
    objective: new Float64Array(cols),
    matrix: { ...lp.matrix, cols, colStart: new Int32Array(cols + 1) },
  });
  return {
    get columns() {
      return cols;
    },
    addColumns(matrix, cost, lower, upper) {
      if (matrix.cols === 0) return;
      model.addCols({ cost, lower, upper, matrix: csc(matrix) });
      cols += matrix.cols;
    },
    setCosts(columns, cost) {
      if (columns.length > 0) model.changeColsCost({ kind: 'set', indices: columns }, cost);
    },
    setBounds(columns, lower, upper) {
      if (columns.length > 0) model.changeColsBounds({ kind: 'set', indices: columns }, lower, upper);
    },
    solve() {
      const started = performance.now();
      const code = model.run().modelStatus;
      const status = statusOf(highs, code);
      const seconds = (performance.now() - started) / 1000;
      const iterations = iterationsOf(model);
      if (status !== 'optimal')
        return solutionWithoutPoint(
          shape(),
          status,
          `HiGHS model status ${code}`,
          'highs',
          seconds,
          iterations,
        );
      const sol = model.getSolution();
      // HiGHS's own measures: reading the grown model back to recompute them would copy it every round.
      const info = (name: string) => Number(model.info.get(name) ?? 0);
      return {
        status,
        objective: model.getObjectiveValue(),
        x: sol.colValue,
        rowDual: sol.rowDual,
        colDual: sol.colDual,
        rowActivity: sol.rowValue,
        iterations,
        residual: Math.max(info('max_primal_infeasibility'), info('max_dual_infeasibility')),
        seconds,
        solver: 'highs',
      };
    },
    dispose() {
      model.dispose();
    },
  };
}
