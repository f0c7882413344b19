// readOnlyVectorOf (validate.ts): the balance's and labour values' right-hand side checked without a copy, each
// bad entry still named; and the solvers leave a Float64Array they were given as it was.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { solveBalance } from './balance';
import { solveLabourValues } from './labour-values';
import { readOnlyVectorOf } from './validate';

describe('readOnlyVectorOf', () => {
  it('returns a valid Float64Array itself, and copies other input', () => {
    const v = Float64Array.from([1, -2, 0]);
    expect(readOnlyVectorOf(v, 3, 'd')).toBe(v);
    const plain = [1, 2, 3];
    const copied = readOnlyVectorOf(plain, 3, 'd');
    expect(copied).toEqual(Float64Array.from(plain));
    expect(copied).not.toBe(plain);
  });

  it('names a non-finite entry, a negative one where refused, and a wrong length', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const v = Float64Array.from([1, 2, bad, 4]);
      expect(readOnlyVectorOf(v, 4, 'finalDemand')).toMatchObject({
        status: 'invalid',
        field: 'finalDemand',
        message: expect.stringContaining('finalDemand[2]'),
      });
    }
    const negative = Float64Array.from([1, -0.5]);
    expect(readOnlyVectorOf(negative, 2, 'l', true)).toMatchObject({
      status: 'invalid',
      field: 'l',
      message: expect.stringContaining('l[1]'),
    });
    expect(readOnlyVectorOf(negative, 2, 'd')).toBe(negative);
    expect(readOnlyVectorOf(negative, 3, 'd')).toMatchObject({ status: 'invalid', field: 'd' });
  });

  it('solveBalance and solveLabourValues name a bad Float64Array entry and leave a good one as it was', () => {
    const A = [
      [0.1, 0.2],
      [0.3, 0.1],
    ];
    expect(solveBalance(A, Float64Array.from([1, Number.NaN]))).toMatchObject({
      status: 'invalid',
      field: 'finalDemand',
    });
    expect(solveLabourValues(A, Float64Array.from([-1, 1]))).toMatchObject({ status: 'invalid', field: 'l' });
    // On the sweeps' path (the shared memory, two threads and one) as on the dense one.
    const e = generateEconomy({ n: 2_000, seed: 41 });
    for (const options of [{}, { parallelFrom: 1_000, threads: 1 }, { parallelFrom: 1_000, threads: 2 }]) {
      const d = e.finalDemand.slice();
      const l = e.labour.slice();
      const balance = solveBalance(e.A, d, options);
      const values = solveLabourValues(e.A, l, options);
      expect(balance.status).toBe('ok');
      expect(values.status).toBe('ok');
      expect(d).toEqual(e.finalDemand);
      expect(l).toEqual(e.labour);
      if (balance.status === 'ok') expect(balance.x).not.toBe(d);
      if (values.status === 'ok') expect(values.values).not.toBe(l);
    }
  });
});
