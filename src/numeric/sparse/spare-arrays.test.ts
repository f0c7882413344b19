// The lender of large typed arrays: what it lends has the length asked for, reuses a buffer given back only
// when it fits (not a far larger one), and keeps a bounded number of them.
import { describe, expect, it } from 'vitest';
import { SpareArrays } from './spare-arrays';

describe('SpareArrays', () => {
  it('lends exactly the length asked for, fresh when nothing was given back', () => {
    const spare = new SpareArrays();
    const a = spare.int32(1000);
    const b = spare.float64(777);
    expect(a).toBeInstanceOf(Int32Array);
    expect(b).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(1000);
    expect(b.length).toBe(777);
    expect(spare.made).toBe(2);
    expect(spare.reused).toBe(0);
  });

  it('lends a given-back buffer again for the same or a slightly shorter length, by type', () => {
    const spare = new SpareArrays();
    const a = spare.int32(1000);
    const f = spare.float64(1000);
    spare.give(a, f);
    const again = spare.int32(990);
    expect(again.buffer).toBe(a.buffer);
    expect(again.length).toBe(990);
    // A Float64Array is never lent from an Int32Array's buffer.
    const g = spare.float64(1000);
    expect(g.buffer).toBe(f.buffer);
    // Slack: a slightly longer length still fits the buffer made with room to spare.
    spare.give(again);
    expect(spare.int32(1010).buffer).toBe(a.buffer);
    expect(spare.reused).toBe(3);
  });

  it('lends the smallest buffer that fits, and neither a shorter nor a far longer one', () => {
    const spare = new SpareArrays();
    const small = new Int32Array(100);
    const middle = new Int32Array(5000);
    const large = new Int32Array(20_000);
    spare.give(large, small, middle);
    expect(spare.int32(4000).buffer).toBe(middle.buffer);
    // 20,000 is more than four times 2,000 (plus 1,024): made afresh rather than tie up the large one.
    expect(spare.int32(2000).buffer).not.toBe(large.buffer);
    expect(spare.int32(6000).buffer).toBe(large.buffer);
    expect(spare.int32(100).buffer).toBe(small.buffer);
    expect(spare.reused).toBe(3);
  });

  it('takes a buffer back once however many views of it are given, and keeps at most twelve', () => {
    const spare = new SpareArrays();
    const a = new Float64Array(64);
    spare.give(a, a.subarray(0, 10), a);
    expect(spare.float64(64).buffer).toBe(a.buffer);
    expect(spare.float64(64).buffer).not.toBe(a.buffer);
    const given = Array.from({ length: 13 }, () => new Int32Array(50));
    spare.give(...given);
    const lent = new Set(Array.from({ length: 13 }, () => spare.int32(50).buffer));
    // The oldest one given was dropped; the other twelve come back.
    expect(lent.has(given[0]!.buffer)).toBe(false);
    for (const g of given.slice(1)) expect(lent.has(g.buffer)).toBe(true);
  });
});
