import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors';
import { guardInput, inputIssues, INPUT_LIMITS, storableCopy, storableText } from './input-guard';

const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

describe('input guard', () => {
  it('lets ordinary input pass', () => {
    expect(inputIssues({ name: 'Plant 1 ✓ 😀', n: -0, xs: [1, 1e300, { a: null, b: true }] })).toEqual([]);
  });

  it('names the field of a NUL, a lone surrogate, a bad key and a non-finite number', () => {
    const issues = inputIssues({
      name: 'a\u0000b',
      attributes: { ok: 'x', bad: 'x\ud800' },
      list: [1, 'y\udc00z'],
      ['k\u0000']: 1,
      n: Infinity,
      big: 1e308,
    });
    const fields = issues.map((i) => i.field).sort();
    expect(fields).toEqual(['(root)', 'attributes.bad', 'big', 'list[1]', 'n', 'name']);
    expect(issues.find((i) => i.field === 'name')?.message).toMatch(/NUL/);
    expect(issues.find((i) => i.field === 'list[1]')?.message).toMatch(/surrogate/);
  });

  it('accepts a surrogate pair but refuses the halves', () => {
    expect(inputIssues('\ud83d\ude00')).toEqual([]);
    expect(inputIssues('\ude00\ud83d')).toHaveLength(1);
  });

  it('refuses nesting 10,000 and 1,000,000 deep without recursion', () => {
    for (const n of [10_000, 1_000_000]) {
      const issues = inputIssues({ value: deep(n) });
      expect(issues).toHaveLength(1);
      expect(issues[0]?.message).toMatch(`deeper than ${INPUT_LIMITS.maxDepth}`);
    }
    expect(inputIssues({ value: deep(INPUT_LIMITS.maxDepth - 1) })).toEqual([]);
  });

  it('refuses arrays, strings and objects over the limits', () => {
    const limits = { ...INPUT_LIMITS, maxArrayItems: 3, maxStringLength: 4, maxObjectKeys: 3 };
    const issues = inputIssues({ a: [1, 2, 3, 4], s: 'abcde', o: { w: 0, x: 1, y: 2, z: 3 } }, { limits });
    expect(issues.map((i) => i.field).sort()).toEqual(['a', 'o', 's']);
  });

  it('refuses prototype keys', () => {
    expect(inputIssues(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toHaveLength(1);
  });

  it('leaves the items of a judged field to the operation, but not their shape', () => {
    const input = { unitId: 'u', readings: [{ sourceId: 'a\u0000' }, { value: deep(100) }] };
    const issues = inputIssues(input, { judgedByItem: ['readings'] });
    expect(issues.map((i) => i.field)).toEqual(['readings[1].value' + '[0]'.repeat(61)]);
    expect(inputIssues({ unitId: 'u\u0000', readings: [] }, { judgedByItem: ['readings'] })).toHaveLength(1);
  });

  it('checks only the shape when asked', () => {
    expect(inputIssues({ a: 'x\u0000', n: Number('1e400') }, { shapeOnly: true })).toEqual([]);
    expect(inputIssues(deep(100), { shapeOnly: true })).toHaveLength(1);
  });

  it('throws an invalid error with the issues and the fix', () => {
    try {
      guardInput({ name: '\u0000' });
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.kind).toBe('invalid');
      if (isDomainError(e)) {
        expect(e.issues[0]?.field).toBe('name');
        expect(e.fix).toMatch(/NUL/);
      }
    }
  });

  it('makes a storable copy of anything, without recursion', () => {
    const copy = storableCopy({ s: 'a\u0000\ud800', n: NaN, d: deep(10_000), ['__proto__']: 1 }) as Record<
      string,
      unknown
    >;
    expect(inputIssues(copy)).toEqual([]);
    expect(copy.s).toBe('a\uFFFD\uFFFD');
    expect(copy.n).toBe('NaN');
    expect(JSON.stringify(copy)).toContain('nested deeper');
    expect(storableCopy('x\u0000')).toBe('x\uFFFD');
  });

  it('cuts storable text within a field limit of 2000 when asked for 1900', () => {
    const cut = storableText('x'.repeat(1_000_000), 1900);
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut).toMatch(/…\(1000000 characters\)$/);
  });
});
