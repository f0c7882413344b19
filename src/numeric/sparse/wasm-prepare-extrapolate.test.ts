// The two levers of issue 14's balance at 10⁶ products, checked against independent answers:
// - the one pass that copies M into WebAssembly memory also checks its entries and finds its diagonal
//   (`prepare` in wasm-sweep-module.ts): it must refuse exactly what validate.ts refuses, naming the field, and
//   find the self-use that makes an economy non-productive;
// - the extrapolated sweeps (iterateSweeps) must reach dense LU's answer to the residual target, on the
//   JavaScript and the WebAssembly kernel alike, and in fewer sweeps than the plain ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveBalance } from '../leontief/balance';
import { solveLabourValues } from '../leontief/labour-values';
import { squareNonNegative } from '../leontief/validate';
import { generateEconomy } from '../synthetic/economy-generator';
import type { CsrMatrix } from './csr';
import { fromTriplets } from './csr';
import { denseSolve, norm, relativeResidual } from './fixed-point-oracle';
import { givenOrderBalance, iterateSweeps } from './given-order-sweeps';
import { loadSystem, wasmGivenOrderBalance } from './wasm-sweeps';

/** The sweeps' path (one thread, WebAssembly) from 1 product on: the fused check is what runs. */
const swept = { denseUpTo: 0, parallelFrom: 0, threads: 1 } as const;

function copyOf(m: CsrMatrix): CsrMatrix {
  return { ...m, rowStart: m.rowStart.slice(), colIndex: m.colIndex.slice(), values: m.values.slice() };
}

