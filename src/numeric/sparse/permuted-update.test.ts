// updatePermuted must build the same permuted system as permuteSymmetric on the changed matrix: the same
// entries in every row (in any order), left of the diagonal before lowerEnd and right of it after, and the
// same diagonal, whichever rows changed (with or without a diagonal entry, longer or shorter, or emptied).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './csr';
import { permuteSymmetric } from './ordering';
import type { PermutedSystem } from './ordering';
import { updatePermuted } from './permuted-update';
import { SpareArrays } from './spare-arrays';

/** Rows as lists of [column, value], sorted by column with distinct columns, as CsrMatrix requires. */
type Rows = [number, number][][];

function csr(rows: Rows): CsrMatrix {
  const n = rows.length;
  const rowStart = new Int32Array(n + 1);
  rows.forEach((r, i) => (rowStart[i + 1] = rowStart[i]! + r.length));
  const flat = rows.flat();
  return {
    rows: n,
    cols: n,
    rowStart,
    colIndex: Int32Array.from(flat, ([c]) => c),
    values: Float64Array.from(flat, ([, v]) => v),
  };
}

/** Each permuted row's entries sorted by column, after checking lowerEnd splits them at the diagonal. */
function canonical(s: PermutedSystem): { rows: string[]; diagonal: number[] } {
  const { rowStart, colIndex, values } = s.offDiagonal;
  const rows: string[] = [];
  for (let t = 0; t < s.offDiagonal.rows; t++) {
    const entries: [number, number][] = [];
    for (let k = rowStart[t]!; k < rowStart[t + 1]!; k++) {
      expect(k < s.lowerEnd[t]! ? colIndex[k]! < t : colIndex[k]! > t).toBe(true);
      entries.push([colIndex[k]!, values[k]!]);
    }
    rows.push(JSON.stringify(entries.sort((a, b) => a[0] - b[0])));
  }
  return { rows, diagonal: Array.from(s.diagonal) };
}

const row = (n: number) =>
  fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 9 })), {
      selector: ([c]) => c,
      maxLength: Math.min(n, 6),
    })
    .map((r) => r.sort((a, b) => a[0] - b[0]).map(([c, v]) => [c, v / 10] as [number, number]));

const case_ = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    before: fc.array(row(n), { minLength: n, maxLength: n }),
    // For each row: keep it, or replace it by a new one.
    replace: fc.array(fc.option(row(n), { nil: undefined }), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    hubs: fc.integer({ min: 0, max: 2 }),
    transposed: fc.boolean(),
  }),
);

