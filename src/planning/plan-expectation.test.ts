// An indicator linked to a technology expects its unit's share of the plan, or the nearest operating unit's.
import { describe, expect, it } from 'vitest';
import { expectationOf } from './plan-expectation';
import type { PlanRecord } from './plan-record';

const record = {
  periods: 2,
  products: [
    { code: 'cars', unit: 'car', gross: [110, 120], net: [100, 105], target: [100, 105], price: [1, 1] },
  ],
  technologies: [{ code: 'assembly', product: 'cars', unit: 'PLANT', activity: [110, 120] }],
  unitTargets: [
    {
      unit: 'PLANT',
      technology: 'assembly',
      product: 'cars',
      period: 2,
      quantity: 120,
      capacity: null,
      labour: 0,
    },
    {
      unit: 'PLANT',
      technology: 'assembly',
      product: 'cars',
      period: 1,
      quantity: 110,
      capacity: null,
      labour: 0,
    },
  ],
} as unknown as PlanRecord;

describe('expectationOf', () => {
  it("takes the nearest operating unit's share, period by period", () => {
    const e = expectationOf(record, { technologyCode: 'assembly', productCode: null }, [
      'SHOP',
      'PLANT',
      'ROOT',
    ]);
    expect(e?.expected).toEqual([
      { period: 1, value: 110 },
      { period: 2, value: 120 },
    ]);
    expect(e?.basis).toContain("unit 'PLANT'");
  });

  it('falls back to the planned net output of a linked product', () => {
    const e = expectationOf(record, { technologyCode: null, productCode: 'cars' }, ['SHOP']);
    expect(e?.expected.map((x) => x.value)).toEqual([100, 105]);
  });

  it('has no expectation for an unknown link', () => {
    expect(expectationOf(record, { technologyCode: 'paint', productCode: null }, ['SHOP'])).toBeNull();
  });
});
