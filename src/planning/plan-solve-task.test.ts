// planning.compute solves in a compute-pool worker, so a scenario's base plan crosses a thread boundary (a
// structured copy) on the way in. A replan there must still start from the base plan's kept choices of
// technique (solution.solverState), not rebuild them from the technique levels.
import { afterAll, describe, expect, it } from 'vitest';
import { ComputePool } from '../core/compute-pool';
import { workerUrl } from '../core/worker-url';
import { highsSolver } from '../numeric/lp/highs-solver';
import { tinyEconomy } from './formulation/plan-fixtures';
import type { PlanSpec } from './formulation/plan-spec';
import { applyScenario } from './formulation/scenario';
import type { ScenarioChange } from './formulation/scenario';
import { solvePlan } from './formulation/solve-plan';
import type { SolvedPlan, SolvePlanInput } from './plan-solve-task';

// Steel by S1 (1 h general + 1 h scarce) or S2 (3 h general); 6 h of the scarce skill, 10 t of steel wanted.
// S1 is cheaper (2 h against 3 h) but the scarce skill allows only 6 t of it: the plan mixes both choices,
// 6 t by S1 and 4 t by S2, at a scarce-skill price μ with 2 + μ = 3, so μ = 1 and 24 h in all.
const spec: PlanSpec = {
  economy: tinyEconomy({
    products: ['steel'],
    skills: { general: null, scarce: 6 },
    technologies: [
      { code: 'S1', product: 'steel', labour: { general: 1, scarce: 1 } },
      { code: 'S2', product: 'steel', labour: { general: 3 } },
    ],
    targets: { steel: [10] },
  }),
  periods: 1,
  objective: 'min-labour',
};
// S1's general labour halved: the same mix is optimal, μ = 1.5 (1.5 + μ = 3), 6·1.5 + 4·3 = 21 h. The old
// prices are no longer optimal (S1's reduced cost is −0.5), so the replan solves rather than keeping the plan.
const changes: ScenarioChange[] = [{ kind: 'coefficient', technology: 'S1', skill: 'general', perUnit: 0.5 }];

// The service's own worker (src/app/compute-worker.ts) and task registry, so the copy is the real one.
const pool = new ComputePool(
  1,
  workerUrl(new URL('../app/compute.ts', import.meta.url).href, 'compute-worker'),
);
afterAll(() => pool.close());

/** What PlanService sends for a scenario of `base` (see plan.service.ts). */
function scenarioInput(base: SolvedPlan): SolvePlanInput {
  return {
    spec: applyScenario(spec, changes),
    solver: 'technique-choice',
    changes,
    cached: { formulation: base.formulation, solution: base.solution },
  };
}

describe('a scenario replanned in a compute-pool worker', () => {
  it('starts from the base plan’s kept choices after the copy to the worker, and equals the plan from scratch', async () => {
    const base = await pool.run<SolvedPlan>('planning.solve', { spec, solver: 'technique-choice' });
    expect(base.solution.solver).toBe('technique-choice');
    expect(base.solution.objective).toBeCloseTo(24, 9);
    expect(base.solution.solverState?.techniqueChoice.periods[0]).toHaveLength(2);

    const replanned = await pool.run<SolvedPlan>('planning.solve', scenarioInput(base));
    expect(replanned.solution.solverState?.techniqueChoice.starts).toEqual(['kept']);
    expect(replanned.solution.message).toContain(
      "started from the previous plan's choices in 1 of 1 periods",
    );
    expect(replanned.solution.objective).toBeCloseTo(21, 9);
    const highs = await solvePlan(applyScenario(spec, changes), highsSolver);
    expect(Math.abs(replanned.solution.objective - highs.solution.objective)).toBeLessThanOrEqual(1e-9 * 21);
    // Technique levels: 6 t by S1 and 4 t by S2, as before the change.
    expect(replanned.solution.x[0]).toBeCloseTo(6, 9);
    expect(replanned.solution.x[1]).toBeCloseTo(4, 9);
  });

  it('rebuilds the choices from the levels when the base plan carries no state (the diagnostic tells them apart)', async () => {
    const base = await pool.run<SolvedPlan>('planning.solve', { spec, solver: 'technique-choice' });
    const { solverState: _dropped, ...bare } = base.solution;
    const replanned = await pool.run<SolvedPlan>('planning.solve', {
      ...scenarioInput(base),
      cached: { formulation: base.formulation, solution: bare },
    });
    expect(replanned.solution.solverState?.techniqueChoice.starts).toEqual(['rebuilt']);
    expect(replanned.solution.objective).toBeCloseTo(21, 9);
  });
});
