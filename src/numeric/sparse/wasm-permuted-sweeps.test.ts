// The permuted copies swept on the WebAssembly kernels (wasm-permuted-sweeps.ts) give the JavaScript sweeps'
// iterates and residuals to rounding, self-use put back in its row; a system too large for the slot falls back.
import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './csr';
import { permutedFor, prepareOrder, solveFixedPoint } from './fixed-point-solve';
import { fixedPointResidual, gaussSeidelSweep } from './gauss-seidel';
import {
  dropSpareSlots,
  loadPermuted,
  slotResidual,
  slotSweep,
  giveBackSlot,
  slotVectors,
  takeSlot,
  wasmPermutedSlot,
  wasmPermutedStats,
} from './wasm-permuted-sweeps';

/** A random non-negative n × n matrix, column sums below 0.8, self-use on every third row, two hub columns. */
function matrixOf(n: number, seed: number): CsrMatrix {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const used = new Set<number>();
    if (i % 3 === 0) used.add(i);
    for (let k = 0; k < 4; k++) used.add(Math.floor(random() * n));
    used.add(0);
    used.add(1);
    for (const j of used) rows[i]!.push([j, random()]);
  }
  // Scale so that every column sums to 0.7 at most (the fixed point exists and sweeps converge).
  const sums = new Float64Array(n);
  for (const row of rows) for (const [j, v] of row) sums[j]! += v;
  const rowStart = new Int32Array(n + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => {
    row.sort((a, b) => a[0] - b[0]);
    for (const [j, v] of row) {
      colIndex.push(j);
      values.push((0.7 * v) / Math.max(sums[j]!, 1));
    }
    rowStart[i + 1] = colIndex.length;
  });
  return {
    rows: n,
    cols: n,
    rowStart,
    colIndex: Int32Array.from(colIndex),
    values: Float64Array.from(values),
  };
}

const rhsOf = (n: number) => Float64Array.from({ length: n }, (_, i) => 1 + (i % 7) / 3);

