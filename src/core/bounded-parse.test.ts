import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from './errors';
import { boundedParse, MAX_REPORTED_ISSUES, PREFIX_ITEMS } from './bounded-parse';
import { parseInput } from './execute';
import { zodFieldIssues } from './field-path';

const item = z.object({ skill: z.string(), available: z.number() });
const schema = z.object({ skills: z.array(item).optional(), name: z.string().optional() });

describe('boundedParse', () => {
  it('refuses 200,001 bad items naming the first ones, with at most 20 issues, without parsing the rest', () => {
    const raw = { skills: new Array(200_001).fill(1) };
    const r = boundedParse(schema, raw);
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.partial).toBe(true);
    expect(r.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(r.issues[0]?.field).toBe('skills[0]');
    expect(r.issues[19]?.field).toBe('skills[19]');
    // Only the first PREFIX_ITEMS items were looked at.
    expect(r.total).toBe(PREFIX_ITEMS);
  });

  it('finds a bad item past the first PREFIX_ITEMS, in the whole input', () => {
    const good = { skill: 'weld', available: 1 };
    const skills: unknown[] = new Array(PREFIX_ITEMS + 600).fill(good);
    skills[PREFIX_ITEMS + 500] = { skill: 3, available: 1 };
    const r = boundedParse(schema, { skills });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.partial).toBe(false);
    expect(r.issues).toEqual([{ field: `skills[${PREFIX_ITEMS + 500}].skill`, message: expect.any(String) }]);
  });

  it('caps the issues of the whole input and counts the rest', () => {
    const good = { skill: 'weld', available: 1 };
    const skills: unknown[] = new Array(PREFIX_ITEMS).fill(good);
    for (let i = 0; i < 50; i++) skills.push({ skill: 'x' });
    const r = boundedParse(schema, { skills });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.total).toBe(50);
    expect(r.issues).toHaveLength(MAX_REPORTED_ISSUES);
  });

  it('does not refuse a long array for its length, or for a check that compares items with the rest', () => {
    // A refinement that needs the whole list (every named product must be listed) and a minimum length above
    // the prefix: cutting the arrays would break both, so neither may decide the first pass.
    const products = Array.from({ length: PREFIX_ITEMS + 400 }, (_, i) => `p${i}`);
    const model = z
      .object({ products: z.array(z.string()).min(PREFIX_ITEMS + 1), uses: z.array(z.string()) })
      .superRefine((m, ctx) => {
        const known = new Set(m.products);
        m.uses.forEach((u, i) => {
          if (!known.has(u)) ctx.addIssue({ code: 'custom', path: ['uses', i], message: `unknown ${u}` });
        });
      });
    const uses = Array.from({ length: PREFIX_ITEMS + 10 }, (_, i) => `p${PREFIX_ITEMS + 300 - (i % 5)}`);
    const ok = boundedParse(model, { products, uses });
    expect(ok.success).toBe(true);
    const bad = boundedParse(model, { products, uses: [...uses, 'nowhere'] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.issues.map((i) => i.field)).toEqual([`uses[${PREFIX_ITEMS + 10}]`]);
  });

  it('on inputs without long arrays, reports what zod reports (the first 20 issues, in its order)', () => {
    fc.assert(
      fc.property(
        fc.record({
          skills: fc.array(
            fc.oneof(fc.constant(1), fc.record({ skill: fc.string(), available: fc.double() })),
            {
              maxLength: 40,
            },
          ),
          name: fc.oneof(fc.string(), fc.integer()),
        }),
        (raw) => {
          const r = boundedParse(schema, raw);
          const zod = schema.safeParse(raw);
          expect(r.success).toBe(zod.success);
          if (!r.success && !zod.success) {
            expect(r.issues).toEqual(zodFieldIssues(zod.error).slice(0, MAX_REPORTED_ISSUES));
            expect(r.total).toBe(zod.error.issues.length);
          }
        },
      ),
    );
  });

  it('gives parseInput a short message that says how many more there were', () => {
    const skills = Array.from({ length: 30 }, () => ({ skill: 1, available: 1 }));
    try {
      parseInput(schema, { skills });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.issues).toHaveLength(MAX_REPORTED_ISSUES);
      expect(err.message).toMatch(/^invalid input: skills\[0\]\.skill: .*; and 10 more$/);
    }
  });
});
