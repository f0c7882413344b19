// Checks the synthetic economy generator: reproducible, productive, sparse like n·log n, nearly triangular by depth.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { columnSums, nnz } from '../sparse/csr';
import { defaultHubs, generateEconomy } from './economy-generator';

describe('generateEconomy', () => {
  it('gives the same economy for the same seed and a different one for another seed', () => {
    const a = generateEconomy({ n: 500, seed: 7 });
    const b = generateEconomy({ n: 500, seed: 7 });
    const c = generateEconomy({ n: 500, seed: 8 });
    expect(Array.from(b.A.values)).toEqual(Array.from(a.A.values));
    expect(Array.from(b.A.colIndex)).toEqual(Array.from(a.A.colIndex));
    expect(Array.from(b.finalDemand)).toEqual(Array.from(a.finalDemand));
    expect(Array.from(c.A.values)).not.toEqual(Array.from(a.A.values));
  });

  it('gives the same economy as before its loops were made typed (hash of its arrays at 2·10⁴ products)', () => {
    // Computed with the generator before its inputs moved from JS arrays to typed ones: the benches' economies
    // (the plan at 10⁶ products, objective 34238058.87423486) must stay the same for the same seed.
    const e = generateEconomy({ n: 20_000, seed: 42 });
    const hash = createHash('sha256');
    for (const a of [e.A.rowStart, e.A.colIndex, e.A.values, e.labour, e.finalDemand, e.depth])
      hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    expect(hash.digest('hex')).toBe('5cf5d6e0d360572f04e9485652c1825d5b2d69bf759174403748066c0d99e543');
  });

  it('keeps every column sum between 0.2 and 0.7, so the economy is productive', () => {
    const e = generateEconomy({ n: 3000, seed: 1 });
    for (const s of columnSums(e.A)) {
      expect(s).toBeGreaterThanOrEqual(0.2 - 1e-12);
      expect(s).toBeLessThanOrEqual(0.7 + 1e-12);
    }
    for (const v of e.A.values) expect(v).toBeGreaterThan(0);
    for (const l of e.labour) expect(l).toBeGreaterThan(0);
    for (const d of e.finalDemand) expect(d).toBeGreaterThanOrEqual(0);
  });

  it('stores rows sorted by column without duplicates', () => {
    const { A } = generateEconomy({ n: 2000, seed: 3 });
    for (let i = 0; i < A.rows; i++) {
      for (let k = A.rowStart[i]! + 1; k < A.rowStart[i + 1]!; k++) {
        expect(A.colIndex[k]!).toBeGreaterThan(A.colIndex[k - 1]!);
      }
    }
  });

  it('gives about ten inputs per product, growing with the number of hubs (like log n)', () => {
    const small = generateEconomy({ n: 1000, seed: 2 });
    const large = generateEconomy({ n: 100_000, seed: 2 });
    const perSmall = nnz(small.A) / 1000;
    const perLarge = nnz(large.A) / 100_000;
    expect(perLarge).toBeGreaterThan(7);
    expect(perLarge).toBeLessThan(12);
    expect(perLarge).toBeGreaterThan(perSmall);
    expect(defaultHubs(1_000_000)).toBeGreaterThan(defaultHubs(1000));
  });

  it('lets hubs be used by almost every product', () => {
    const e = generateEconomy({ n: 5000, seed: 4, hubs: 3 });
    const hubRows = [...e.depth.keys()].filter((c) => e.depth[c] === 0);
    expect(hubRows.length).toBe(3);
    for (const h of hubRows) {
      const users = e.A.rowStart[h + 1]! - e.A.rowStart[h]!;
      expect(users).toBeGreaterThan(0.85 * 5000);
    }
  });

  it('takes most inputs from shallower products but keeps some feedback loops', () => {
    const e = generateEconomy({ n: 20_000, seed: 5 });
    let down = 0;
    let up = 0;
    for (let i = 0; i < e.n; i++) {
      for (let k = e.A.rowStart[i]!; k < e.A.rowStart[i + 1]!; k++) {
        if (e.depth[i]! < e.depth[e.A.colIndex[k]!]!) down++;
        else up++;
      }
    }
    expect(down / (down + up)).toBeGreaterThan(0.95);
    expect(up).toBeGreaterThan(0);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => generateEconomy({ n: 0, seed: 1 })).toThrow(RangeError);
  });
  it('builds A in the arrays `allocate` gives, the same economy as in its own, and rejects arrays of the wrong size', () => {
    const own = generateEconomy({ n: 500, seed: 7 });
    let asked: [number, number] | undefined;
    const given = generateEconomy({
      n: 500,
      seed: 7,
      allocate: (n, nonZeros) => {
        asked = [n, nonZeros];
        return {
          rowStart: new Int32Array(n + 1),
          colIndex: new Int32Array(nonZeros),
          values: new Float64Array(nonZeros),
        };
      },
    });
    expect(asked).toEqual([500, nnz(own.A)]);
    expect(given.A.rowStart).toEqual(own.A.rowStart);
    expect(given.A.colIndex).toEqual(own.A.colIndex);
    expect(given.A.values).toEqual(own.A.values);
    expect(() =>
      generateEconomy({
        n: 500,
        seed: 7,
        allocate: (n, nonZeros) => ({
          rowStart: new Int32Array(n + 1),
          colIndex: new Int32Array(nonZeros - 1),
          values: new Float64Array(nonZeros),
        }),
      }),
    ).toThrow(RangeError);
  });
});
