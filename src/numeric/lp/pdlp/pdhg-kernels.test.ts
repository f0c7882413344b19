// The PDHG kernels against independent references: the sparse products against dense ones, the fused Halpern
// step (stepAndMix) bit for bit against the step followed by the four mixes it replaces, and the diagonal
// rescaling against a dense Ruiz / Pock–Chambolle written out here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalLp } from '../general-lp';
import { prng, randomFeasibleLp } from '../random-lp';
import { halpernMix, stepAndMix } from './halpern';
import { copyIterate, lastStep, newIterate, step, type Iterate } from './pdhg';
import { scaleProblem } from './scaled-problem';
import { multiplyCompressed, multiplyMixed } from './sparse-multiply';

/** Random compressed arrays of a major × minor matrix: rows of 0–7 entries (empty, odd and even lengths). */
function randomCompressed(major: number, minor: number, seed: number) {
  const rand = prng(seed);
  const start = new Int32Array(major + 1);
  const index: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < major; i++) {
    const count = Math.floor(rand() * 8);
    for (let e = 0; e < count; e++) {
      index.push(Math.floor(rand() * minor));
      values.push(rand() * 4 - 2);
    }
    start[i + 1] = index.length;
  }
  return { start, index: Int32Array.from(index), values: Float64Array.from(values) };
}

describe('multiplyCompressed', () => {
  it('equals the dense product on random matrices with empty, odd and even rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (major, minor, seed) => {
          const { start, index, values } = randomCompressed(major, minor, seed);
          const rand = prng(seed ^ 0x5bd1e995);
          const v = Float64Array.from({ length: minor }, () => rand() * 2 - 1);
          const dense = Array.from({ length: major }, () => new Float64Array(minor));
          for (let i = 0; i < major; i++)
            for (let k = start[i]!; k < start[i + 1]!; k++)
              dense[i]![index[k]!] = dense[i]![index[k]!]! + values[k]!;
          const out = new Float64Array(major).fill(Number.NaN);
          multiplyCompressed(start, index, values, v, out);
          for (let i = 0; i < major; i++) {
            let expected = 0;
            let size = 0;
            for (let j = 0; j < minor; j++) {
              expected += dense[i]![j]! * v[j]!;
              size += Math.abs(dense[i]![j]! * v[j]!);
            }
            expect(Math.abs(out[i]! - expected)).toBeLessThanOrEqual(1e-13 * (1 + size));
          }
        },
      ),
      { seed: 14, numRuns: 200 },
    );
  });

  it("multiplyMixed writes multiplyCompressed's product and mixes it into z", () => {
    const { start, index, values } = randomCompressed(30, 25, 7);
    const rand = prng(8);
    const v = Float64Array.from({ length: 25 }, () => rand() - 0.5);
    const z = Float64Array.from({ length: 30 }, () => rand() - 0.5);
    const a = Float64Array.from({ length: 30 }, () => rand() - 0.5);
    const plain = new Float64Array(30);
    multiplyCompressed(start, index, values, v, plain);
    const out = new Float64Array(30);
    const mixed = Float64Array.from(z);
    multiplyMixed(start, index, values, v, out, mixed, a, 1.5, -0.75, 0.25);
    expect(Array.from(out)).toEqual(Array.from(plain));
    for (let i = 0; i < 30; i++) expect(mixed[i]).toBe(1.5 * plain[i]! + -0.75 * z[i]! + 0.25 * a[i]!);
  });
});

function randomIterate(n: number, m: number, rand: () => number): Iterate {
  const z = newIterate(n, m);
  for (const array of [z.x, z.y, z.ax, z.aty])
    for (let i = 0; i < array.length; i++) array[i] = rand() * 4 - 2;
  return z;
}

