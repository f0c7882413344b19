// The balance's answer array, which also holds its extrapolation's snapshots of x (wasm-sweeps.ts,
// balanceAnswer): the same iterates as a snapshot vector of its own, an answer that is the caller's own array,
// and the copy vector in the module's memory left unwritten (one fresh 8 MB vector fewer at 10⁶ products).
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { norm, relativeResidual } from './fixed-point-oracle';
import { extrapolateFrom } from './given-order-sweeps';
import {
  allocateSolverMatrix,
  balanceAnswer,
  loadSystem,
  releaseSystem,
  wasmGivenOrderBalance,
  wasmGivenOrderTransposed,
} from './wasm-sweeps';
import { wasmTwoThreadBalance } from './wasm-two-thread-sweeps';

/** An economy whose A lies in a solver memory of its own (allocateSolverMatrix), as the benches build it. */
function placed(n: number, seed: number): ReturnType<typeof generateEconomy> {
  return generateEconomy({
    n,
    seed,
    allocate: (rows, nonZeros) => {
      const arrays = allocateSolverMatrix(rows, nonZeros);
      if (!arrays) throw new Error('no shared WebAssembly memory');
      return arrays;
    },
  });
}

describe('balanceAnswer', () => {
  it('extrapolates from its snapshot exactly as from a separate copy, and answers the final x in the same array', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) + 2);
    const copy = new Float64Array(x.length);
    const y = x.slice();
    const { extrapolation, answer } = balanceAnswer(y, true);
    expect(extrapolation).toBeDefined();
    copy.set(x);
    extrapolation!.snapshot();
    for (let i = 0; i < x.length; i++) {
      x[i] = x[i]! * 0.75 + 0.1;
      y[i] = y[i]! * 0.75 + 0.1;
    }
    extrapolateFrom(x, copy, 0.3);
    extrapolation!.extrapolate(0.3);
    expect(y).toEqual(x);
    const first = answer();
    expect(first).toEqual(x);
    expect(first).not.toBe(y);
    expect(answer()).toBe(first);
    expect(balanceAnswer(y, false).extrapolation).toBeUndefined();
  });

  for (const [name, solve] of [
    ['one thread', wasmGivenOrderBalance],
    ['two threads', wasmTwoThreadBalance],
  ] as const) {
    it(`${name}: leaves the module's copy vector unwritten, answers an array of its own, residual ≤ 1e-10 on M`, () => {
      const e = placed(3_000, 15);
      const w = loadSystem(e.A, e.finalDemand, { shared: true });
      expect(w).toBeDefined();
      if (!w) return;
      const r = solve(e.A, e.finalDemand, 1e-10 * norm(e.finalDemand), 500, { extrapolate: true, loaded: w });
      expect(r?.outcome).toBe('converged');
      if (!r) return;
      expect(r.extrapolations ?? 0).toBeGreaterThan(0);
      expect(w.copyView.every((v) => v === 0)).toBe(true);
      expect(r.x.buffer).not.toBe(w.memory.buffer);
      expect(r.x).toEqual(w.xView);
      expect(relativeResidual(e.A, r.x, e.finalDemand, false)).toBeLessThanOrEqual(1e-10);
      releaseSystem(w);
    });
  }

  it("labour values' push sweeps: the copy of x unwritten too, an answer of its own, residual ≤ 1e-10 on Mᵀ", () => {
    const e = placed(3_000, 15);
    const w = loadSystem(e.A, e.labour, { shared: true, transposed: true });
    expect(w).toBeDefined();
    if (!w) return;
    const r = wasmGivenOrderTransposed(e.A, e.labour, 1e-10 * norm(e.labour), 500, {
      extrapolate: true,
      loaded: w,
    });
    expect(r?.outcome).toBe('converged');
    if (!r) return;
    expect(r.extrapolations ?? 0).toBeGreaterThan(0);
    expect(w.copyView.every((v) => v === 0)).toBe(true);
    expect(r.x.buffer).not.toBe(w.memory.buffer);
    expect(r.x).toEqual(w.xView);
    expect(relativeResidual(e.A, r.x, e.labour, true)).toBeLessThanOrEqual(1e-10);
    expect(r.residual / norm(e.labour)).toBeCloseTo(relativeResidual(e.A, r.x, e.labour, true), 14);
    releaseSystem(w);
  });
});
