// The outboxes of a reused shared memory (wasm-sweeps.ts, loadSystem; wasm-helper-thread.ts, outboxesInUse):
// zeroed by the next load only where a two-thread push may have left something, and left zero by every push that
// ends normally, so that the balance's loads never map their pages.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { transpose, type CsrMatrix } from './csr';
import { denseSolve, norm } from './fixed-point-oracle';
import { outboxesInUse, startTwoThreads } from './wasm-helper-thread';
import { allocateSolverMatrix, hostOf, loadSystem, releaseSystem, type LoadedSystem } from './wasm-sweeps';
import { wasmTwoThreadTransposed } from './wasm-two-thread-sweeps';

/** A copy of m built where the sweeps read it (allocateSolverMatrix), so that every load sweeps it in place. */
function inSolverMemory(m: CsrMatrix): CsrMatrix {
  const count = m.rowStart[m.rows]!;
  const arrays = allocateSolverMatrix(m.rows, count);
  if (!arrays) throw new Error('no shared WebAssembly memory');
  arrays.rowStart.set(m.rowStart);
  arrays.colIndex.set(m.colIndex.subarray(0, count));
  arrays.values.set(m.values.subarray(0, count));
  return { rows: m.rows, cols: m.cols, ...arrays };
}

/** The two outboxes and `taken`: 3n values from the first outbox on. */
const outboxesOf = (w: LoadedSystem): Float64Array =>
  new Float64Array(w.memory.buffer, w.outboxes[0], 3 * w.n);

describe('the outboxes of a reused memory', () => {
  it("in A's own memory are zeroed by the next load only where a push may have left something", () => {
    const e = generateEconomy({ n: 300, seed: 31 });
    const A = inSolverMemory(e.A);
    const first = loadSystem(A, e.finalDemand, { shared: true });
    expect(first).toBeDefined();
    if (!first) return;
    releaseSystem(first);
    // Not in use: the next load leaves them as they are (here 0.5, which no solve would leave there).
    outboxesOf(first).fill(0.5);
    outboxesInUse.delete(first.memory);
    const second = loadSystem(A, e.finalDemand, { shared: true });
    expect(second?.memory).toBe(first.memory);
    if (!second) return;
    expect(outboxesOf(second).every((v) => v === 0.5)).toBe(true);
    releaseSystem(second);
    // In use (a push that failed half-way): zeroed, and no longer in use.
    outboxesInUse.add(second.memory);
    const third = loadSystem(A, e.finalDemand, { shared: true });
    expect(third?.memory).toBe(first.memory);
    if (!third) return;
    expect(outboxesOf(third).every((v) => v === 0)).toBe(true);
    expect(outboxesInUse.has(third.memory)).toBe(false);
    releaseSystem(third);
  });

  it('in a memory given back by another solve are zeroed whatever the mark (its layout may differ)', () => {
    const e = generateEconomy({ n: 300, seed: 33 });
    const first = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(first).toBeDefined();
    if (!first) return;
    releaseSystem(first);
    new Float64Array(first.memory.buffer).fill(0.5);
    outboxesInUse.delete(first.memory);
    const second = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(second?.memory).toBe(first.memory);
    if (!second) return;
    expect(outboxesOf(second).every((v) => v === 0)).toBe(true);
    releaseSystem(second);
  });

  it('are zero again after a two-thread push solve, which meets dense LU, and the memory is not marked', () => {
    const e = generateEconomy({ n: 400, seed: 32 });
    const w = loadSystem(e.A, e.labour, { shared: true, helper: true });
    expect(w).toBeDefined();
    if (!w) return;
    // loadSystem starts no helper below 10⁶ non-zeros: one started here, and waited for, so that it takes part
    // in every push (one the calling thread did alone would leave the outboxes untouched).
    const helper = startTwoThreads(hostOf(w), w.middle);
    expect(helper?.started(30)).toBe(true);
    if (!helper) return;
    w.helper = helper;
    const r = wasmTwoThreadTransposed(e.A, e.labour, 1e-12 * norm(e.labour), 500, {
      extrapolate: true,
      loaded: w,
    });
    expect(r?.outcome).toBe('converged');
    if (!r) return;
    const exact = denseSolve(transpose(e.A), e.labour);
    const scale = Math.max(...exact);
    for (let i = 0; i < e.n; i++) expect(Math.abs(r.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
    expect(helper.joined).toBeGreaterThan(2 * r.iterations - 2);
    expect(outboxesOf(w).every((v) => v === 0)).toBe(true);
    expect(outboxesInUse.has(w.memory)).toBe(false);
    releaseSystem(w);
  });
});
