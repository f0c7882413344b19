// Profiles one replan case at 10⁵ (inspector around the replan only).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { chooseSolver } from '../src/numeric/lp/choose-solver';
import { replanByTechniqueChoice } from '../src/planning/fast/fast-replan';
import { techniqueChoiceSolver } from '../src/planning/fast/technique-choice-solver';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';
import { patchFormulation } from '../src/planning/formulation/patch-formulation';
import { buildPlanLp } from '../src/planning/formulation/plan-lp';
import { solveFormulation } from '../src/planning/formulation/solve-plan';
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
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
const REPS = Number(process.argv[4] ?? 12);
for (let rep = 0; rep < REPS; rep++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (rep === 2) await session.post('Profiler.start');
  const tp = performance.now();
  const patched = patchFormulation(base, changes)!;
  const patchS = (performance.now() - tp) / 1000;
  const warm = await replanByTechniqueChoice(first, patched, lpSolver);
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ which, rep, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, patchS, sweeps: warm.solution.iterations, msg: warm.solution.message }));
  if (rep === REPS - 1) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`/tmp/i14p9-replan-${which}.cpuprofile`, JSON.stringify(profile));
  }
}
