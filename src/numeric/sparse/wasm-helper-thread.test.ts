// The second thread of the WebAssembly sweeps (wasm-helper-thread.ts) and the reuse of a shared memory between
// solves (wasm-sweeps.ts, releaseSystem): answers against dense LU, and the worker's part counted.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { fromTriplets, transpose } from './csr';
import { denseSolve, norm, relativeResidual } from './fixed-point-oracle';
import { iterateSweeps } from './given-order-sweeps';
import { middleRow, outboxesInUse, startTwoThreads } from './wasm-helper-thread';
import { hostOf, loadSystem, releaseSystem } from './wasm-sweeps';
import { wasmTwoThreadBalance, wasmTwoThreadTransposed } from './wasm-two-thread-sweeps';

/** Sleeps the calling thread (the worker runs meanwhile). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A 6 × 6 M with stored diagonals 0.1 (row 1) and 0.3 (row 4), other entries in both blocks. */
function small(): ReturnType<typeof fromTriplets> {
  return fromTriplets(
    6,
    6,
    Int32Array.from([0, 1, 1, 2, 3, 4, 4, 5]),
    Int32Array.from([5, 1, 4, 0, 2, 4, 1, 3]),
    Float64Array.from([0.2, 0.1, 0.3, 0.25, 0.2, 0.3, 0.1, 0.2]),
  );
}

