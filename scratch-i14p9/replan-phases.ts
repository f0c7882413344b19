// CPU seconds of each phase of one replan case at 10⁵ (the steps of replanByTechniqueChoice, timed apart).
import { chooseSolver } from '../src/numeric/lp/choose-solver';
import { lpResiduals } from '../src/numeric/lp/lp-residuals';
import { stillOptimal } from '../src/planning/fast/fast-replan';
import { fastPathApplies } from '../src/planning/fast/fast-path';
import { techniqueChoiceSolver } from '../src/planning/fast/technique-choice-solver';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';
import { patchFormulation } from '../src/planning/formulation/patch-formulation';
import { buildPlanLp } from '../src/planning/formulation/plan-lp';
import { mapWarmStart } from '../src/planning/formulation/replan';
import { solveFormulation } from '../src/planning/formulation/solve-plan';
import { readPlanResult } from '../src/planning/plan-result';
import { syntheticPlan } from '../src/planning/formulation/synthetic-plan';

const which = process.argv[2] ?? 'median-bill';
const n = Number(process.argv[3] ?? 100000);
const plan = syntheticPlan(generateEconomy({ n, seed: 42 }), { seed: 7 });
const base = buildPlanLp(plan);
const lpSolver = chooseSolver(base.lp);
const first = await solveFormulation(base, techniqueChoiceSolver(base, lpSolver));
const used = [...first.solution.x.keys()].filter((t) => first.solution.x[t]! > 0 && t < plan.technologyCodes.length);
const bill = (t: number) => first.solution.x[t]! * plan.labour.value[plan.labour.start[t]!]!;
used.sort((a, b) => bill(a) - bill(b));
const j = which === 'largest-bill' ? used[used.length - 1]! : used[used.length >> 1]!;
const e = plan.labour.start[j]!;
const changes = [{ kind: 'coefficient' as const, technology: plan.technologyCodes[j]!, skill: plan.skillCodes[plan.labour.index[e]!]!, perUnit: 0.8 * plan.labour.value[e]! }];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
for (let rep = 0; rep < 4; rep++) {
  const out: Record<string, number | string> = { which, rep };
  let c = cpu();
  const lap = (name: string) => { const now = cpu(); out[name] = Number((now - c).toFixed(4)); c = now; };
  const next = patchFormulation(base, changes)!;
  lap('patch');
  const fp = fastPathApplies(next.plan).ok;
  lap('fastPath');
  const r = lpResiduals(next.lp, first.solution.x, first.solution.rowDual);
  lap('lpResiduals');
  const still = stillOptimal(first, next);
  lap('stillOptimal');
  const warmStart = mapWarmStart(first, next);
  lap('mapWarmStart');
  const sol = await techniqueChoiceSolver(next, lpSolver).solve(next.lp, { warmStart });
  lap('solve');
  readPlanResult(next, sol);
  lap('read');
  out.sweeps = sol.iterations; out.solveSeconds = sol.seconds; out.fp = String(fp); out.still = String(still !== null); out.r = r.primal;
  console.log(JSON.stringify(out));
}
