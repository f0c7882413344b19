// Benchmark "harmony": Cockshott's harmony objective, solved the way `planning.compute` and `ogas planning
// fiveyear` solve it by default, against native HiGHS (scipy.optimize.linprog(method="highs")) on the
// piecewise-linear LP of the same plan. Our default is the exact Leontief-dual solver where it applies
// (independent periods, one technology per product: the demo), else that LP with HiGHS-wasm, split into its
// independent parts (the generated economies, whose capital stocks link the years).
// Cases: the demo economy (WIOD Germany 2014, 56 industries) over 40 periods, with targets growing 2 % and
// labour 1 % a year, labour set below what the targets need; and generated economies in the 5yearplan format
// (src/planning/fiveyear/fiveyear-generate.ts) at 100 and 1,000 industries × 5 years.
// Harmony plans with capital stocks from 400 products on take the first-order method (harmony-pdhg, certified
// to 1e-4 relative), from 100 the same method to 1e-6 (the refined LP if it stops short), smaller ones the
// refined LP (harmony-refine, 1e-6); the alternative 'auto' did not take is timed beside it.
// check: our plan's true harmony (recomputed from it) is at least the LP optimum less our certified gap, and
// at most the LP optimum plus the LP's a-priori error (maxError per target); for the LP path also the two LP
// optima agree to 1e-6 relative. Both sides get TIME_LIMIT_S; a run that hits it is reported with its status.
// Where an exact solver ran, lp_path_s, lp_path_harmony and lp_path_gap give the plain LP path it replaces
// (HiGHS-wasm, part by part), timed in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importWiod } from '../src/economy/import/wiod-xlsx';
import { highsSolver } from '../src/numeric/lp/highs-solver';
import { HARMONY_PDHG_MIN_PRODUCTS, choosePlanSolver } from '../src/planning/fast/choose-plan-solver';
import { HARMONY_LEONTIEF } from '../src/planning/fast/harmony-leontief-solver';
import {
  HARMONY_PDHG,
  harmonyPdhgApplies,
  harmonyPdhgSolver,
} from '../src/planning/fast/harmony-pdhg-solver';
import {
  HARMONY_REFINE,
  HARMONY_REFINE_TOLERANCE,
  harmonyRefineSolver,
} from '../src/planning/fast/harmony-refine-solver';
import { parseFiveYearFiles } from '../src/planning/fiveyear/fiveyear-files';
import { generateFiveYearFiles } from '../src/planning/fiveyear/fiveyear-generate';
import { fiveYearPlanSpec } from '../src/planning/fiveyear/fiveyear-spec';
import { compilePlanSpec } from '../src/planning/formulation/compile-spec';
import { buildPlanLp } from '../src/planning/formulation/plan-lp';
import type { PlanSpec } from '../src/planning/formulation/plan-spec';
import { solveFormulation } from '../src/planning/formulation/solve-plan';
import { writeLpFiles } from './plan.bench';
import type { BenchOptions } from './run';

const TIME_LIMIT_S = 90;
/** Largest LP whose HiGHS-wasm path is timed beside ours (the 100 × 5 case has 6,121 rows, 1,000 × 5 72,055). */
const LP_PATH_MAX_ROWS = 20_000;
const here = dirname(fileURLToPath(import.meta.url));
const DEMO_FILE = join(here, '..', 'src', 'economy', 'fixtures', 'wiod-niot-2016-DEU.xlsx');
/** Labour available as a share of the labour the period's targets need, so that harmony must trade off. */
const LABOUR_SHARE = 0.9;

async function demoSpec(periods: number): Promise<PlanSpec> {
  const { model } = await importWiod(readFileSync(DEMO_FILE), { year: 2014 });
  const targets = Array.from({ length: periods }, (_, t) =>
    model.targets.map((d) => ({ ...d, period: t + 1, quantity: d.quantity * 1.02 ** t })),
  ).flat();
  // Labour the period-1 targets need: gross output by x ← Ax + d (the table is productive), times labour.
  const code = new Map(model.products.map((p, i) => [p.code, i]));
  const n = model.products.length;
  const demand = new Float64Array(n);
  for (const d of model.targets) demand[code.get(d.product)!]! += d.quantity;
  let x = Float64Array.from(demand);
  for (let k = 0; k < 500; k++) {
    const next = Float64Array.from(demand);
    for (const t of model.technologies)
      for (const c of t.inputs) next[code.get(c.product)!]! += c.perUnit * x[code.get(t.product)!]!;
    x = next;
  }
  let labour = 0;
  for (const t of model.technologies)
    for (const c of t.labour) labour += c.perUnit * x[code.get(t.product)!]!;
  return {
    economy: { ...model, targets },
    periods,
    objective: 'harmony',
    skillsAvailable: Array.from({ length: periods }, (_, t) => ({
      skill: model.skills[0]!.code,
      period: t + 1,
      available: LABOUR_SHARE * labour * 1.01 ** t,
    })),
  };
}

