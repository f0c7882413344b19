// Orders unknowns by technological depth so that x = M x + b is nearly triangular and Gauss–Seidel needs few sweeps.
import type { CsrMatrix } from './csr';

/** A square matrix split into its diagonal and the off-diagonal part, both renumbered by a permutation. */
export interface PermutedSystem {
  /** Each row holds its entries left of the diagonal first, up to lowerEnd[i], then those right of it. */
  offDiagonal: CsrMatrix;
  lowerEnd: Int32Array;
  diagonal: Float64Array;
  /** order[t] = old index at new position t. */
  order: Int32Array;
}

/** B = P M Pᵀ with the diagonal taken out, so that the Gauss–Seidel loop has no branch. */
export function permuteSymmetric(m: CsrMatrix, order: Int32Array): PermutedSystem {
  const n = m.rows;
  const { rowStart, colIndex, values } = m;
  const position = new Int32Array(n);
  for (let t = 0; t < n; t++) position[order[t]!] = t;
  const diagonal = new Float64Array(n);
  const newStart = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    let count = 0;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
      if (colIndex[k] === i) diagonal[t] = values[k]!;
      else count++;
    }
    newStart[t + 1] = newStart[t]! + count;
  }
  const total = newStart[n]!;
  const newCol = new Int32Array(total);
  const newValues = new Float64Array(total);
  const lowerEnd = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const end = rowStart[i + 1]!;
    let low = newStart[t]!;
    let high = newStart[t + 1]! - 1;
    for (let k = rowStart[i]!; k < end; k++) {
      const j = colIndex[k]!;
      if (j === i) continue;
      const p = position[j]!;
      const dest = p < t ? low++ : high--;
      newCol[dest] = p;
      newValues[dest] = values[k]!;
    }
    lowerEnd[t] = low;
  }
  return {
    offDiagonal: { rows: n, cols: n, rowStart: newStart, colIndex: newCol, values: newValues },
    lowerEnd,
    diagonal,
    order,
  };
}

/** The identity order, for measuring what the depth order is worth. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  return order;
}

/**
 * An order of the unknowns in which each comes after those it depends on wherever no loop forbids it (row i
 * of M lists the j that x_i depends on). It is the postorder of a depth-first search: exactly topological
 * on the condensation (every entry between strongly connected components points backwards), and inside a
 * loop only the search's back edges point forwards. Measured on generated economies it leaves Gauss–Seidel
 * contracting about as fast as the generator's own depth order, at a fraction of the cost of the
 * Eades–Lin–Smyth feedback-arc heuristic, and with better memory locality. `order[t]` is the old index at t.
 */
export function dependencyOrder(m: CsrMatrix): Int32Array {
  const n = m.rows;
  const { rowStart, colIndex } = m;
  const order = new Int32Array(n);
  const visited = new Uint8Array(n);
  const stackNode = new Int32Array(n);
  const stackNext = new Int32Array(n);
  let placed = 0;
  for (let root = 0; root < n; root++) {
    if (visited[root]) continue;
    visited[root] = 1;
    let top = 0;
    stackNode[0] = root;
    stackNext[0] = rowStart[root]!;
    while (top >= 0) {
      const v = stackNode[top]!;
      const p = stackNext[top]!;
      if (p < rowStart[v + 1]!) {
        stackNext[top] = p + 1;
        const w = colIndex[p]!;
        if (!visited[w]) {
          visited[w] = 1;
          top++;
          stackNode[top] = w;
          stackNext[top] = rowStart[w]!;
        }
      } else {
        order[placed++] = v;
        top--;
      }
    }
  }
  return order;
}
