// Labour values' push sweeps (x = Mᵀ x + b from M's rows) with their slowest mode extrapolated, and the closing
// residual recomputed on the WebAssembly scatter kernel, checked against independent answers: dense LU of
// I − Mᵀ, and the residual recomputed in JavaScript from M as given (fixed-point-oracle.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveLabourValues } from '../leontief/labour-values';
import { generateEconomy } from '../synthetic/economy-generator';
import type { CsrMatrix } from './csr';
import { fromTriplets, transpose, vecmat } from './csr';
import { denseSolve, norm, relativeResidual } from './fixed-point-oracle';
import { givenOrderTransposed, type GivenOrderOutcome } from './given-order-sweeps';
import { wasmGivenOrderTransposed } from './wasm-sweeps';

const kernels = {
  javascript: (m: CsrMatrix, b: Float64Array, target: number, extrapolate: boolean): GivenOrderOutcome =>
    givenOrderTransposed(m, b, target, 2000, extrapolate),
  webassembly: (m: CsrMatrix, b: Float64Array, target: number, extrapolate: boolean): GivenOrderOutcome => {
    const r = wasmGivenOrderTransposed(m, b, target, 2000, { extrapolate });
    if (!r) throw new Error('WebAssembly unavailable');
    return r;
  },
};

/** ‖x − Mᵀ x − b‖₂, absolute, in JavaScript from M as given. */
function absoluteResidual(m: CsrMatrix, x: Float64Array, b: Float64Array): number {
  const mx = vecmat(m, x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - mx[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

describe('extrapolated push sweeps (labour values)', () => {
  for (const [name, solve] of Object.entries(kernels)) {
    it(`${name}: residual ≤ 1e-10 and dense LU's answer within 1e-9 of the largest entry`, () => {
      for (const seed of [1, 2, 3]) {
        const e = generateEconomy({ n: 400, seed, feedbackShare: 0.1 });
        const exact = denseSolve(transpose(e.A), e.labour);
        const scale = Math.max(...exact);
        const r = solve(e.A, e.labour, 1e-10 * norm(e.labour), true);
        expect(r.outcome).toBe('converged');
        expect(relativeResidual(e.A, r.x, e.labour, true)).toBeLessThanOrEqual(1e-10);
        for (let i = 0; i < e.n; i++) expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
      }
    });
  }

  it('takes fewer sweeps than the plain ones, the same on both kernels, and the carried residual stays exact', () => {
    const e = generateEconomy({ n: 50_000, seed: 2024 });
    const target = 1e-10 * norm(e.labour);
    const plain = kernels.webassembly(e.A, e.labour, target, false);
    const wasm = kernels.webassembly(e.A, e.labour, target, true);
    const js = kernels.javascript(e.A, e.labour, target, true);
    expect(plain.outcome).toBe('converged');
    expect(wasm.outcome).toBe('converged');
    expect(wasm.extrapolations).toBeGreaterThan(0);
    expect(wasm.iterations).toBeLessThanOrEqual(plain.iterations - 3);
    expect(js.iterations).toBe(wasm.iterations);
    // The JavaScript kernel reports the residual it carried through the steps (r stepped with x): it must be
    // the residual of its x, recomputed from M, to round-off.
    const fresh = absoluteResidual(e.A, js.x, e.labour);
    expect(Math.abs(js.residual - fresh)).toBeLessThanOrEqual(1e-3 * fresh);
    expect(relativeResidual(e.A, wasm.x, e.labour, true)).toBeLessThanOrEqual(1e-10);
    for (let i = 0; i < e.n; i++)
      expect(Math.abs(js.x[i]! - wasm.x[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(js.x[i]!) + 1e-300);
  });

  it('reports the residual recomputed from M (the scatter kernel), also where the sweeps stopped early', () => {
    const e = generateEconomy({ n: 3000, seed: 11 });
    for (const maxIterations of [1, 3, 500]) {
      const r = wasmGivenOrderTransposed(e.A, e.labour, 1e-10 * norm(e.labour), maxIterations, {
        extrapolate: true,
      });
      expect(r).toBeDefined();
      if (!r) return;
      expect(r.residualOnM).toBe(true);
      // Equal to round-off: both sum ≈ 10 products per entry of a vector of norm ‖x‖ + ‖b‖.
      const fresh = absoluteResidual(e.A, r.x, e.labour);
      expect(Math.abs(r.residual - fresh)).toBeLessThanOrEqual(1e-13 * (norm(r.x) + norm(e.labour)));
    }
    // And through solveLabourValues, which no longer recomputes it in JavaScript.
    const v = solveLabourValues(e.A, e.labour, { denseUpTo: 0, parallelFrom: 0, threads: 1 });
    expect(v.status).toBe('ok');
    if (v.status !== 'ok') return;
    expect(v.method).toContain('extrapolations');
    expect(Math.abs(v.residual - relativeResidual(e.A, v.values, e.labour, true))).toBeLessThanOrEqual(
      1e-6 * v.residual,
    );
  });

  it('property: on any sparse non-negative M with row sums ≤ 0.8, both kernels meet dense LU', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 300,
        }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 40, maxLength: 40 }),
        (n, entries, rhs) => {
          const rowSum = new Float64Array(n);
          for (const [i, , v] of entries) rowSum[i % n]! += v;
          const m = fromTriplets(
            n,
            n,
            entries.map(([i]) => i % n),
            entries.map(([, j]) => j % n),
            entries.map(([i, , v]) => (0.8 * v) / Math.max(1, rowSum[i % n]!)),
          );
          const b = Float64Array.from(rhs.slice(0, n));
          b[0] = b[0]! + 1;
          const exact = denseSolve(transpose(m), b);
          const scale = Math.max(...exact.map(Math.abs));
          for (const solve of Object.values(kernels)) {
            const r = solve(m, b, 1e-11 * norm(b), true);
            if (r.outcome !== 'converged') return false;
            if (relativeResidual(m, r.x, b, true) > 1e-10) return false;
            for (let i = 0; i < n; i++) if (Math.abs(r.x[i]! - exact[i]!) > 1e-8 * scale) return false;
          }
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the row chains of the sweep and residual kernels', () => {
  it('one, two and four chains are valid modules and sweep to the same x (to round-off)', async () => {
    const { sweepModuleBytes } = await import('./wasm-sweep-module');
    const e = generateEconomy({ n: 2000, seed: 3 });
    const m = e.A;
    const n = m.rows;
    const count = m.rowStart[n]!;
    const xs: Float64Array[] = [];
    for (const chains of [1, 2, 4] as const) {
      const bytes = sweepModuleBytes(chains);
      expect(WebAssembly.validate(bytes)).toBe(true);
      const memory = new WebAssembly.Memory({ initial: Math.ceil((16 * count + 64 * n + 64) / 65_536) });
      const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
        sweep(...a: number[]): number;
        residual(...a: number[]): number;
        prepare(...a: number[]): number;
      };
      const at = { rowStart: 8, col: 8 + 4 * (n + 8), val: 0, x: 0, b: 0, diag: 0 };
      at.val = at.col + 8 * count;
      at.x = at.val + 8 * count;
      at.b = at.x + 8 * n;
      at.diag = at.b + 8 * n;
      new Int32Array(memory.buffer, at.rowStart, n + 1).set(m.rowStart.subarray(0, n + 1));
      new Int32Array(memory.buffer, at.col, count).set(m.colIndex.subarray(0, count));
      new Float64Array(memory.buffer, at.val, count).set(m.values.subarray(0, count));
      new Float64Array(memory.buffer, at.b, n).set(e.finalDemand);
      k.prepare(n, at.rowStart, at.col, at.val, at.diag, 0, 0);
      for (let s = 0; s < 5; s++) k.sweep(n, at.rowStart, at.col, at.val, at.x, at.b, at.diag);
      const x = new Float64Array(memory.buffer, at.x, n).slice();
      const r2 = k.residual(n, at.rowStart, at.col, at.val, at.x, at.b, 0);
      const fresh = absoluteBalanceResidual(m, x, e.finalDemand);
      expect(Math.abs(Math.sqrt(r2) - fresh)).toBeLessThanOrEqual(1e-9 * fresh);
      xs.push(x);
    }
    for (const x of xs.slice(1))
      for (let i = 0; i < x.length; i++)
        expect(Math.abs(x[i]! - xs[0]![i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(xs[0]![i]!) + 1e-300);
  });
});

/** ‖x − M x − b‖₂, absolute, in JavaScript. */
function absoluteBalanceResidual(m: CsrMatrix, x: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) {
    let r = b[i]! - x[i]!;
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) r += m.values[k]! * x[m.colIndex[k]!]!;
    s += r * r;
  }
  return Math.sqrt(s);
}
