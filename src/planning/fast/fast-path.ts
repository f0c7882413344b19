// When a plan can be solved exactly by technique choice instead of an LP, and when not (with the reason).
import type { CompiledPlan } from '../formulation/compiled-plan';

export type FastPathVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The technique-choice solver is exact for a minimum-labour plan whose periods are independent (no capital
 * stocks), with no technology capacities or resource limits, at most one limited skill per period,
 * non-negative targets, inputs, labour and weights, and a technique for every product.
 */
export function fastPathApplies(plan: CompiledPlan): FastPathVerdict {
  const no = (reason: string): FastPathVerdict => ({ ok: false, reason });
  if (plan.objective !== 'min-labour') return no(`the objective is ${plan.objective}, not min-labour`);
  if (plan.stocks.product.length > 0) return no('capital stocks link the periods');
  // Plain loops, not .some with a callback: a replan at 10⁵ products asks twice, over 10⁶ coefficients.
  if (anyOf(plan.techCapacity, Number.isFinite)) return no('a technology has a capacity');
  if (anyOf(plan.resourceCapacity, Number.isFinite)) return no('a resource is limited');
  const nS = plan.skillCodes.length;
  for (let t = 0; t < plan.periods; t++) {
    let limited = 0;
    for (let s = 0; s < nS; s++) if (Number.isFinite(plan.skillAvailable[t * nS + s]!)) limited++;
    if (limited > 1) return no(`${limited} skills are limited in period ${t + 1} (at most one can be)`);
  }
  if (anyNegative(plan.targets)) return no('a target is negative');
  if (anyNegative(plan.inputs.value)) return no('an input coefficient is negative');
  if (anyNegative(plan.labour.value)) return no('a labour coefficient is negative');
  if (anyNegative(plan.labourWeight)) return no('a labour weight is negative');
  const made = new Uint8Array(plan.productCodes.length);
  for (const p of plan.techProduct) made[p] = 1;
  const missing = made.indexOf(0);
  if (missing >= 0) return no(`no technology makes ${plan.productCodes[missing]!}`);
  return { ok: true };
}

function anyNegative(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i]! < 0) return true;
  return false;
}

function anyOf(a: ArrayLike<number>, test: (v: number) => boolean): boolean {
  for (let i = 0; i < a.length; i++) if (test(a[i]!)) return true;
  return false;
}
