// Lever count (issue 14): would the depth order plus an exact treatment of the hub industries (a k×k Schur
// complement) need few enough sweeps at 10⁶ products to pay for its set-up? Counts sweeps in units of one
// pass over M (the hub rows hold about half of M's non-zeros, so a sweep of the other rows costs about half),
// and times the set-up pieces. Sweep counts do not depend on the kernel, so they carry over to the
// WebAssembly sweeps (`npm run bench -- balance` times one of those).
import type { BenchOptions } from './run';
import { loadavg } from 'node:os';
import type { CsrMatrix } from '../src/numeric/sparse/csr';
import { nnz } from '../src/numeric/sparse/csr';
import {
  concatOrders,
  dependencyOrder,
  findHubs,
  givenOrderWithout,
  permuteSymmetric,
} from '../src/numeric/sparse/ordering';
import type { PermutedSystem } from '../src/numeric/sparse/ordering';
import { fixedPointResidual } from '../src/numeric/sparse/gauss-seidel';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';

/** Gauss–Seidel over rows [0, upto) of the permuted system, the others held. Returns the non-zeros read. */
function sweepRows(s: PermutedSystem, b: Float64Array, x: Float64Array, upto: number): number {
  const { rowStart, colIndex, values } = s.offDiagonal;
  for (let i = 0; i < upto; i++) {
    let sum = b[i]!;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) sum += values[k]! * x[colIndex[k]!]!;
    x[i] = sum / (1 - s.diagonal[i]!);
  }
  return rowStart[upto]! - rowStart[0]!;
}

/** r_H = b_H + (M x)_H − x_H on the last h rows. Returns the non-zeros read. */
function hubResidual(
  s: PermutedSystem,
  b: Float64Array,
  x: Float64Array,
  h: number,
  out: Float64Array,
): number {
  const { rowStart, colIndex, values } = s.offDiagonal;
  const n = x.length;
  for (let c = 0; c < h; c++) {
    const i = n - h + c;
    let sum = b[i]! - (1 - s.diagonal[i]!) * x[i]!;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) sum += values[k]! * x[colIndex[k]!]!;
    out[c] = sum;
  }
  return rowStart[n]! - rowStart[n - h]!;
}

/** Dense solve by Gaussian elimination with partial pivoting (k is a handful). */
function solveDense(a: Float64Array, r: Float64Array, k: number): Float64Array {
  const m = a.slice();
  const x = r.slice();
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(m[i * k + c]!) > Math.abs(m[p * k + c]!)) p = i;
    for (let j = 0; j < k; j++) [m[c * k + j], m[p * k + j]] = [m[p * k + j]!, m[c * k + j]!];
    [x[c], x[p]] = [x[p]!, x[c]!];
    for (let i = c + 1; i < k; i++) {
      const f = m[i * k + c]! / m[c * k + c]!;
      for (let j = c; j < k; j++) m[i * k + j]! -= f * m[c * k + j]!;
      x[i]! -= f * x[c]!;
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let j = c + 1; j < k; j++) s -= m[c * k + j]! * x[j]!;
    x[c] = s / m[c * k + c]!;
  }
  return x;
}

interface Count {
  method: string;
  setup_passes: number;
  passes: number;
  iterations: number;
  residual: number;
  seconds: number;
}

/**
 * Two-level: the Schur complement S = I − M_HH − M_HN Y, Y ≈ (I − M_NN)⁻¹ M_NH from `setupSweeps` sweeps of the
 * other rows per hub; then repeat: sweep the other rows with the hubs held, correct the hubs by S⁻¹ r_H.
 */
