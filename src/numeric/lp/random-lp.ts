// Seeded random LPs that are feasible and bounded by construction, for property tests and benchmarks.
import type { LinearProgram } from './lp';

/** mulberry32: a small, fast, seedable PRNG; quality is ample for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomLpShape {
  rows: number;
  cols: number;
  /** Nonzeros per column (distinct rows, capped at `rows`). */
  perColumn: number;
  seed: number;
}

/**
 * Builds A with `perColumn` entries per column in [−1, 1], a hidden point x₀ ∈ [0, 10]ⁿ, and row bounds around
 * A x₀ (≤, ≥, = and ranged rows mixed), so x₀ is feasible. Boxed columns get costs in [−1, 1]; columns without
 * an upper bound get costs in [0, 1], so a minimisation is bounded below.
 */
export function randomFeasibleLp(shape: RandomLpShape): LinearProgram {
  const { rows: m, cols: n, seed } = shape;
  const k = Math.min(shape.perColumn, m);
  const rand = prng(seed);
  const colStart = new Int32Array(n + 1);
  const rowIndex = new Int32Array(n * k);
  const values = new Float64Array(n * k);
  const objective = new Float64Array(n);
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  const activity = new Float64Array(m);
  const chosen = new Int32Array(k);
  let nz = 0;
  for (let j = 0; j < n; j++) {
    const x0 = 10 * rand();
    // Distinct rows by rejection: k is small next to m in every use.
    for (let t = 0; t < k; t++) {
      let i: number;
      do i = Math.floor(rand() * m);
      while (chosen.subarray(0, t).includes(i));
      chosen[t] = i;
    }
    const sorted = chosen.slice(0, k).sort();
    for (const i of sorted) {
      const a = 2 * rand() - 1;
      rowIndex[nz] = i;
      values[nz] = a;
      activity[i] = (activity[i] as number) + a * x0;
      nz++;
    }
    colStart[j + 1] = nz;
    const boxed = rand() < 0.7;
    colUpper[j] = boxed ? x0 + 10 * rand() : Number.POSITIVE_INFINITY;
    objective[j] = boxed ? 2 * rand() - 1 : rand();
  }
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const a = activity[i] as number;
    const kind = rand();
    const slack = rand();
    if (kind < 0.4) {
      rowLower[i] = Number.NEGATIVE_INFINITY;
      rowUpper[i] = a + slack;
    } else if (kind < 0.8) {
      rowLower[i] = a - slack;
      rowUpper[i] = Number.POSITIVE_INFINITY;
    } else if (kind < 0.9) {
      rowLower[i] = a;
      rowUpper[i] = a;
    } else {
      rowLower[i] = a - slack;
      rowUpper[i] = a + slack;
    }
  }
  return {
    sense: 'min',
    objective,
    matrix: { rows: m, cols: n, colStart, rowIndex, values },
    rowLower,
    rowUpper,
    colLower,
    colUpper,
  };
}
