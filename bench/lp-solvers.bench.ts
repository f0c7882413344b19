// Benchmark: our PDLP against every peer on the same general LP, handed to all of them as one MPS file.
// The LP (src/numeric/lp/general-lp.ts) is multi-period capacity planning with several binding limits, seeded;
// its size is its column count. It is written as free MPS to a temporary file; each peer reads that file:
//   - npm `highs` (Wasm) with each of its LP methods: dual simplex, interior point (+crossover), and its PDLP;
//   - scipy.optimize.linprog(method="highs") through bench/peers/lp_mps.py (which parses the MPS with numpy);
// and ours reads it with parseMps: PDLP then crossover (src/numeric/lp/pdlp-crossover.ts: Halpern PDLP to 1e-4,
// HiGHS's own crossover from its point made exactly complementary for a nearby LP, then HiGHS's simplex on the true
// LP from that basis, every HiGHS step in a worker thread ended at the time limit; an exact vertex, checked by
// lpResiduals; above 200,000 nonzeros, as at 10⁵ columns, PDLP alone to 1e-7, checked), and both PDLP methods alone (adaptive,
// the default, and Halpern) at 1e-7 relative KKT error so that their objective can equal the exact one to 1e-6
// relative. `check` tests each of ours against each peer's objective; every line carries ours's primal and dual
// residuals and gap in lpResiduals's relative measure. Only the solve is timed (file reading and model loading
// are not), each run under TIME_LIMIT_S; a run that hits it reports its status and the limit as its time, so the
// ratio is then a bound. Ours's time is everything its solve call costs (scaling, PDLP, loading HiGHS, the
// crossover, the simplex, our check of the answer). One small solve of each kind runs first, untimed, here and in
// each peer's process: the first use of a piece of HiGHS's Wasm code in a process pays V8's compilation of it
// (0.5–1 s for the simplex; a first crossover at 10⁴ columns took 3.0 s where the next took 0.4 s, load 11),
// which would otherwise fall on whichever ran first (the warm-up of PDLP then crossover warms its HiGHS worker
// thread, which is kept for the timed run; the CPU seconds reported are the process's, worker threads included).
// LP_SOLVERS_OURS=crossover,adaptive,halpern (the default) picks which of ours run, LP_SOLVERS_PEERS=simplex,ipm,
// pdlp,scipy which peers: at 10⁵ columns every run may take the whole limit.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generalLp } from '../src/numeric/lp/general-lp';
import type { LinearProgram, LpSolution } from '../src/numeric/lp/lp';
import { parseMps, writeMps } from '../src/numeric/lp/mps';
import { lpResiduals } from '../src/numeric/lp/lp-residuals';
import { createPdlpSolver } from '../src/numeric/lp/pdlp/pdlp-solver';
import { pdlpCrossoverSolver } from '../src/numeric/lp/pdlp-crossover';
import { highsSolver } from '../src/numeric/lp/highs-solver';
import { warmHighs, warmUpLp } from '../src/numeric/lp/highs-warm';
import { dantzigTransport } from '../src/numeric/lp/reference-lps';
import type { BenchOptions } from './run';

/** Each solver's time limit, LP_SOLVERS_LIMIT_S seconds (default 120). */
const TIME_LIMIT_S = Number(process.env.LP_SOLVERS_LIMIT_S ?? 120);
const OURS_TOLERANCE = 1e-7;
const CHECK_TOLERANCE = 1e-6;
const peersFolder = join(dirname(fileURLToPath(import.meta.url)), 'peers');
const peerScript = join(peersFolder, 'lp_mps.py');
const highsPeerScript = join(peersFolder, 'highs-mps.ts');

interface PeerResult {
  peer: string;
  status: string;
  objective: number | null;
  seconds: number;
  /** CPU seconds of the peer's process during its solve (absent for a killed or failed peer). */
  cpuSeconds?: number;
  iterations?: number;
  binding?: number;
}

/** Rows with a finite upper bound (capacities, labour, storage) whose dual is non-zero at the peer's optimum. */
function bindingLimits(lp: LinearProgram, rowDual: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < lp.matrix.rows; i++)
    if (Number.isFinite(lp.rowUpper[i]) && Math.abs(rowDual[i] ?? 0) > 1e-9) count++;
  return count;
}

/** Time a peer may run past its own limit before it is killed and reported as having overrun it. */
function killAfterSeconds(limit: number): number {
  return limit + Math.max(30, 0.5 * limit);
}

