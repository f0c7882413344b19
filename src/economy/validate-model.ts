// Checks an EconomyModel's values and referential integrity, listing every problem with its path.
import { DomainError } from '../core/errors';
import type { FieldIssue } from '../core/errors';
import { MAX_PERIOD, type EconomyModel } from './economy';

/** Every integrity problem of the model; empty when the model is sound. */
export function modelIssues(model: EconomyModel): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string): void => {
    issues.push({ field, message });
  };
  const finiteAtLeastZero = (field: string, v: number): void => {
    if (!Number.isFinite(v) || v < 0) add(field, `must be a finite number ≥ 0 (got ${v})`);
  };
  const codesOf = (list: { code: string }[], name: string): Set<string> => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (item.code === '') add(`${name}[${i}].code`, 'must not be empty');
      else if (seen.has(item.code)) add(`${name}[${i}].code`, `duplicate code "${item.code}"`);
      seen.add(item.code);
    });
    return seen;
  };

  const products = codesOf(model.products, 'products');
  const skills = codesOf(model.skills, 'skills');
  const resources = codesOf(model.resources, 'resources');
  codesOf(model.technologies, 'technologies');

  model.skills.forEach((s, i) => {
    if (s.available != null) finiteAtLeastZero(`skills[${i}].available`, s.available);
  });
  model.resources.forEach((r, i) => finiteAtLeastZero(`resources[${i}].capacity`, r.capacity));

  model.technologies.forEach((t, ti) => {
    const at = `technologies[${ti}]`;
    if (!products.has(t.product)) add(`${at}.product`, `unknown product "${t.product}"`);
    if (!Number.isFinite(t.outputPerRun) || t.outputPerRun <= 0) {
      add(`${at}.outputPerRun`, `must be a finite number > 0 (got ${t.outputPerRun})`);
    }
    if (t.capacity != null) finiteAtLeastZero(`${at}.capacity`, t.capacity);
    if (t.valueAddedPerUnit != null && !Number.isFinite(t.valueAddedPerUnit)) {
      add(`${at}.valueAddedPerUnit`, `must be a finite number (got ${t.valueAddedPerUnit})`);
    }
    t.inputs.forEach((c, ci) => {
      if (!products.has(c.product)) add(`${at}.inputs[${ci}].product`, `unknown product "${c.product}"`);
      finiteAtLeastZero(`${at}.inputs[${ci}].perUnit`, c.perUnit);
    });
    t.labour.forEach((c, ci) => {
      if (!skills.has(c.skill)) add(`${at}.labour[${ci}].skill`, `unknown skill "${c.skill}"`);
      finiteAtLeastZero(`${at}.labour[${ci}].perUnit`, c.perUnit);
    });
    t.resources.forEach((c, ci) => {
      if (!resources.has(c.resource))
        add(`${at}.resources[${ci}].resource`, `unknown resource "${c.resource}"`);
      finiteAtLeastZero(`${at}.resources[${ci}].perUnit`, c.perUnit);
    });
  });

  model.targets.forEach((d, i) => {
    if (!products.has(d.product)) add(`targets[${i}].product`, `unknown product "${d.product}"`);
    if (!Number.isInteger(d.period) || d.period < 1) {
      add(`targets[${i}].period`, `must be a whole number ≥ 1 (got ${d.period})`);
    } else if (d.period > MAX_PERIOD) {
      // The planner plans at most MAX_PERIOD periods: a target beyond them could never be planned.
      add(`targets[${i}].period`, `must be at most ${MAX_PERIOD}, the planner's horizon (got ${d.period})`);
    }
    if (!Number.isFinite(d.quantity))
      add(`targets[${i}].quantity`, `must be a finite number (got ${d.quantity})`);
  });
  return issues;
}

/** Throws a DomainError('invalid') listing every integrity problem of the model. */
export function validateModel(model: EconomyModel): void {
  const issues = modelIssues(model);
  if (issues.length === 0) return;
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new DomainError(
    'invalid',
    `economy model is inconsistent: ${first?.field}: ${first?.message}${more}`,
    {
      issues,
      fix: 'correct each listed field: every code must be unique and every reference must name an existing product, skill or resource',
    },
  );
}