describe('the checking pass (prepare)', () => {
  const e = generateEconomy({ n: 600, seed: 5 });
  const corruptions: [string, (m: CsrMatrix, k: number) => void][] = [
    ['a negative value', (m, k) => (m.values[k] = -0.01)],
    ['NaN', (m, k) => (m.values[k] = Number.NaN)],
    ['infinity', (m, k) => (m.values[k] = Number.POSITIVE_INFINITY)],
    ['a column past the end', (m, k) => (m.colIndex[k] = m.cols)],
    ['a negative column', (m, k) => (m.colIndex[k] = -1)],
  ];
  for (const [what, corrupt] of corruptions) {
    it(`refuses ${what} as validate.ts does, naming A`, () => {
      for (const k of [0, 1234, e.A.rowStart[e.n]! - 1]) {
        const m = copyOf(e.A);
        corrupt(m, k);
        const loaded = loadSystem(m, e.finalDemand);
        expect(loaded?.badEntry).toBe(k);
        const expected = squareNonNegative(m, 'A');
        expect(expected).toMatchObject({ status: 'invalid', field: 'A' });
        expect(solveBalance(m, e.finalDemand, swept)).toEqual(expected);
        expect(solveLabourValues(m, e.labour, swept)).toEqual(expected);
      }
    });
  }

  it('finds the diagonal and the largest self-use (and refuses a product using ≥ 1 unit of itself)', () => {
    const loaded = loadSystem(e.A, e.finalDemand);
    let largest = 0;
    for (let i = 0; i < e.n; i++)
      for (let k = e.A.rowStart[i]!; k < e.A.rowStart[i + 1]!; k++)
        if (e.A.colIndex[k] === i) largest = Math.max(largest, e.A.values[k]!);
    expect(loaded?.badEntry).toBe(-1);
    expect(loaded?.largestSelfUse).toBe(largest);
    const n = 600;
    const rows = [...Array(n).keys(), 3];
    const cols = [...Array(n).keys(), 4];
    const vals = [...Array(n).fill(0.1), 0.2];
    vals[7] = 1.5;
    const result = solveBalance(fromTriplets(n, n, rows, cols, vals), new Float64Array(n).fill(1), swept);
    expect(result).toMatchObject({ status: 'not-productive', eigenvalueEstimate: 1.5 });
  });

  it('refuses row bounds that go backwards, before any pass over M', () => {
    const m = copyOf(e.A);
    m.rowStart[10] = m.rowStart[12]! + 1;
    expect(solveBalance(m, e.finalDemand, swept)).toMatchObject({ status: 'invalid', field: 'A' });
  });

  it("property: one corrupted entry anywhere is refused with validate.ts's message; none, solved", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 120,
        }),
        fc.option(
          fc.tuple(
            fc.nat(),
            fc.constantFrom(-1e-300, -1, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
          ),
        ),
        (n, entries, corruption) => {
          const colSum = new Float64Array(n);
          for (const [, j, v] of entries) colSum[j % n]! += v;
          const m = fromTriplets(
            n,
            n,
            entries.map(([i]) => i % n),
            entries.map(([, j]) => j % n),
            entries.map(([, j, v]) => (0.8 * v) / Math.max(1, colSum[j % n]!)),
          );
          const b = new Float64Array(n).fill(1);
          const count = m.rowStart[n]!;
          if (corruption && count > 0) m.values[corruption[0] % count] = corruption[1];
          const result = solveBalance(m, b, swept);
          const expected = squareNonNegative(m, 'A');
          if ('status' in expected) return JSON.stringify(result) === JSON.stringify(expected);
          if (result.status !== 'ok') return false;
          const exact = denseSolve(m, b);
          const scale = Math.max(...exact);
          return exact.every((v, i) => Math.abs(v - result.x[i]!) <= 1e-8 * scale);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('extrapolated sweeps', () => {
  const kernels = {
    javascript: (m: CsrMatrix, b: Float64Array, target: number, extrapolate: boolean) =>
      givenOrderBalance(m, b, target, 500, extrapolate),
    webassembly: (m: CsrMatrix, b: Float64Array, target: number, extrapolate: boolean) =>
      wasmGivenOrderBalance(m, b, target, 500, { extrapolate })!,
  };
  for (const [name, solve] of Object.entries(kernels)) {
    it(`${name}: residual ≤ 1e-10 and dense LU's answer within 1e-9 of the largest entry`, () => {
      for (const seed of [1, 2, 3]) {
        const e = generateEconomy({ n: 300, seed, feedbackShare: 0.1 });
        const exact = denseSolve(e.A, e.finalDemand);
        const scale = Math.max(...exact);
        const r = solve(e.A, e.finalDemand, 1e-10 * norm(e.finalDemand), true);
        expect(r.outcome).toBe('converged');
        expect(relativeResidual(e.A, r.x, e.finalDemand, false)).toBeLessThanOrEqual(1e-10);
        for (let i = 0; i < e.n; i++) expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
      }
    });
  }

  it('lands on x* in one step when a single mode is left (x ← x* + λ (x − x*)), where plain sweeps take dozens', () => {
    for (const lambda of [0.25, 0.5, 0.8]) {
      const xStar = Float64Array.of(3, -1, 7);
      const run = (extrapolate: boolean) => {
        const x = Float64Array.of(0, 0, 0);
        const copy = new Float64Array(3);
        const sweep = () => {
          let change = 0;
          for (let i = 0; i < 3; i++) {
            const next = xStar[i]! + lambda * (x[i]! - xStar[i]!);
            change += (next - x[i]!) ** 2;
            x[i] = next;
          }
          return change;
        };
        // The residual of x = λ x + (1 − λ) x*: (1 − λ)(x* − x).
        const residual2 = () => x.reduce((s, v, i) => s + ((1 - lambda) * (xStar[i]! - v)) ** 2, 0);
        const extrapolation = {
          snapshot: () => copy.set(x),
          extrapolate: (f: number) => x.forEach((v, i) => (x[i] = v + f * (v - copy[i]!))),
        };
        return iterateSweeps(sweep, residual2, 1e-12, 500, extrapolate ? extrapolation : undefined);
      };
      const plain = run(false);
      const fast = run(true);
      expect(plain.outcome).toBe('converged');
      expect(plain.iterations).toBeGreaterThan(15);
      expect(fast).toMatchObject({ outcome: 'converged', extrapolations: 1 });
      expect(fast.iterations).toBeLessThanOrEqual(4);
    }
  });

  it('stops extrapolating when a step made the update grow (a negative mode as large as the positive one)', () => {
    // x ← x* + D (x − x*) with D = diag(0.9, −0.9): the norm ratio is a steady 0.9, the step 9 × the update
    // amplifies the −0.9 component 18-fold; unchecked, every third sweep repeats it and the sweeps diverge.
    const xStar = Float64Array.of(1, 2);
    const rates = [0.9, -0.9];
    const x = new Float64Array(2);
    const copy = new Float64Array(2);
    const sweep = () => {
      let change = 0;
      for (let i = 0; i < 2; i++) {
        const next = xStar[i]! + rates[i]! * (x[i]! - xStar[i]!);
        change += (next - x[i]!) ** 2;
        x[i] = next;
      }
      return change;
    };
    const residual2 = () => x.reduce((s, v, i) => s + ((1 - rates[i]!) * (xStar[i]! - v)) ** 2, 0);
    const r = iterateSweeps(sweep, residual2, 1e-10, 2000, {
      snapshot: () => copy.set(x),
      extrapolate: (f: number) => x.forEach((v, i) => (x[i] = v + f * (v - copy[i]!))),
    });
    expect(r.outcome).toBe('converged');
    expect(r.extrapolations).toBeLessThanOrEqual(2);
    expect(Math.abs(x[0]! - 1) + Math.abs(x[1]! - 2)).toBeLessThan(1e-8);
  });

  it('takes fewer sweeps than the plain ones, the same on both kernels, to the same residual target', () => {
    const e = generateEconomy({ n: 50_000, seed: 2024 });
    const target = 1e-10 * norm(e.finalDemand);
    const plain = kernels.webassembly(e.A, e.finalDemand, target, false);
    const wasm = kernels.webassembly(e.A, e.finalDemand, target, true);
    const js = kernels.javascript(e.A, e.finalDemand, target, true);
    expect(plain.outcome).toBe('converged');
    expect(wasm.outcome).toBe('converged');
    expect(wasm.extrapolations).toBeGreaterThan(0);
    expect(wasm.iterations).toBeLessThanOrEqual(plain.iterations - 3);
    expect(js.iterations).toBe(wasm.iterations);
    expect(relativeResidual(e.A, wasm.x, e.finalDemand, false)).toBeLessThanOrEqual(1e-10);
    for (let i = 0; i < e.n; i++)
      expect(Math.abs(js.x[i]! - wasm.x[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(js.x[i]!) + 1e-300);
  });

  it('property: on any sparse non-negative M with column sums ≤ 0.8, extrapolated sweeps meet dense LU', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 300,
        }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 40, maxLength: 40 }),
        (n, entries, rhs) => {
          const colSum = new Float64Array(n);
          for (const [, j, v] of entries) colSum[j % n]! += v;
          const m = fromTriplets(
            n,
            n,
            entries.map(([i]) => i % n),
            entries.map(([, j]) => j % n),
            entries.map(([, j, v]) => (0.8 * v) / Math.max(1, colSum[j % n]!)),
          );
          const b = Float64Array.from(rhs.slice(0, n));
          b[0] = b[0]! + 1;
          const exact = denseSolve(m, b);
          const scale = Math.max(...exact.map(Math.abs));
          for (const solve of Object.values(kernels)) {
            const r = solve(m, b, 1e-11 * norm(b), true);
            if (r.outcome !== 'converged') return false;
            if (relativeResidual(m, r.x, b, false) > 1e-10) return false;
            for (let i = 0; i < n; i++) if (Math.abs(r.x[i]! - exact[i]!) > 1e-8 * scale) return false;
          }
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });
});