describe('stepAndMix', () => {
  it('is bit for bit step followed by halpernMix of all four arrays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 200 }),
        (seed, rows, cols, perColumn, eta, omega, sinceRestart) => {
          const p = scaleProblem(randomFeasibleLp({ rows, cols, perColumn, seed }));
          const rand = prng(seed + 1);
          const z = randomIterate(p.cols, p.rows, rand);
          const anchor = randomIterate(p.cols, p.rows, rand);
          const lambda = (sinceRestart + 1) / (sinceRestart + 2);

          const zPlain = newIterate(p.cols, p.rows);
          copyIterate(z, zPlain);
          const tPlain = newIterate(p.cols, p.rows);
          step(p, zPlain, tPlain, eta, omega);
          const plainStep = { ...lastStep };
          halpernMix(zPlain.x, tPlain.x, anchor.x, lambda);
          halpernMix(zPlain.y, tPlain.y, anchor.y, lambda);
          halpernMix(zPlain.ax, tPlain.ax, anchor.ax, lambda);
          halpernMix(zPlain.aty, tPlain.aty, anchor.aty, lambda);

          const tFused = newIterate(p.cols, p.rows);
          stepAndMix(p, z, tFused, anchor, eta, omega, lambda);
          expect({ ...lastStep }).toEqual(plainStep);
          for (const key of ['x', 'y', 'ax', 'aty'] as const) {
            expect(Array.from(tFused[key]), `T(z).${key}`).toEqual(Array.from(tPlain[key]));
            expect(Array.from(z[key]), `next z.${key}`).toEqual(Array.from(zPlain[key]));
          }
        },
      ),
      { seed: 1411, numRuns: 100 },
    );
  });
});

describe('scaleProblem', () => {
  /** Ten Ruiz passes (rows and columns by 1/sqrt of their ∞-norm), then one by 1/sqrt of their 1-norm, dense. */
  function denseScaling(a: number[][]) {
    const m = a.length;
    const n = a[0]!.length;
    const r = new Array<number>(m).fill(1);
    const c = new Array<number>(n).fill(1);
    const pass = (norm: (values: number[]) => number) => {
      const rn = a.map((row) => norm(row));
      const cn = Array.from({ length: n }, (_, j) => norm(a.map((row) => row[j]!)));
      const rf = rn.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
      const cf = cn.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i]![j] = a[i]![j]! * rf[i]! * cf[j]!;
      for (let i = 0; i < m; i++) r[i] = r[i]! * rf[i]!;
      for (let j = 0; j < n; j++) c[j] = c[j]! * cf[j]!;
    };
    for (let t = 0; t < 10; t++) pass((values) => Math.max(0, ...values.map(Math.abs)));
    pass((values) => values.reduce((s, v) => s + Math.abs(v), 0));
    return { a, r, c };
  }

  it.each([
    ['a random LP', randomFeasibleLp({ rows: 12, cols: 17, perColumn: 3, seed: 5 })],
    ['a small general LP', generalLp({ columns: 60, seed: 3 })],
  ])('matches a dense Ruiz and Pock–Chambolle scaling on %s', (_, lp) => {
    const { rows: m, cols: n, colStart, rowIndex, values } = lp.matrix;
    const dense = Array.from({ length: m }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++)
      for (let k = colStart[j]!; k < colStart[j + 1]!; k++) dense[rowIndex[k]!]![j] = values[k]!;
    const expected = denseScaling(dense);
    const p = scaleProblem(lp);
    for (let i = 0; i < m; i++) expect(p.rowScale[i]).toBeCloseTo(expected.r[i]!, 12);
    for (let j = 0; j < n; j++) expect(p.colScale[j]).toBeCloseTo(expected.c[j]!, 12);
    for (let j = 0; j < n; j++)
      for (let k = p.colStart[j]!; k < p.colStart[j + 1]!; k++)
        expect(p.colValues[k]).toBeCloseTo(expected.a[p.rowIndex[k]!]![j]!, 12);
    // The CSR copy holds the same scaled entries.
    for (let i = 0; i < m; i++)
      for (let k = p.rowStart[i]!; k < p.rowStart[i + 1]!; k++)
        expect(p.rowValues[k]).toBeCloseTo(expected.a[i]![p.colIndex[k]!]!, 12);
  });
});
