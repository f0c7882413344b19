// Small LPs with published or analytically known optima, shared by the solver tests and benchmarks.
import type { LinearProgram } from './lp';
import { denseLp } from './dense-lp';

const INF = Number.POSITIVE_INFINITY;

/**
 * Dantzig's transportation problem (Dantzig 1963, ch. 3.3), as GAMS model library "trnsport":
 * plants Seattle (350 cases) and San Diego (600) ship to New York (325), Chicago (300), Topeka (275);
 * cost 90 $/case per 1000 miles. Columns: [sea-ny, sea-chi, sea-top, sd-ny, sd-chi, sd-top].
 * Rows: supply Seattle, supply San Diego (≤), demand NY, Chicago, Topeka (≥).
 * Published optimum 153.675 (k$), demand marginals 0.225, 0.153, 0.126, supply marginals 0.
 */
export function dantzigTransport(): LinearProgram {
  const miles = [2.5, 1.7, 1.8, 2.5, 1.8, 1.4];
  return denseLp({
    sense: 'min',
    objective: miles.map((d) => (90 * d) / 1000),
    rows: [
      [1, 1, 1, 0, 0, 0],
      [0, 0, 0, 1, 1, 1],
      [1, 0, 0, 1, 0, 0],
      [0, 1, 0, 0, 1, 0],
      [0, 0, 1, 0, 0, 1],
    ],
    rowLower: [-INF, -INF, 325, 300, 275],
    rowUpper: [350, 600, INF, INF, INF],
  });
}

/**
 * A workshop's chairs and tables (highs-js README, LP relaxation): max 30x + 50y, x + 2y ≤ 40, 2x + y ≤ 50.
 * Optimum x = 20, y = 10, profit 1100; shadow prices solve y₁ + 2y₂ = 30, 2y₁ + y₂ = 50: 70/3 and 10/3.
 */
export function chairsAndTables(): LinearProgram {
  return denseLp({
    sense: 'max',
    objective: [30, 50],
    rows: [
      [1, 2],
      [2, 1],
    ],
    rowLower: [-INF, -INF],
    rowUpper: [40, 50],
  });
}

/**
 * Free column, ranged row and equality row: min −x − 2y, 2 ≤ x + y ≤ 4, x − y = 0, x free, 0 ≤ y ≤ 10.
 * Optimum x = y = 2, objective −6. Raising the range's upper bound by t gives −6 − 1.5t (dual −1.5);
 * raising the equality's right side by t gives −6 + t/2 (dual 0.5).
 */
export function rangedWithFreeColumn(): LinearProgram {
  return denseLp({
    sense: 'min',
    objective: [-1, -2],
    rows: [
      [1, 1],
      [1, -1],
    ],
    rowLower: [2, 0],
    rowUpper: [4, 0],
    colLower: [-INF, 0],
    colUpper: [INF, 10],
  });
}

/** x + y ≤ 1 and x + y ≥ 2 with x, y ≥ 0: no feasible point. */
export function infeasibleLp(): LinearProgram {
  return denseLp({
    sense: 'min',
    objective: [1, 1],
    rows: [
      [1, 1],
      [1, 1],
    ],
    rowLower: [-INF, 2],
    rowUpper: [1, INF],
  });
}

/** max x subject to x − y ≤ 1 with x, y ≥ 0: x grows without bound along (1, 1). */
export function unboundedLp(): LinearProgram {
  return denseLp({ sense: 'max', objective: [1, 0], rows: [[1, -1]], rowLower: [-INF], rowUpper: [1] });
}
