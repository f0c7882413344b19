// The plain matrix importer on Ochoa (1984), and its refusals naming the bad entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { importMatrixJson } from './matrix-json';

const OCHOA_TEXT = readFileSync(new URL('../fixtures/ochoa-1984.json', import.meta.url), 'utf8');
const OCHOA = JSON.parse(OCHOA_TEXT) as Record<string, unknown> & {
  expected: { tolerance: number; labour_values_circulating: number[] };
};

async function refusalOf(doc: unknown): Promise<DomainError> {
  const error = await importMatrixJson(JSON.stringify(doc)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('importMatrixJson', () => {
  it('keeps the matrices as read and builds products p1..p3 with their columns as technologies', async () => {
    const { model, matrices, report } = await importMatrixJson(OCHOA_TEXT);
    expect(matrices.A).toEqual(OCHOA.A);
    expect(matrices.D).toEqual(OCHOA.depreciation_D);
    expect(matrices.b).toEqual(OCHOA.real_wage_bundle_b);
    expect(model.products.map((p) => p.code)).toEqual(['p1', 'p2', 'p3']);
    expect(model.technologies[1]?.inputs).toEqual([
      { product: 'p1', perUnit: 0.968 },
      { product: 'p2', perUnit: 0.391 },
      { product: 'p3', perUnit: 0.808 },
    ]);
    expect(model.technologies[2]?.labour).toEqual([{ skill: 'labour', perUnit: 0.616 }]);
    expect(report.warnings[0]).toBe(
      'fields not used by the model: capital_stock_K, turnover_times, nominal_wage_rate, expected',
    );
    expect(model.targets[0]?.quantity).toBeCloseTo(
      26530 - (0.265 * 26530 + 0.968 * 18168 + 0.00681 * 73840),
      9,
    );
  });

  it("gives back Ochoa's published labour values when solved from the model's coefficients", async () => {
    const { model } = await importMatrixJson(OCHOA_TEXT);
    const codes = model.products.map((p) => p.code);
    let v = codes.map(() => 0);
    for (let sweep = 0; sweep < 2000; sweep++) {
      v = model.technologies.map(
        (t) =>
          (t.labour[0]?.perUnit ?? 0) +
          t.inputs.reduce((s, input) => s + (v[codes.indexOf(input.product)] ?? 0) * input.perUnit, 0),
      );
    }
    v.forEach((value, i) => {
      const published = OCHOA.expected.labour_values_circulating[i] as number;
      expect(Math.abs(value - published)).toBeLessThanOrEqual(
        OCHOA.expected.tolerance * Math.max(1, published),
      );
    });
  });

  it('uses the given product codes', async () => {
    const { model } = await importMatrixJson(
      JSON.stringify({ ...OCHOA, products: ['farm', 'steel', 'food'] }),
    );
    expect(model.technologies[0]?.inputs[2]).toEqual({ product: 'food', perUnit: 0.0408 });
  });

  it('refuses a negative coefficient, naming the entry', async () => {
    const A = [
      [0.1, 0.2],
      [-0.3, 0.1],
    ];
    const error = await refusalOf({ A, direct_labour_l: [1, 2], gross_output_Q: [5, 5] });
    expect(error.issues).toEqual([{ field: 'A[1][0]', message: 'must be a finite number ≥ 0' }]);
  });

  it('refuses a matrix that is not n×n with n the length of direct_labour_l', async () => {
    const error = await refusalOf({ A: [[0.1, 0.2]], direct_labour_l: [1, 2], gross_output_Q: [5, 5] });
    expect(error.issues).toEqual([
      { field: 'A', message: 'must be square n×n with n = 2, the length of direct_labour_l' },
    ]);
  });

  it('refuses missing required fields and mismatched vectors together', async () => {
    const error = await refusalOf({
      direct_labour_l: [1, 2],
      gross_output_Q: [5],
      real_wage_bundle_b: [1, 'x'],
    });
    expect(error.issues.map((i) => i.field)).toEqual(['gross_output_Q', 'A', 'real_wage_bundle_b[1]']);
  });
});
