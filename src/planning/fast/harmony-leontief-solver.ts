// Harmony plans solved exactly through the Leontief structure (numeric/harmony/harmony-dual.ts) instead of
// the piecewise-linear LP: an LpSolver bound to one plan formulation, like the technique-choice solver, so
// readPlanResult and the infeasibility explanation work unchanged. It answers with a feasible plan, the
// limits' multipliers and a proven upper bound on the true harmony optimum (LpSolution.objectiveBound).
import { luFactor, luSolve, luSolveTransposed } from '../../numeric/leontief/dense-lu';
import type { LuFactors } from '../../numeric/leontief/dense-lu';
import { solveHarmonyDual } from '../../numeric/harmony/harmony-dual';
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from '../../numeric/lp/lp';
import { lpResiduals } from '../../numeric/lp/lp-residuals';
import { pointActivity, solutionWithoutPoint } from '../../numeric/lp/lp-solution';
import type { CompiledPlan } from '../formulation/compiled-plan';
import type { PlanFormulation } from '../formulation/plan-index';
import { choosePolicy } from '../../numeric/technique-choice/policy-iteration';
import { techniquesByProduct } from '../../numeric/technique-choice/technique-set';
import type { TechniqueSet } from '../../numeric/technique-choice/technique-set';

export const HARMONY_LEONTIEF = 'harmony-leontief';

/** Dense LU of I − A is used up to this many products (n³/3 flops once per plan). */
export const HARMONY_LEONTIEF_MAX_PRODUCTS = 2_000;
/** Largest number of limits (skills, resources, capacities) the dual's dense Newton step handles. */
export const HARMONY_LEONTIEF_MAX_LIMITS = 200;

export type HarmonyLeontiefVerdict = { ok: true } | { ok: false; reason: string };

interface LimitRow {
  kind: 'skill' | 'resource' | 'capacity';
  /** Skill, resource or technology index. */
  index: number;
  /** Use per unit of each product's gross output (product space). */
  use: Float64Array;
}

/**
 * Which limits of the plan exist in some period: every limited skill and resource, every capacity; `chosen`
 * marks the technology that makes each product (all of them when there is no choice of technique).
 */
function limitRows(plan: CompiledPlan, chosen: Uint8Array): LimitRow[] {
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const nS = plan.skillCodes.length;
  const nR = plan.resourceCodes.length;
  const P = plan.periods;
  const rows: LimitRow[] = [];
  const finiteIn = (a: Float64Array, count: number, i: number) => {
    for (let t = 0; t < P; t++) if (Number.isFinite(a[t * count + i]!)) return true;
    return false;
  };
  const gather = (m: CompiledPlan['labour'], which: number) => {
    const use = new Float64Array(nP);
    for (let j = 0; j < nT; j++)
      if (chosen[j])
        for (let e = m.start[j]!; e < m.start[j + 1]!; e++)
          if (m.index[e] === which) use[plan.techProduct[j]!]! += m.value[e]!;
    return use;
  };
  for (let s = 0; s < nS; s++)
    if (finiteIn(plan.skillAvailable, nS, s))
      rows.push({ kind: 'skill', index: s, use: gather(plan.labour, s) });
  for (let r = 0; r < nR; r++)
    if (finiteIn(plan.resourceCapacity, nR, r))
      rows.push({ kind: 'resource', index: r, use: gather(plan.resources, r) });
  for (let j = 0; j < nT; j++)
    if (finiteIn(plan.techCapacity, nT, j)) {
      const use = new Float64Array(nP);
      use[plan.techProduct[j]!] = 1;
      rows.push({ kind: 'capacity', index: j, use });
    }
  return rows;
}

/** The skill limited in some period, when exactly one is; else -1. */
function onlyLimitedSkill(plan: CompiledPlan): number {
  const nS = plan.skillCodes.length;
  let found = -1;
  for (let s = 0; s < nS; s++)
    for (let t = 0; t < plan.periods; t++)
      if (Number.isFinite(plan.skillAvailable[t * nS + s]!)) {
        if (found >= 0 && found !== s) return -1;
        found = s;
      }
  return found;
}

function isBijection(plan: CompiledPlan): boolean {
  const nP = plan.productCodes.length;
  if (plan.technologyCodes.length !== nP) return false;
  const made = new Uint8Array(nP);
  for (const p of plan.techProduct) {
    if (made[p]) return false;
    made[p] = 1;
  }
  return true;
}

/**
 * The method is exact for a harmony plan whose periods are independent (no capital stocks), with exactly one
 * technology per product (so net output fixes gross output), non-negative coefficients, a productive
 * input table, positive limits and at most HARMONY_LEONTIEF_MAX_LIMITS of them. With a choice of technique
 * it is exact when one skill is the only limit: by the non-substitution theorem the techniques of least
 * labour value then produce every net output with the least of that skill, so they are the plan's techniques
 * whatever the net output (chosen by policy iteration, as for min-labour plans).
 */
