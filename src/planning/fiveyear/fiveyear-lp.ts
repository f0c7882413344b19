// The multi-year LP of the 5yearplan software, rebuilt variable for variable from its published
// description (our own code): outputs, input flows, capital stocks per industry and kind, depreciation,
// accumulation, labour, final consumption and one target-fulfilment variable per year.
//
// For year y, product j (a user) and product i (an input or a kind of capital), all variables ≥ 0:
//   max Σ_y T_y
//   T_y·target_jy ≤ cons_jy                      (every j with a positive target)
//   Σ_j lab_jy ≤ labourTotal_y ≤ supply_y
//   out_jy ≤ (output_j / flow_ij)·flow_ijy       (flow_ij ≠ 0)
//   out_jy ≤ (output_j / cap_ij)·K_ijy           (cap_ij ≠ 0)
//   out_jy ≤ (output_j / labour_j)·lab_jy        (labour_j ≠ 0)
//   D_ijy = dep_ij·K_ijy
//   K_ij1 ≤ cap_ij,  K_ijy ≤ K_ij,y−1 + A_ij,y−1 − D_ij,y−1
//   acc_iy ≥ Σ_j A_ijy,   prod_iy ≥ Σ_j flow_jiy
//   cons_jy ≤ out_jy − acc_jy − prod_jy
// Capital pairs with cap_ij = 0 never bound an output, so their (useless) stocks are left out.
import type { LinearProgram } from '../../numeric/lp/lp';
import type { FiveYearData } from './fiveyear-files';

class NamedLp {
  private cols = new Map<string, number>();
  private entries: { row: number; col: number; value: number }[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly colUpper: number[] = [];
  readonly cost: number[] = [];

  col(name: string, upper = Infinity, cost = 0): number {
    const c = this.cols.size;
    this.cols.set(name, c);
    this.colUpper.push(upper);
    this.cost.push(cost);
    return c;
  }

  at(name: string): number {
    const c = this.cols.get(name);
    if (c === undefined) throw new Error(`fiveyear-lp: no column ${name}`);
    return c;
  }

  row(terms: [string, number][], lower: number, upper: number): void {
    const r = this.rowLower.length;
    for (const [name, value] of terms)
      if (value !== 0) this.entries.push({ row: r, col: this.at(name), value });
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
  }

  build(): LinearProgram {
    const nCols = this.cols.size;
    const colStart = new Int32Array(nCols + 1);
    for (const e of this.entries) colStart[e.col + 1]!++;
    for (let c = 0; c < nCols; c++) colStart[c + 1]! += colStart[c]!;
    const next = colStart.slice(0, nCols);
    const rowIndex = new Int32Array(this.entries.length);
    const values = new Float64Array(this.entries.length);
    for (const e of this.entries) {
      const k = next[e.col]!++;
      rowIndex[k] = e.row;
      values[k] = e.value;
    }
    return {
      sense: 'max',
      objective: Float64Array.from(this.cost),
      matrix: { rows: this.rowLower.length, cols: nCols, colStart, rowIndex, values },
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      colLower: new Float64Array(nCols),
      colUpper: Float64Array.from(this.colUpper),
      colNames: [...this.cols.keys()],
    };
  }
}

/** The 5yearplan formulation of the data as a LinearProgram (column names say which variable is which). */
export function fiveYearLp(d: FiveYearData): LinearProgram {
  const lp = new NamedLp();
  const n = d.products.length;
  const Y = d.targets.length;
  const P = d.products;
  const hasCap = (i: number, j: number) => d.capital[i]![j]! !== 0;
  for (let y = 1; y <= Y; y++) {
    lp.col(`T${y}`, Infinity, 1);
    lp.col(`labourTotal${y}`, d.labourSupply[y - 1]!);
    for (let j = 0; j < n; j++) {
      for (const v of ['out', 'lab', 'acc', 'prod', 'cons']) lp.col(`${v}:${P[j]}:${y}`);
      for (let i = 0; i < n; i++) {
        if (d.flows[i]![j]! !== 0) lp.col(`flow:${P[j]}:${P[i]}:${y}`);
        if (hasCap(i, j)) {
          lp.col(`K:${P[j]}:${P[i]}:${y}`, y === 1 ? d.capital[i]![j]! : Infinity);
          lp.col(`D:${P[j]}:${P[i]}:${y}`);
          lp.col(`A:${P[j]}:${P[i]}:${y}`);
        }
      }
    }
  }
  for (let y = 1; y <= Y; y++) {
    const target = d.targets[y - 1]!;
    for (let j = 0; j < n; j++)
      if (target[j]! > 0)
        lp.row(
          [
            [`T${y}`, target[j]!],
            [`cons:${P[j]}:${y}`, -1],
          ],
          -Infinity,
          0,
        );
    lp.row([[`labourTotal${y}`, -1], ...P.map((p): [string, number] => [`lab:${p}:${y}`, 1])], -Infinity, 0);
    for (let j = 0; j < n; j++) {
      const out = `out:${P[j]}:${y}`;
      const o = d.output[j]!;
      for (let i = 0; i < n; i++) {
        const f = d.flows[i]![j]!;
        if (f !== 0)
          lp.row(
            [
              [out, 1],
              [`flow:${P[j]}:${P[i]}:${y}`, -o / f],
            ],
            -Infinity,
            0,
          );
        if (!hasCap(i, j)) continue;
        const K = `K:${P[j]}:${P[i]}:${y}`;
        lp.row(
          [
            [out, 1],
            [K, -o / d.capital[i]![j]!],
          ],
          -Infinity,
          0,
        );
        lp.row(
          [
            [`D:${P[j]}:${P[i]}:${y}`, 1],
            [K, -d.depreciation[i]![j]!],
          ],
          0,
          0,
        );
        if (y > 1) {
          const prev = (v: string) => `${v}:${P[j]}:${P[i]}:${y - 1}`;
          lp.row(
            [
              [K, 1],
              [prev('K'), -1],
              [prev('A'), -1],
              [prev('D'), 1],
            ],
            -Infinity,
            0,
          );
        }
      }
      if (d.labour[j]! !== 0)
        lp.row(
          [
            [out, 1],
            [`lab:${P[j]}:${y}`, -o / d.labour[j]!],
          ],
          -Infinity,
          0,
        );
      const accTerms: [string, number][] = [[`acc:${P[j]}:${y}`, 1]];
      const prodTerms: [string, number][] = [[`prod:${P[j]}:${y}`, 1]];
      for (let u = 0; u < n; u++) {
        if (hasCap(j, u)) accTerms.push([`A:${P[u]}:${P[j]}:${y}`, -1]);
        if (d.flows[j]![u]! !== 0) prodTerms.push([`flow:${P[u]}:${P[j]}:${y}`, -1]);
      }
      lp.row(accTerms, 0, Infinity);
      lp.row(prodTerms, 0, Infinity);
      lp.row(
        [
          [`cons:${P[j]}:${y}`, 1],
          [out, -1],
          [`acc:${P[j]}:${y}`, 1],
          [`prod:${P[j]}:${y}`, 1],
        ],
        -Infinity,
        0,
      );
    }
  }
  return lp.build();
}