describe('prepare on two threads', () => {
  it('each block checks its columns against all n: a column past the middle row is fine, one past n is refused', () => {
    const m = small();
    const w = loadSystem(m, new Float64Array(6).fill(1), { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    expect(w.badEntry).toBe(-1);
    expect(w.largestSelfUse).toBe(0.3);
    // Rows 0–2 alone, their columns (5, 1, 4, 0) checked against 6: nothing bad, largest self-use 0.1.
    expect(w.kernels.prepare(3, w.rowStart, w.col, w.val, w.copy, 6, 0)).toBe(0.1);
    // Without the bound (0: the rows' own count, 3), row 0's column 5 is out of range: entry 0.
    expect(w.kernels.prepare(3, w.rowStart, w.col, w.val, w.copy, 0, 0)).toBe(-1);
  });

  it('the worker checks its block: the first bad entry of either, and the largest self-use of both', () => {
    const m = small();
    const middle = 3;
    for (const [bad, expected] of [
      [[], 0.3],
      [[6], -7],
      [[2, 6], -3],
    ] as const) {
      const corrupted = { ...m, values: Float64Array.from(m.values) };
      for (const k of bad) corrupted.values[k] = -1;
      const w = loadSystem(corrupted, new Float64Array(6).fill(1), { shared: true });
      expect(w).toBeDefined();
      if (!w) return;
      new Float64Array(w.memory.buffer, w.diag, 6).fill(0);
      const threads = startTwoThreads(hostOf(w), middle);
      expect(threads).toBeDefined();
      if (!threads) return;
      threads.copied();
      expect(threads.started(30)).toBe(true);
      expect(threads.prepare()).toBe(expected);
      expect(threads.joined).toBe(1);
      threads.stop();
    }
  });
});

describe('the calling thread never waits for the worker', () => {
  it('a worker that fails to start leaves every sweep to the calling thread, with the answer of dense LU', () => {
    const e = generateEconomy({ n: 300, seed: 3 });
    const w = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    // A module without the kernels: the worker's instance has no `from`, so it fails before saying it is alive.
    const empty = new WebAssembly.Module(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const threads = startTwoThreads({ ...hostOf(w), module: empty }, middleRow(e.A));
    expect(threads).toBeDefined();
    if (!threads) return;
    threads.copied();
    threads.timeoutSeconds = 5;
    expect(threads.started(30)).toBe(false);
    const target = 1e-12 * norm(e.finalDemand);
    const end = iterateSweeps(
      () => threads.both(1),
      () => threads.both(2),
      target,
      500,
    );
    expect(end.outcome).toBe('converged');
    expect(threads.joined).toBe(0);
    const exact = denseSolve(e.A, e.finalDemand);
    const scale = Math.max(...exact);
    for (let i = 0; i < e.n; i++) expect(Math.abs(w.xView[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
  });

  it('a worker idle past its limit ends itself, and the calling thread goes on alone', () => {
    const e = generateEconomy({ n: 300, seed: 4 });
    const w = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    const threads = startTwoThreads(hostOf(w), middleRow(e.A), [], 0.2);
    expect(threads).toBeDefined();
    if (!threads) return;
    threads.copied();
    threads.timeoutSeconds = 5;
    expect(threads.started(30)).toBe(true);
    threads.both(1);
    expect(threads.joined).toBe(1);
    sleep(1500);
    const end = iterateSweeps(
      () => threads.both(1),
      () => threads.both(2),
      1e-12 * norm(e.finalDemand),
      500,
    );
    expect(end.outcome).toBe('converged');
    expect(threads.joined).toBe(1);
    expect(relativeResidual(e.A, w.xView, e.finalDemand, false)).toBeLessThanOrEqual(1e-12);
  });
});

describe('a shared memory reused by the next solve', () => {
  it('after releaseSystem the next load takes the same memory, and its answers meet dense LU', () => {
    const big = generateEconomy({ n: 400, seed: 11 });
    const first = loadSystem(big.A, big.finalDemand, { shared: true });
    expect(first).toBeDefined();
    if (!first) return;
    const r = wasmTwoThreadBalance(big.A, big.finalDemand, 1e-12 * norm(big.finalDemand), 500, {
      extrapolate: true,
      loaded: first,
    });
    expect(r?.outcome).toBe('converged');
    releaseSystem(first);
    // Fewer products and no stored diagonal: the first system's x, diagonal and outboxes must not leak in.
    const e = generateEconomy({ n: 300, seed: 12 });
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < e.n; i++)
      for (let k = e.A.rowStart[i]!; k < e.A.rowStart[i + 1]!; k++)
        if (e.A.colIndex[k] !== i) {
          rows.push(i);
          cols.push(e.A.colIndex[k]!);
          vals.push(e.A.values[k]!);
        }
    const m = fromTriplets(e.n, e.n, Int32Array.from(rows), Int32Array.from(cols), Float64Array.from(vals));
    for (const transposed of [false, true]) {
      const b = transposed ? e.labour : e.finalDemand;
      // Whatever the last solve left anywhere in the memory (here 0.5 everywhere) must not reach this one: the
      // push sweeps start from x = 0 with r = b, the sweeps read 1 − M_ii from the diagonal, and the outboxes
      // are added into r after every sweep (a memory given back is zeroed whether or not a push marked it).
      new Float64Array(first.memory.buffer).fill(0.5);
      outboxesInUse.delete(first.memory);
      const second = loadSystem(m, b, { shared: true });
      expect(second?.memory).toBe(first.memory);
      if (!second) return;
      const solve = transposed ? wasmTwoThreadTransposed : wasmTwoThreadBalance;
      const s = solve(m, b, 1e-12 * norm(b), 500, { extrapolate: true, loaded: second });
      expect(s?.outcome).toBe('converged');
      if (!s) return;
      const exact = denseSolve(transposed ? transpose(m) : m, b);
      const scale = Math.max(...exact);
      for (let i = 0; i < e.n; i++) expect(Math.abs(s.x[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
      releaseSystem(second);
    }
  });
});

describe('a helper started for a large load', () => {
  it('leaves M in the memory exactly as given, with the same diagonal and largest self-use as one thread', () => {
    // About 10⁶ non-zeros: loadSystem starts the helper from there on.
    const e = generateEconomy({ n: 110_000, seed: 13 });
    const count = e.A.rowStart[e.n]!;
    expect(count).toBeGreaterThanOrEqual(1_000_000);
    const one = loadSystem(e.A, e.finalDemand, { shared: true });
    const two = loadSystem(e.A, e.finalDemand, { shared: true, helper: true });
    expect(one && two).toBeDefined();
    if (!one || !two) return;
    expect(two.helper).toBeDefined();
    const buffer = two.memory.buffer;
    // Counted in plain loops: vitest's deep equality on 10⁶-element arrays takes tens of seconds under load.
    const differences = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let d = a.length === b.length ? 0 : Infinity;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
      return d;
    };
    expect(differences(new Int32Array(buffer, two.col, count), e.A.colIndex.subarray(0, count))).toBe(0);
    expect(differences(new Float64Array(buffer, two.val, count), e.A.values.subarray(0, count))).toBe(0);
    expect(differences(new Int32Array(buffer, two.rowStart, e.n + 1), e.A.rowStart)).toBe(0);
    expect(differences(two.bView, e.finalDemand)).toBe(0);
    const diagonal = new Float64Array(buffer, two.diag, e.n);
    expect(differences(diagonal, new Float64Array(one.memory.buffer, one.diag, e.n))).toBe(0);
    expect(two.largestSelfUse).toBe(one.largestSelfUse);
    expect(two.badEntry).toBe(-1);
    const r = wasmTwoThreadBalance(e.A, e.finalDemand, 1e-10 * norm(e.finalDemand), 500, {
      extrapolate: true,
      loaded: two,
    });
    expect(r?.outcome).toBe('converged');
    if (r) expect(relativeResidual(e.A, r.x, e.finalDemand, false)).toBeLessThanOrEqual(1e-10);
  });
});

describe("the helper's first touches", () => {
  it('change no value in the pages they map, whether written before or not', () => {
    const e = generateEconomy({ n: 2_000, seed: 14 });
    const w = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    // The copy vector holds 0.5 everywhere, the diagonal's place as prepare left it (zeros and M_ii).
    w.copyView.fill(0.5);
    const diagonal = new Float64Array(w.memory.buffer, w.diag, e.n).slice();
    const threads = startTwoThreads(hostOf(w), middleRow(e.A), [w.diag, w.copy + 8 * e.n]);
    expect(threads).toBeDefined();
    if (!threads) return;
    expect(threads.started(30)).toBe(true);
    // copied() is never called: the worker walks both ranges to their starts before it waits for commands.
    sleep(300);
    threads.stop();
    expect(w.copyView.every((v) => v === 0.5)).toBe(true);
    expect(new Float64Array(w.memory.buffer, w.diag, e.n)).toEqual(diagonal);
  });
});

describe("the helper's late list (first touches between commands)", () => {
  it('leaves every value in the touched vectors as it was, and the solve meets dense LU', () => {
    const e = generateEconomy({ n: 300, seed: 21 });
    const w = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    const diagonal = Float64Array.from(new Float64Array(w.memory.buffer, w.diag, e.n));
    // x (zeros), b (the demand) and the diagonal (1 − M_ii or the stored entries), all in the late list.
    const threads = startTwoThreads(hostOf(w), middleRow(e.A), [], undefined, [w.x, w.copy + 8 * e.n]);
    expect(threads).toBeDefined();
    if (!threads) return;
    threads.copied();
    threads.timeoutSeconds = 30;
    expect(threads.started(30)).toBe(true);
    // A few pages: done long before this.
    sleep(300);
    expect(w.xView.every((v) => v === 0)).toBe(true);
    expect(w.bView.every((v, i) => v === e.finalDemand[i])).toBe(true);
    const after = new Float64Array(w.memory.buffer, w.diag, e.n);
    expect(after.every((v, i) => Object.is(v, diagonal[i]))).toBe(true);
    const end = iterateSweeps(
      () => threads.both(1),
      () => threads.both(2),
      1e-12 * norm(e.finalDemand),
      500,
    );
    threads.stop();
    expect(end.outcome).toBe('converged');
    expect(threads.joined).toBeGreaterThan(0);
    const exact = denseSolve(e.A, e.finalDemand);
    const scale = Math.max(...exact);
    for (let i = 0; i < e.n; i++) expect(Math.abs(w.xView[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9 * scale);
  });

  it("maps the pages of a fresh memory while idle (the process's minor page faults)", () => {
    const e = generateEconomy({ n: 300, seed: 22 });
    const w = loadSystem(e.A, e.finalDemand, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    // 16 MiB no one has written: 4,096 pages of 4 KiB, each a fault when first written.
    const fresh = new WebAssembly.Memory({ initial: 256, maximum: 256, shared: true });
    const pages = 4_096;
    const before = process.resourceUsage().minorPageFault;
    const threads = startTwoThreads({ ...hostOf(w), memory: fresh }, middleRow(e.A), [], undefined, [
      0,
      4_096 * pages,
    ]);
    expect(threads).toBeDefined();
    if (!threads) return;
    threads.copied();
    expect(threads.started(30)).toBe(true);
    let faults = 0;
    for (let waited = 0; waited < 30_000 && faults < pages / 2; waited += 50) {
      sleep(50);
      faults = process.resourceUsage().minorPageFault - before;
    }
    threads.stop();
    expect(faults).toBeGreaterThanOrEqual(pages / 2);
  });
});
