// Shared driver for the balance and labour-value benchmarks: writes the problem as raw binary files, runs the
// Python peer on the same arrays, and prints one JSON line comparing it with our solver.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CsrMatrix } from '../../src/numeric/sparse/csr';
import { nnz } from '../../src/numeric/sparse/csr';
import { solveFixedPoint } from '../../src/numeric/sparse/fixed-point-solve';
import { solveFixedPointParallel } from '../../src/numeric/sparse/parallel-fixed-point';
import { referenceAnswer } from './leontief-reference';
import { allocateLeontiefMatrix } from '../../src/numeric/leontief/solver-memory';
import { generateEconomy, type SyntheticEconomy } from '../../src/numeric/synthetic/economy-generator';

interface PeerMethod {
  seconds?: number;
  cpu_seconds?: number;
  iterations?: number;
  residual?: number;
  skipped?: string;
}

const peerMethods = ['spsolve', 'jacobi', 'gmres', 'bicgstab'] as const;
/** Above this many products only the levers that matter at that size run, to keep one run to minutes. */
const ALL_LEVERS_UP_TO = 100_000;

/**
 * The bandwidth bound: seconds to stream M once (rowStart, colIndex and values read in order, as a sweep
 * reads them) and for one y = M x (the same plus the gathers of x), best of three, on one thread. `stream_s`
 * sums into one accumulator, as the sweeps did until issue 14: JavaScript may not reassociate the additions,
 * so that loop waits one addition's latency per non-zero and measures the chain, not the memory.
 * `stream4_s` sums into four, which is nearer the true bandwidth bound.
 */
function streamSeconds(m: CsrMatrix): { stream_s: number; stream4_s: number; matvec_s: number } {
  const { rowStart, colIndex, values } = m;
  const n = m.rows;
  const x = new Float64Array(n).fill(1);
  const y = new Float64Array(n);
  let stream = Infinity;
  let stream4 = Infinity;
  let product = Infinity;
  let sink = 0;
  const count = nnz(m);
  for (let rep = 0; rep < 3; rep++) {
    let t = performance.now();
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < count; k += 4) {
      s0 += values[k]! + colIndex[k]!;
      s1 += values[k + 1]! + colIndex[k + 1]!;
      s2 += values[k + 2]! + colIndex[k + 2]!;
      s3 += values[k + 3]! + colIndex[k + 3]!;
    }
    for (; k < count; k++) s0 += values[k]! + colIndex[k]!;
    sink += s0 + s1 + s2 + s3 + rowStart[n]!;
    stream4 = Math.min(stream4, (performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const end = rowStart[i + 1]!;
      for (let k = rowStart[i]!; k < end; k++) sink += values[k]! + colIndex[k]!;
    }
    stream = Math.min(stream, (performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const end = rowStart[i + 1]!;
      let s = 0;
      for (let k = rowStart[i]!; k < end; k++) s += values[k]! * x[colIndex[k]!]!;
      y[i] = s;
    }
    product = Math.min(product, (performance.now() - t) / 1000);
  }
  if (sink === -1) console.log(sink); // keeps the stream loop from being optimised away
  return {
    stream_s: Number(stream.toFixed(4)),
    stream4_s: Number(stream4.toFixed(4)),
    matvec_s: Number(product.toFixed(4)),
  };
}

/**
 * Where the benches build A: by default straight into the solvers' memory (solver-memory.ts,
 * allocateLeontiefMatrix), so that no solve copies it; `LEONTIEF_MATRIX=copied` builds it in ordinary arrays,
 * which the first solve copies into fresh pages (the way before). Either way the build is outside the timed
 * solve, as the peer's is (it reads A from files and wraps it in a csr_matrix before its clock starts; its
 * timed BiCGSTAB and GMRES include forming I − M, a copy of M into fresh memory).
 */
/** What the JSON says of where A was built, and of what the peer's clock covers. */
function placementNotes(inSolverMemory: boolean, asked: boolean): Record<string, string> {
  return {
    matrix_built: inSolverMemory
      ? 'in the solver memory (allocateLeontiefMatrix): no copy in the timed solve'
      : `in ordinary arrays${asked ? ' (below the size the sweeps share memory from)' : ''}: the timed first solve copies A into its memory`,
    peer_timed: 'A read from files and wrapped outside the clock; I - M formed inside it (BiCGSTAB, GMRES)',
  };
}

/**
 * The benches' generated economy of n products, its A built where LEONTIEF_MATRIX says (the solver memory by
 * default, `copied` for ordinary arrays), with the notes that say so and the build's time (mapping A's pages
 * wherever it lies), which is outside the timed solve and reported beside it.
 */
export function placedEconomy(n: number): { economy: SyntheticEconomy; notes: Record<string, string> } {
  const asked = process.env['LEONTIEF_MATRIX'] !== 'copied';
  const built = performance.now();
  const economy = generateEconomy({ n, seed: 2024, ...(asked ? { allocate: allocateLeontiefMatrix } : {}) });
  const seconds = ((performance.now() - built) / 1000).toFixed(3);
  // allocateLeontiefMatrix hands out the sweeps' shared memory only from their parallel size on.
  const inSolverMemory = economy.A.values.buffer instanceof SharedArrayBuffer;
  return { economy, notes: { ...placementNotes(inSolverMemory, asked), build_s: seconds } };
}

export interface OurRun {
  status: string;
  x?: Float64Array;
  residual?: number;
  iterations?: number;
  method?: string;
  seconds?: number;
}

const here = dirname(fileURLToPath(import.meta.url));

function writeRaw(path: string, array: Int32Array | Float64Array): void {
  writeFileSync(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/** Largest |a − b| / |b| over entries, with |b| floored at 1e-12 of the largest |b|. */
function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-12 * scale));
  return worst;
}

