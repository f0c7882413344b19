// Replanning by technique choice after one changed coefficient equals planning the changed plan from scratch:
// the same objective, technique levels, values and skill price to 1e-9 relative, and HiGHS's objective to 1e-7.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../../numeric/lp/highs-solver';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import type { CompiledPlan } from '../formulation/compiled-plan';
import { patchFormulation } from '../formulation/patch-formulation';
import type { PlanFormulation } from '../formulation/plan-index';
import { buildPlanLp } from '../formulation/plan-lp';
import type { ScenarioChange } from '../formulation/scenario';
import { solveFormulation } from '../formulation/solve-plan';
import type { PlanOutcome } from '../formulation/solve-plan';
import { syntheticPlan } from '../formulation/synthetic-plan';
import { changedColumnsViolate, replanByTechniqueChoice, stillOptimal } from './fast-replan';
import { solutionOfPair, TECHNIQUE_CHOICE, techniqueChoiceSolver } from './technique-choice-solver';
import type { LinearProgram } from '../../numeric/lp/lp';
import { lpResiduals } from '../../numeric/lp/lp-residuals';

/** Replan and from-scratch plan agree to this, relative to the largest entry of what is compared. */
const SAME = 1e-9;
/**
 * Both solve every value and balance system to this relative residual: at the default 1e-10 the two answers
 * differed by up to 1.2e-9 relative where the plan mixes two choices at the skill's price (the mix divides by
 * the small difference in skill use of the two choices, which magnifies the solves' error).
 */
const SOLVE = { tolerance: 1e-12 };
/** HiGHS (an independent solver, simplex to its own tolerances) agrees on the objective to this. */
const HIGHS = 1e-7;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++)
    if (!(Math.abs(a[i]! - b[i]!) <= SAME * scale))
      expect.fail(`${what}[${i}]: replan ${a[i]} vs from scratch ${b[i]} (scale ${scale})`);
}

interface Base {
  plan: CompiledPlan;
  formulation: PlanFormulation;
  first: PlanOutcome;
}

const bases = new Map<string, Promise<Base>>();
/** A synthetic plan of n products (half with a second technique, one scarce skill) and its optimum. */
function base(seed: number, n = 40): Promise<Base> {
  let b = bases.get(`${n}/${seed}`);
  if (b === undefined) {
    b = (async () => {
      const plan = syntheticPlan(generateEconomy({ n, seed }), { seed: seed + 1, alternativeShare: 0.5 });
      const formulation = buildPlanLp(plan);
      const first = await solveFormulation(
        formulation,
        techniqueChoiceSolver(formulation, highsSolver),
        SOLVE,
      );
      expect(first.solution.status).toBe('optimal');
      return { plan, formulation, first };
    })();
    bases.set(`${n}/${seed}`, b);
  }
  return b;
}

/** Technique j's labour in its `entry`-th skill, or its `entry`-th input, scaled by `factor`. */
function changeOf(
  plan: CompiledPlan,
  j: number,
  input: boolean,
  entry: number,
  factor: number,
): ScenarioChange {
  const rows = input ? plan.inputs : plan.labour;
  const e = rows.start[j]! + (entry % (rows.start[j + 1]! - rows.start[j]!));
  const perUnit = factor * rows.value[e]!;
  const technology = plan.technologyCodes[j]!;
  return input
    ? { kind: 'coefficient', technology, input: plan.productCodes[rows.index[e]!]!, perUnit }
    : { kind: 'coefficient', technology, skill: plan.skillCodes[rows.index[e]!]!, perUnit };
}

/**
 * The plan's technologies by their labour bill in the first plan (level × main labour), largest first; ties
 * keep index order, so the first is the hub (the technology in use with the largest bill).
 */
function byBill(b: Base): number[] {
  const { x } = b.first.solution;
  const bill = (j: number) => x[j]! * b.plan.labour.value[b.plan.labour.start[j]!]!;
  return Array.from(b.plan.technologyCodes.keys()).sort((i, j) => bill(j) - bill(i));
}

