// Aggregation up the holarchy: a parent sees its subtree's readings of one indicator code combined as the
// indicator declares (sum, mean of the units, or weighted mean of the units).
import type { Aggregation } from './indicator';

export interface UnitBucket {
  bucket: Date;
  unitId: string;
  sum: number;
  mean: number;
  n: number;
}

export interface AggregatePoint {
  bucket: Date;
  value: number;
  units: number;
  readings: number;
}

/**
 * Combines per-unit buckets: `sum` adds every reading; `mean` averages the units' means (each unit counts
 * once, however often it reports); `weighted-mean` weighs each unit's mean by its indicator's weight.
 */
export function aggregateBuckets(
  rows: readonly UnitBucket[],
  aggregation: Aggregation,
  weightOf: (unitId: string) => number,
): AggregatePoint[] {
  const byBucket = new Map<number, UnitBucket[]>();
  for (const r of rows) {
    const key = r.bucket.getTime();
    const list = byBucket.get(key) ?? [];
    list.push(r);
    byBucket.set(key, list);
  }
  return [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, list]) => {
      const readings = list.reduce((a, r) => a + r.n, 0);
      let value: number;
      if (aggregation === 'sum') value = list.reduce((a, r) => a + r.sum, 0);
      else if (aggregation === 'mean') value = list.reduce((a, r) => a + r.mean, 0) / list.length;
      else {
        const w = list.reduce((a, r) => a + weightOf(r.unitId), 0);
        value = list.reduce((a, r) => a + weightOf(r.unitId) * r.mean, 0) / w;
      }
      return { bucket: new Date(key), value, units: list.length, readings };
    });
}
