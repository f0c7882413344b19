// Column-by-column assembly of a CSC matrix on growable typed arrays, merging repeated rows in a column, and of
// per-column numbers (costs, bounds) on the same kind of array.
import type { CscMatrix } from '../../numeric/lp/lp';

/** A copy of a full typed array with room for half as many again (the one growth rule of this file). */
function grown<T extends Int32Array | Float64Array>(full: T): T {
  const out = new (full.constructor as new (length: number) => T)(Math.ceil(full.length * 1.5) + 16);
  out.set(full);
  return out;
}

/**
 * A Float64Array that grows as numbers are pushed (by half again when full). Plain arrays of a number per column
 * were built up element by element at 10⁷ products (over 10⁷ columns), the start of the LP's 34 s set-up there.
 */
export class GrowingFloat64 {
  private data: Float64Array;
  private count = 0;

  constructor(expected: number) {
    this.data = new Float64Array(Math.max(16, expected));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) this.data = grown(this.data);
    this.data[this.count++] = value;
  }

  /** The numbers pushed, in their own array (the buffer itself when the expected length was exact). */
  toArray(): Float64Array {
    return this.count === this.data.length ? this.data : this.data.slice(0, this.count);
  }
}

export class CscBuilder {
  private rowIndex: Int32Array;
  private values: Float64Array;
  private colStart: Int32Array;
  private closed = 0;
  private count = 0;
  private open = 0;

  constructor(
    readonly rows: number,
    expectedNonZeros: number,
    expectedColumns = 0,
  ) {
    this.rowIndex = new Int32Array(Math.max(16, expectedNonZeros));
    this.values = new Float64Array(Math.max(16, expectedNonZeros));
    this.colStart = new Int32Array(Math.max(16, expectedColumns + 1));
  }

  get columns(): number {
    return this.closed;
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
      this.rowIndex = grown(this.rowIndex);
      this.values = grown(this.values);
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
    if (this.closed + 1 === this.colStart.length) this.colStart = grown(this.colStart);
    this.colStart[++this.closed] = w;
    this.open = w;
    return this.closed - 1;
  }

  build(): CscMatrix {
    return {
      rows: this.rows,
      cols: this.columns,
      colStart: this.colStart.slice(0, this.closed + 1),
      rowIndex: this.rowIndex.slice(0, this.count),
      values: this.values.slice(0, this.count),
    };
  }
}