function generatedSpec(industries: number, years: number): PlanSpec {
  const { files } = generateFiveYearFiles(industries, years, 1);
  return fiveYearPlanSpec(parseFiveYearFiles(files), `generated ${industries}`, 'harmony');
}

interface PeerAnswer {
  status: number;
  objective: number | null;
  seconds: number;
}

function nativeHighs(lp: Parameters<typeof writeLpFiles>[1]): PeerAnswer {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-harmony-'));
  try {
    writeLpFiles(dir, lp);
    const out = execFileSync('python3', [join(here, 'peers', 'lp_linprog.py'), dir, String(TIME_LIMIT_S)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out) as PeerAnswer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runCase(economy: 'demo' | 'generated', size: number, periods: number, spec: PlanSpec) {
  const formulation = buildPlanLp(compilePlanSpec(spec));
  const { lp } = formulation;
  const peer = nativeHighs(lp);
  const offset = lp.objectiveOffset ?? 0;
  // The default choice: an exact solver where one applies, else HiGHS on the piecewise-linear LP (what
  // `planning.compute` and `ogas planning fiveyear --objective harmony` take under 'auto').
  const chosen = choosePlanSolver(formulation);
  const exact =
    chosen.name === HARMONY_LEONTIEF || chosen.name === HARMONY_REFINE || chosen.name === HARMONY_PDHG;
  const solver = exact ? chosen : highsSolver;
  const started = performance.now();
  const outcome = await solveFormulation(formulation, solver, { timeLimitSeconds: TIME_LIMIT_S });
  const ours = (performance.now() - started) / 1000;
  const r = outcome.result;
  // Where an exact solver ran, also time the path it replaces (our HiGHS-wasm on the LP), in this run; not
  // where that path is known not to finish within the limit (the LP of 1,000 industries × 5 years).
  let lpPath: { seconds: number; harmony: number; gap: number | null } | null = null;
  if (exact && lp.matrix.rows <= LP_PATH_MAX_ROWS) {
    const lpStarted = performance.now();
    const viaLp = await solveFormulation(formulation, highsSolver, { timeLimitSeconds: TIME_LIMIT_S });
    lpPath = {
      seconds: (performance.now() - lpStarted) / 1000,
      harmony: viaLp.result.objectiveValue,
      gap: viaLp.result.harmonyGap,
    };
  }
  // Where 'auto' took the refined LP, also time the first-order method on the same plan, in this run: at its
  // own default tolerance (1e-4) and at the refined LP's (1e-6), the one 'auto' must meet to replace it.
  type Alternative = { seconds: number; harmony: number; gap: number | null; status: string } | null;
  let firstOrder: Alternative = null;
  let firstOrderSame: Alternative = null;
  if (chosen.name === HARMONY_REFINE && harmonyPdhgApplies(formulation).ok) {
    const time = async (tolerance?: number) => {
      const foStarted = performance.now();
      const viaFo = await solveFormulation(formulation, harmonyPdhgSolver(formulation, highsSolver), {
        timeLimitSeconds: TIME_LIMIT_S,
        ...(tolerance === undefined ? {} : { tolerance }),
      });
      return {
        seconds: (performance.now() - foStarted) / 1000,
        harmony: viaFo.result.objectiveValue,
        gap: viaFo.result.harmonyGap,
        status: viaFo.result.status,
      };
    };
    firstOrder = await time();
    firstOrderSame = await time(HARMONY_REFINE_TOLERANCE);
  }
  // Where 'auto' took the first-order method to the refined LP's tolerance, time the refined LP it replaced.
  let refinedLp: Alternative = null;
  if (chosen.name === HARMONY_PDHG && formulation.plan.productCodes.length < HARMONY_PDHG_MIN_PRODUCTS) {
    const rStarted = performance.now();
    const viaRefine = await solveFormulation(formulation, harmonyRefineSolver(formulation, highsSolver), {
      timeLimitSeconds: TIME_LIMIT_S,
    });
    refinedLp = {
      seconds: (performance.now() - rStarted) / 1000,
      harmony: viaRefine.result.objectiveValue,
      gap: viaRefine.result.harmonyGap,
      status: viaRefine.result.status,
    };
  }
  const peerLp = peer.status === 0 && peer.objective !== null ? peer.objective + offset : null;
  const targets = formulation.index.harmonyTarget.length;
  let check: string;
  if (r.status !== 'optimal' || peerLp === null) {
    check = `not compared (ours ${r.status}, linprog status ${peer.status})`;
  } else {
    // The LP maximises an interpolant S ≤ H, so its optimum is at most the true optimum and at least the
    // true optimum less maxError per target; our plan lies within its certified gap of the true optimum.
    const gap = r.harmonyGap ?? Infinity;
    const tol = 1e-6 * Math.max(1, Math.abs(peerLp));
    const apriori = targets * formulation.plan.harmonyMaxError;
    // The LP optimum is at most the true optimum, and our plan is within its certified gap of that.
    const above = r.objectiveValue >= peerLp - gap - tol;
    const below = r.objectiveValue <= peerLp + apriori + tol;
    const lpSide = exact
      ? ''
      : `, LP optimum rel diff ${(Math.abs(outcome.solution.objective - peerLp) / Math.max(1, Math.abs(peerLp))).toExponential(1)}`;
    const lpAgrees =
      exact || Math.abs(outcome.solution.objective - peerLp) / Math.max(1, Math.abs(peerLp)) <= 1e-6;
    const gapOk = gap <= apriori + tol;
    check = `${above && below && lpAgrees && gapOk ? 'ok' : 'MISMATCH'} (true harmony ${r.objectiveValue.toFixed(6)} vs LP optimum ${peerLp.toFixed(6)}: within [LP, LP + ${apriori.toExponential(1)}]${lpSide}, certified gap ${gap.toExponential(2)})`;
  }
  console.log(
    JSON.stringify({
      bench: 'harmony',
      economy,
      size,
      periods,
      ours_s: ours,
      peer: 'scipy.linprog(highs) on the piecewise-linear LP',
      peer_s: peer.seconds,
      ratio: ours / peer.seconds,
      check,
      status: r.status,
      peer_status: peer.status,
      harmony: r.objectiveValue,
      harmony_gap: r.harmonyGap,
      harmony_gap_relative:
        r.harmonyGap === null ? null : r.harmonyGap / Math.max(1, Math.abs(r.objectiveValue)),
      iterations: outcome.solution.iterations,
      targets,
      rows: lp.matrix.rows,
      cols: lp.matrix.cols,
      nnz: lp.matrix.values.length,
      solver: r.solver.name,
      // A run stopped by the limit still carries its best certified plan: the solver's own account of it.
      ...(r.status === 'optimal' ? {} : { message: outcome.solution.message }),
      ...(firstOrder === null
        ? {}
        : {
            pdhg_s: firstOrder.seconds,
            pdhg_harmony: firstOrder.harmony,
            pdhg_gap: firstOrder.gap,
          }),
      ...(firstOrderSame === null
        ? {}
        : {
            pdhg_same_tolerance_s: firstOrderSame.seconds,
            pdhg_same_tolerance_gap: firstOrderSame.gap,
            pdhg_same_tolerance_status: firstOrderSame.status,
          }),
      ...(refinedLp === null
        ? {}
        : { refine_s: refinedLp.seconds, refine_gap: refinedLp.gap, refine_status: refinedLp.status }),
      ...(lpPath === null
        ? {}
        : { lp_path_s: lpPath.seconds, lp_path_harmony: lpPath.harmony, lp_path_gap: lpPath.gap }),
    }),
  );
}

export default async function harmonyBench(opts: BenchOptions): Promise<void> {
  // Warm-up: the first HiGHS call compiles the Wasm module; a planning server has done that long before.
  await highsSolver.solve(buildPlanLp(compilePlanSpec(generatedSpec(10, 2))).lp);
  await runCase('demo', 56, 40, await demoSpec(40));
  const sizes = opts.size !== undefined ? [opts.size] : [100, 1_000];
  for (const n of sizes) await runCase('generated', n, 5, generatedSpec(n, 5));
}
