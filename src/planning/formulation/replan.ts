// Incremental replanning: after a change, reuse the previous formulation where its shape allows and hand
// the previous primal and dual solution to the solver as a warm start (the first-order solver uses it;
// HiGHS starts afresh but is spared the rebuild).
import { DomainError } from '../../core/errors';
import type { LpSolution, LpSolver, SolveOptions } from '../../numeric/lp/lp';
import { compilePlanSpec } from './compile-spec';
import { codeIndex, patchFormulation } from './patch-formulation';
import type { PlanFormulation } from './plan-index';
import { buildPlanLp } from './plan-lp';
import type { PlanSpec } from './plan-spec';
import type { ScenarioChange } from './scenario';
import { solveFormulation } from './solve-plan';
import type { PlanOutcome, SolvePlanOptions } from './solve-plan';

export interface ReplanOutcome extends PlanOutcome {
  /** True when the previous formulation was patched rather than rebuilt. */
  reusedFormulation: boolean;
}

/** What changed: the changes (patched in place when possible) and/or the changed specification. */
export type ReplanInput =
  { changes: ScenarioChange[]; spec?: PlanSpec } | { spec: PlanSpec; changes?: undefined };

type Previous = Pick<PlanOutcome, 'formulation' | 'solution'>;

/**
 * The previous solution laid onto a new formulation: identical shapes copy straight across; otherwise
 * activities, target balances and skill and resource limits are matched by code and period, and
 * everything else starts at zero.
 */
export function mapWarmStart(prev: Previous, next: PlanFormulation): NonNullable<SolveOptions['warmStart']> {
  const a = prev.formulation;
  const { solution: s } = prev;
  const sameShape = sameLayout(a, next);
  // Same shape: the previous basis fits too, so HiGHS restarts its simplex from it; so do technique choice's
  // kept choices (indexed by product and technology).
  if (sameShape)
    return {
      x: s.x,
      rowDual: s.rowDual,
      ...(s.basis === undefined ? {} : { basis: s.basis }),
      ...(s.solverState === undefined ? {} : { state: s.solverState }),
    };
  const x = new Float64Array(next.lp.matrix.cols);
  const rowDual = new Float64Array(next.lp.matrix.rows);
  const P = Math.min(a.index.periods, next.index.periods);
  const oldTech = codeIndex(a.plan.technologyCodes);
  const oldProduct = codeIndex(a.plan.productCodes);
  const oldSkill = codeIndex(a.plan.skillCodes);
  const oldResource = codeIndex(a.plan.resourceCodes);
  for (let t = 0; t < P; t++) {
    next.plan.technologyCodes.forEach((code, j) => {
      const o = oldTech.get(code);
      if (o !== undefined) x[t * next.index.nT + j] = s.x[t * a.index.nT + o]!;
    });
    next.plan.productCodes.forEach((code, p) => {
      const o = oldProduct.get(code);
      if (o !== undefined) rowDual[t * next.index.nP + p] = s.rowDual[t * a.index.nP + o]!;
    });
    next.plan.skillCodes.forEach((code, i) => {
      const o = oldSkill.get(code);
      const r = next.index.skillRow[t * next.index.nS + i]!;
      const q = o === undefined ? -1 : a.index.skillRow[t * a.index.nS + o]!;
      if (r >= 0 && q >= 0) rowDual[r] = s.rowDual[q]!;
    });
    next.plan.resourceCodes.forEach((code, i) => {
      const o = oldResource.get(code);
      const r = next.index.resourceRow[t * next.index.nR + i]!;
      const q = o === undefined ? -1 : a.index.resourceRow[t * a.index.nR + o]!;
      if (r >= 0 && q >= 0) rowDual[r] = s.rowDual[q]!;
    });
  }
  return { x, rowDual };
}

/**
 * True when two formulations index rows and columns alike: same sizes and the same technology and product
 * codes in the same order (compared by content, since a scenario computed in the service rebuilds them).
 */
export function sameLayout(a: PlanFormulation, b: PlanFormulation): boolean {
  const same = (x: string[], y: string[]) =>
    x === y || (x.length === y.length && x.every((c, i) => c === y[i]));
  return (
    a.lp.matrix.rows === b.lp.matrix.rows &&
    a.lp.matrix.cols === b.lp.matrix.cols &&
    a.index.periods === b.index.periods &&
    same(a.plan.technologyCodes, b.plan.technologyCodes) &&
    same(a.plan.productCodes, b.plan.productCodes) &&
    same(a.plan.skillCodes, b.plan.skillCodes) &&
    same(a.plan.resourceCodes, b.plan.resourceCodes)
  );
}

/** Re-solves a plan after a change, starting from the previous solution. */
export async function replan(
  prev: Previous,
  input: ReplanInput,
  solver: LpSolver,
  options: SolvePlanOptions = {},
): Promise<ReplanOutcome> {
  let formulation = input.changes === undefined ? null : patchFormulation(prev.formulation, input.changes);
  const reusedFormulation = formulation !== null;
  if (formulation === null) {
    if (input.spec === undefined) {
      throw new DomainError(
        'invalid',
        'the change alters the shape of the plan, so it cannot be patched in place',
        {
          fix: 'pass the changed plan specification with the changes (applyScenario gives it)',
        },
      );
    }
    formulation = buildPlanLp(compilePlanSpec(input.spec));
  }
  const usable: LpSolution | null = prev.solution.status === 'optimal' ? prev.solution : null;
  const warmStart =
    usable === null
      ? undefined
      : mapWarmStart({ formulation: prev.formulation, solution: usable }, formulation);
  const outcome = await solveFormulation(formulation, solver, {
    ...options,
    ...(warmStart === undefined ? {} : { warmStart }),
  });
  return { ...outcome, reusedFormulation };
}
