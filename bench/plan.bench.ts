// Benchmark "plan": a minimum-labour plan with choice of technique and a scarce skill, generated at
// 10³…10⁶ products, solved by our automatically chosen solver against scipy's linprog (HiGHS, native)
// and the npm `highs` package (HiGHS, WebAssembly) on the same LP. Check: objectives within 1e-4.
// Two methods of ours face the peers: exact technique choice (the plan has one limited skill, so it applies;
// lines with "method") and the general LP solver that chooseSolver picks (PDLP at these sizes, up to 10⁵),
// which is also checked against technique choice.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHighsSolver } from '../src/numeric/lp/highs-solver';
import type { LinearProgram, LpSolution } from '../src/numeric/lp/lp';
import { chooseSolver } from '../src/numeric/lp/choose-solver';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';
import { techniqueChoiceSolver } from '../src/planning/fast/technique-choice-solver';
import { permutedCopyStats } from '../src/numeric/technique-choice/warm-fixed-point';
import { wasmPermutedStats } from '../src/numeric/sparse/wasm-permuted-sweeps';
import { buildPlanLp } from '../src/planning/formulation/plan-lp';
import { syntheticPlan } from '../src/planning/formulation/synthetic-plan';
import type { BenchOptions } from './run';

const LADDER = [1_000, 10_000, 100_000, 1_000_000];
/** Above this many products the WebAssembly peer is skipped: its heap is capped at 2 GiB. */
const WASM_PEER_MAX = 100_000;
/** Above this many products the native peer is skipped: its simplex time grows far faster than n. */
const NATIVE_PEER_MAX = 100_000;
const PEER_TIME_LIMIT_S = 600;
/**
 * Our own limit, so that the ladder ends: a run that hits it is reported with its status and residual. It is
 * wall time, so under a heavy load (the 10⁶ plan took 10 minutes of wall for 2 of CPU at load 15) an A/B run
 * may set PLAN_TIME_LIMIT_S higher.
 */
