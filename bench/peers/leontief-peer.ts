// Shared driver for the balance and labour-value benchmarks: writes the problem as raw binary files, runs the
// Python peer on the same arrays, and prints one JSON line comparing it with our solver.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CsrMatrix } from '../../src/numeric/sparse/csr';
import { nnz } from '../../src/numeric/sparse/csr';
import { solveFixedPoint } from '../../src/numeric/sparse/fixed-point-solve';

interface PeerMethod {
  seconds?: number;
  iterations?: number;
  residual?: number;
  skipped?: string;
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
 * Runs `ours` (timed end to end, including ordering and any transpose), the lever variants on the same
 * system, and the Python peer; prints the JSON line.
 */
export function compareWithPeer(
  bench: string,
  mode: 'balance' | 'values',
  A: CsrMatrix,
  rhs: Float64Array,
  ours: () => OurRun,
): void {
  const n = A.rows;
  const started = performance.now();
  const run = ours();
  const oursSeconds = (performance.now() - started) / 1000;

  // The levers, each taken away on its own from the default (depth order, hubs last, Anderson-mixed hubs),
  // plus the previous default (no hubs set apart), each as seconds (sweeps).
  const transposed = mode === 'values';
  const lever = (o: Parameters<typeof solveFixedPoint>[2]): string => {
    const r = solveFixedPoint(A, rhs, { ...o, transposed });
    return r.status === 'converged'
      ? `${r.seconds.toFixed(3)} s (${r.iterations})`
      : `${r.status} after ${r.iterations}`;
  };
  const levers = {
    given_order: lever({ ordering: 'given' }),
    no_hub_mixing: lever({ hubMixing: false }),
    no_hubs_apart: lever({ hubs: false }),
    bicgstab: lever({ method: 'bicgstab' }),
  };

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
    const methods = (['spsolve', 'jacobi'] as const).filter((m) => peer[m]?.seconds !== undefined);
    const best = methods.reduce((a, b) => (peer[b]!.seconds! < peer[a]!.seconds! ? b : a));
    const peerX = new Float64Array(readFileSync(join(folder, `x_${best}.f64`)).buffer.slice(0));
    const diff = run.x ? maxRelativeDifference(run.x, peerX) : Infinity;
    const peerSeconds = peer[best]!.seconds!;
    console.log(
      JSON.stringify({
        bench,
        size: n,
        ours_s: Number(oursSeconds.toFixed(3)),
        peer: `scipy ${best}`,
        peer_s: Number(peerSeconds.toFixed(3)),
        ratio: Number((oursSeconds / peerSeconds).toFixed(3)),
        check:
          run.status === 'ok' && diff < 1e-8
            ? `ok (max rel diff ${diff.toExponential(1)})`
            : `MISMATCH (${run.status}, max rel diff ${diff.toExponential(1)})`,
        residual: run.residual,
        iterations: run.iterations,
        method: run.method,
        nnz: nnz(A),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        peer_peak_rss_mb: Math.round(peer.peak_rss_mb),
        ...levers,
        peer_methods: Object.fromEntries(
          (['spsolve', 'jacobi'] as const).map((m) => [
            m,
            peer[m]?.skipped ?? {
              s: Number(peer[m]!.seconds!.toFixed(3)),
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