/**
 * Runs one peer in a child process that is killed if it overruns its own time limit by more than a grace
 * period (killAfterSeconds): such a peer is reported with status "overran its N s limit" and the time it was
 * given, so its ratio is a bound. Only the peer's own timing of its solve is used otherwise.
 */
function runPeer(
  name: string,
  command: string,
  args: string[],
  limit: number,
): Promise<{ out: string } | { unfinished: PeerResult }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        timeout: killAfterSeconds(limit) * 1000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const seconds = (performance.now() - started) / 1000;
        if (error !== null && (error.killed || error.signal === 'SIGKILL')) {
          resolve({
            unfinished: {
              peer: name,
              status: `overran its ${limit} s limit: killed after ${seconds.toFixed(0)} s`,
              objective: null,
              seconds,
            },
          });
        } else if (error !== null) {
          // A peer that fails (highs-js's simplex ended with HiGHS status -1 at 3·10⁴ columns) is reported, not fatal.
          const last = stderr
            .split('\n')
            .filter((l) => l.length < 300 && /error|status/i.test(l))
            .slice(0, 2)
            .map((l) => l.trim())
            .join(' | ');
          resolve({
            unfinished: { peer: name, status: `failed: ${last || error.message}`, objective: null, seconds },
          });
        } else resolve({ out: stdout });
      },
    );
  });
}

async function highsPeer(
  file: string,
  lp: LinearProgram,
  method: 'simplex' | 'ipm' | 'pdlp',
  limit: number,
  warmUpFile: string | undefined,
): Promise<PeerResult> {
  const name = `highs-js ${method}`;
  const run = await runPeer(
    name,
    process.execPath,
    [
      '--import',
      'tsx',
      highsPeerScript,
      file,
      method,
      String(limit),
      ...(warmUpFile === undefined ? [] : [warmUpFile]),
    ],
    limit,
  );
  if ('unfinished' in run) return run.unfinished;
  const r = JSON.parse(run.out) as {
    status: string;
    objective: number | null;
    seconds: number;
    cpuSeconds: number;
    iterations: number;
    rowDual: number[] | null;
  };
  return {
    peer: name,
    status: r.status,
    objective: r.objective,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    iterations: r.iterations,
    ...(r.rowDual !== null && method === 'simplex' ? { binding: bindingLimits(lp, r.rowDual) } : {}),
  };
}

async function scipyPeer(file: string, limit: number): Promise<PeerResult> {
  const name = 'scipy.linprog(highs)';
  const run = await runPeer(name, 'python3', [peerScript, file, String(limit), 'highs'], limit);
  if ('unfinished' in run) return run.unfinished;
  const r = JSON.parse(run.out) as {
    status: number;
    objective: number | null;
    seconds: number;
    cpu_seconds: number;
  };
  return {
    peer: name,
    status: r.status === 0 ? 'optimal' : r.status === 1 ? 'time-limit' : `linprog status ${r.status}`,
    objective: r.status === 0 ? r.objective : null,
    seconds: r.seconds,
    cpuSeconds: r.cpu_seconds,
  };
}

function check(ours: LpSolution, peer: PeerResult): string {
  if (ours.status !== 'optimal' || peer.objective === null)
    return `not compared (ours ${ours.status}, peer ${peer.status})`;
  const diff = Math.abs(ours.objective - peer.objective) / Math.max(1, Math.abs(peer.objective));
  return `${diff <= CHECK_TOLERANCE ? 'ok' : 'MISMATCH'} (objective rel diff ${diff.toExponential(1)})`;
}