/** Replans after `change` and checks it against the changed plan solved from scratch (ours and HiGHS). */
async function expectReplanEqualsScratch(b: Base, change: ScenarioChange): Promise<PlanOutcome> {
  const next = patchFormulation(b.formulation, [change]);
  expect(next).not.toBeNull();
  const warm = await replanByTechniqueChoice(b.first, next!, highsSolver, SOLVE);
  const fresh = buildPlanLp(next!.plan);
  const scratch = await solveFormulation(fresh, techniqueChoiceSolver(fresh, highsSolver), SOLVE);
  const highs = await solveFormulation(buildPlanLp(next!.plan), highsSolver);
  expect(warm.solution.status).toBe(scratch.solution.status);
  if (scratch.solution.status !== 'optimal') return warm;
  expect(warm.solution.solver).toBe(TECHNIQUE_CHOICE);
  const obj = scratch.solution.objective;
  expect(Math.abs(warm.solution.objective - obj)).toBeLessThanOrEqual(SAME * Math.max(1, Math.abs(obj)));
  expect(Math.abs(highs.solution.objective - obj)).toBeLessThanOrEqual(HIGHS * Math.max(1, Math.abs(obj)));
  expectClose(warm.solution.x, scratch.solution.x, 'technique level');
  // Every product is made (targets > 0), so its value is unique: the target duals and the skill price agree.
  expectClose(warm.solution.rowDual, scratch.solution.rowDual, 'row dual');
  return warm;
}

/** Each property solves 60 plans; under a load average near 20 that took 30 s, vitest's default limit here. */
const PROPERTY_TIMEOUT = 120_000;

const seeds = fc.integer({ min: 1, max: 4 });
const factor = fc.oneof(
  fc.double({ min: 0.2, max: 0.95, noNaN: true }),
  fc.double({ min: 1.05, max: 1.6, noNaN: true }),
);