const OURS_TIME_LIMIT_S = Number(process.env.PLAN_TIME_LIMIT_S ?? 600);
const TOLERANCE = 1e-4;
/** Above this many products the general LP solver (PDLP) line is skipped: at 10⁶ it ran out its time limit. */
const GENERAL_LP_MAX = 100_000;
const here = dirname(fileURLToPath(import.meta.url));

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Writes the LP as raw little-endian arrays plus meta.json for the Python peer. */
export function writeLpFiles(dir: string, lp: LinearProgram): void {
  const m = lp.matrix;
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows: m.rows, cols: m.cols, sense: lp.sense }));
  const arrays: Record<string, Int32Array | Float64Array> = {
    colStart: m.colStart,
    rowIndex: m.rowIndex,
    values: m.values,
    objective: lp.objective,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
  };
  for (const [name, a] of Object.entries(arrays))
    writeFileSync(join(dir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

interface PeerAnswer {
  status: string;
  objective: number | null;
  seconds: number;
}

function scipyPeer(lp: LinearProgram): PeerAnswer {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-plan-'));
  try {
    writeLpFiles(dir, lp);
    const out = execFileSync(
      'python3',
      [join(here, 'peers', 'plan_linprog.py'), dir, String(PEER_TIME_LIMIT_S)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const r = JSON.parse(out) as {
      status: number;
      objective: number | null;
      seconds: number;
      message: string;
    };
    return {
      status: r.status === 0 ? 'optimal' : `status ${r.status}: ${r.message}`,
      objective: r.objective,
      seconds: r.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function wasmPeer(lp: LinearProgram): Promise<PeerAnswer> {
  const s = await createHighsSolver().solve(lp, { timeLimitSeconds: PEER_TIME_LIMIT_S });
  const status = s.status === 'optimal' || s.message === undefined ? s.status : `${s.status}: ${s.message}`;
  return { status, objective: s.status === 'optimal' ? s.objective : null, seconds: s.seconds };
}

function check(ours: LpSolution, peer: PeerAnswer): string {
  if (ours.status !== 'optimal') return `ours ${ours.status}`;
  if (peer.objective === null || peer.status !== 'optimal') return `peer ${peer.status}`;
  const rel = Math.abs(ours.objective - peer.objective) / Math.max(1, Math.abs(peer.objective));
  return `${rel <= TOLERANCE ? 'ok' : 'MISMATCH'} (objective rel diff ${rel.toExponential(1)})`;
}

/** CPU seconds of this process since `from` (a process.cpuUsage()). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/**
 * One progress line on stderr per phase (wall and CPU seconds, peak and current memory), so that a run stopped
 * by its limits (the 10⁷ moonshot) still says how far it got; the CPU seconds, because on a shared machine the
 * wall clock also counts the time other tenants held the cores (the set-up's wall tripled at load 10).
 */
function phase(name: string, n: number, seconds: number, cpuSeconds: number): void {
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.error(
    JSON.stringify({
      bench: 'plan',
      size: n,
      phase: name,
      s: Number(seconds.toFixed(2)),
      cpu_s: Number(cpuSeconds.toFixed(2)),
      rss_mb: rssMb,
      peak_rss_mb: peakMb(),
    }),
  );
}

async function benchSize(n: number): Promise<void> {
  const tg = performance.now();
  const cg = process.cpuUsage();
  const economy = generateEconomy({ n, seed: 42 });
  const generateS = (performance.now() - tg) / 1000;
  phase('generate economy', n, generateS, cpuSince(cg));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const plan = syntheticPlan(economy, { seed: 7 });
  phase('synthetic plan', n, (performance.now() - t0) / 1000, cpuSince(c0));
  const tb = performance.now();
  const cb = process.cpuUsage();
  const f = buildPlanLp(plan);
  phase('build LP', n, (performance.now() - tb) / 1000, cpuSince(cb));
  const buildS = (performance.now() - t0) / 1000;
  const lpSolver = chooseSolver(f.lp);
  // The synthetic plan has exactly one limited skill (skill0), so technique choice applies to it unchanged.
  const fast = techniqueChoiceSolver(f, lpSolver);
  const t2 = performance.now();
  const cpu2 = process.cpuUsage();
  const exact = await fast.solve(f.lp, { timeLimitSeconds: OURS_TIME_LIMIT_S });
  const exactS = (performance.now() - t2) / 1000;
  // CPU seconds of this process (its solver threads included): on a shared machine the wall clock also
  // counts the time other tenants held the cores.
  const exactCpuS = cpuSince(cpu2);
  phase('technique choice solve', n, exactS, exactCpuS);
  const exactExtra = {
    solver: exact.solver,
    status: exact.status,
    objective: exact.objective,
    iterations: exact.iterations,
    residual: exact.residual,
    message: exact.message,
    generate_s: Number(generateS.toFixed(2)),
    build_s: buildS,
    ours_cpu_s: Number(exactCpuS.toFixed(3)),
    peak_rss_mb: peakMb(),
    // Technique choice's permuted copies (warm-fixed-point.ts): afresh and updated, with their wall and CPU seconds.
    permuted_afresh: permutedCopyStats.afresh,
    permuted_afresh_s: Number(permutedCopyStats.afreshSeconds.toFixed(2)),
    permuted_afresh_cpu_s: Number(permutedCopyStats.afreshCpuSeconds.toFixed(2)),
    permuted_updated: permutedCopyStats.updated,
    permuted_updated_s: Number(permutedCopyStats.updatedSeconds.toFixed(2)),
    permuted_updated_cpu_s: Number(permutedCopyStats.updatedCpuSeconds.toFixed(2)),
    // The copies swept on the WebAssembly kernels (wasm-permuted-sweeps.ts): loads, their seconds, kernel calls.
    wasm_loads: wasmPermutedStats.loads,
    wasm_load_cpu_s: Number(wasmPermutedStats.loadCpuSeconds.toFixed(2)),
    wasm_sweeps: wasmPermutedStats.sweeps,
    wasm_residuals: wasmPermutedStats.residuals,
    wasm_refused: wasmPermutedStats.refused,
  };
  const solver = n <= GENERAL_LP_MAX ? lpSolver : null;
  const t1 = performance.now();
  const ours =
    solver === null
      ? exact
      : await solver.solve(f.lp, { tolerance: TOLERANCE, timeLimitSeconds: OURS_TIME_LIMIT_S });
  const oursS = (performance.now() - t1) / 1000;
  const extra = {
    solver: ours.solver,
    status: ours.status,
    objective: ours.objective,
    iterations: ours.iterations,
    residual: ours.residual,
    build_s: buildS,
    rows: f.lp.matrix.rows,
    cols: f.lp.matrix.cols,
    nnz: f.lp.matrix.colStart[f.lp.matrix.cols],
    peak_rss_mb: peakMb(),
  };
  const fastLine = (peer: string, answer: PeerAnswer | null, reason?: string) =>
    console.log(
      JSON.stringify({
        bench: 'plan',
        size: n,
        ours_s: exactS,
        peer,
        peer_s: answer?.seconds ?? null,
        ratio: answer === null ? null : exactS / answer.seconds,
        check: answer === null ? `peer skipped: ${reason}` : check(exact, answer),
        method: 'technique choice (exact; the plan has one limited skill)',
        ...exactExtra,
      }),
    );
  const line = (peer: string, answer: PeerAnswer | null, reason?: string) =>
    solver === null
      ? undefined
      : console.log(
          JSON.stringify({
            bench: 'plan',
            size: n,
            ours_s: oursS,
            peer,
            peer_s: answer?.seconds ?? null,
            ratio: answer === null ? null : oursS / answer.seconds,
            check: answer === null ? `peer skipped: ${reason}` : check(ours, answer),
            ...extra,
          }),
        );
  const exactAnswer = {
    status: exact.status,
    objective: exact.status === 'optimal' ? exact.objective : null,
    seconds: exactS,
  };
  if (solver !== null) line('technique choice (exact)', exactAnswer);
  if (n <= NATIVE_PEER_MAX) {
    const answer = scipyPeer(f.lp);
    fastLine('scipy.linprog(highs)', answer);
    line('scipy.linprog(highs)', answer);
  } else {
    const reason = `native HiGHS dual simplex would far exceed the ${PEER_TIME_LIMIT_S} s limit at this size (see the 10⁵ line)`;
    fastLine('scipy.linprog(highs)', null, reason);
    line('scipy.linprog(highs)', null, reason);
  }
  if (n <= WASM_PEER_MAX) {
    const answer = await wasmPeer(f.lp);
    fastLine('npm highs', answer);
    line('npm highs', answer);
  } else {
    fastLine('npm highs', null, 'the WebAssembly heap is capped at 2 GiB');
    line('npm highs', null, 'the WebAssembly heap is capped at 2 GiB');
  }
}

/**
 * V8 compiles HiGHS's WebAssembly lazily and tiers it up only after the first solves, so two solves of a
 * small plan come first: otherwise whichever side ran first would pay about a second for compilation.
 */
async function warmUpHighs(): Promise<void> {
  const lp = buildPlanLp(syntheticPlan(generateEconomy({ n: 1000, seed: 1 }), { seed: 1 })).lp;
  for (let i = 0; i < 2; i++) await createHighsSolver().solve(lp);
}

export default async function plan(opts: BenchOptions): Promise<void> {
  await warmUpHighs();
  for (const n of opts.size === undefined ? LADDER : [opts.size]) await benchSize(n);
}
