// Column-by-column assembly of a CSC matrix on growable typed arrays, merging repeated rows in a column.
import type { CscMatrix } from '../../numeric/lp/lp';

export class CscBuilder {
  private rowIndex: Int32Array;
  private values: Float64Array;
  private colStart: number[] = [0];
  private count = 0;
  private open = 0;

  constructor(
    readonly rows: number,
    expectedNonZeros: number,
  ) {
    this.rowIndex = new Int32Array(Math.max(16, expectedNonZeros));
    this.values = new Float64Array(Math.max(16, expectedNonZeros));
  }

  get columns(): number {
    return this.colStart.length - 1;
  }

  /** Adds value at row of the open column; a row already present in the column is summed into. */
  add(row: number, value: number): void {
    if (value === 0) return;
    for (let e = this.open; e < this.count; e++) {
      if (this.rowIndex[e] === row) {
        this.values[e]! += value;
        return;
      }
    }
    this.push(row, value);
  }

  /** Adds value at a row the caller knows is new to the open column (no search: long columns stay linear). */
  push(row: number, value: number): void {
    if (value === 0) return;
    if (this.count === this.rowIndex.length) {
      const size = Math.ceil(this.count * 1.5) + 16;
      const ri = new Int32Array(size);
      ri.set(this.rowIndex);
      const v = new Float64Array(size);
      v.set(this.values);
      this.rowIndex = ri;
      this.values = v;
    }
    this.rowIndex[this.count] = row;
    this.values[this.count] = value;
    this.count++;
  }

  /** Closes the open column (sorting its rows) and returns its index. */
  endColumn(): number {
    const ri = this.rowIndex;
    const v = this.values;
    for (let e = this.open + 1; e < this.count; e++) {
      const r = ri[e]!;
      const x = v[e]!;
      let f = e - 1;
      while (f >= this.open && ri[f]! > r) {
        ri[f + 1] = ri[f]!;
        v[f + 1] = v[f]!;
        f--;
      }
      ri[f + 1] = r;
      v[f + 1] = x;
    }
    // Entries that cancelled to zero (an input of a technology's own product equal to 1) are dropped.
    let w = this.open;
    for (let e = this.open; e < this.count; e++) {
      if (v[e] !== 0) {
        ri[w] = ri[e]!;
        v[w] = v[e]!;
        w++;
      }
    }
    this.count = w;
    this.colStart.push(w);
    this.open = w;
    return this.colStart.length - 2;
  }

  build(): CscMatrix {
    return {
      rows: this.rows,
      cols: this.columns,
      colStart: Int32Array.from(this.colStart),
      rowIndex: this.rowIndex.slice(0, this.count),
      values: this.values.slice(0, this.count),
    };
  }
}
