import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { highsSolver } from '../numeric/lp/highs-solver';
import type { LinearProgram, LpSolver, SolveOptions } from '../numeric/lp/lp';
import { disaggregate, targetsOfUnit } from './disaggregate';
import { tinyEconomy } from './formulation/plan-fixtures';
import type { PlanSpec } from './formulation/plan-spec';
import { replan } from './formulation/replan';
import { applyScenario, describeChange } from './formulation/scenario';
import { solvePlan } from './formulation/solve-plan';
import { diffPlans } from './plan-diff';

// Steel by T1 (2 h/t, unit "works-a") or T2 (1 h/t + 0.5 t coal, unit "works-b"), coal 1 h/t (unit "pit").
const spec: PlanSpec = {
  economy: tinyEconomy({
    products: ['steel', 'coal'],
    skills: { general: 100 },
    technologies: [
      { code: 'T1', product: 'steel', labour: { general: 2 }, unit: 'works-a' },
      {
        code: 'T2',
        product: 'steel',
        labour: { general: 1 },
        inputs: { coal: 0.5 },
        unit: 'works-b',
        capacity: 30,
      },
      { code: 'C', product: 'coal', labour: { general: 1 }, unit: 'pit' },
    ],
    targets: { steel: [10, 10], coal: [2, 2] },
  }),
  periods: 2,
  objective: 'min-labour',
};

/** A solver that records the warm start it was handed, delegating the work to HiGHS. */
function recording(): LpSolver & { seen: (SolveOptions['warmStart'] | undefined)[] } {
  const seen: (SolveOptions['warmStart'] | undefined)[] = [];
  return {
    name: 'recording',
    seen,
    solve: (lp: LinearProgram, o: SolveOptions = {}) => (seen.push(o.warmStart), highsSolver.solve(lp, o)),
  };
}

describe('scenarios and diffs', () => {
  it('changes a target without touching the base specification', () => {
    const changed = applyScenario(spec, [{ kind: 'target', product: 'steel', period: 2, quantity: 40 }]);
    expect(changed.economy.targets.find((d) => d.product === 'steel' && d.period === 2)?.quantity).toBe(40);
    expect(spec.economy.targets.find((d) => d.product === 'steel' && d.period === 2)?.quantity).toBe(10);
  });

  it('describes each change in words', () => {
    expect(describeChange({ kind: 'skill-available', skill: 'general', available: 80 })).toBe(
      "skill 'general' available set to 80 in every period",
    );
    expect(describeChange({ kind: 'coefficient', technology: 'T2', input: 'coal', perUnit: 0.4 })).toBe(
      "technology 'T2' uses 0.4 of coal per unit",
    );
  });

  it('diffs a scenario against the base by product and by unit', async () => {
    const base = await solvePlan(spec, highsSolver);
    const scenario = await solvePlan(
      applyScenario(spec, [{ kind: 'target', product: 'steel', period: 2, quantity: 40 }]),
      highsSolver,
    );
    const d = diffPlans(base.result, scenario.result);
    // Period 2: steel 10 → 40; T2 caps at 30, so T1 makes 10 and T2 30, coal 2 + 15.
    expect(d.byProduct.map((p) => [p.product, p.period, p.delta])).toEqual([
      ['steel', 2, 30],
      ['coal', 2, 0],
    ]);
    expect(d.byProduct[1]!.grossB - d.byProduct[1]!.grossA).toBeCloseTo(10, 9);
    const units = Object.fromEntries(d.byUnit.map((u) => [u.unit, u]));
    expect(Object.keys(units).sort()).toEqual(['pit', 'works-a', 'works-b']);
    expect(units['works-a']!.labourB - units['works-a']!.labourA).toBeCloseTo(20, 9);
    expect(units['works-b']!.technologies).toEqual([
      { technology: 'T2', product: 'steel', period: 2, a: 10, b: 30, delta: 20 },
    ]);
    expect(d.objective.delta).toBeCloseTo(20 + 20 + 10, 9);
  });

  it('rejects a change that names an unknown technology', () => {
    try {
      applyScenario(spec, [{ kind: 'technology-capacity', technology: 'T9', capacity: 1 }]);
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.issues[0]!.field).toBe('changes[0]');
    }
  });
});

describe('replanning', () => {
  it('patches the formulation for a coefficient change, warm starts, and matches a plan from scratch', async () => {
    const base = await solvePlan(spec, highsSolver);
    const changes = [{ kind: 'coefficient' as const, technology: 'T2', skill: 'general', perUnit: 1.8 }];
    const solver = recording();
    const again = await replan(base, { changes }, solver);
    const scratch = await solvePlan(applyScenario(spec, changes), highsSolver);
    expect(again.reusedFormulation).toBe(true);
    expect(solver.seen[0]!.x).toBe(base.solution.x);
    // The previous optimal basis goes along, so HiGHS restarts its simplex from it.
    expect(base.solution.basis).toBeDefined();
    expect(solver.seen[0]!.basis).toBe(base.solution.basis);
    // T2 now costs 1.8 + 0.5 = 2.3 h/t > 2: T1 takes over.
    expect(again.result.objectiveValue).toBeCloseTo(scratch.result.objectiveValue, 9);
    expect(again.result.activity[0]).toBeCloseTo(10, 9);
    expect(base.formulation.lp.objective[1]).toBe(1);
  });

  it('rebuilds from the changed specification when the change alters the shape, mapping the warm start by code', async () => {
    const base = await solvePlan(spec, highsSolver);
    const changes = [{ kind: 'coefficient' as const, technology: 'T1', input: 'coal', perUnit: 0.1 }];
    const solver = recording();
    const again = await replan(base, { changes, spec: applyScenario(spec, changes) }, solver);
    expect(again.reusedFormulation).toBe(false);
    expect(Array.from(solver.seen[0]!.x)).toEqual(Array.from(base.solution.x));
    await expect(replan(base, { changes }, solver)).rejects.toThrow(/shape/);
  });
});

describe('disaggregation', () => {
  it('splits a technology’s activity over its units in proportion to capacity and within it', async () => {
    const { result } = await solvePlan(
      applyScenario(spec, [{ kind: 'target', product: 'steel', period: 1, quantity: 24 }]),
      highsSolver,
    );
    const d = disaggregate(result, [
      { unit: 'works-b1', technology: 'T2', capacity: 10 },
      { unit: 'works-b2', technology: 'T2', capacity: 20 },
      { unit: 'pit', technology: 'C', capacity: 5 },
    ]);
    const b1 = targetsOfUnit(d, 'works-b1');
    expect(b1.map((t) => [t.period, t.quantity])).toEqual([
      [1, 8],
      [2, 10 / 3],
    ]);
    expect(targetsOfUnit(d, 'works-b2')[0]!.quantity).toBeCloseTo(16, 9);
    // Coal: 2 + 12 = 14 t in period 1 against 5 t of pit capacity: 9 t left unassigned.
    expect(targetsOfUnit(d, 'pit')[0]!.quantity).toBe(5);
    expect(d.unassigned.find((u) => u.technology === 'C' && u.period === 1)!.quantity).toBeCloseTo(9, 9);
  });

  it('gives each technology’s own unit its activity when no unit list is given', async () => {
    const { result } = await solvePlan(spec, highsSolver);
    const d = disaggregate(result);
    expect(targetsOfUnit(d, 'works-b').map((t) => t.quantity)).toEqual([10, 10]);
    expect(targetsOfUnit(d, 'pit')[0]!.labour).toBeCloseTo(7, 9);
  });
});