export function harmonyLeontiefApplies(f: PlanFormulation): HarmonyLeontiefVerdict {
  const plan = f.plan;
  const no = (reason: string): HarmonyLeontiefVerdict => ({ ok: false, reason });
  if (plan.objective !== 'harmony') return no(`the objective is ${plan.objective}, not harmony`);
  if (f.index.elastic) return no('the elastic programme is an LP');
  if (plan.stocks.product.length > 0) return no('capital stocks link the periods');
  const nP = plan.productCodes.length;
  if (nP > HARMONY_LEONTIEF_MAX_PRODUCTS) return no(`more than ${HARMONY_LEONTIEF_MAX_PRODUCTS} products`);
  const made = new Uint8Array(nP);
  for (const p of plan.techProduct) made[p] = 1;
  const missing = made.indexOf(0);
  if (missing >= 0) return no(`no technology makes ${plan.productCodes[missing]!}`);
  if (!isBijection(plan)) {
    if (plan.resourceCapacity.some(Number.isFinite))
      return no('a resource is limited and some product has a choice of technique');
    if (plan.techCapacity.some(Number.isFinite))
      return no('a technology has a capacity and some product has a choice of technique');
    if (onlyLimitedSkill(plan) < 0)
      return no('some product has a choice of technique and not exactly one skill is limited');
  }
  if (plan.inputs.value.some((a) => a < 0)) return no('an input coefficient is negative');
  if (plan.labour.value.some((a) => a < 0)) return no('a labour coefficient is negative');
  if (plan.resources.value.some((a) => a < 0)) return no('a resource coefficient is negative');
  if (plan.targets.some((q) => q < 0)) return no('a target is negative');
  if (plan.harmonyWeight?.some((w) => !(w >= 0))) return no('a harmony weight is negative');
  for (const a of [plan.skillAvailable, plan.resourceCapacity, plan.techCapacity])
    if (a.some((v) => !(v > 0))) return no('a limit is zero or negative');
  if (
    limitRows(plan, new Uint8Array(plan.technologyCodes.length).fill(1)).length > HARMONY_LEONTIEF_MAX_LIMITS
  )
    return no(`more than ${HARMONY_LEONTIEF_MAX_LIMITS} limits`);
  return { ok: true };
}

/** I − A in product space: column p is the chosen technology that makes p. */
function leontiefFactors(plan: CompiledPlan, chosen: Uint8Array): LuFactors | null {
  const n = plan.productCodes.length;
  const m = new Float64Array(n * n);
  for (let p = 0; p < n; p++) m[p * n + p] = 1;
  for (let j = 0; j < plan.technologyCodes.length; j++) {
    if (!chosen[j]) continue;
    const col = plan.techProduct[j]!;
    for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
      m[plan.inputs.index[e]! * n + col]! -= plan.inputs.value[e]!;
  }
  const lu = luFactor(m, n);
  return lu.status === 'ok' ? lu.factors : null;
}

/**
 * An LpSolver for `formulation.lp` where `harmonyLeontiefApplies`; any other LP (the elastic programme that
 * explains an infeasible plan, a component) goes to `fallback`.
 */
export function harmonyLeontiefSolver(formulation: PlanFormulation, fallback: LpSolver): LpSolver {
  return {
    name: HARMONY_LEONTIEF,
    async solve(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
      if (lp !== formulation.lp || !harmonyLeontiefApplies(formulation).ok)
        return fallback.solve(lp, options);
      return solveByLeontiefDual(formulation, fallback, options);
    },
  };
}

