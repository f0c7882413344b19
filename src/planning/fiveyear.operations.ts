// The 5yearplan files as an operation: solved once with our general formulation and the chosen objective
// and solver; on request (crossCheck), also the 5yearplan LP rebuilt as its authors formulate it.
import { z } from 'zod';
import type { TaskHooks } from '../core/compute-task';
import { DomainError } from '../core/errors';
import type { SizeLimit } from '../core/heavy';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { PLAN_SIZE_NOTE } from './formulation/plan-limits';
import { chooseSolver } from '../numeric/lp/choose-solver';
import { highsSolver } from '../numeric/lp/highs-solver';
import { disaggregate } from './disaggregate';
import {
  HARMONY_PDHG_MIN_PRODUCTS,
  HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS,
  choosePlanSolver,
  pdhgThenRefine,
} from './fast/choose-plan-solver';
import { harmonyLeontiefApplies, harmonyLeontiefSolver } from './fast/harmony-leontief-solver';
import { HARMONY_PDHG, harmonyPdhgApplies, harmonyPdhgSolver } from './fast/harmony-pdhg-solver';
import { harmonyRefineApplies, harmonyRefineSolver } from './fast/harmony-refine-solver';
import { parseFiveYearFiles } from './fiveyear/fiveyear-files';
import type { FiveYearData } from './fiveyear/fiveyear-files';
import { dominantEigen } from '../numeric/leontief/productivity';
import { fiveYearLp } from './fiveyear/fiveyear-lp';
import { fiveYearPlanSpec } from './fiveyear/fiveyear-spec';
import { compilePlanSpec } from './formulation/compile-spec';
import { buildPlanLp } from './formulation/plan-lp';
import { solveFormulation } from './formulation/solve-plan';
import { planRecordSchema, toPlanRecord } from './plan-record';

const csvFile = (what: string) => z.string().min(1, `${what} is empty`).describe(`the text of ${what}`);

const fiveYearInput = z.object({
  flows: csvFile('flows.csv'),
  cap: csvFile('cap.csv'),
  dep: csvFile('dep.csv'),
  labtarg: csvFile('labtarg.csv'),
  objective: z
    .enum(['assortment', 'harmony', 'min-labour'])
    .default('assortment')
    .describe(
      "'assortment' maximises Σ of yearly λ (the 5yearplan LP); 'harmony' maximises Σ H over products and years (Cockshott's harmony planner); 'min-labour' meets every target with the least labour",
    ),
  solver: z
    .enum(['auto', 'highs', 'pdlp', 'harmony-pdhg'])
    .default('auto')
    .describe(
      "'auto' solves harmony exactly by the Leontief dual when cap.csv holds no capital, else from 400 industries on by 'harmony-pdhg' and below that with HiGHS on the piecewise-linear LP with each target's breakpoints refined around its optimum until the certified gap to the true optimum is below 1e-6 relative, and chooses by size otherwise; 'harmony-pdhg' forces the first-order method on the true concave problem (harmony with capital: a feasible plan certified within 1e-4 relative of the optimum) and is refused with the reason otherwise; 'highs' or 'pdlp' force the plain LP",
    ),
  crossCheck: z
    .boolean()
    .default(false)
    .describe('assortment only: also solve the 5yearplan LP as published (HiGHS) and report its optimum'),
});

const FIVEYEAR_BYTES: SizeLimit<z.output<typeof fiveYearInput>> = {
  field: 'flows',
  unit: 'characters in the four files',
  max: 32 * 1024 * 1024,
  anonymousMax: 256 * 1024,
  measure: (i) => i.flows.length + i.cap.length + i.dep.length + i.labtarg.length,
};

/** Refuses an economy whose input coefficients flows[i][j]/output[j] have a dominant eigenvalue ≥ 1. */
function checkProductive(d: FiveYearData): void {
  const n = d.products.length;
  const apply = (x: Float64Array, y: Float64Array) => {
    y.fill(0);
    for (let i = 0; i < n; i++) {
      const row = d.flows[i]!;
      let sum = 0;
      for (let j = 0; j < n; j++) if (row[j]! !== 0) sum += (row[j]! / d.output[j]!) * x[j]!;
      y[i] = sum;
    }
  };
  const eig = dominantEigen(n, apply, { tolerance: 1e-10, maxIterations: 5_000, decideAgainst: 1 });
  if (eig.lower >= 1) {
    throw new DomainError(
      'not-productive',
      `flows.csv: the economy is not productive: the dominant eigenvalue of its input coefficients (flows divided by output) is ${eig.eigenvalue.toPrecision(6)}, at least 1, so no plan yields a net product`,
      {
        issues: [{ field: 'flows.csv', message: `dominant eigenvalue ${eig.eigenvalue.toPrecision(6)} ≥ 1` }],
        data: { eigenvalue: eig.eigenvalue, lower: eig.lower, upper: eig.upper },
        fix: 'check the flows and the output row: each product must take less of its inputs than it makes',
      },
    );
  }
}

