// Leontief results checked against published tables: Eurostat Manual Table 15.4, Ochoa (1984), Miller & Blair.
import { describe, expect, it } from 'vitest';
import { analyzeEconomy } from './analysis';
import { solveBalance } from './balance';
import eurostat from './fixtures/eurostat-table-15-4.json';
import ochoa from './fixtures/ochoa-1984.json';
import { solveLabourValues } from './labour-values';
import { leontiefInverse, multipliers } from './multipliers';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

describe('Eurostat Manual Table 15.4 (Germany 1995)', () => {
  const x = eurostat.output_bp;
  const A = eurostat.domestic_flows_Z.map((row) => row.map((z, j) => z / x[j]!));
  const perUnit = (totals: number[]): number[] => totals.map((t, j) => t / x[j]!);

  it('reproduces the published output, GVA and employment multipliers within 5e-5', () => {
    const m = multipliers(A, {
      valueAdded: perUnit(eurostat.gva_bp),
      employment: perUnit(eurostat.employment_total),
    });
    expect(m.status).toBe('ok');
    if (m.status !== 'ok') return;
    expectClose(m.output, eurostat.output_multipliers, eurostat.tolerance);
    expectClose(m.valueAdded!, eurostat.gva_multipliers, eurostat.tolerance);
    expectClose(m.employment!, eurostat.employment_multipliers, eurostat.tolerance);
  });

  it('gives the same multipliers through analyzeEconomy', () => {
    const result = analyzeEconomy({
      A,
      l: perUnit(eurostat.employment_total),
      valueAdded: perUnit(eurostat.gva_bp),
      employment: perUnit(eurostat.employment_total),
    });
    expect('labourValues' in result).toBe(true);
    if (!('labourValues' in result)) return;
    expect(result.multipliers?.status).toBe('ok');
    if (result.multipliers?.status !== 'ok') return;
    expectClose(result.multipliers.output, eurostat.output_multipliers, eurostat.tolerance);
    // Employment per unit used as labour: total labour per unit of final demand equals the employment multipliers.
    expect(result.labourValues.status).toBe('ok');
    if (result.labourValues.status !== 'ok') return;
    expectClose(result.labourValues.values, eurostat.employment_multipliers, eurostat.tolerance);
  });

  it('recovers gross output from the table’s own final demand', () => {
    const d = x.map((xi, i) => xi - eurostat.domestic_flows_Z[i]!.reduce((s, z) => s + z, 0));
    const balance = solveBalance(A, d);
    expect(balance.status).toBe('ok');
    if (balance.status !== 'ok') return;
    for (let i = 0; i < x.length; i++) expect(Math.abs(balance.x[i]! - x[i]!) / x[i]!).toBeLessThan(1e-10);
  });
});

describe('Ochoa (1984) three-industry economy', () => {
  it('reproduces the published labour values of the circulating-capital model within 5e-7', () => {
    const v = solveLabourValues(ochoa.A, ochoa.direct_labour_l);
    expect(v.status).toBe('ok');
    if (v.status !== 'ok') return;
    expectClose(v.values, ochoa.labour_values_circulating, ochoa.tolerance);
    expect(v.residual).toBeLessThan(1e-12);
  });

  it('gives the same labour values by the iterative path as by dense LU', () => {
    const v = solveLabourValues(ochoa.A, ochoa.direct_labour_l, { denseUpTo: 0 });
    expect(v.status).toBe('ok');
    if (v.status !== 'ok') return;
    expect(v.method).not.toBe('dense-lu');
    expectClose(v.values, ochoa.labour_values_circulating, ochoa.tolerance);
  });

  it('raises every labour value when depreciation is counted, and satisfies v = v(A + D) + l', () => {
    const plain = solveLabourValues(ochoa.A, ochoa.direct_labour_l);
    const withD = solveLabourValues(ochoa.A, ochoa.direct_labour_l, { depreciation: ochoa.depreciation_D });
    expect(withD.status).toBe('ok');
    if (withD.status !== 'ok' || plain.status !== 'ok') return;
    for (let j = 0; j < 3; j++) {
      expect(withD.values[j]!).toBeGreaterThan(plain.values[j]!);
      let vAD = ochoa.direct_labour_l[j]!;
      for (let i = 0; i < 3; i++) vAD += withD.values[i]! * (ochoa.A[i]![j]! + ochoa.depreciation_D[i]![j]!);
      expect(Math.abs(vAD - withD.values[j]!)).toBeLessThan(1e-12);
    }
  });

  it('finds a positive uniform profit rate whose prices satisfy p = (1 + r) p (A + b l) and p·Q = ΣQ', () => {
    const result = analyzeEconomy({
      A: ochoa.A,
      l: ochoa.direct_labour_l,
      b: ochoa.real_wage_bundle_b,
      Q: ochoa.gross_output_Q,
    });
    if (!('labourValues' in result)) throw new Error(result.message);
    const pp = result.pricesOfProduction;
    expect(pp?.status).toBe('ok');
    if (pp?.status !== 'ok') return;
    expect(pp.profitRate).toBeGreaterThan(0);
    const { A, direct_labour_l: l, real_wage_bundle_b: b, gross_output_Q: Q } = ochoa;
    for (let j = 0; j < 3; j++) {
      let pm = 0;
      for (let i = 0; i < 3; i++) pm += pp.prices[i]! * (A[i]![j]! + b[i]! * l[j]!);
      expect(Math.abs((1 + pp.profitRate) * pm - pp.prices[j]!) / pp.prices[j]!).toBeLessThan(1e-10);
    }
    const total = Q.reduce((s, q) => s + q, 0);
    expect(Math.abs(pp.prices.reduce((s, p, i) => s + p * Q[i]!, 0) - total) / total).toBeLessThan(1e-12);
    expect(result.directPrices?.status).toBe('ok');
    if (result.directPrices?.status !== 'ok') return;
    const directTotal = result.directPrices.prices.reduce((s, p, i) => s + p * Q[i]!, 0);
    expect(Math.abs(directTotal - total) / total).toBeLessThan(1e-12);
  });
});

describe('Miller & Blair (2009), Input–Output Analysis, 2nd ed., section 2.3: the two-sector example', () => {
  // A = [[.15, .25], [.20, .05]]; the book prints L to 4 decimals and x for f = (600, 1500) to 2 decimals.
  const A = [
    [0.15, 0.25],
    [0.2, 0.05],
  ];

  it('gives gross output (1247.52, 1841.58) for final demand (600, 1500), within 0.005', () => {
    const balance = solveBalance(A, [600, 1500]);
    expect(balance.status).toBe('ok');
    if (balance.status !== 'ok') return;
    expectClose(balance.x, [1247.52, 1841.58], 0.005);
  });

  it('gives the Leontief inverse [[1.2541, 0.3300], [0.2640, 1.1221]] within 5e-5', () => {
    const L = leontiefInverse(A);
    expect(L.status).toBe('ok');
    if (L.status !== 'ok') return;
    expectClose(L.inverse[0]!, [1.2541, 0.33], 5e-5);
    expectClose(L.inverse[1]!, [0.264, 1.1221], 5e-5);
  });
});
