// Benchmark: HiGHS (Wasm) and our PDLP against scipy.optimize.linprog(method="highs") on seeded random sparse LPs.
// Sizes are column counts (rows = cols / 3, 4 nonzeros per column). PDLP runs at its default 1e-4 relative
// tolerance, so its check compares objectives within that tolerance; HiGHS-wasm must match scipy to 1e-7.
// The simplex codes get TIME_LIMIT_S each (on 2 shared cores 10⁵ columns does not finish in minutes);
// a run that hits it is reported with its status and the limit as its time, so ratios are then lower bounds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { highsSolver } from '../src/numeric/lp/highs-solver';
import type { LinearProgram, LpSolution } from '../src/numeric/lp/lp';
import { pdlpSolver } from '../src/numeric/lp/pdlp/pdlp-solver';
import { randomFeasibleLp } from '../src/numeric/lp/random-lp';
import type { BenchOptions } from './run';

const TIME_LIMIT_S = 120;
const peerScript = join(dirname(fileURLToPath(import.meta.url)), 'peers', 'lp_linprog.py');

function writeLp(lp: LinearProgram, folder: string): void {
  const bin = (name: string, a: Int32Array | Float64Array) =>
    writeFileSync(join(folder, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(
    join(folder, 'meta.json'),
    JSON.stringify({ rows: lp.matrix.rows, cols: lp.matrix.cols, sense: lp.sense }),
  );
  bin('colStart', lp.matrix.colStart);
  bin('rowIndex', lp.matrix.rowIndex);
  bin('values', lp.matrix.values);
  bin('objective', lp.objective);
  bin('rowLower', lp.rowLower);
  bin('rowUpper', lp.rowUpper);
  bin('colLower', lp.colLower);
  bin('colUpper', lp.colUpper);
}

function runPeer(lp: LinearProgram): { status: number; objective: number | null; seconds: number } {
  const folder = mkdtempSync(join(tmpdir(), 'ogas-lp-'));
  try {
    writeLp(lp, folder);
    const out = execFileSync('python3', [peerScript, folder, String(TIME_LIMIT_S)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out) as { status: number; objective: number | null; seconds: number };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function check(
  ours: LpSolution,
  peer: { status: number; objective: number | null },
  tolerance: number,
): string {
  const peerObjective = peer.status === 0 ? peer.objective : null;
  if (ours.status !== 'optimal' || peerObjective === null) {
    return `not compared (ours ${ours.status}, linprog status ${peer.status}${peer.status === 1 ? ' = limit reached' : ''})`;
  }
  const diff = Math.abs(ours.objective - peerObjective) / (1 + Math.abs(peerObjective));
  return `${diff <= tolerance ? 'ok' : 'MISMATCH'} (objective rel diff ${diff.toExponential(1)})`;
}

export default async function lpSolversBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [1_000, 10_000, 100_000];
  for (const cols of sizes) {
    const lp = randomFeasibleLp({ rows: Math.max(2, Math.round(cols / 3)), cols, perColumn: 4, seed: 2024 });
    const peer = runPeer(lp);
    // Up to 10⁴ columns each solver first runs once untimed: the figures are those of a warmed-up process
    // (Wasm compiled, JIT tiered up), which is what a planning server sees.
    if (cols <= 10_000) {
      await highsSolver.solve(lp);
      await pdlpSolver.solve(lp);
    }
    const highs = await highsSolver.solve(lp, { timeLimitSeconds: TIME_LIMIT_S });
    const pdlp = await pdlpSolver.solve(lp);
    const line = (solver: string, s: LpSolution, tolerance: number) =>
      JSON.stringify({
        bench: 'lp-solvers',
        size: cols,
        solver,
        ours_s: s.seconds,
        peer: 'scipy.linprog(highs)',
        peer_s: peer.seconds,
        ratio: s.seconds / peer.seconds,
        check: check(s, peer, tolerance),
        status: s.status,
        peer_status: peer.status,
        rows: lp.matrix.rows,
        nnz: lp.matrix.values.length,
        iterations: s.iterations,
        residual: s.residual,
      });
    console.log(line('highs-wasm', highs, 1e-7));
    console.log(line('pdlp', pdlp, 1e-4));
  }
}