/** Parses and solves the 5yearplan files: runs in the compute pool. */
export async function fiveYearTask(i: z.output<typeof fiveYearInput>, hooks: TaskHooks) {
  if (i.crossCheck && i.objective !== 'assortment')
    throw new DomainError(
      'invalid',
      'crossCheck: the 5yearplan LP exists for the assortment objective only',
      {
        issues: [{ field: 'crossCheck', message: `not available with objective "${i.objective}"` }],
        fix: 'leave crossCheck off, or choose objective "assortment"',
      },
    );
  const data = parseFiveYearFiles(i);
  checkProductive(data);
  const formulation = buildPlanLp(compilePlanSpec(fiveYearPlanSpec(data, '5yearplan import', i.objective)));
  // Harmony under 'auto': exact through the Leontief dual where it applies (no capital stocks), else for
  // large economies the first-order method on the concave problem, else the piecewise-linear LP with HiGHS,
  // its breakpoints refined until the certified gap is below the tolerance. 'harmony-pdhg' is refused,
  // naming the solver field and the reason, where it does not apply (choosePlanSolver).
  const solver =
    i.solver === HARMONY_PDHG
      ? choosePlanSolver(formulation, { solver: HARMONY_PDHG })
      : i.objective === 'harmony' && i.solver === 'auto'
        ? harmonyLeontiefApplies(formulation).ok
          ? harmonyLeontiefSolver(formulation, highsSolver)
          : data.products.length >= HARMONY_PDHG_MIN_PRODUCTS && harmonyPdhgApplies(formulation).ok
            ? harmonyPdhgSolver(formulation, highsSolver)
            : data.products.length >= HARMONY_PDHG_SAME_TOLERANCE_MIN_PRODUCTS &&
                harmonyPdhgApplies(formulation).ok &&
                harmonyRefineApplies(formulation).ok
              ? pdhgThenRefine(formulation, highsSolver)
              : harmonyRefineApplies(formulation).ok
                ? harmonyRefineSolver(formulation, highsSolver)
                : highsSolver
        : chooseSolver(formulation.lp, { solver: i.solver });
  const outcome = await solveFormulation(formulation, solver, {
    signal: hooks.signal,
    onProgress: hooks.progress,
  });
  const reference = i.crossCheck ? await highsSolver.solve(fiveYearLp(data)) : null;
  // A feasible plan is reported with its value and gap also when a limit stopped the solver (harmony-pdhg).
  const ok = outcome.result.feasible;
  return {
    status: outcome.result.status,
    objective: i.objective,
    objectiveValue: ok ? outcome.result.objectiveValue : null,
    harmonyGap: ok ? outcome.result.harmonyGap : null,
    fiveyearObjective: reference?.status === 'optimal' ? reference.objective : null,
    record: toPlanRecord(outcome.result, disaggregate(outcome.result), outcome.infeasibility),
  };
}

/** The 5yearplan files solved with our general formulation (and, on request, the 5yearplan LP as published). */
export const fiveYearOperations = [
  defineOperation({
    name: 'planning.fiveyear',
    summary:
      "Solve an N-year plan given as Cockshott's 5yearplan files (flows, cap, dep, labtarg), without a database.",
    kind: 'query',
    input: fiveYearInput,
    output: z.object({
      status: z.string(),
      objective: z.string(),
      objectiveValue: z
        .number()
        .nullable()
        .describe(
          "the objective of the plan returned, recomputed from it: Σ of yearly λ (share of each year's targets met), Σ H, or labour",
        ),
      harmonyGap: z
        .number()
        .nullable()
        .describe('harmony: proven bound on how far objectiveValue can lie below the true optimum'),
      fiveyearObjective: z
        .number()
        .nullable()
        .describe('with crossCheck: the optimum of the 5yearplan LP formulation, for comparison'),
      record: planRecordSchema,
    }),
    access: { kind: 'public' },
    needsStore: false,
    cli: {
      files: [
        { field: 'flows', encoding: 'utf8' },
        { field: 'cap', encoding: 'utf8' },
        { field: 'dep', encoding: 'utf8' },
        { field: 'labtarg', encoding: 'utf8' },
      ],
    },
    heavy: { limits: [FIVEYEAR_BYTES], notes: [PLAN_SIZE_NOTE] },
    handler: (ctx, i) => offload(ctx, 'planning.fiveyear', i),
  }),
];