describe('wasm-permuted-sweeps', () => {
  for (const transposed of [false, true]) {
    it(`sweeps and residuals equal the JavaScript ones (${transposed ? 'Mᵀ' : 'M'}, self-use in its row)`, () => {
      const n = 400;
      const m = matrixOf(n, 3);
      const system = permutedFor(m, prepareOrder(m, { transposed }), transposed);
      expect(system.diagonal.some((d) => d !== 0)).toBe(true);
      const slot = wasmPermutedSlot()!;
      expect(loadPermuted(slot, system)).toBe(true);
      const b = rhsOf(n);
      const x = new Float64Array(n);
      const v = slotVectors(slot);
      v.b.set(b);
      v.x.fill(0);
      for (let sweep = 0; sweep < 6; sweep++) {
        const js = gaussSeidelSweep(system, b, x);
        const wasm = slotSweep(slot);
        expect(Math.abs(wasm - js)).toBeLessThanOrEqual(1e-12 * js);
        for (let i = 0; i < n; i++) expect(Math.abs(v.x[i]! - x[i]!)).toBeLessThanOrEqual(1e-12 * x[i]!);
      }
      const scratch = new Float64Array(n);
      const js = fixedPointResidual(system, b, x, scratch);
      const wasm = slotResidual(slot, true);
      expect(Math.abs(wasm - js)).toBeLessThanOrEqual(1e-9 * js);
      for (let i = 0; i < n; i++) expect(Math.abs(v.out[i]! - scratch[i]!)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('loads a system once while it stays loaded, and another one (larger) in its place', () => {
    const small = matrixOf(100, 5);
    const large = matrixOf(5000, 6);
    const a = permutedFor(small, prepareOrder(small), false);
    const c = permutedFor(large, prepareOrder(large), false);
    const slot = wasmPermutedSlot()!;
    const loads = wasmPermutedStats.loads;
    expect(loadPermuted(slot, a)).toBe(true);
    expect(loadPermuted(slot, a)).toBe(true);
    expect(wasmPermutedStats.loads).toBe(loads + 1);
    expect(loadPermuted(slot, c)).toBe(true);
    expect(wasmPermutedStats.loads).toBe(loads + 2);
    const b = rhsOf(5000);
    const x = new Float64Array(5000);
    const v = slotVectors(slot);
    v.b.set(b);
    v.x.fill(0);
    gaussSeidelSweep(c, b, x);
    slotSweep(slot);
    for (let i = 0; i < 5000; i++) expect(Math.abs(v.x[i]! - x[i]!)).toBeLessThanOrEqual(1e-12 * x[i]!);
  });

  for (const transposed of [false, true]) {
    it(`solveFixedPoint on the slot equals the JavaScript solve (${transposed ? 'Mᵀ' : 'M'}), three times in a row`, () => {
      const n = 3000;
      const m = matrixOf(n, 9);
      const prepared = prepareOrder(m, { transposed });
      const system = permutedFor(m, prepared, transposed);
      const b = rhsOf(n);
      const options = { tolerance: 1e-10, transposed, prepared, system };
      const js = solveFixedPoint(m, b, options);
      const slot = wasmPermutedSlot()!;
      const sweeps = wasmPermutedStats.sweeps;
      // The later solves find the system loaded and must start again from x = 0 with their own b (the third, left
      // at the second's answer, would converge at once).
      for (const scale of [1, 3, 3]) {
        const bScaled = b.map((v) => v * scale);
        const wasm = solveFixedPoint(m, bScaled, { ...options, wasm: slot });
        expect(wasm.status).toBe('converged');
        expect(js.status).toBe('converged');
        if (wasm.status !== 'converged' || js.status !== 'converged') return;
        expect(Math.abs(wasm.iterations - js.iterations)).toBeLessThanOrEqual(1);
        for (let i = 0; i < n; i++)
          expect(Math.abs(wasm.x[i]! - scale * js.x[i]!)).toBeLessThanOrEqual(1e-8 * scale * js.x[i]!);
      }
      expect(wasmPermutedStats.sweeps).toBeGreaterThan(sweeps);
    });
  }

  it('falls back to the JavaScript sweeps, same bits, when the slot cannot hold the system', () => {
    const n = 2000;
    const m = matrixOf(n, 12);
    const prepared = prepareOrder(m);
    const system = permutedFor(m, prepared, false);
    const b = rhsOf(n);
    const js = solveFixedPoint(m, b, { prepared, system });
    const refused = wasmPermutedStats.refused;
    const sweeps = wasmPermutedStats.sweeps;
    const slot = wasmPermutedSlot(64 * 1024)!;
    const fallback = solveFixedPoint(m, b, { prepared, system, wasm: slot });
    expect(wasmPermutedStats.refused).toBe(refused + 1);
    expect(wasmPermutedStats.sweeps).toBe(sweeps);
    expect(fallback).toMatchObject({ status: 'converged', iterations: js.iterations });
    if (fallback.status !== 'converged' || js.status !== 'converged') return;
    expect(Array.from(fallback.x)).toEqual(Array.from(js.x));
  });

  it('lends a slot given back to the next solve, with that solve’s cap, and keeps at most two', () => {
    // Unit files share a worker's modules (isolate: false): an earlier file's solves may have left spares.
    dropSpareSlots();
    const a = wasmPermutedSlot()!;
    const b = wasmPermutedSlot()!;
    const c = wasmPermutedSlot()!;
    giveBackSlot(a);
    giveBackSlot(b);
    giveBackSlot(c);
    const first = takeSlot(1000)!;
    const second = takeSlot()!;
    const third = takeSlot()!;
    expect(first === a || first === b).toBe(true);
    expect(second === a || second === b).toBe(true);
    expect(first).not.toBe(second);
    expect(first.mostBytes).toBe(1000);
    expect(third).not.toBe(c);
    expect(third === a || third === b).toBe(false);
  });
});
