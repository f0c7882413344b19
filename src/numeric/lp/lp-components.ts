// Splits a linear programme into its independent parts (connected components of the row–column graph) and
// solves them one by one: a plan without capital stocks is one small LP per period, and a simplex code's
// time grows much faster than the size of the problem, so 40 small solves beat one large one.
import type { LinearProgram, LpSolution, LpSolver, LpStatus, SolveOptions } from './lp';

/** Parts with fewer columns join the next one (see lpComponents). */
const MIN_PART_COLUMNS = 200;

export interface LpComponents {
  /** Columns of each part, ascending. */
  cols: Int32Array[];
  /** Rows of each part, ascending. */
  rows: Int32Array[];
}

function find(parent: Int32Array, i: number): number {
  let r = i;
  while (parent[r]! !== r) r = parent[r]!;
  while (parent[i]! !== r) {
    const next = parent[i]!;
    parent[i] = r;
    i = next;
  }
  return r;
}

/**
 * The connected components of the LP. Empty columns and rows join the first part: they constrain
 * nothing else, so the split stays exact.
 */
export function lpComponents(lp: LinearProgram, minPartColumns = MIN_PART_COLUMNS): LpComponents {
  const { rows, cols, colStart, rowIndex } = lp.matrix;
  // Nodes: rows 0..rows−1, columns rows..rows+cols−1.
  const parent = Int32Array.from({ length: rows + cols }, (_, i) => i);
  for (let j = 0; j < cols; j++) {
    for (let e = colStart[j]!; e < colStart[j + 1]!; e++) {
      const a = find(parent, rows + j);
      const b = find(parent, rowIndex[e]!);
      if (a !== b) parent[a] = b;
    }
  }
  const label = new Int32Array(rows + cols).fill(-1);
  const rowsOf: number[][] = [];
  const colsOf: number[][] = [];
  const partOf = (node: number, nonEmpty: boolean): number => {
    if (!nonEmpty) {
      if (rowsOf.length === 0) {
        rowsOf.push([]);
        colsOf.push([]);
      }
      return 0;
    }
    const root = find(parent, node);
    if (label[root]! < 0) {
      label[root] = rowsOf.length;
      rowsOf.push([]);
      colsOf.push([]);
    }
    return label[root]!;
  };
  const rowUsed = new Uint8Array(rows);
  for (let e = 0; e < rowIndex.length; e++) rowUsed[rowIndex[e]!] = 1;
  for (let j = 0; j < cols; j++) colsOf[partOf(rows + j, colStart[j + 1]! > colStart[j]!)]!.push(j);
  for (let i = 0; i < rows; i++) rowsOf[partOf(i, rowUsed[i] === 1)]!.push(i);
  // Parts smaller than minPartColumns join the next part: each solve has a fixed cost, and a part of a
  // few columns (a product no one uses) would cost more to set up than to solve.
  const cols2: number[][] = [];
  const rows2: number[][] = [];
  for (let k = 0; k < colsOf.length; k++) {
    const last = cols2.length - 1;
    if (last >= 0 && cols2[last]!.length < minPartColumns) {
      cols2[last]!.push(...colsOf[k]!);
      rows2[last]!.push(...rowsOf[k]!);
    } else {
      cols2.push([...colsOf[k]!]);
      rows2.push([...rowsOf[k]!]);
    }
  }
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { cols: cols2.map(sorted), rows: rows2.map(sorted) };
}

/** The sub-LP on the given rows and columns (both ascending). */
export function subLp(lp: LinearProgram, rows: Int32Array, cols: Int32Array): LinearProgram {
  const rowPos = new Map<number, number>();
  rows.forEach((r, k) => rowPos.set(r, k));
  const { colStart, rowIndex, values } = lp.matrix;
  let nnz = 0;
  for (const j of cols) nnz += colStart[j + 1]! - colStart[j]!;
  const start = new Int32Array(cols.length + 1);
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let w = 0;
  cols.forEach((j, k) => {
    for (let e = colStart[j]!; e < colStart[j + 1]!; e++) {
      index[w] = rowPos.get(rowIndex[e]!)!;
      value[w++] = values[e]!;
    }
    start[k + 1] = w;
  });
  const pick = (a: Float64Array, at: Int32Array) => Float64Array.from(at, (i) => a[i]!);
  return {
    sense: lp.sense,
    objective: pick(lp.objective, cols),
    matrix: { rows: rows.length, cols: cols.length, colStart: start, rowIndex: index, values: value },
    rowLower: pick(lp.rowLower, rows),
    rowUpper: pick(lp.rowUpper, rows),
    colLower: pick(lp.colLower, cols),
    colUpper: pick(lp.colUpper, cols),
  };
}

