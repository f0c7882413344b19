// The blocked Neumann series against the plain row-by-row products it replaced: equal bit for bit.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import type { CsrMatrix } from '../../numeric/sparse/csr';
import { neumannBlockShift, neumannOutput } from './neumann-output';

/** x = Σₖ Aᵏ d, row by row: the synthetic plan's loop before the blocks (the independent value). */
function plainNeumann(a: CsrMatrix, d: Float64Array, terms: number): Float64Array {
  const x = Float64Array.from(d);
  let term = Float64Array.from(d);
  let next = new Float64Array(a.rows);
  for (let k = 0; k < terms; k++) {
    for (let i = 0; i < a.rows; i++) {
      let s = 0;
      for (let q = a.rowStart[i]!; q < a.rowStart[i + 1]!; q++) s += a.values[q]! * term[a.colIndex[q]!]!;
      next[i] = s;
      x[i]! += s;
    }
    [term, next] = [next, term];
  }
  return x;
}

describe('neumannOutput', () => {
  const e = generateEconomy({ n: 3000, seed: 11 });

  it('equals the plain products bit for bit, whatever the blocks', () => {
    const plain = plainNeumann(e.A, e.finalDemand, 24);
    // One block, 47 blocks of 64 columns, and blocks of 5 columns (600 of them).
    for (const shift of [neumannBlockShift(e.n), 6, 2]) {
      const x = neumannOutput(e.A, e.finalDemand, 24, shift);
      expect(Array.from(x)).toEqual(Array.from(plain));
    }
  });

  it('sums the series: with 0 terms it is d, with more it approaches (I − A)⁻¹d', () => {
    expect(Array.from(neumannOutput(e.A, e.finalDemand, 0, 4))).toEqual(Array.from(e.finalDemand));
    // Column sums ≤ 0.7: after 80 terms the remainder is below 0.7⁸¹/(1 − 0.7) of ‖d‖₁, so x − A x = d.
    const x = neumannOutput(e.A, e.finalDemand, 80, 5);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < e.n; i++) {
      let ax = 0;
      for (let q = e.A.rowStart[i]!; q < e.A.rowStart[i + 1]!; q++)
        ax += e.A.values[q]! * x[e.A.colIndex[q]!]!;
      worst = Math.max(worst, Math.abs(x[i]! - ax - e.finalDemand[i]!));
      scale = Math.max(scale, e.finalDemand[i]!);
    }
    expect(worst).toBeLessThan(1e-9 * scale);
  });

  it('uses blocks of 2¹⁶ columns up to about 4·10⁶ products, and at most 64 blocks above', () => {
    expect(neumannBlockShift(1_000_000)).toBe(16);
    expect(10_000_000 >> neumannBlockShift(10_000_000)).toBeLessThanOrEqual(64);
    expect(10_000_000 >> (neumannBlockShift(10_000_000) - 1)).toBeGreaterThan(64);
  });
});
