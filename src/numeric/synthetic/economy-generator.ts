// Seeded synthetic economies of any size (up to 10⁶ products and beyond) for tests, demos and benchmarks.
import type { CsrMatrix } from '../sparse/csr';
import { Random } from './random';

export interface EconomyGeneratorOptions {
  /** Number of products (one industry per product). */
  n: number;
  seed: number;
  /** Mean inputs per product at n = 10⁶ (default 10): half ordinary inputs, half hub industries. */
  inputsPerProduct?: number;
  /** Hub industries (energy, transport, ...) used by about 90% of products; default grows like log n. */
  hubs?: number;
  /** Share of ordinary inputs that come from a deeper product, closing feedback loops (default 0.02). */
  feedbackShare?: number;
  /**
   * Where A's CSR arrays are made, once their sizes are known (default: fresh typed arrays). The Leontief
   * solvers' allocateLeontiefMatrix builds A straight into their own memory, so that the first solve need not
   * copy it there. The arrays must come zeroed, at exactly these lengths.
   */
  allocate?: (n: number, nonZeros: number) => Pick<CsrMatrix, 'rowStart' | 'colIndex' | 'values'>;
}

export interface SyntheticEconomy {
  n: number;
  /** A[i][j] = input of product i per unit of product j. Column sums lie in [0.2, 0.7]. */
  A: CsrMatrix;
  /** Direct labour per unit of each product. */
  labour: Float64Array;
  /** Net final demand for each product (non-negative, some zero). */
  finalDemand: Float64Array;
  /** Technological depth: 0 for hubs, otherwise 1 + the deepest non-feedback input. */
  depth: Int32Array;
  hubs: number;
}

const hubUse = 0.9;
const minColumnSum = 0.2;
const maxColumnSum = 0.7;
const feedbackWeight = 0.3;
// Relative weight of one hub among inputs (ordinary inputs weigh 1 on average): energy and transport together
// take about a sixth of intermediate costs.
const hubWeight = 0.15;

/** The default number of hubs: about log₂(n)/3.5, so 6 at 10⁶ products and none below 10. */
export function defaultHubs(n: number): number {
  if (n < 10) return 0;
  return Math.max(1, Math.round(Math.log2(n) / 3.5));
}

/**
 * Generates a productive economy whose products, listed in a hidden order of technological depth, take
 * their inputs mostly from shallower products plus a few feedback loops, then are shuffled so that the
 * matrix is nearly, but not visibly, triangular. Non-zeros grow like n·log n (the hubs grow like log n).
 */