describe('replanning by technique choice equals planning from scratch', () => {
  it(
    'after a labour or input coefficient of a technique in use goes up or down',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          seeds,
          fc.nat(),
          fc.boolean(),
          fc.nat(3),
          factor,
          async (seed, pick, input, entry, f) => {
            const b = await base(seed);
            const used = [...b.first.solution.x.keys()].filter((j) => b.first.solution.x[j]! > 0);
            await expectReplanEqualsScratch(b, changeOf(b.plan, used[pick % used.length]!, input, entry, f));
          },
        ),
        { numRuns: 20 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'after a coefficient of a technique not in use goes up or down',
    async () => {
      let shortcuts = 0;
      await fc.assert(
        fc.asyncProperty(
          seeds,
          fc.nat(),
          fc.boolean(),
          fc.nat(3),
          factor,
          async (seed, pick, input, entry, f) => {
            const b = await base(seed);
            const unused = [...b.first.solution.x.keys()].filter((j) => b.first.solution.x[j] === 0);
            expect(unused.length).toBeGreaterThan(0);
            const warm = await expectReplanEqualsScratch(
              b,
              changeOf(b.plan, unused[pick % unused.length]!, input, entry, f),
            );
            if (warm.solution.message?.includes('still optimal')) shortcuts++;
          },
        ),
        { numRuns: 20 },
      );
      // Most such changes leave the plan as it was: the exact check must have answered some of them.
      expect(shortcuts).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "after a target goes up or down (the kept choices' balances are solved again for the new demand)",
    async () => {
      let mixed = 0;
      await fc.assert(
        fc.asyncProperty(seeds, fc.nat(), factor, async (seed, pick, f) => {
          const b = await base(seed);
          const nP = b.formulation.index.nP;
          const targeted = [...b.plan.targets.keys()].filter((i) => i < nP && b.plan.targets[i]! > 0);
          const p = targeted[pick % targeted.length]!;
          const warm = await expectReplanEqualsScratch(b, {
            kind: 'target',
            product: b.plan.productCodes[p]!,
            period: 1,
            quantity: f * b.plan.targets[p]!,
          });
          // Where the base mixes two choices at the skill's price, answered from them, not by the cold solve
          // that a wrong warm answer is sent to (a stale balance would be caught there, and hidden). A raised
          // target can make the plan infeasible (seed 2, pick 30, ×1.382: "the limited input is short"), which
          // the status check above covers; the path is asked only of an optimal replan.
          if (
            warm.solution.status === 'optimal' &&
            b.first.solution.solverState?.techniqueChoice?.periods[0]?.length === 2
          ) {
            mixed++;
            expect(warm.solution.message).toMatch(/started from the previous plan's choices/);
          }
        }),
        { numRuns: 20 },
      );
      expect(mixed).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT,
  );

  it('after an unused technique becomes cheaper than the one in use (the choice switches)', async () => {
    let switched = 0;
    for (const seed of [1, 2, 3, 4]) {
      const b = await base(seed);
      const { x } = b.first.solution;
      for (let j = 0; j < x.length && switched < 6; j++) {
        if (x[j] !== 0) continue;
        // Its labour nearly gone and its inputs cut by a fifth: cheaper than the technique in use.
        const next = patchFormulation(b.formulation, [
          changeOf(b.plan, j, false, 0, 0.01),
          changeOf(b.plan, j, false, 1, 0.01),
        ])!;
        const warm = await replanByTechniqueChoice(b.first, next, highsSolver, SOLVE);
        const fresh = buildPlanLp(next.plan);
        const scratch = await solveFormulation(fresh, techniqueChoiceSolver(fresh, highsSolver), SOLVE);
        expect(warm.solution.message ?? '').not.toMatch(/still optimal/);
        expect(Math.abs(warm.solution.objective - scratch.solution.objective)).toBeLessThanOrEqual(
          SAME * scratch.solution.objective,
        );
        expectClose(warm.solution.x, scratch.solution.x, 'technique level');
        expectClose(warm.solution.rowDual, scratch.solution.rowDual, 'row dual');
        if (warm.solution.x[j]! > 0) switched++;
      }
    }
    expect(switched).toBeGreaterThan(0);
  });
});

describe('replanning after a change that frees the limited skill', () => {
  // Found by the property above (fast-check seed -421079475): a used technique's skill use cut to a fifth
  // leaves the skill slack. The old pair of choices, priced under the new costs, has lines that cross at a
  // negative price; Kelley followed them there and returned a plan 4.25 dearer (0.3 %) than the optimum.
  it('seed 2: prices the skill at 0 and equals the plan from scratch', async () => {
    const b = await base(2);
    const used = [...b.first.solution.x.keys()].filter((j) => b.first.solution.x[j]! > 0);
    const skillRow = b.formulation.index.skillRow[0]!;
    expect(b.first.solution.rowDual[skillRow]).toBeLessThan(0);
    const warm = await expectReplanEqualsScratch(
      b,
      changeOf(b.plan, used[1892486063 % used.length]!, false, 1, 0.2),
    );
    expect(Math.abs(warm.solution.rowDual[skillRow]!)).toBe(0);
    expect(warm.solution.residual).toBeLessThan(1e-10);
    // From the old choices, not from the cold solve that technique-choice-solver.ts's check falls back to.
    expect(warm.solution.solverState?.techniqueChoice.starts).toEqual(['kept']);
  });
});

describe('replanning after a change to the hub (the technology in use with the largest labour bill)', () => {
  // The change the bench calls the hardest: it moves many values and the skill's price far, so the replan
  // runs several Kelley steps whose choices' permuted matrices are updated from their neighbours'.
  it.each([
    [1, 0.8],
    [2, 0.8],
    [3, 0.5],
    [4, 1.3],
  ])('seed %i, its main labour scaled by %f: equal to the plan from scratch', async (seed, f) => {
    const b = await base(seed, 400);
    const hub = byBill(b)[0]!;
    const warm = await expectReplanEqualsScratch(b, changeOf(b.plan, hub, false, 0, f));
    expect(warm.solution.message ?? '').not.toMatch(/still optimal/);
    // From the kept choices, also after the copy a worker thread makes (plan-solve-task.test.ts does it for real).
    const copied = structuredClone({ formulation: b.first.formulation, solution: b.first.solution });
    const next = patchFormulation(b.formulation, [changeOf(b.plan, hub, false, 0, f)])!;
    const again = await replanByTechniqueChoice(copied, next, highsSolver, SOLVE);
    // The choices are kept and used where the skill binds (its price is positive); else the values alone.
    const binds = b.first.solution.rowDual[b.formulation.index.skillRow[0]!]! !== 0;
    expect(again.solution.solverState?.techniqueChoice.starts).toEqual([binds ? 'kept' : 'none']);
    const obj = warm.solution.objective;
    expect(Math.abs(again.solution.objective - obj)).toBeLessThanOrEqual(SAME * Math.max(1, Math.abs(obj)));
    expectClose(again.solution.x, warm.solution.x, 'technique level after the copy');
  });
});

describe('replanning after a hub change equals planning from scratch, on random economies', () => {
  // The hub's kink moves far, so the replan predicts it (parametric-price.ts) and brackets it by two lines
  // (technique-choice.ts, lineFrom: the old choice's switches at the guessed values, and that choice's), or
  // when those do not bracket, by one evaluation and the line of the choice it switches to.
  it(
    'for small and medium economies and labour cut or raised',
    async () => {
      let predicted = 0;
      let paired = 0;
      await fc.assert(
        fc.asyncProperty(
          seeds,
          fc.constantFrom(40, 400),
          fc.oneof(
            fc.double({ min: 0.3, max: 0.9, noNaN: true }),
            fc.double({ min: 1.1, max: 1.5, noNaN: true }),
          ),
          async (seed, size, f) => {
            const b = await base(seed, size);
            const hub = byBill(b)[0]!;
            const warm = await expectReplanEqualsScratch(b, changeOf(b.plan, hub, false, 0, f));
            const message = warm.solution.message ?? '';
            if (/predicted/.test(message)) predicted++;
            // Both ends of the predicted bracket taken as lines: Kelley's step is then the only evaluation.
            if (/predicted/.test(message) && /^1 technique choices/.test(message)) paired++;
          },
        ),
        // A fixed seed: with a random one, 16 runs reached the predicted path in most CI runs but not in all
        // (it failed once, 30 November 2026), and the expectation below is about coverage, not luck.
        { numRuns: 16, seed: 20261130 },
      );
      // The property reaches the predicted path (and with it the line end) in some of its runs, and the path
      // whose near end is a line too (technique-choice.ts) in some of those.
      expect(predicted).toBeGreaterThan(0);
      expect(paired).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT,
  );
});

describe('replanning after a change to any of the largest labour bills equals planning from scratch', () => {
  // Not only the hub: a cut to the second- or fifth-largest bill at 10⁵ products moved both of the old
  // choices to one side of the skill's limit, or left the predicted price's narrow bracket on one side of the
  // kink (technique-choice.ts); each then took 13 evaluations. Both paths are to be reached here and give the
  // optimum.
  it(
    'for the ten largest bills, labour cut or raised',
    async () => {
      let unbracketed = 0;
      let widened = 0;
      await fc.assert(
        fc.asyncProperty(
          seeds,
          fc.constantFrom(400, 3000),
          fc.integer({ min: 0, max: 9 }),
          fc.oneof(
            fc.double({ min: 0.3, max: 0.9, noNaN: true }),
            fc.double({ min: 1.1, max: 1.5, noNaN: true }),
          ),
          async (seed, size, k, f) => {
            const b = await base(seed, size);
            const warm = await expectReplanEqualsScratch(b, changeOf(b.plan, byBill(b)[k]!, false, 0, f));
            const message = warm.solution.message ?? '';
            if (/to one side of the skill's limit/.test(message)) unbracketed++;
            if (/widened the bracket/.test(message)) widened++;
          },
        ),
        { numRuns: 12, seed: 20261202 },
      );
      expect(unbracketed).toBeGreaterThan(0);
      expect(widened).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT,
  );
});

describe('the exact check that the previous plan still holds', () => {
  it('keeps the plan after an unused technique becomes dearer, and refuses after a used one changes', async () => {
    const b = await base(1);
    const { x } = b.first.solution;
    const unused = [...x.keys()].find((j) => x[j] === 0)!;
    const used = [...x.keys()].find((j) => x[j]! > 0)!;
    const dearer = patchFormulation(b.formulation, [changeOf(b.plan, unused, false, 0, 1.5)])!;
    const kept = stillOptimal(b.first, dearer);
    expect(kept).not.toBeNull();
    expect(kept!.objective).toBe(b.first.solution.objective);
    const cheaperInUse = patchFormulation(b.formulation, [changeOf(b.plan, used, false, 0, 0.9)])!;
    expect(stillOptimal(b.first, cheaperInUse)).toBeNull();
  });

  it('allows the pair to measure up to twice its previous residual in the changed LP, and no more', async () => {
    const b = await base(1);
    const f = b.formulation;
    const s = b.first.solution;
    // A previous pair solved only to about 1e-8 (its residuals, not the floor, set the bound): one product's
    // value raised by 1e-8 of the largest, which leaves its technique's reduced cost that much negative.
    const scale = Math.max(...s.rowDual.map(Math.abs));
    const used = [...s.x.keys()].find((j) => s.x[j]! > 0)!;
    const y = s.rowDual.slice();
    y[f.plan.techProduct[used]!]! += 1e-8 * scale;
    const prev = { formulation: f, solution: solutionOfPair(f.lp, s.x, y, 'solved to 1e-8', 0, 0) };
    const before = prev.solution.residual;
    expect(before).toBeGreaterThan(1e-11);
    // The change: a technique not run becomes cheaper than its product's value by `v`, a violation of its own.
    const unused = [...s.x.keys()].find((j) => j < f.index.nT && s.x[j] === 0)!;
    const reduced = prev.solution.colDual[unused]!;
    expect(reduced).toBeGreaterThan(0);
    const changedBy = (v: number) => {
      const objective = f.lp.objective.slice();
      objective[unused]! -= reduced + v;
      return { ...f, lp: { ...f.lp, objective } };
    };
    const growth = (next: ReturnType<typeof changedBy>) => {
      const r = lpResiduals(next.lp, s.x, y);
      return Math.max(r.primal, r.dual, r.gap) / before;
    };
    /** The violation that makes the pair measure `factor` times its previous residual (growth rises with v). */
    const violationFor = (factor: number) => {
      let lo = 0;
      let hi = 1;
      while (growth(changedBy(hi)) < factor) hi *= 2;
      for (let k = 0; k < 100; k++) {
        const mid = (lo + hi) / 2;
        if (growth(changedBy(mid)) < factor) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    // 1.5 times: within the allowance (a rounding-sized change to a cheaper technique measures like this).
    const within = changedBy(violationFor(1.5));
    expect(growth(within)).toBeGreaterThan(1.4);
    expect(growth(within)).toBeLessThan(1.6);
    expect(stillOptimal(prev, within)).not.toBeNull();
    // 3 times: a violation the change made, beyond it.
    const beyond = changedBy(violationFor(3));
    expect(growth(beyond)).toBeGreaterThan(2.9);
    expect(growth(beyond)).toBeLessThan(3.1);
    expect(stillOptimal(prev, beyond)).toBeNull();
  });
});

describe('the refusal from the changed columns alone', () => {
  it(
    'refuses only where the full check of the pair in the changed plan fails too, and does refuse',
    async () => {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(
          seeds,
          fc.nat(),
          fc.boolean(),
          fc.boolean(),
          fc.nat(3),
          factor,
          async (seed, pick, inUse, input, entry, f) => {
            const b = await base(seed);
            const s = b.first.solution;
            const nT = b.formulation.index.nT;
            const pool = [...s.x.keys()].filter((j) => j < nT && s.x[j]! > 0 === inUse);
            const next = patchFormulation(b.formulation, [
              changeOf(b.plan, pool[pick % pool.length]!, input, entry, f),
            ])!;
            const bound = Math.max(2 * s.residual, 1e-12);
            const full = lpResiduals(next.lp, s.x, s.rowDual);
            if (changedColumnsViolate(b.formulation.lp, next.lp, s.rowDual, bound)) {
              refused++;
              // A lower bound of the dual residual: the full check refuses as well.
              expect(full.dual).toBeGreaterThan(bound);
              expect(stillOptimal(b.first, next)).toBeNull();
            }
            const kept = stillOptimal(b.first, next);
            if (kept !== null) expect(Math.max(full.primal, full.dual, full.gap)).toBeLessThanOrEqual(bound);
          },
        ),
        { numRuns: 40 },
      );
      // A used technique made cheaper or dearer always leaves its own reduced cost nonzero.
      expect(refused).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT,
  );
});

describe("the pair's report, in one pass over the matrix", () => {
  // Two rows, three columns: rows −∞ ≤ x₀ + 2x₁ ≤ 4 and 1 ≤ 3x₁ + x₂ ≤ ∞, columns in [0, ∞), [0, 2], [0, ∞).
  const lpOf = (sense: 'min' | 'max'): LinearProgram => ({
    sense,
    objective: Float64Array.of(1.5, -2, 0.25),
    matrix: {
      rows: 2,
      cols: 3,
      colStart: Int32Array.of(0, 1, 3, 4),
      rowIndex: Int32Array.of(0, 0, 1, 1),
      values: Float64Array.of(1, 2, 3, 1),
    },
    rowLower: Float64Array.of(-Infinity, 1),
    rowUpper: Float64Array.of(4, Infinity),
    colLower: Float64Array.of(0, 0, 0),
    colUpper: Float64Array.of(Infinity, 2, Infinity),
  });

  it.each(['min', 'max'] as const)(
    'gives the activities, reduced costs c − Aᵀy and residuals of a %s LP as computed apart',
    (sense) => {
      const lp = lpOf(sense);
      const x = Float64Array.of(0.5, 1.25, 3);
      const y = Float64Array.of(-0.75, 0.3);
      const s = solutionOfPair(lp, x, y, '', 0, 0);
      expect(Array.from(s.rowActivity!)).toEqual([0.5 + 2 * 1.25, 3 * 1.25 + 3]);
      expect(Array.from(s.colDual!)).toEqual([1.5 - 1 * -0.75, -2 - 2 * -0.75 - 3 * 0.3, 0.25 - 1 * 0.3]);
      expect(s.objective).toBe(1.5 * 0.5 - 2 * 1.25 + 0.25 * 3);
      const r = lpResiduals(lp, x, y);
      expect(s.residual).toBe(Math.max(r.primal, r.dual, r.gap));
    },
  );
});
