import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from './errors';
import { boundedParse, MAX_REPORTED_ISSUES, SLICE_NODES, SMALL_INPUT_NODES } from './bounded-parse';
import { parseInput } from './execute';
import { zodFieldIssues } from './field-path';

const item = z.object({ skill: z.string(), available: z.number() });
const schema = z.object({ skills: z.array(item).optional(), name: z.string().optional() });
const good = { skill: 'weld', available: 1 };
/** Enough good items that the input is past SMALL_INPUT_NODES (each item is 3 values). */
const MANY = SMALL_INPUT_NODES;

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
    // Only the first slice was parsed.
    expect(r.total).toBe(SLICE_NODES);
  });

  it('refuses bad items after many good ones without zod listing every one of them', () => {
    const skills: unknown[] = new Array(MANY).fill(good);
    for (let i = 0; i < 200_000; i++) skills.push('x');
    const r = boundedParse(schema, { skills });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.partial).toBe(true);
    expect(r.issues[0]?.field).toBe(`skills[${MANY}]`);
    expect(r.issues[19]?.field).toBe(`skills[${MANY + 19}]`);
    expect(r.total).toBeLessThanOrEqual(SLICE_NODES);
  });

  it('refuses a nested 1000 × 1000 (and 250 × 4000) of bad values having parsed one slice', () => {
    const matrix = z.object({ rows: z.array(z.array(z.number())) });
    for (const [n, m] of [
      [1000, 1000],
      [250, 4000],
    ] as const) {
      const raw = { rows: Array.from({ length: n }, () => new Array<string>(m).fill('x')) };
      const r = boundedParse(matrix, raw);
      expect(r.success).toBe(false);
      if (r.success) return;
      expect(r.partial).toBe(true);
      expect(r.issues.map((i) => i.field).slice(0, 2)).toEqual(['rows[0][0]', 'rows[0][1]']);
      // A row longer than a slice is looked inside, not handed to zod whole.
      expect(r.total).toBeLessThanOrEqual(SLICE_NODES);
    }
  });

  it('finds one bad item deep in a large input, and names its field', () => {
    const skills: unknown[] = new Array(MANY + 600).fill(good);
    skills[MANY + 500] = { skill: 3, available: 1 };
    const r = boundedParse(schema, { skills });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.issues).toEqual([{ field: `skills[${MANY + 500}].skill`, message: expect.any(String) }]);
  });

  it('names a bad value inside small nested items, parsed by slices, and inside a large one, parsed alone', () => {
    const teams = z.object({ teams: z.array(z.object({ lead: z.string(), skills: z.array(item) })) });
    const small: { lead: string; skills: unknown[] }[] = Array.from({ length: 20_000 }, () => ({
      lead: 'l',
      skills: [good, good],
    }));
    small[15_000] = { lead: 'l', skills: [good, { skill: 3, available: 1 }] };
    const a = boundedParse(teams, { teams: small });
    expect(a.success).toBe(false);
    if (!a.success) expect(a.issues.map((i) => i.field)).toEqual(['teams[15000].skills[1].skill']);
    // A team of 2,000 skills (6,000 values) is looked inside; its bad skill is named with its place.
    const big = { lead: 'l', skills: new Array<unknown>(2000).fill(good) };
    big.skills[1500] = { skill: 'weld' };
    const b = boundedParse(teams, { teams: [...small.slice(0, 9), big, ...small.slice(0, 5000)] });
    expect(b.success).toBe(false);
    if (!b.success) expect(b.issues.map((i) => i.field)).toEqual(['teams[9].skills[1500].available']);
  });

  it('caps the issues and counts those found in the slices it parsed', () => {
    const skills: unknown[] = new Array(MANY).fill(good);
    for (let i = 0; i < 50; i++) skills.push({ skill: 'x' });
    const r = boundedParse(schema, { skills });
    expect(r.success).toBe(false);
    if (r.success) return;
    // The pass stops after the slice in which the cap was reached: it counts what it parsed, not all 50.
    expect(r.total).toBeGreaterThanOrEqual(MAX_REPORTED_ISSUES);
    expect(r.total).toBeLessThan(50);
    expect(r.issues).toHaveLength(MAX_REPORTED_ISSUES);
  });

  it('accepts a large valid input and returns what zod returns, defaults and all', () => {
    const withDefault = z.object({
      rows: z.array(z.object({ v: z.number(), unit: z.string().default('t') })),
      note: z.string().optional(),
    });
    const raw = { rows: Array.from({ length: MANY }, (_, i) => ({ v: i })) };
    const r = boundedParse(withDefault, raw);
    expect(r.success).toBe(true);
    if (r.success) expect(r.data).toEqual(withDefault.parse(raw));
  });

  it('does not refuse a long array for its length, or for a check that compares items with the rest', () => {
    // A refinement that needs the whole list (every named product must be listed) and a minimum length above
    // a slice: checking slices alone would break both, so neither may decide the item-by-item pass.
    const n = MANY + 400;
    const products = Array.from({ length: n }, (_, i) => `p${i}`);
    const model = z
      .object({ products: z.array(z.string()).min(n), uses: z.array(z.string()) })
      .superRefine((m, ctx) => {
        const known = new Set(m.products);
        m.uses.forEach((u, i) => {
          if (!known.has(u)) ctx.addIssue({ code: 'custom', path: ['uses', i], message: `unknown ${u}` });
        });
      });
    const uses = Array.from({ length: MANY + 10 }, (_, i) => `p${n - 100 - (i % 5)}`);
    const ok = boundedParse(model, { products, uses });
    expect(ok.success).toBe(true);
    const bad = boundedParse(model, { products, uses: [...uses, 'nowhere'] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.issues.map((i) => i.field)).toEqual([`uses[${MANY + 10}]`]);
    const short = boundedParse(model, { products: products.slice(1), uses: [] });
    expect(short.success).toBe(false);
    if (!short.success) expect(short.issues.map((i) => i.field)).toEqual(['products']);
  });

  it('on large inputs, every issue it reports is one zod reports, and it refuses exactly what zod refuses', () => {
    const nested = z.object({
      name: z.string().nullable().optional(),
      teams: z.array(z.object({ lead: z.string(), skills: z.array(item) })),
    });
    const itemArb = fc.oneof(
      fc.constant<unknown>(good),
      fc.constant<unknown>(good),
      fc.constant<unknown>(1),
      fc.record({ skill: fc.oneof(fc.string(), fc.integer()), available: fc.double() }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lead: fc.oneof(fc.string(), fc.constant<unknown>(null)),
            skills: fc.array(itemArb, { maxLength: 30 }),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        (teams, name) => {
          // Repeat the drawn teams until the input is past the whole-parse size.
          const many: unknown[] = [];
          while (many.length * 4 < SMALL_INPUT_NODES)
            many.push(...teams, { lead: 'l', skills: new Array(40).fill(good) });
          const raw = { name, teams: many };
          const r = boundedParse(nested, raw);
          const zod = nested.safeParse(raw);
          expect(r.success).toBe(zod.success);
          if (!r.success && !zod.success) {
            const all = new Set(zodFieldIssues(zod.error).map((i) => `${i.field} ${i.message}`));
            for (const i of r.issues) expect(all.has(`${i.field} ${i.message}`)).toBe(true);
            expect(r.issues.length).toBe(Math.min(MAX_REPORTED_ISSUES, zod.error.issues.length));
          }
        },
      ),
      { numRuns: 40 },
    );
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
