// Mergeable partial aggregates: what a node sends up for one indicator code and time bucket, such that the
// parent combining its children's partials gets exactly what it would get from every reading below it.
// A sum adds; a mean of the units needs the sum of the unit means and the number of units; a weighted mean
// needs the weighted sum of the unit means and the sum of the weights. Each is a sum, so partials merge by
// adding field by field, at any depth, in any order.
import type { UnitBucket } from './aggregation';
import type { Aggregation } from './indicator';

export interface PartialAggregate {
  aggregation: Aggregation;
  /** Sum of every reading. */
  sum: number;
  /** Number of readings. */
  n: number;
  /** Number of reporting units. */
  units: number;
  /** Σ over units of the unit's mean. */
  sumMeans: number;
  /** Σ over units of the indicator's weight. */
  weightSum: number;
  /** Σ over units of weight × unit mean. */
  weightedMeans: number;
}

/** The partial of one bucket's per-unit rows. */
export function partialOf(
  rows: readonly Pick<UnitBucket, 'unitId' | 'sum' | 'mean' | 'n'>[],
  aggregation: Aggregation,
  weightOf: (unitId: string) => number,
): PartialAggregate {
  const p: PartialAggregate = {
    aggregation,
    sum: 0,
    n: 0,
    units: 0,
    sumMeans: 0,
    weightSum: 0,
    weightedMeans: 0,
  };
  for (const r of rows) {
    const w = weightOf(r.unitId);
    p.sum += r.sum;
    p.n += r.n;
    p.units += 1;
    p.sumMeans += r.mean;
    p.weightSum += w;
    p.weightedMeans += w * r.mean;
  }
  return p;
}

/** Field-by-field sum; the aggregation of the first names the result (they agree for one indicator code). */
export function mergePartials(a: PartialAggregate, b: PartialAggregate): PartialAggregate {
  return {
    aggregation: a.aggregation,
    sum: a.sum + b.sum,
    n: a.n + b.n,
    units: a.units + b.units,
    sumMeans: a.sumMeans + b.sumMeans,
    weightSum: a.weightSum + b.weightSum,
    weightedMeans: a.weightedMeans + b.weightedMeans,
  };
}

/** The aggregate value the partial stands for, as `aggregateBuckets` computes it from the readings. */
export function valueOf(p: PartialAggregate): number {
  if (p.aggregation === 'sum') return p.sum;
  if (p.aggregation === 'mean') return p.units === 0 ? 0 : p.sumMeans / p.units;
  return p.weightSum === 0 ? 0 : p.weightedMeans / p.weightSum;
}

/** Same numbers (a re-sent partial with nothing new need not travel again). */
export function samePartial(a: PartialAggregate, b: PartialAggregate): boolean {
  return (
    a.aggregation === b.aggregation &&
    a.sum === b.sum &&
    a.n === b.n &&
    a.units === b.units &&
    a.sumMeans === b.sumMeans &&
    a.weightSum === b.weightSum &&
    a.weightedMeans === b.weightedMeans
  );
}
