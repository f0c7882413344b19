// Validation whose cost a hostile input cannot blow up. Zod reports every bad item of an array: 200,001 bad
// items in one field took 2.5 s in zod, 1.8 s more to turn its issues into field paths and a 23 MB message,
// and the whole request (a 55 MB problem document) 4–40 s of the event loop, while every other request
// waited. Two bounds keep a refusal cheap: the issues reported are capped, and an input with a long array is
// first checked on its arrays' first items, so that items that are wrong in themselves are refused without
// zod walking the rest.
import type { z } from 'zod';
import { fieldPath } from './field-path';
import type { FieldIssue } from './errors';

/** Issues reported at most (the input guard's cap too); the message says how many there were. */
export const MAX_REPORTED_ISSUES = 20;

/** Arrays longer than this are checked on their first this-many items before the whole input is. */
export const PREFIX_ITEMS = 1000;

export type BoundedParse<T> =
  { success: true; data: T } | { success: false; issues: FieldIssue[]; total: number; partial: boolean };

interface Truncated {
  value: unknown;
  /** Paths (as fieldPath text) of the arrays that were cut short. */
  cut: Set<string>;
}

/** A copy of a JSON value with every array cut to its first PREFIX_ITEMS items, or null when none is longer. */
function truncateArrays(input: unknown): Truncated | null {
  const cut = new Set<string>();
  const walk = (v: unknown, path: PropertyKey[]): unknown => {
    if (Array.isArray(v)) {
      const keep = v.length > PREFIX_ITEMS ? v.slice(0, PREFIX_ITEMS) : v;
      if (keep !== v) cut.add(fieldPath(path));
      let copy: unknown[] | null = null;
      for (let i = 0; i < keep.length; i++) {
        const item: unknown = keep[i];
        if (item === null || typeof item !== 'object') continue;
        const next = walk(item, [...path, i]);
        if (next !== item) (copy ??= keep.slice())[i] = next;
      }
      return copy ?? keep;
    }
    if (v !== null && typeof v === 'object') {
      let copy: Record<string, unknown> | null = null;
      for (const [k, item] of Object.entries(v)) {
        if (item === null || typeof item !== 'object') continue;
        const next = walk(item, [...path, k]);
        if (next !== item) (copy ??= { ...(v as Record<string, unknown>) })[k] = next;
      }
      return copy ?? v;
    }
    return v;
  };
  const value = walk(input, []);
  return cut.size === 0 ? null : { value, cut };
}

/**
 * Whether an issue lies inside an item of a cut array and says nothing of the array's length or of other
 * items: zod's own checks of an item ('invalid_type', 'too_big', …) look at that item alone, so the whole
 * input fails on it too. Issues from refinements ('custom') may compare items with the rest of the input
 * (a product named in a technology must be in the product list), which the cut changed; they are left to the
 * whole input's check.
 */
function itemIssueOfCutArray(issue: z.core.$ZodIssue, cut: Set<string>): boolean {
  if (issue.code === 'custom') return false;
  for (let i = 0; i < issue.path.length; i++) {
    if (typeof issue.path[i] !== 'number') continue;
    if (cut.has(fieldPath(issue.path.slice(0, i)))) return true;
  }
  return false;
}

function report(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): FieldIssue[] {
  return issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    field: fieldPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/** Parses `raw` with `schema`, reporting at most MAX_REPORTED_ISSUES issues, whatever the input's size. */
export function boundedParse<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  prefix: readonly PropertyKey[] = [],
): BoundedParse<z.output<T>> {
  const truncated = truncateArrays(raw);
  if (truncated) {
    const first = schema.safeParse(truncated.value);
    if (!first.success) {
      const items = first.error.issues.filter((i) => itemIssueOfCutArray(i, truncated.cut));
      if (items.length > 0)
        return { success: false, issues: report(items, prefix), total: items.length, partial: true };
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { success: true, data: parsed.data };
  const all = parsed.error.issues;
  return { success: false, issues: report(all, prefix), total: all.length, partial: false };
}

/** The one-line summary of a failed bounded parse, with how many issues there were beyond those listed. */
export function summarise(result: { issues: FieldIssue[]; total: number; partial: boolean }): string {
  const listed = result.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  if (result.partial) return `${listed} (checked on the first ${PREFIX_ITEMS} items of the longest arrays)`;
  if (result.total > result.issues.length)
    return `${listed}; and ${result.total - result.issues.length} more`;
  return listed;
}
