// The loop each helper thread of parallel-fixed-point.ts runs, as JavaScript source for an eval'd worker.
//
// Why a string: the worker must start the same way from the TypeScript sources (tsx), from the bundle and
// from inside a compute-pool worker, and must not wait for a loader; a self-contained eval'd script does all
// three. Function.prototype.toString of a TypeScript function is not safe for this (tsx inserts `__name`
// helper calls that do not exist in the worker). The kernel is covered by parallel-fixed-point.test.ts.
//
// Shared state (all SharedArrayBuffers, so no copy per sweep):
//   rowStart, colIndex, values: M in CSR; b; x; diag (1 − M_ii, filled by each thread for its own rows);
//   balance: every thread sweeps its rows of the one shared x in place, reading the others' newest values
//     (asynchronous Gauss–Seidel), so the last digits can differ from run to run, within the tolerance;
//   labour values (transposed): "push" Gauss–Seidel on the residual r = b + Mᵀx − x, reading M's rows:
//     settling unknown i (x_i += r_i / (1 − M_ii)) pushes M_ij δ into r_j, straight into r for the thread's
//     own block and into its outbox for the others, which absorb it after the barrier. r stays the exact
//     residual, so the stopping test costs no extra pass.
//   control (Int32): [0] barrier count, [1] barrier generation, [2] finished threads, [3] failed flag,
//     [4] iterations done, [5] outcome (1 converged, 2 diverging, 0 out of sweeps);
//   stats (Float64): per thread, [3t + parity of the sweep] Σ Δx² of the sweep (two slots, so that a thread
//     already done with the next sweep cannot overwrite a sum another thread is still reading), [3t+2] Σ r²
//     of its block (when computed). Every thread takes the same decisions from the same sums.
export const parallelSweepKernel = String.raw`
const { workerData } = require('node:worker_threads');
const w = workerData;
const control = new Int32Array(w.control);
const stats = new Float64Array(w.stats);
const T = w.threads;
function barrier() {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === T - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  } else {
    while (Atomics.load(control, 1) === generation) Atomics.wait(control, 1, generation, 1000);
  }
  if (Atomics.load(control, 3) !== 0) throw new Error('another thread failed');
}
function total(slot) {
  let s = 0;
  for (let t = 0; t < T; t++) s += stats[3 * t + slot];
  return s;
}
// Four independent partial sums (see given-order-sweeps.ts: one chain of additions costs an addition's latency
// per non-zero, and the hub rows hold half of them).
function rowDot(values, colIndex, x, from, to, start) {
  let s0 = start, s1 = 0, s2 = 0, s3 = 0;
  let k = from;
  for (; k + 3 < to; k += 4) {
    s0 += values[k] * x[colIndex[k]];
    s1 += values[k + 1] * x[colIndex[k + 1]];
    s2 += values[k + 2] * x[colIndex[k + 2]];
    s3 += values[k + 3] * x[colIndex[k + 3]];
  }
  for (; k < to; k++) s0 += values[k] * x[colIndex[k]];
  return s0 + s1 + (s2 + s3);
}
// Everything runs inside functions: top-level script code is optimised far less well (measured 3–4× slower).
function run() {
  const rowStart = new Int32Array(w.rowStart);
  const colIndex = new Int32Array(w.colIndex);
  const values = new Float64Array(w.values);
  const b = new Float64Array(w.b);
  const shared = new Float64Array(w.x);
  const oneMinusDiag = new Float64Array(w.diag);
  const bounds = w.bounds;
  const me = w.id;
  const lo = bounds[me], hi = bounds[me + 1];
  const n = w.n;
  for (let i = lo; i < hi; i++) {
    let d = 0;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (colIndex[k] === i) d = values[k];
    oneMinusDiag[i] = 1 - d;
  }
  const target2 = w.target * w.target;
  let iterations = 0;
  let previous = Infinity;
  let rising = 0;
  let converged = false;
  if (!w.transposed) {
    // Every thread reads the newest x_j wherever it lives (asynchronous block Gauss–Seidel): for a
    // non-negative M with ρ(M) < 1 any interleaving converges, and reading the other block's fresh values
    // measured fewer sweeps than a snapshot per sweep. The diagonal is summed with the row (no branch in
    // the inner loop) and taken back out: x_i = (b_i + Σ_j M_ij x_j − M_ii x_i) / (1 − M_ii).
    const x = shared;
    const selfUse = new Float64Array(hi - lo);
    for (let i = lo; i < hi; i++) selfUse[i - lo] = 1 - oneMinusDiag[i];
    let ratio = NaN;
    while (iterations < w.maxIterations) {
      let change = 0;
      for (let i = lo; i < hi; i++) {
        const end = rowStart[i + 1];
        const old = x[i];
        const sum = rowDot(values, colIndex, x, rowStart[i], end, b[i] - selfUse[i - lo] * old);
        const next = sum / oneMinusDiag[i];
        const delta = next - old;
        change += delta * delta;
        x[i] = next;
      }
      const slot = iterations % 2;
      stats[3 * me + slot] = change;
      barrier();
      iterations++;
      const norm = Math.sqrt(total(slot));
      if (!Number.isFinite(norm)) break;
      rising = norm >= previous ? rising + 1 : 0;
      previous = norm;
      // The residual costs a pass: compute it only when the update, scaled by the residual/update ratio
      // last seen, says it may be small enough (every thread takes the same decision from the same sums).
      const due = Number.isNaN(ratio) ? norm * norm <= target2 * 1e4 : norm * ratio <= w.target;
      if (due) {
        let r2 = 0;
        for (let i = lo; i < hi; i++) {
          const end = rowStart[i + 1];
          const sum = rowDot(values, colIndex, x, rowStart[i], end, b[i] - x[i]);
          r2 += sum * sum;
        }
        stats[3 * me + 2] = r2;
        barrier();
        const residual = Math.sqrt(total(2));
        ratio = norm > 0 ? residual / norm : 0;
        if (residual <= w.target) {
          converged = true;
          break;
        }
        // Nobody may sweep (write x) until every thread has read it for the residual.
        barrier();
      }
      if (rising >= 10) break;
    }
  } else {
    const x = shared;
    const r = new Float64Array(w.r);
    const outboxes = w.outboxes.map((o) => new Float64Array(o));
    const outbox = outboxes[me];
    for (let i = lo; i < hi; i++) r[i] = b[i];
    while (iterations < w.maxIterations) {
      let change = 0;
      for (let i = lo; i < hi; i++) {
        const delta = r[i] / oneMinusDiag[i];
        if (delta === 0) continue;
        x[i] += delta;
        r[i] = 0;
        change += delta * delta;
        const end = rowStart[i + 1];
        for (let k = rowStart[i]; k < end; k++) {
          const j = colIndex[k];
          if (j === i) continue;
          if (j >= lo && j < hi) r[j] += values[k] * delta;
          else outbox[j] += values[k] * delta;
        }
      }
      barrier();
      let r2 = 0;
      for (let t = 0; t < T; t++) {
        if (t === me) continue;
        const from = outboxes[t];
        for (let j = lo; j < hi; j++) {
          r[j] += from[j];
          from[j] = 0;
        }
      }
      for (let j = lo; j < hi; j++) r2 += r[j] * r[j];
      stats[3 * me] = change;
      stats[3 * me + 2] = r2;
      barrier();
      iterations++;
      const residual = Math.sqrt(total(2));
      if (residual <= w.target) {
        converged = true;
        break;
      }
      if (!Number.isFinite(residual)) break;
      rising = residual >= previous ? rising + 1 : 0;
      previous = residual;
      if (rising >= 10) break;
    }
  }
  if (me === 0) {
    Atomics.store(control, 4, iterations);
    Atomics.store(control, 5, converged ? 1 : rising >= 10 ? 2 : 0);
  }
}
try {
  run();
} catch (error) {
  Atomics.store(control, 3, 1);
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
}
Atomics.add(control, 2, 1);
Atomics.notify(control, 2);
`;
