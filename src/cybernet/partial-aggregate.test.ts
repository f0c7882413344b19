// Partials merged in any grouping give what aggregateBuckets computes from all the per-unit rows at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateBuckets } from './aggregation';
import { AGGREGATIONS } from './indicator';
import { mergePartials, partialOf, valueOf } from './partial-aggregate';

const row = fc.record({
  unitId: fc.integer({ min: 0, max: 30 }).map((k) => `u${k}`),
  sum: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  mean: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  n: fc.integer({ min: 1, max: 50 }),
});

describe('partial aggregates', () => {
  it('merging the partials of any split of the units equals aggregating them all (relative 1e-9)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { minLength: 1, maxLength: 40, selector: (r) => r.unitId }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(...AGGREGATIONS),
        (rows, parts, aggregation) => {
          const weight = (u: string) => 1 + Number(u.slice(1));
          const bucket = new Date('2026-01-01T00:00:00Z');
          const whole = aggregateBuckets(
            rows.map((r) => ({ ...r, bucket })),
            aggregation,
            weight,
          )[0]!;
          const groups = Array.from({ length: parts }, (_, g) =>
            rows.filter((_, k) => k % parts === g),
          ).filter((g) => g.length > 0);
          const merged = groups
            .map((g) => partialOf(g, aggregation, weight))
            .reduce((a, b) => mergePartials(a, b));
          const scale = Math.max(1, Math.abs(whole.value));
          expect(Math.abs(valueOf(merged) - whole.value)).toBeLessThanOrEqual(1e-9 * scale * rows.length);
          expect(merged.n).toBe(whole.readings);
          expect(merged.units).toBe(whole.units);
        },
      ),
    );
  });
});