async function solveByLeontiefDual(
  f: PlanFormulation,
  fallback: LpSolver,
  options: SolveOptions,
): Promise<LpSolution> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const { plan, lp, index: ix } = f;
  const { nP, nT, nS, nR, periods: P } = ix;
  const chosen = chooseTechniques(plan);
  // No technique set of least labour (an unproductive economy): the LP reports what is wrong with it.
  if (chosen === null) return fallback.solve(lp, options);
  const factors = leontiefFactors(plan, chosen);
  // A singular or unproductive table: the LP reports what is wrong with it.
  if (factors === null) return fallback.solve(lp, options);
  const rows = limitRows(plan, chosen);
  // Each limit over net output: v = (I − A)⁻ᵀ·use, non-negative for a productive table.
  const v = rows.map((r) => luSolveTransposed(factors, r.use));
  if (v.some((row) => row.some((a) => a < -1e-12 * Math.max(1, ...row.map(Math.abs)))))
    return fallback.solve(lp, options); // not productive: (I − A)⁻¹ has a negative entry
  for (const row of v) for (let k = 0; k < row.length; k++) row[k] = Math.max(0, row[k]!);
  const boundOf = (r: LimitRow, t: number) =>
    r.kind === 'skill'
      ? plan.skillAvailable[t * nS + r.index]!
      : r.kind === 'resource'
        ? plan.resourceCapacity[t * nR + r.index]!
        : plan.techCapacity[t * nT + r.index]!;
  const tolerance = Math.min(options.tolerance ?? 1e-10, 1e-8);
  const weight = Float64Array.from({ length: nP }, (_, p) => plan.harmonyWeight?.[p] ?? 1);
  const x = new Float64Array(lp.matrix.cols);
  const rowDual = new Float64Array(lp.matrix.rows);
  const capacityPrice = new Float64Array(nT * P);
  let bound = 0;
  let iterations = 0;
  let worstGap = 0;
  // Multipliers by limit row, carried from one period to the next (targets and limits change slowly).
  const carried = new Float64Array(rows.length);
  for (let t = 0; t < P; t++) {
    if (options.signal?.aborted)
      return solutionWithoutPoint(lp, 'cancelled', 'cancelled', HARMONY_LEONTIEF, seconds(), iterations);
    const active = rows.flatMap((r, k) => (Number.isFinite(boundOf(r, t)) ? [k] : []));
    const limits = new Float64Array(active.length * nP);
    active.forEach((k, a) => limits.set(v[k]!, a * nP));
    const r = solveHarmonyDual(
      {
        target: plan.targets.slice(t * nP, (t + 1) * nP),
        weight,
        maxSurplus: plan.harmonyMaxSurplus,
        limits,
        bound: Float64Array.from(active, (k) => boundOf(rows[k]!, t)),
      },
      { tolerance, start: Float64Array.from(active, (k) => carried[k]!) },
    );
    iterations += r.iterations;
    bound += r.dual;
    worstGap = Math.max(worstGap, r.gap / Math.max(1, Math.abs(r.primal)));
    active.forEach((k, a) => (carried[k] = r.mu[a]!));
    // Gross output from net output; clamp the round-off of the solve at zero.
    const gross = luSolve(factors, r.y);
    for (let j = 0; j < nT; j++) if (chosen[j]) x[t * nT + j] = Math.max(0, gross[plan.techProduct[j]!]!);
    for (let p = 0; p < nP; p++) rowDual[t * nP + p] = -r.price[p]!;
    active.forEach((k, a) => {
      const row = rows[k]!;
      const mu = r.mu[a]!;
      if (row.kind === 'skill') rowDual[ix.skillRow[t * nS + row.index]!] = mu;
      else if (row.kind === 'resource') rowDual[ix.resourceRow[t * nR + row.index]!] = mu;
      else capacityPrice[t * nT + row.index] = mu;
    });
    fillSegments(f, t, r.y, x);
    options.onProgress?.({
      fraction: (t + 1) / P,
      iteration: iterations,
      message: `period ${t + 1}: harmony gap ${r.gap.toExponential(2)}`,
    });
    // Long plans: let an abort or another request in between periods.
    if (seconds() > 0.05 * (t + 1)) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  const { objective, rowActivity, colDual } = pointActivity(lp, x, rowDual);
  // A capacity is a column bound: its price is the reduced cost there.
  for (let i = 0; i < nT * P; i++) if (capacityPrice[i]! > 0) colDual[i] = capacityPrice[i]!;
  const res = lpResiduals(lp, x, rowDual);
  return {
    status: 'optimal',
    message: `exact harmony by the Leontief dual: largest relative gap of a period ${worstGap.toExponential(1)}`,
    objective,
    objectiveBound: bound,
    x,
    rowDual,
    colDual,
    rowActivity,
    iterations,
    residual: Math.max(res.primal, worstGap),
    seconds: seconds(),
    solver: HARMONY_LEONTIEF,
  };
}

/**
 * One technology per product: all of them without a choice; else the techniques of least value in the one
 * limited skill (policy iteration); null if the economy has no such set (not productive).
 */
function chooseTechniques(plan: CompiledPlan): Uint8Array | null {
  const nT = plan.technologyCodes.length;
  const chosen = new Uint8Array(nT);
  if (isBijection(plan)) return chosen.fill(1);
  const skill = onlyLimitedSkill(plan);
  const cost = new Float64Array(nT);
  for (let j = 0; j < nT; j++)
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      if (plan.labour.index[e] === skill) cost[j]! += plan.labour.value[e]!;
  const set: TechniqueSet = {
    products: plan.productCodes.length,
    techProduct: plan.techProduct,
    inputs: plan.inputs,
  };
  const policy = choosePolicy(set, techniquesByProduct(set), cost);
  if (policy.status !== 'optimal') return null;
  for (const j of policy.policy) chosen[j] = 1;
  return chosen;
}

/** The harmony segment columns of period t filled in order up to each target's net output y. */
function fillSegments(f: PlanFormulation, t: number, y: Float64Array, x: Float64Array): void {
  const { index: ix, pieces, plan } = f;
  if (pieces === null) return;
  const nP = ix.nP;
  const targets = ix.harmonyTarget;
  // harmonyTarget is sorted by product-period; find this period's stretch.
  for (let q = 0; q < targets.length; q++) {
    const i = targets[q]!;
    if (i < t * nP || i >= (t + 1) * nP) continue;
    const target = plan.targets[i]!;
    let left = Math.max(0, y[i - t * nP]!);
    for (let k = 0; k < ix.segmentsPerTarget; k++) {
      const width = (pieces.points[k + 1]! - pieces.points[k]!) * target;
      const fill = Math.min(width, left);
      x[ix.segmentStart + q * ix.segmentsPerTarget + k] = fill;
      left -= fill;
    }
  }
}
