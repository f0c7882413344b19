// The 5yearplan files as an operation: solved with our general formulation and, for comparison, with the
// 5yearplan LP rebuilt as its authors formulate it.
import { z } from 'zod';
import type { TaskHooks } from '../core/compute-task';
import type { SizeLimit } from '../core/heavy';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { PLAN_SIZE_NOTE } from './formulation/plan-limits';
import { chooseSolver } from '../numeric/lp/choose-solver';
import { highsSolver } from '../numeric/lp/highs-solver';
import { disaggregate } from './disaggregate';
import { parseFiveYearFiles } from './fiveyear/fiveyear-files';
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
  solver: z.enum(['auto', 'highs', 'pdlp']).default('auto'),
});

const FIVEYEAR_BYTES: SizeLimit<z.output<typeof fiveYearInput>> = {
  field: 'flows',
  unit: 'characters in the four files',
  max: 32 * 1024 * 1024,
  anonymousMax: 256 * 1024,
  measure: (i) => i.flows.length + i.cap.length + i.dep.length + i.labtarg.length,
};

/** Parses and solves the 5yearplan files: runs in the compute pool. */
export async function fiveYearTask(i: z.output<typeof fiveYearInput>, hooks: TaskHooks) {
  const data = parseFiveYearFiles(i);
  const formulation = buildPlanLp(compilePlanSpec(fiveYearPlanSpec(data)));
  const outcome = await solveFormulation(formulation, chooseSolver(formulation.lp, { solver: i.solver }), {
    signal: hooks.signal,
    onProgress: hooks.progress,
  });
  const reference = await highsSolver.solve(fiveYearLp(data));
  return {
    status: outcome.result.status,
    objectiveValue: outcome.result.status === 'optimal' ? outcome.result.objectiveValue : null,
    fiveyearObjective: reference.status === 'optimal' ? reference.objective : null,
    record: toPlanRecord(outcome.result, disaggregate(outcome.result), outcome.infeasibility),
  };
}

/** The 5yearplan files solved two ways: our general formulation, and the 5yearplan LP rebuilt as published. */
export const fiveYearOperations = [
  defineOperation({
    name: 'planning.fiveyear',
    summary:
      "Solve an N-year plan given as Cockshott's 5yearplan files (flows, cap, dep, labtarg), without a database.",
    kind: 'query',
    input: fiveYearInput,
    output: z.object({
      status: z.string(),
      objectiveValue: z.number().nullable().describe("Σ of yearly λ (share of each year's targets met)"),
      fiveyearObjective: z
        .number()
        .nullable()
        .describe('the optimum of the 5yearplan LP formulation, for comparison'),
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