/**
 * ‖a − b‖₂ / ‖b‖₂: what a residual bounds. A relative residual of 1e-10 bounds this by κ(I − M) · 1e-10, but
 * not every entry's relative error: an entry far smaller than the others can be off by far more (at 10⁶
 * products, 1.6e-8 at a residual of 8.4e-11), so the check is on this and the worst entry is reported beside it.
 */
function normRelativeDifference(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    n += b[i]! ** 2;
  }
  return Math.sqrt(d / n);
}

/**
 * Runs `ours` (timed end to end, including ordering and any transpose), the lever variants on the same
 * system, and the Python peer; prints the JSON line.
 */
export function compareWithPeer(
  bench: string,
  mode: 'balance' | 'values',
  A: CsrMatrix,
  rhs: Float64Array,
  notes: Record<string, string>,
  ours: () => OurRun,
): void {
  const n = A.rows;
  // CPU seconds (this process, worker threads included) as well as wall seconds: on a shared, loaded machine
  // the wall clock measures the other tenants too, the CPU time only our work.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const cpuStarted = cpu();
  const started = performance.now();
  const run = ours();
  const oursSeconds = (performance.now() - started) / 1000;
  const oursCpu = cpu() - cpuStarted;
  // A second run in the same process: a server solving its second economy no longer compiles the code.
  const warmStarted = performance.now();
  ours();
  const oursWarm = (performance.now() - warmStarted) / 1000;

  // The levers on the same system, each as seconds (sweeps): the ordered single-thread solver (the default
  // below 200,000 products and the fallback), the given-order sweeps on one thread, and at small sizes the
  // ordered solver with each of its own levers taken away.
  const transposed = mode === 'values';
  const lever = (o: Parameters<typeof solveFixedPoint>[2]): string => {
    const r = solveFixedPoint(A, rhs, { ...o, transposed });
    return r.status === 'converged'
      ? `${r.seconds.toFixed(3)} s (${r.iterations})`
      : `${r.status} after ${r.iterations}`;
  };
  const oneThread = solveFixedPointParallel(A, rhs, { transposed, threads: 1 });
  const given = (r: ReturnType<typeof solveFixedPointParallel>): string =>
    r.status === 'failed'
      ? r.message
      : `${r.status === 'converged' ? '' : `${r.status} `}${r.seconds.toFixed(3)} s (${r.iterations}, setup ${r.setupSeconds.toFixed(3)} s)`;
  // Two threads (one shared WebAssembly memory; for labour values each takes the other's pushes as they land)
  // and the 32-bit sweeps.
  const twoThreads = solveFixedPointParallel(A, rhs, { transposed, threads: 2 });
  const mixed = solveFixedPointParallel(A, rhs, { transposed, threads: 1, precision: 'mixed' });
  // The balance's sweeps without extrapolating their dominant mode (given-order-sweeps.ts, iterateSweeps).
  const plain = transposed
    ? undefined
    : solveFixedPointParallel(A, rhs, { transposed, threads: 1, acceleration: 'none' });
  // The same sweeps on the JavaScript loops the WebAssembly kernels replaced.
  const javascript = solveFixedPointParallel(A, rhs, { transposed, threads: 1, kernel: 'javascript' });
  const levers = {
    ordered_one_thread: lever({}),
    given_order_one_thread: given(oneThread),
    ...(plain ? { given_order_not_extrapolated: given(plain) } : {}),
    given_order_two_worker_threads: given(twoThreads),
    given_order_mixed_precision: given(mixed),
    given_order_javascript_kernel: given(javascript),
    ...(n <= ALL_LEVERS_UP_TO
      ? {
          ordered_given_order: lever({ ordering: 'given' }),
          ordered_no_hub_mixing: lever({ hubMixing: false }),
          ordered_no_hubs_apart: lever({ hubs: false }),
          bicgstab: lever({ method: 'bicgstab' }),
        }
      : {}),
  };
  const bound = streamSeconds(A);
  // One sweep on all threads, without the setup (copy into shared memory, thread start), from a run of its own.
  const threaded = solveFixedPointParallel(A, rhs, { transposed });
  const sweepSeconds =
    threaded.status === 'failed' || threaded.iterations === 0
      ? null
      : (threaded.seconds - threaded.setupSeconds) / threaded.iterations;
  const sweepOneThread =
    oneThread.status === 'failed' || oneThread.iterations === 0
      ? null
      : (oneThread.seconds - oneThread.setupSeconds) / oneThread.iterations;

  const folder = mkdtempSync(join(tmpdir(), `ogas-${bench}-`));
  try {
    writeRaw(join(folder, 'row_start.i32'), A.rowStart);
    writeRaw(join(folder, 'col_index.i32'), A.colIndex.subarray(0, nnz(A)));
    writeRaw(join(folder, 'values.f64'), A.values.subarray(0, nnz(A)));
    writeRaw(join(folder, 'rhs.f64'), rhs);
    const stdout = execFileSync('python3', [join(here, 'leontief.py'), folder, mode, String(n)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const peer = JSON.parse(stdout) as Record<string, PeerMethod> & { peak_rss_mb: number };
    // The peer's best: the fastest of its methods that reached the tolerance.
    const reached = peerMethods.filter((m) => peer[m]?.seconds !== undefined && peer[m]!.residual! <= 1e-10);
    const methods = reached.length > 0 ? reached : peerMethods.filter((m) => peer[m]?.seconds !== undefined);
    const best = methods.reduce((a, b) => (peer[b]!.seconds! < peer[a]!.seconds! ? b : a));
    const peerX = new Float64Array(readFileSync(join(folder, `x_${best}.f64`)).buffer.slice(0));
    const diff = run.x ? maxRelativeDifference(run.x, peerX) : Infinity;
    const peerSeconds = peer[best]!.seconds!;
    // Each side against a reference solved far tighter (leontief-reference.ts): the check is on our distance
    // from it; the two answers' difference from each other is reported beside it.
    const reference = referenceAnswer(A, rhs, transposed);
    const oursFromReference = reference && run.x ? maxRelativeDifference(run.x, reference.x) : null;
    const peerFromReference = reference ? maxRelativeDifference(peerX, reference.x) : null;
    const oursNormFromReference = reference && run.x ? normRelativeDifference(run.x, reference.x) : null;
    // Passes when ours is within 1e-8 of the reference in norm (κ(I − M) ≤ 100 times the goal's residual).
    const check =
      reference === null || oursNormFromReference === null
        ? run.status === 'ok' && diff < 1e-8
          ? `ok (max rel diff ${diff.toExponential(1)}; no reference reached)`
          : `MISMATCH (${run.status}, max rel diff ${diff.toExponential(1)}; no reference reached)`
        : `${run.status === 'ok' && oursNormFromReference < 1e-8 ? 'ok' : `MISMATCH (${run.status})`} (from a reference at residual ${reference.residual.toExponential(1)}: ours ${oursNormFromReference.toExponential(1)} in norm, ${oursFromReference!.toExponential(1)} in the worst entry; scipy ${peerFromReference!.toExponential(1)} in the worst entry; ours vs scipy ${diff.toExponential(1)})`;
    console.log(
      JSON.stringify({
        bench,
        size: n,
        ours_s: Number(oursSeconds.toFixed(3)),
        peer: `scipy ${best}`,
        peer_s: Number(peerSeconds.toFixed(3)),
        ratio: Number((oursSeconds / peerSeconds).toFixed(3)),
        ...notes,
        check,
        ours_warm_s: Number(oursWarm.toFixed(3)),
        ours_cpu_s: Number(oursCpu.toFixed(3)),
        peer_cpu_s: Number((peer[best]!.cpu_seconds ?? Number.NaN).toFixed(3)),
        cpu_ratio: Number((oursCpu / (peer[best]!.cpu_seconds ?? Number.NaN)).toFixed(3)),
        residual: run.residual,
        iterations: run.iterations,
        method: run.method,
        sweep_s: sweepSeconds === null ? null : Number(sweepSeconds.toFixed(4)),
        sweep_one_thread_s: sweepOneThread === null ? null : Number(sweepOneThread.toFixed(4)),
        threads: threaded.status === 'failed' ? null : threaded.threads,
        ...bound,
        sweep_two_threads_s:
          twoThreads.status === 'failed' || twoThreads.iterations === 0
            ? null
            : Number(((twoThreads.seconds - twoThreads.setupSeconds) / twoThreads.iterations).toFixed(4)),
        sweep_javascript_s:
          javascript.status === 'failed' || javascript.iterations === 0
            ? null
            : Number((javascript.seconds / javascript.iterations).toFixed(4)),
        sweep_mixed_s:
          mixed.status === 'failed' || mixed.iterations === 0
            ? null
            : Number((mixed.seconds / mixed.iterations).toFixed(4)),
        sweep_per_stream: sweepSeconds === null ? null : Number((sweepSeconds / bound.stream_s).toFixed(2)),
        sweep_per_stream4: sweepSeconds === null ? null : Number((sweepSeconds / bound.stream4_s).toFixed(2)),
        load_average: loadavg().map((v) => Number(v.toFixed(2))),
        nnz: nnz(A),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        peer_peak_rss_mb: Math.round(peer.peak_rss_mb),
        ...levers,
        peer_methods: Object.fromEntries(
          peerMethods.map((m) => [
            m,
            peer[m]?.skipped ?? {
              s: Number(peer[m]!.seconds!.toFixed(3)),
              cpu_s: Number((peer[m]!.cpu_seconds ?? Number.NaN).toFixed(3)),
              iterations: peer[m]!.iterations,
              residual: peer[m]!.residual,
            },
          ]),
        ),
      }),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