export default async function lpSolversBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [10_000];
  const limit = TIME_LIMIT_S;
  for (const columns of sizes) {
    const folder = mkdtempSync(join(tmpdir(), 'ogas-lp-'));
    try {
      const file = join(folder, `general-${columns}.mps`);
      writeFileSync(file, writeMps(generalLp({ columns, seed: 2026 }), `GENERAL${columns}`));
      const mps = readFileSync(file, 'utf8');
      const parsed = parseMps(mps);
      if (!parsed.ok)
        throw new Error(`MPS written by writeMps does not parse: line ${parsed.line}: ${parsed.message}`);
      const lp = parsed.lp;
      await highsSolver.solve(dantzigTransport());
      await pdlpCrossoverSolver.solve(dantzigTransport());
      // The warm-up (LP_SOLVERS_WARM=lp, the default): ours solves warmUpLp() untimed (highs-warm.ts), and each
      // highs-js peer solves the same LP by its own method first, so both time code V8 has already compiled and
      // optimised, as in a long-lived process. LP_SOLVERS_WARM=small keeps only the tiny solves above: the first
      // large solve in a fresh process, for ours and the highs-js peers alike.
      const warmUpFile = process.env.LP_SOLVERS_WARM === 'small' ? undefined : join(folder, 'warm-up.mps');
      if (warmUpFile !== undefined) {
        writeFileSync(warmUpFile, writeMps(warmUpLp(), 'WARMUP'));
        const warmed = await warmHighs();
        if (warmed.status !== 'optimal') throw new Error(`the warm-up LP ended ${warmed.status}`);
      }
      // Each of ours with the CPU seconds of this process during its solve (one thread: CPU ratios against the
      // peers hold under load, where wall-clock seconds depend on what else the 2 cores run).
      const ours: [string, LpSolution, number][] = [];
      const timed = async (solve: () => Promise<LpSolution>): Promise<[LpSolution, number]> => {
        const cpuStarted = process.cpuUsage();
        const s = await solve();
        const cpu = process.cpuUsage(cpuStarted);
        return [s, (cpu.user + cpu.system) / 1e6];
      };
      const oursWanted = (process.env.LP_SOLVERS_OURS ?? 'crossover,adaptive,halpern').split(',');
      // Each outcome goes to stderr as soon as it is known: at 10⁵ columns the whole bench takes many minutes.
      const note = (who: string, status: string, seconds: number) =>
        console.error(`lp-solvers ${columns}: ${who} ${status} in ${seconds.toFixed(1)} s`);
      if (oursWanted.includes('crossover')) {
        const [s, cpu] = await timed(() => pdlpCrossoverSolver.solve(lp, { timeLimitSeconds: limit }));
        note(`pdlp-crossover (${s.message ?? ''})`, s.status, s.seconds);
        ours.push(['pdlp-crossover', s, cpu]);
      }
      for (const method of ['adaptive', 'halpern'] as const) {
        if (!oursWanted.includes(method)) continue;
        const solver = createPdlpSolver({ method });
        const [s, cpu] = await timed(() =>
          solver.solve(lp, { tolerance: OURS_TOLERANCE, timeLimitSeconds: limit }),
        );
        ours.push([`pdlp-${method}`, s, cpu]);
      }
      const peersWanted = (process.env.LP_SOLVERS_PEERS ?? 'simplex,ipm,pdlp,scipy').split(',');
      const peers: PeerResult[] = [];
      for (const method of ['simplex', 'ipm', 'pdlp'] as const)
        if (peersWanted.includes(method)) {
          const peer = await highsPeer(file, lp, method, limit, warmUpFile);
          note(peer.peer, peer.status, peer.seconds);
          peers.push(peer);
        }
      if (peersWanted.includes('scipy')) {
        const peer = await scipyPeer(file, limit);
        note(peer.peer, peer.status, peer.seconds);
        peers.push(peer);
      }
      const binding = peers.find((p) => p.binding !== undefined)?.binding;
      for (const [solver, solution, cpu] of ours) {
        const r = lpResiduals(lp, solution.x, solution.rowDual);
        for (const peer of peers) {
          console.log(
            JSON.stringify({
              bench: 'lp-solvers',
              size: columns,
              solver,
              ours_s: solution.seconds,
              peer: peer.peer,
              peer_s: peer.seconds,
              ratio: solution.seconds / peer.seconds,
              ours_cpu_s: cpu,
              peer_cpu_s: peer.cpuSeconds,
              cpu_ratio: peer.cpuSeconds === undefined ? undefined : cpu / peer.cpuSeconds,
              check: check(solution, peer),
              status: solution.status,
              peer_status: peer.status,
              objective: solution.objective,
              peer_objective: peer.objective,
              rows: lp.matrix.rows,
              cols: lp.matrix.cols,
              nnz: lp.matrix.values.length,
              binding_limits: binding,
              iterations: solution.iterations,
              peer_iterations: peer.iterations,
              primal_residual: r.primal,
              dual_residual: r.dual,
              gap: r.gap,
              message: solution.message,
              mps_bytes: mps.length,
              time_limit_s: limit,
              load_average: loadavg().map((v) => Number(v.toFixed(2))),
              warm_up: warmUpFile === undefined ? 'small' : 'lp',
            }),
          );
        }
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
