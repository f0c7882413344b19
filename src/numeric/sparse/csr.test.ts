// CSR construction, transpose and products checked against dense arithmetic.
import { describe, expect, it } from 'vitest';
import { columnSums, fromDense, fromTriplets, matvec, nnz, toDense, transpose, vecmat } from './csr';

const dense = [
  [0, 2, 0],
  [1, 0, 3],
  [0, 0, 4],
  [5, 0, 0],
];

describe('CSR matrices', () => {
  it('sum duplicated triplets, drop zeros and sort each row by column', () => {
    const m = fromTriplets(2, 3, [1, 0, 1, 0, 1], [2, 1, 0, 1, 1], [3, 1, 1, 1, 0]);
    expect(toDense(m)).toEqual([
      [0, 2, 0],
      [1, 0, 3],
    ]);
    expect(nnz(m)).toBe(3);
    expect(Array.from(m.colIndex)).toEqual([1, 0, 2]);
  });

  it('round-trip through dense form and transpose', () => {
    const m = fromDense(dense);
    expect(toDense(m)).toEqual(dense);
    expect(toDense(transpose(m))).toEqual([
      [0, 1, 0, 5],
      [2, 0, 0, 0],
      [0, 3, 4, 0],
    ]);
  });

  it('multiply on either side like dense matrices', () => {
    const m = fromDense(dense);
    expect(Array.from(matvec(m, Float64Array.from([1, 2, 3])))).toEqual([4, 10, 12, 5]);
    expect(Array.from(vecmat(m, Float64Array.from([1, 2, 3, 4])))).toEqual([22, 2, 18]);
    expect(Array.from(columnSums(m))).toEqual([6, 2, 7]);
  });
});
