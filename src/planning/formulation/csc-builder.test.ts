import { describe, expect, it } from 'vitest';
import { CscBuilder, GrowingFloat64 } from './csc-builder';

describe('GrowingFloat64', () => {
  it('keeps every number pushed past its expected length, in order', () => {
    const g = new GrowingFloat64(3);
    const pushed = Array.from({ length: 100 }, (_, i) => i * 0.5 - 7);
    for (const v of pushed) g.push(v);
    expect(g.length).toBe(100);
    expect(Array.from(g.toArray())).toEqual(pushed);
  });

  it('gives an array of exactly the numbers pushed when fewer than expected', () => {
    const g = new GrowingFloat64(50);
    g.push(1);
    g.push(2);
    expect(Array.from(g.toArray())).toEqual([1, 2]);
  });
});

describe('CscBuilder', () => {
  it('builds the same matrix as a dense reference with more columns than expected', () => {
    // 3 rows, 40 columns: column j has (j mod 3, j) and (2, 1), the latter summed into row 2 when j mod 3 = 2.
    const b = new CscBuilder(3, 4, 2);
    const dense = Array.from({ length: 3 }, () => new Array<number>(40).fill(0));
    for (let j = 0; j < 40; j++) {
      b.add(j % 3, j + 1);
      b.add(2, 1);
      dense[j % 3]![j]! += j + 1;
      dense[2]![j]! += 1;
      expect(b.endColumn()).toBe(j);
    }
    const m = b.build();
    expect(m.cols).toBe(40);
    expect(m.colStart).toHaveLength(41);
    const rebuilt = Array.from({ length: 3 }, () => new Array<number>(40).fill(0));
    for (let j = 0; j < 40; j++)
      for (let e = m.colStart[j]!; e < m.colStart[j + 1]!; e++) rebuilt[m.rowIndex[e]!]![j]! += m.values[e]!;
    expect(rebuilt).toEqual(dense);
  });
});
