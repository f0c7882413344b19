// What-if scenarios: changes to targets, coefficients and limits, applied to a PlanSpec (pure, copy-on-write).
import { DomainError } from '../../core/errors';
import type { FieldIssue } from '../../core/errors';
import type { Technology } from '../../economy/economy';
import type { PlanSpec } from './plan-spec';

export type ScenarioChange =
  | { kind: 'target'; product: string; period: number; quantity: number }
  /** Sets one coefficient of a technology: exactly one of input (product), skill or resource. */
  | {
      kind: 'coefficient';
      technology: string;
      input?: string;
      skill?: string;
      resource?: string;
      perUnit: number;
    }
  | { kind: 'technology-capacity'; technology: string; period?: number; capacity: number }
  | { kind: 'skill-available'; skill: string; period?: number; available: number }
  | { kind: 'resource-capacity'; resource: string; period?: number; capacity: number };

/** Words for a change, for scenario lists and logs. */
export function describeChange(c: ScenarioChange): string {
  const when = (p?: number) => (p === undefined ? 'in every period' : `in period ${p}`);
  switch (c.kind) {
    case 'target':
      return `target for '${c.product}' in period ${c.period} set to ${c.quantity}`;
    case 'coefficient':
      return `technology '${c.technology}' uses ${c.perUnit} of ${c.input ?? c.skill ?? c.resource} per unit`;
    case 'technology-capacity':
      return `capacity of technology '${c.technology}' set to ${c.capacity} ${when(c.period)}`;
    case 'skill-available':
      return `skill '${c.skill}' available set to ${c.available} ${when(c.period)}`;
    case 'resource-capacity':
      return `resource '${c.resource}' capacity set to ${c.capacity} ${when(c.period)}`;
  }
}

function setCoefficient(t: Technology, c: Extract<ScenarioChange, { kind: 'coefficient' }>): Technology {
  if (c.input !== undefined) {
    const rest = t.inputs.filter((x) => x.product !== c.input);
    return { ...t, inputs: c.perUnit === 0 ? rest : [...rest, { product: c.input, perUnit: c.perUnit }] };
  }
  if (c.skill !== undefined) {
    const rest = t.labour.filter((x) => x.skill !== c.skill);
    return { ...t, labour: c.perUnit === 0 ? rest : [...rest, { skill: c.skill, perUnit: c.perUnit }] };
  }
  const rest = t.resources.filter((x) => x.resource !== c.resource);
  return {
    ...t,
    resources: c.perUnit === 0 ? rest : [...rest, { resource: c.resource!, perUnit: c.perUnit }],
  };
}

/** Checks that every change names what exists and sets a non-negative number. */
export function checkChanges(spec: PlanSpec, changes: ScenarioChange[]): void {
  const e = spec.economy;
  const has = (list: { code: string }[], code: string | undefined) =>
    code !== undefined && list.some((x) => x.code === code);
  const issues: FieldIssue[] = [];
  changes.forEach((c, i) => {
    const field = `changes[${i}]`;
    const value =
      c.kind === 'target'
        ? c.quantity
        : c.kind === 'coefficient'
          ? c.perUnit
          : c.kind === 'skill-available'
            ? c.available
            : c.capacity;
    if (!(Number.isFinite(value) && value >= 0))
      issues.push({ field, message: `must set a non-negative number, got ${value}` });
    const period = c.kind === 'coefficient' ? undefined : c.period;
    if (period !== undefined && !(Number.isInteger(period) && period >= 1 && period <= spec.periods))
      issues.push({ field, message: `period ${period} is outside 1..${spec.periods}` });
    const missing = (what: string, code: string | undefined) =>
      issues.push({ field, message: `${what} "${code ?? ''}" is not in the economy` });
    if (c.kind === 'target' && !has(e.products, c.product)) missing('product', c.product);
    if ((c.kind === 'coefficient' || c.kind === 'technology-capacity') && !has(e.technologies, c.technology))
      missing('technology', c.technology);
    if (c.kind === 'skill-available' && !has(e.skills, c.skill)) missing('skill', c.skill);
    if (c.kind === 'resource-capacity' && !has(e.resources, c.resource)) missing('resource', c.resource);
    if (c.kind === 'coefficient') {
      const named = [c.input, c.skill, c.resource].filter((x) => x !== undefined).length;
      if (named !== 1) issues.push({ field, message: 'name exactly one of input, skill or resource' });
      else if (c.input !== undefined && !has(e.products, c.input)) missing('product', c.input);
      else if (c.skill !== undefined && !has(e.skills, c.skill)) missing('skill', c.skill);
      else if (c.resource !== undefined && !has(e.resources, c.resource)) missing('resource', c.resource);
    }
  });
  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `scenario has ${issues.length} bad change(s): ${issues[0]!.field}: ${issues[0]!.message}`,
      {
        issues,
        fix: 'name existing products, technologies, skills and resources, and periods within the plan',
      },
    );
  }
}

/** The specification with the changes applied in order; the input is left untouched. */
export function applyScenario(spec: PlanSpec, changes: ScenarioChange[]): PlanSpec {
  checkChanges(spec, changes);
  let economy = spec.economy;
  const skillsAvailable = [...(spec.skillsAvailable ?? [])];
  const resourceCapacities = [...(spec.resourceCapacities ?? [])];
  const technologyCapacities = [...(spec.technologyCapacities ?? [])];
  for (const c of changes) {
    switch (c.kind) {
      case 'target': {
        const rest = economy.targets.filter((d) => !(d.product === c.product && d.period === c.period));
        economy = {
          ...economy,
          targets: [...rest, { product: c.product, period: c.period, quantity: c.quantity }],
        };
        break;
      }
      case 'coefficient':
        economy = {
          ...economy,
          technologies: economy.technologies.map((t) => (t.code === c.technology ? setCoefficient(t, c) : t)),
        };
        break;
      case 'technology-capacity':
        technologyCapacities.push({
          technology: c.technology,
          capacity: c.capacity,
          ...(c.period === undefined ? {} : { period: c.period }),
        });
        break;
      case 'skill-available':
        skillsAvailable.push({
          skill: c.skill,
          available: c.available,
          ...(c.period === undefined ? {} : { period: c.period }),
        });
        break;
      case 'resource-capacity':
        resourceCapacities.push({
          resource: c.resource,
          capacity: c.capacity,
          ...(c.period === undefined ? {} : { period: c.period }),
        });
        break;
    }
  }
  return { ...spec, economy, skillsAvailable, resourceCapacities, technologyCapacities };
}
