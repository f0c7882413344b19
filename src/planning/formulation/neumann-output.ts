// The truncated Neumann series x = Σₖ₌₀ᵗᵉʳᵐˢ Aᵏ d, bit for bit what the plain row-by-row products give, with
// the matrix's entries dealt into blocks of columns so that each block's reads of the vector stay in the cache.
//
// Why: the synthetic plan sizes its scarce skill from this series (24 products with A). Row by row, every
// entry reads the vector at a random column: at 3·10⁶ products (a 24 MB vector) 0.54 s of CPU per product,
// most of the synthetic plan, and at 10⁷ (80 MB, far past the cache and the TLB's reach) most of its 95 s.
// Each product here walks the blocks in increasing column order, and within a block the rows in order, adding
// every entry to its row's running sum: each row's sum takes its entries in increasing column from 0, exactly
// as the plain loop does, so the result is identical (no reordered sums), for the price of a copy of the
// entries with their row (16 bytes an entry) and one pass over the sums per block.
import type { CsrMatrix } from '../../numeric/sparse/csr';

/**
 * log₂ of the columns per block: 2¹⁶ at most 10⁶ products (a 512 KB slice of the vector, about the cache of
 * one core here), growing above so that there are at most 64 blocks: each block passes over every row's sum
 * once, so more blocks would stream the sums more often than they save.
 */
export function neumannBlockShift(n: number): number {
  let shift = 16;
  while (n >> shift > 64) shift++;
  return shift;
}

/** x = Σₖ₌₀ᵗᵉʳᵐˢ Aᵏ d for square A; `shift` (log₂ columns per block) is for tests. */
export function neumannOutput(
  a: CsrMatrix,
  d: Float64Array,
  terms: number,
  shift = neumannBlockShift(a.rows),
): Float64Array {
  const n = a.rows;
  const { rowStart, colIndex, values } = a;
  const count = rowStart[n]!;
  // The entries dealt into column blocks, each block in row order (rows visited in order keep it so).
  const blocks = (n >> shift) + 1;
  const blockStart = new Int32Array(blocks + 1);
  for (let q = 0; q < count; q++) blockStart[(colIndex[q]! >> shift) + 1]!++;
  for (let b = 0; b < blocks; b++) blockStart[b + 1]! += blockStart[b]!;
  const cursor = blockStart.slice(0, blocks);
  const row = new Int32Array(count);
  const col = new Int32Array(count);
  const val = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const end = rowStart[i + 1]!;
    for (let q = rowStart[i]!; q < end; q++) {
      const p = cursor[colIndex[q]! >> shift]!++;
      row[p] = i;
      col[p] = colIndex[q]!;
      val[p] = values[q]!;
    }
  }
  const x = Float64Array.from(d);
  let term = Float64Array.from(d);
  let next = new Float64Array(n);
  for (let k = 0; k < terms; k++) {
    // 0 + a·t is a·t exactly, as the plain loop's first addition to its sum of 0.
    next.fill(0);
    for (let p = 0; p < count; p++) next[row[p]!]! += val[p]! * term[col[p]!]!;
    for (let i = 0; i < n; i++) x[i]! += next[i]!;
    [term, next] = [next, term];
  }
  return x;
}