describe('updatePermuted', () => {
  it('builds what permuteSymmetric builds for the changed matrix', () => {
    fc.assert(
      fc.property(case_, ({ before, replace, order, hubs, transposed }) => {
        const after = before.map((r, i) => replace[i] ?? r);
        const changed = Int32Array.from(replace.flatMap((r, i) => (r === undefined ? [] : [i])));
        const ord = Int32Array.from(order);
        const options = { transposed, hubs: Math.min(hubs, order.length) };
        const old = permuteSymmetric(csr(before), ord, options);
        const updated = updatePermuted(old, csr(before), csr(after), changed, transposed);
        const fresh = permuteSymmetric(csr(after), ord, options);
        expect(canonical(updated)).toEqual(canonical(fresh));
        expect(updated.hubs).toBe(fresh.hubs);
        expect(Array.from(updated.order)).toEqual(Array.from(fresh.order));
      }),
      { numRuns: 500 },
    );
  });

  it('builds the same into lent arrays that hold old values, which it overwrites in full', () => {
    fc.assert(
      fc.property(case_, ({ before, replace, order, hubs, transposed }) => {
        const n = before.length;
        const after = before.map((r, i) => replace[i] ?? r);
        const changed = Int32Array.from(replace.flatMap((r, i) => (r === undefined ? [] : [i])));
        const ord = Int32Array.from(order);
        const options = { transposed, hubs: Math.min(hubs, n) };
        const old = permuteSymmetric(csr(before), ord, options);
        // One buffer for each array it may ask for, filled with values no correct copy holds.
        const spare = new SpareArrays();
        const nnz = Math.max(after.flat().length, 1);
        spare.give(new Int32Array(nnz).fill(-7), new Float64Array(nnz).fill(Number.NaN));
        spare.give(new Float64Array(n + 1).fill(Number.NaN));
        for (let k = 0; k < 5; k++) spare.give(new Int32Array(n + 1).fill(-7));
        const updated = updatePermuted(old, csr(before), csr(after), changed, transposed, spare);
        const fresh = permuteSymmetric(csr(after), ord, options);
        expect(canonical(updated)).toEqual(canonical(fresh));
        expect(Array.from(updated.offDiagonal.rowStart)).toEqual(Array.from(fresh.offDiagonal.rowStart));
        expect(spare.reused).toBeGreaterThanOrEqual(6);
        // And once more from the copy just made, into what the first update gave back.
        const again = updatePermuted(updated, csr(after), csr(before), changed, transposed, spare);
        expect(canonical(again)).toEqual(canonical(old));
        // Nothing the first update returned was given back and lent to the second.
        const buffers = (p: PermutedSystem) =>
          [p.offDiagonal.rowStart, p.offDiagonal.colIndex, p.offDiagonal.values, p.lowerEnd, p.diagonal].map(
            (a) => a.buffer,
          );
        expect(buffers(again).filter((b) => buffers(updated).includes(b))).toEqual([]);
        expect(canonical(updated)).toEqual(canonical(fresh));
      }),
      { numRuns: 300 },
    );
  });
});

describe('permuteSymmetric', () => {
  // Sorted rows read x in rising order (the hub rows' many entries above all); the entries must still be
  // those of P M Pᵀ (or P Mᵀ Pᵀ), each once, with the diagonal apart.
  const dense = fc.integer({ min: 1, max: 70 }).chain((n) =>
    fc.record({
      rows: fc.array(
        fc
          .uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 9 })), {
            selector: ([c]) => c,
            maxLength: n,
          })
          .map((r) => r.sort((a, b) => a[0] - b[0]).map(([c, v]) => [c, v / 10] as [number, number])),
        { minLength: n, maxLength: n },
      ),
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      transposed: fc.boolean(),
    }),
  );
  it('builds every row sorted by column, split at the diagonal, with the permuted entries', () => {
    fc.assert(
      fc.property(dense, ({ rows, order, transposed }) => {
        const n = rows.length;
        const s = permuteSymmetric(csr(rows as Rows), Int32Array.from(order), { transposed });
        const position = new Array<number>(n);
        order.forEach((i, t) => (position[i] = t));
        const want: [number, number][][] = Array.from({ length: n }, () => []);
        const diagonal = new Array<number>(n).fill(0);
        rows.forEach((r, i) =>
          r.forEach(([j, v]) => {
            if (i === j) diagonal[position[i]!] = v;
            else if (transposed) want[position[j]!]!.push([position[i]!, v]);
            else want[position[i]!]!.push([position[j]!, v]);
          }),
        );
        const { rowStart, colIndex, values } = s.offDiagonal;
        for (let t = 0; t < n; t++) {
          const got: [number, number][] = [];
          for (let k = rowStart[t]!; k < rowStart[t + 1]!; k++) {
            if (k > rowStart[t]!) expect(colIndex[k]!).toBeGreaterThan(colIndex[k - 1]!);
            expect(k < s.lowerEnd[t]! ? colIndex[k]! < t : colIndex[k]! > t).toBe(true);
            got.push([colIndex[k]!, values[k]!]);
          }
          expect(got).toEqual(want[t]!.sort((a, b) => a[0] - b[0]));
        }
        expect(Array.from(s.diagonal)).toEqual(diagonal);
      }),
      { numRuns: 300 },
    );
  });
});
