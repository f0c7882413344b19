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
  if (plan.techCapacity.some(Number.isFinite)) return no('a technology has a capacity');
  if (plan.resourceCapacity.some(Number.isFinite)) return no('a resource is limited');
  const nS = plan.skillCodes.length;
  for (let t = 0; t < plan.periods; t++) {
    let limited = 0;
    for (let s = 0; s < nS; s++) if (Number.isFinite(plan.skillAvailable[t * nS + s]!)) limited++;
    if (limited > 1) return no(`${limited} skills are limited in period ${t + 1} (at most one can be)`);
  }
  if (plan.targets.some((q) => q < 0)) return no('a target is negative');
  if (plan.inputs.value.some((a) => a < 0)) return no('an input coefficient is negative');
  if (plan.labour.value.some((l) => l < 0)) return no('a labour coefficient is negative');
  if (plan.labourWeight.some((w) => w < 0)) return no('a labour weight is negative');
  const made = new Uint8Array(plan.productCodes.length);
  for (const p of plan.techProduct) made[p] = 1;
  const missing = made.indexOf(0);
  if (missing >= 0) return no(`no technology makes ${plan.productCodes[missing]!}`);
  return { ok: true };
}