function schur(s: PermutedSystem, b: Float64Array, target: number, setupSweeps: number): Count {
  const started = performance.now();
  const n = b.length;
  const h = s.hubs;
  const total = nnz(s.offDiagonal);
  let read = 0;
  const zero = new Float64Array(n);
  const y = new Float64Array(n);
  const sMat = new Float64Array(h * h);
  const col = new Float64Array(h);
  for (let c = 0; c < h; c++) {
    y.fill(0);
    y[n - h + c] = 1;
    for (let t = 0; t < setupSweeps; t++) read += sweepRows(s, zero, y, n - h);
    // Column c of S is −r_H at x = [y; e_c] with b = 0.
    read += hubResidual(s, zero, y, h, col);
    for (let r = 0; r < h; r++) sMat[r * h + c] = -col[r]!;
  }
  const setupPasses = read / total;
  read = 0;
  const x = new Float64Array(n);
  const scratch = new Float64Array(n);
  const rH = new Float64Array(h);
  let iterations = 0;
  let residual = Infinity;
  while (iterations < 200) {
    read += sweepRows(s, b, x, n - h);
    read += hubResidual(s, b, x, h, rH);
    const c = solveDense(sMat, rH, h);
    for (let r = 0; r < h; r++) x[n - h + r]! += c[r]!;
    iterations++;
    residual = fixedPointResidual(s, b, x, scratch);
    if (residual <= target || !Number.isFinite(residual)) break;
  }
  return {
    method: `Schur hubs (${setupSweeps} set-up sweeps a hub)`,
    setup_passes: setupPasses,
    passes: read / total,
    iterations,
    residual,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Plain Gauss–Seidel over every row of the permuted system (hubs last), for comparison. */
function plain(s: PermutedSystem, b: Float64Array, target: number): Count {
  const started = performance.now();
  const n = b.length;
  const x = new Float64Array(n);
  const scratch = new Float64Array(n);
  let iterations = 0;
  let residual = Infinity;
  while (iterations < 200) {
    sweepRows(s, b, x, n);
    iterations++;
    residual = fixedPointResidual(s, b, x, scratch);
    if (residual <= target || !Number.isFinite(residual)) break;
  }
  return {
    method: 'hubs last',
    setup_passes: 0,
    passes: iterations,
    iterations,
    residual,
    seconds: (performance.now() - started) / 1000,
  };
}

function run(
  problem: string,
  m: CsrMatrix,
  rhs: Float64Array,
  transposed: boolean,
  ordering: 'depth-first' | 'given' | 'oracle',
  hiddenDepth: Int32Array,
): void {
  const n = m.rows;
  let norm = 0;
  for (const v of rhs) norm += v * v;
  const target = 1e-10 * Math.sqrt(norm);
  const t0 = performance.now();
  const hubs = findHubs(m);
  // The generator's hidden depth order is an oracle no solver has: it shows what a perfect order would save.
  const rest =
    ordering === 'oracle'
      ? depthOrder(hiddenDepth, hubs, transposed)
      : ordering === 'given'
        ? givenOrderWithout(n, hubs)
        : dependencyOrder(m, hubs, transposed);
  const t1 = performance.now();
  const order = concatOrders(rest, hubs);
  const system = permuteSymmetric(m, order, { transposed, hubs: hubs.length });
  const t2 = performance.now();
  const b = new Float64Array(n);
  for (let t = 0; t < n; t++) b[t] = rhs[order[t]!]!;
  const base = {
    bench: 'balance-hubs',
    problem,
    order: ordering,
    size: n,
    hubs: hubs.length,
    hub_share_of_nnz:
      (system.offDiagonal.rowStart[n]! - system.offDiagonal.rowStart[n - hubs.length]!) /
      nnz(system.offDiagonal),
    order_s: (t1 - t0) / 1000,
    permute_s: (t2 - t1) / 1000,
  };
  const counts = [plain(system, b, target), ...[2, 4].map((k) => schur(system, b, target, k))];
  for (const c of counts)
    console.log(
      JSON.stringify({
        ...base,
        ...c,
        residual: c.residual / Math.sqrt(norm),
        // The mean factor by which one iteration shrank the residual (from ‖b‖ at x = 0).
        contraction: (c.residual / Math.sqrt(norm)) ** (1 / c.iterations),
        load: loadavg(),
      }),
    );
}

/** The non-hub products by the generator's depth: deepest first for the balance, shallowest first for values. */
function depthOrder(depth: Int32Array, hubs: Int32Array, transposed: boolean): Int32Array {
  const isHub = new Uint8Array(depth.length);
  for (const h of hubs) isHub[h] = 1;
  const rest: number[] = [];
  for (let i = 0; i < depth.length; i++) if (!isHub[i]) rest.push(i);
  rest.sort((a, b) => (transposed ? depth[a]! - depth[b]! : depth[b]! - depth[a]!) || a - b);
  return Int32Array.from(rest);
}

export default async function balanceHubsBench(opts: BenchOptions): Promise<void> {
  const n = opts.size ?? 1_000_000;
  const economy = generateEconomy({ n, seed: 2024 });
  const only = process.env.OGAS_BENCH_ORDERS?.split(',');
  for (const ordering of ['depth-first', 'given', 'oracle'] as const) {
    if (only && !only.includes(ordering)) continue;
    run('balance', economy.A, economy.finalDemand, false, ordering, economy.depth);
    run('labour-values', economy.A, economy.labour, true, ordering, economy.depth);
  }
}
