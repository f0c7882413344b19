// Validation whose cost a hostile input cannot blow up. Zod builds an issue for every bad value, at 1–6 µs
// each: 200,001 bad items in one field took 2.5 s in zod, 1.8 s more to turn its issues into field paths and
// a 23 MB message, and the whole request (a 55 MB problem document) 4–40 s of the event loop, while every
// other request waited. Input is checked before access, so anyone could do it. Two bounds keep a refusal
// cheap:
// - the issues reported are capped (MAX_REPORTED_ISSUES);
// - a large input is first checked item by item: the schema is followed through its objects and arrays, and
//   the items of each array are parsed in slices of about SLICE_NODES values, stopping once enough issues are
//   found. So a refusal costs at most one slice's issues beyond the cap, wherever the bad items lie (after a
//   good first thousand, or nested 1000 × 1000, where cutting long arrays short had not helped).
// Only then is the whole input parsed, for what the item-by-item pass cannot see: checks of an array's length,
// refinements that compare an item with the rest of the input, unknown keys, and the parsed output itself.
import { z } from 'zod';
import { fieldPath } from './field-path';
import type { FieldIssue } from './errors';

/** Issues reported at most (the input guard's cap too); the message says how many there were. */
export const MAX_REPORTED_ISSUES = 20;

/** Inputs of at most this many values (objects, arrays and scalars) are parsed whole at once. */
export const SMALL_INPUT_NODES = 10_000;

/** The item-by-item pass parses an array's items in slices of about this many values. */
export const SLICE_NODES = 1000;

export type BoundedParse<T> =
  { success: true; data: T } | { success: false; issues: FieldIssue[]; total: number; partial: boolean };

type Issue = z.core.$ZodIssue;

/** Whether `value` holds more than `limit` values, counted without recursion and stopping past the limit. */
function countNodes(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop();
    count++;
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v !== null && typeof v === 'object') for (const item of Object.values(v)) stack.push(item);
  }
  return count;
}

/**
 * The schema under the wrappers that only let `undefined` or `null` through, or null when the value is one
 * of those and the wrapper accepts it (nothing to check inside).
 */
function inner(schema: z.ZodType, value: unknown): z.ZodType | null {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) {
      if (value === undefined) return null;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodNullable) {
      if (value === null) return null;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodReadonly) {
      s = s.unwrap() as z.ZodType;
    } else return s;
  }
}

/** Whether the pass looks inside values of this schema (an object or array holding an array somewhere). */
const holdsArrays = new WeakMap<z.ZodType, boolean>();
function descends(schema: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  const known = holdsArrays.get(schema);
  if (known !== undefined) return known;
  if (seen.has(schema)) return false;
  seen.add(schema);
  let s = schema;
  while (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodReadonly
  ) {
    s = s.unwrap() as z.ZodType;
  }
  const result =
    s instanceof z.ZodArray ||
    (s instanceof z.ZodObject &&
      Object.values(s.shape as Record<string, z.ZodType>).some((f) => descends(f, seen)));
  holdsArrays.set(schema, result);
  return result;
}

/** The schema of a slice of an array's items, made once per item schema. */
const sliceSchemas = new WeakMap<z.ZodType, z.ZodType>();
function sliceSchema(element: z.ZodType): z.ZodType {
  let s = sliceSchemas.get(element);
  if (!s) {
    s = z.array(element);
    sliceSchemas.set(element, s);
  }
  return s;
}

/**
 * Checks `value` against `schema` piece by piece, pushing zod's own issues (with full paths) into `out` until
 * it holds MAX_REPORTED_ISSUES. Each piece is checked by zod exactly as the whole parse checks it (an item's
 * schema sees only that item), so every issue found here is one the whole parse reports too.
 */
function checkPieces(schema: z.ZodType, value: unknown, path: PropertyKey[], out: Issue[]): void {
  const s = inner(schema, value);
  if (s === null) return;
  const push = (issues: readonly Issue[], at: PropertyKey[], offset = 0): void => {
    for (const issue of issues) {
      const [first, ...rest] = issue.path;
      const shifted = offset !== 0 && typeof first === 'number' ? [first + offset, ...rest] : issue.path;
      out.push({ ...issue, path: [...at, ...shifted] });
    }
  };
  if (s instanceof z.ZodObject && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      if (out.length >= MAX_REPORTED_ISSUES) return;
      const v = Object.hasOwn(record, key) ? record[key] : undefined;
      if (descends(field)) checkPieces(field, v, [...path, key], out);
      else {
        const r = field.safeParse(v);
        if (!r.success) push(r.error.issues, [...path, key]);
      }
    }
    return;
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const element = s.element as z.ZodType;
    const items: unknown[] = value;
    // Items are parsed in slices of about SLICE_NODES values. An item larger than that alone, whose schema
    // the pass can look inside (an object or array holding arrays), is checked piece by piece on its own:
    // so no zod call meets more than about SLICE_NODES bad values, and small items (most) cost one zod call
    // per slice, not one per field.
    const deep = descends(element);
    const slice = sliceSchema(element);
    let start = 0;
    while (start < items.length && out.length < MAX_REPORTED_ISSUES) {
      if (deep && countNodes(items[start], SLICE_NODES) > SLICE_NODES) {
        checkPieces(element, items[start], [...path, start], out);
        start++;
        continue;
      }
      let end = start;
      let nodes = 0;
      while (end < items.length && (end === start || nodes < SLICE_NODES)) {
        const size = countNodes(items[end], SLICE_NODES);
        if (deep && end > start && size > SLICE_NODES) break;
        nodes += size;
        end++;
      }
      const r = slice.safeParse(items.slice(start, end));
      if (!r.success) push(r.error.issues, path, start);
      start = end;
    }
    return;
  }
  // Anything else (a scalar, a union, a transform, or a value of the wrong type) is checked whole.
  const r = s.safeParse(value);
  if (!r.success) push(r.error.issues, path);
}

function report(issues: readonly Issue[], prefix: readonly PropertyKey[]): FieldIssue[] {
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
  if (countNodes(raw, SMALL_INPUT_NODES) > SMALL_INPUT_NODES) {
    const found: Issue[] = [];
    checkPieces(schema, raw, [], found);
    if (found.length > 0)
      return { success: false, issues: report(found, prefix), total: found.length, partial: true };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { success: true, data: parsed.data };
  const all = parsed.error.issues;
  return { success: false, issues: report(all, prefix), total: all.length, partial: false };
}

/** The one-line summary of a failed bounded parse, with how many issues there were beyond those listed. */
export function summarise(result: { issues: FieldIssue[]; total: number; partial: boolean }): string {
  const listed = result.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  if (result.partial)
    return `${listed} (a large input is checked item by item, stopping at the first problems)`;
  if (result.total > result.issues.length)
    return `${listed}; and ${result.total - result.issues.length} more`;
  return listed;
}
