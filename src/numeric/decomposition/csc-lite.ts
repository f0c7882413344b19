// A minimal column-by-column CSC builder for the master programme (entries of a column pushed, then ended).
import type { CscMatrix } from '../lp/lp';

export class CscBuilderLite {
  private readonly starts: number[] = [0];
  private readonly rowIndex: number[] = [];
  private readonly values: number[] = [];
  constructor(private readonly rows: number) {}
  add(row: number, value: number): void {
    if (value === 0) return;
    this.rowIndex.push(row);
    this.values.push(value);
  }
  end(): void {
    this.starts.push(this.rowIndex.length);
  }
  build(): CscMatrix {
    return {
      rows: this.rows,
      cols: this.starts.length - 1,
      colStart: Int32Array.from(this.starts),
      rowIndex: Int32Array.from(this.rowIndex),
      values: Float64Array.from(this.values),
    };
  }
}
