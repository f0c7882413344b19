// The WebAssembly sweeps checked against an independent solution (dense LU of I − M), against the JavaScript
// sweeps they replace, and on arbitrary sparse patterns (fast-check): empty rows, odd and even row lengths,
// stored diagonals, which exercise every branch of the hand-assembled kernels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveBalance } from '../leontief/balance';
import { generateEconomy } from '../synthetic/economy-generator';
import { fromDense, fromTriplets, transpose } from './csr';
import { givenOrderBalance, givenOrderTransposed } from './given-order-sweeps';
import { solveFixedPointParallel } from './parallel-fixed-point';
import { sweepModuleBytes } from './wasm-sweep-module';
import { wasmGivenOrderBalance, wasmGivenOrderTransposed } from './wasm-sweeps';
import { denseSolve, relativeResidual, norm } from './fixed-point-oracle';

const wasmSolvers = {
  balance: { solve: wasmGivenOrderBalance, js: givenOrderBalance, transposed: false },
  transposed: { solve: wasmGivenOrderTransposed, js: givenOrderTransposed, transposed: true },
} as const;

describe('WebAssembly given-order sweeps', () => {
  it('the assembled module is valid WebAssembly', () => {
    expect(WebAssembly.validate(sweepModuleBytes())).toBe(true);
  });

  for (const [name, { solve, js, transposed }] of Object.entries(wasmSolvers)) {
    it(`${name}: residual ≤ 1e-10 and dense LU's answer within 1e-9 of the largest entry`, () => {
      for (const seed of [1, 2, 3]) {
        const e = generateEconomy({ n: 300, seed, feedbackShare: 0.1 });
        const b = transposed ? e.labour : e.finalDemand;
        const exact = denseSolve(transposed ? transpose(e.A) : e.A, b);
        const scale = Math.max(...exact);
        const r = solve(e.A, b, 1e-10 * norm(b), 500);
        expect(r?.outcome).toBe('converged');
        if (!r) return;
        expect(relativeResidual(e.A, r.x, b, transposed)).toBeLessThanOrEqual(1e-10);
        for (let i = 0; i < e.n; i++) expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
      }
    });

    it(`${name}: the same sweeps as the JavaScript kernel (iterations equal, answers within 1e-12 relative)`, () => {
      const e = generateEconomy({ n: 5000, seed: 9 });
      const b = transposed ? e.labour : e.finalDemand;
      const ours = solve(e.A, b, 1e-10 * norm(b), 500);
      const theirs = js(e.A, b, 1e-10 * norm(b), 500);
      expect(ours?.iterations).toBe(theirs.iterations);
      if (!ours) return;
      for (let i = 0; i < e.n; i++)
        expect(Math.abs(ours.x[i]! - theirs.x[i]!)).toBeLessThanOrEqual(
          1e-12 * Math.abs(theirs.x[i]!) + 1e-300,
        );
    });
  }

  it('property: on any sparse non-negative M with column and row sums ≤ 0.8, both kernels meet dense LU', () => {
    // Entries (row, col, value) on up to 40 unknowns, duplicates summed; each column (balance) and row
    // (transposed) scaled to a sum ≤ 0.8 so that I − M is invertible and the sweeps converge.
    const system = fc
      .record({
        n: fc.integer({ min: 1, max: 40 }),
        entries: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 300,
        }),
        rhs: fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 40, maxLength: 40 }),
      })
      .map(({ n, entries, rhs }) => {
        const rows = entries.map(([i]) => i % n);
        const cols = entries.map(([, j]) => j % n);
        const vals = entries.map(([, , v]) => v);
        const colSum = new Float64Array(n);
        const rowSum = new Float64Array(n);
        for (let t = 0; t < vals.length; t++) {
          colSum[cols[t]!]! += vals[t]!;
          rowSum[rows[t]!]! += vals[t]!;
        }
        const scaled = vals.map((v, t) => (0.8 * v) / Math.max(1, colSum[cols[t]!]!, rowSum[rows[t]!]!));
        const m = fromTriplets(n, n, rows, cols, scaled);
        const b = Float64Array.from(rhs.slice(0, n));
        b[0] = b[0]! + 1; // ‖b‖ > 0
        return { m, b };
      });
    fc.assert(
      fc.property(system, ({ m, b }) => {
        for (const { solve, transposed } of Object.values(wasmSolvers)) {
          const r = solve(m, b, 1e-11 * norm(b), 2000);
          if (!r || r.outcome !== 'converged') return false;
          if (relativeResidual(m, r.x, b, transposed) > 1e-10) return false;
          const exact = denseSolve(transposed ? transpose(m) : m, b);
          const scale = Math.max(...exact.map(Math.abs));
          for (let i = 0; i < m.rows; i++) if (Math.abs(r.x[i]! - exact[i]!) > 1e-8 * scale) return false;
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });

  it('reports divergence on a non-productive matrix (column sums 1.2) instead of an answer', () => {
    const growing = fromDense([
      [0.6, 0.6],
      [0.6, 0.6],
    ]);
    for (const { solve } of Object.values(wasmSolvers)) {
      const r = solve(growing, Float64Array.of(1, 1), 1e-10, 200);
      expect(r?.outcome).toBe('diverged');
    }
  });

  it('is the calling-thread default, and the JavaScript kernel stays selectable', () => {
    const e = generateEconomy({ n: 2000, seed: 4 });
    const wasm = solveFixedPointParallel(e.A, e.finalDemand, { threads: 1 });
    const js = solveFixedPointParallel(e.A, e.finalDemand, { threads: 1, kernel: 'javascript' });
    expect(wasm.status === 'converged' && wasm.method).toContain('WebAssembly');
    expect(js.status === 'converged' && js.method).not.toContain('WebAssembly');
    const x = solveBalance(e.A, e.finalDemand, { denseUpTo: 0, parallelFrom: 0, threads: 1 });
    expect(x.status === 'ok' && x.method).toContain('WebAssembly');
  });
});