const SEVERITY: LpStatus[] = [
  'optimal',
  'iteration-limit',
  'time-limit',
  'unbounded',
  'infeasible',
  'cancelled',
  'error',
];

/** A solver that solves each independent part of an LP with `inner` and puts the answers together. */
export function componentSolver(inner: LpSolver, minPartColumns = MIN_PART_COLUMNS): LpSolver {
  return {
    name: inner.name,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      const parts = lpComponents(lp, minPartColumns);
      if (parts.cols.length < 2) return inner.solve(lp, options);
      const started = performance.now();
      const x = new Float64Array(lp.matrix.cols);
      const colDual = new Float64Array(lp.matrix.cols);
      const rowDual = new Float64Array(lp.matrix.rows);
      const rowActivity = new Float64Array(lp.matrix.rows);
      let status: LpStatus = 'optimal';
      let objective = lp.objectiveOffset ?? 0;
      let iterations = 0;
      let residual = 0;
      const messages: string[] = [];
      const { warmStart, ...rest } = options;
      const optionsFor = (k: number): SolveOptions => ({
        ...rest,
        ...(warmStart === undefined
          ? {}
          : {
              warmStart: {
                x: Float64Array.from(parts.cols[k]!, (j) => warmStart.x[j]!),
                rowDual: Float64Array.from(parts.rows[k]!, (i) => warmStart.rowDual[i]!),
              },
            }),
        ...(options.timeLimitSeconds === undefined
          ? {}
          : {
              timeLimitSeconds: Math.max(
                0.001,
                options.timeLimitSeconds - (performance.now() - started) / 1000,
              ),
            }),
      });
      const take = (s: LpSolution, k: number): boolean => {
        const cols = parts.cols[k]!;
        const rows = parts.rows[k]!;
        options.onProgress?.({
          fraction: (k + 1) / parts.cols.length,
          message: `solved part ${k + 1} of ${parts.cols.length} with ${s.solver}`,
        });
        if (SEVERITY.indexOf(s.status) > SEVERITY.indexOf(status)) status = s.status;
        if (s.message !== undefined) messages.push(`part ${k + 1}: ${s.message}`);
        iterations += s.iterations;
        residual = Math.max(residual, s.residual);
        objective += s.objective;
        cols.forEach((j, q) => {
          x[j] = s.x[q]!;
          colDual[j] = s.colDual[q]!;
        });
        rows.forEach((i, q) => {
          rowDual[i] = s.rowDual[q]!;
          rowActivity[i] = s.rowActivity[q]!;
        });
        return status === 'optimal';
      };
      function* subProblems() {
        for (let k = 0; k < parts.cols.length; k++) yield subLp(lp, parts.rows[k]!, parts.cols[k]!);
      }
      if (inner.solveEach !== undefined) {
        // Shared setup; warm starts and time limits are not sliced per part on this path.
        await inner.solveEach(subProblems(), rest, take);
      } else {
        let k = 0;
        for (const sub of subProblems()) {
          if (!take(await inner.solve(sub, optionsFor(k)), k)) break;
          k++;
        }
      }
      return {
        status,
        ...(messages.length === 0 ? {} : { message: messages.join('; ') }),
        objective,
        x,
        rowDual,
        colDual,
        rowActivity,
        iterations,
        residual,
        seconds: (performance.now() - started) / 1000,
        solver: `${inner.name} (${parts.cols.length} independent parts)`,
      };
    },
  };
}