export function generateEconomy(options: EconomyGeneratorOptions): SyntheticEconomy {
  const n = Math.floor(options.n);
  if (!(n >= 1)) throw new RangeError(`generateEconomy: n must be a positive integer, got ${options.n}`);
  const rng = new Random(options.seed);
  const hubs = Math.min(options.hubs ?? defaultHubs(n), n - 1);
  const meanOrdinary = Math.max(1, (options.inputsPerProduct ?? 10) / 2);
  const maxOrdinary = Math.max(1, Math.round(2 * meanOrdinary - 1));
  const feedbackShare = options.feedbackShare ?? 0.02;

  // Columns in hidden (depth) order: column k lists its inputs as hidden indices.
  let capacity = Math.ceil(n * (hubUse * hubs + meanOrdinary + 1)) + 16;
  let inputOf = new Int32Array(capacity);
  let valueOf = new Float64Array(capacity);
  const colStart = new Int32Array(n + 1);
  const depthHidden = new Int32Array(n);
  const labourHidden = new Float64Array(n);
  const demandHidden = new Float64Array(n);
  // One column's distinct inputs and their weights, in typed arrays: JS arrays with `includes` and a closure per
  // input were most of this loop's cost at 10⁷ products (10⁸ inputs). Every draw keeps its place in the order.
  const chosen = new Int32Array(hubs + maxOrdinary + 1);
  const weights = new Float64Array(hubs + maxOrdinary + 1);
  let m = 0;
  const choose = (input: number, weight: number): void => {
    for (let t = 0; t < m; t++) if (chosen[t] === input) return;
    chosen[m] = input;
    weights[m++] = weight;
  };
  let count = 0;

  for (let k = 0; k < n; k++) {
    m = 0;
    const isHub = k < hubs;
    for (let h = 0; h < hubs; h++) {
      if (h !== k && (isHub || rng.next() < hubUse)) choose(h, hubWeight * (0.2 + 1.6 * rng.next()));
    }
    const ordinary = 1 + rng.int(maxOrdinary);
    let depth = 0;
    for (let t = 0; t < ordinary; t++) {
      const feedback = rng.next() < feedbackShare || isHub;
      if (feedback && k + 1 < n) {
        const input = k + 1 + rng.int(n - k - 1);
        choose(input, feedbackWeight * -Math.log(1 - rng.next()));
      } else if (!feedback && k > hubs) {
        const input = hubs + rng.int(k - hubs);
        choose(input, -Math.log(1 - rng.next()));
        depth = Math.max(depth, depthHidden[input]! + 1);
      }
    }
    if (!isHub) depth = Math.max(depth, 1);
    depthHidden[k] = depth;

    const columnSum = minColumnSum + (maxColumnSum - minColumnSum) * rng.next();
    let total = 0;
    for (let t = 0; t < m; t++) total += weights[t]!;
    if (count + m > capacity) {
      capacity = Math.ceil(capacity * 1.5) + m;
      inputOf = grow(inputOf, new Int32Array(capacity));
      valueOf = grow(valueOf, new Float64Array(capacity));
    }
    for (let t = 0; t < m; t++) {
      inputOf[count] = chosen[t]!;
      valueOf[count] = total > 0 ? (columnSum * weights[t]!) / total : 0;
      count++;
    }
    colStart[k + 1] = count;
    labourHidden[k] = (1 - columnSum) * (0.2 + 0.8 * rng.next());
    demandHidden[k] = isHub || rng.next() >= 0.4 ? 100 * -Math.log(1 - rng.next()) : 0;
  }

  // Shuffle the labels (Fisher–Yates), so no ordering is given away.
  const label = new Int32Array(n);
  for (let k = 0; k < n; k++) label[k] = k;
  for (let k = n - 1; k > 0; k--) {
    const r = rng.int(k + 1);
    const t = label[k]!;
    label[k] = label[r]!;
    label[r] = t;
  }
  const hiddenOf = new Int32Array(n);
  for (let k = 0; k < n; k++) hiddenOf[label[k]!] = k;

  // Rows of A are inputs; walking columns in label order leaves every row sorted by column.
  const made = options.allocate?.(n, count);
  if (
    made &&
    (made.rowStart.length !== n + 1 || made.colIndex.length !== count || made.values.length !== count)
  )
    throw new RangeError(
      `generateEconomy: allocate gave arrays of the wrong lengths for ${n} rows, ${count} entries`,
    );
  const rowStart = made?.rowStart ?? new Int32Array(n + 1);
  // Each input's hidden index replaced by its label once, for the count and the scatter below.
  for (let e = 0; e < count; e++) rowStart[(inputOf[e] = label[inputOf[e]!]!) + 1]!++;
  for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i]!;
  const next = rowStart.slice(0, n);
  const colIndex = made?.colIndex ?? new Int32Array(count);
  const values = made?.values ?? new Float64Array(count);
  for (let c = 0; c < n; c++) {
    const k = hiddenOf[c]!;
    const end = colStart[k + 1]!;
    for (let e = colStart[k]!; e < end; e++) {
      const dest = next[inputOf[e]!]!++;
      colIndex[dest] = c;
      values[dest] = valueOf[e]!;
    }
  }

  const labour = new Float64Array(n);
  const finalDemand = new Float64Array(n);
  const depth = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const k = hiddenOf[c]!;
    labour[c] = labourHidden[k]!;
    finalDemand[c] = demandHidden[k]!;
    depth[c] = depthHidden[k]!;
  }
  return { n, A: { rows: n, cols: n, rowStart, colIndex, values }, labour, finalDemand, depth, hubs };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
