// The one input guard, run at every edge before any schema, handler or serialiser sees a value: it refuses
// what PostgreSQL cannot store (NUL, lone UTF-16 surrogates), numbers no computation can use, and shapes
// that would exhaust the stack or the memory of a recursive step (validation, JSON.stringify, jsonb).
// It walks the value with an explicit stack, so a value nested a million deep cannot overflow it.
import { DomainError, type FieldIssue } from './errors';
import { fieldPath } from './field-path';

/** The limits every input obeys, whatever the operation; operations state tighter ones in their schemas. */
export const INPUT_LIMITS = {
  /** Objects and arrays nested deeper than this are refused (no input of OGAS needs more than 10). */
  maxDepth: 64,
  /** Items of one array (a 2000×2000 matrix is 2000 arrays of 2000). */
  maxArrayItems: 1_000_000,
  /** Characters of one string: uploaded files arrive as one string; the HTTP body limit is 64 MB. */
  maxStringLength: 64 * 1024 * 1024,
  /** Keys of one object. */
  maxObjectKeys: 100_000,
  /** Characters of one object key. */
  maxKeyLength: 1000,
  /** Numbers larger in magnitude than this are refused: sums and products of them overflow to Infinity. */
  maxMagnitude: 1e300,
  /** Problems reported at most; the walk stops after this many. */
  maxIssues: 20,
} as const;

export type InputLimits = { readonly [K in keyof typeof INPUT_LIMITS]: number };

// Node 20 has both (ES2024); the project's TypeScript lib is ES2023.
declare global {
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why PostgreSQL cannot store this text, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which text fields cannot hold';
  if (!s.isWellFormed()) {
    return 'contains a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF), which is not valid Unicode';
  }
  return null;
}

/** Why this number cannot be used, or null when it can. */
export function numberProblem(n: number, limits: InputLimits = INPUT_LIMITS): string | null {
  if (!Number.isFinite(n)) return `is ${String(n)}; give a finite number`;
  if (Math.abs(n) > limits.maxMagnitude) {
    return `is ${n}, beyond the limit of ±${limits.maxMagnitude}; give a smaller number`;
  }
  return null;
}

export interface GuardOptions {
  /** Check only the shape (depth, sizes, keys), not the text and numbers in it (JSON body parser). */
  shapeOnly?: boolean;
  /**
   * Top-level fields whose items the operation judges one by one (readings: a bad one is quarantined, the
   * rest stored). Text and numbers inside their items are not refused here; their shape still is.
   */
  judgedByItem?: readonly string[];
  /** Path prefix of the value (e.g. the query parameter it came from). */
  prefix?: readonly PropertyKey[];
  limits?: InputLimits;
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: PropertyKey;
  /** Text and numbers inside are judged by the operation. */
  lenient: boolean;
}

function pathOf(frame: Frame | null, last?: PropertyKey): PropertyKey[] {
  const out: PropertyKey[] = [];
  if (last !== undefined) out.push(last);
  for (let f = frame; f !== null; f = f.parent) if (f.parent !== null || f.key !== '') out.push(f.key);
  return out.reverse();
}

/** Every problem of a value, at most `maxIssues`; empty when the value may pass. */
export function inputIssues(value: unknown, options: GuardOptions = {}): FieldIssue[] {
  const limits = options.limits ?? INPUT_LIMITS;
  const prefix = options.prefix ?? [];
  const judged = new Set(options.judgedByItem ?? []);
  const issues: FieldIssue[] = [];
  const add = (frame: Frame | null, key: PropertyKey | undefined, message: string) => {
    issues.push({ field: fieldPath([...prefix, ...pathOf(frame, key)]), message });
  };
  const leaf = (v: unknown, frame: Frame | null, key: PropertyKey | undefined, lenient: boolean) => {
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) {
        add(frame, key, `is ${v.length} characters long, beyond the limit of ${limits.maxStringLength}`);
      } else if (!lenient && !options.shapeOnly) {
        const p = textProblem(v);
        if (p !== null) add(frame, key, p);
      }
    } else if (typeof v === 'number') {
      if (!lenient && !options.shapeOnly) {
        const p = numberProblem(v, limits);
        if (p !== null) add(frame, key, p);
      }
    } else if (typeof v === 'bigint') {
      if (!lenient && !options.shapeOnly) add(frame, key, 'is a big integer; give a number');
    }
  };
  const stack: Frame[] = [];
  if (typeof value === 'object' && value !== null) {
    stack.push({ value, depth: 1, parent: null, key: '', lenient: false });
  } else {
    leaf(value, null, undefined, false);
  }
  while (stack.length > 0 && issues.length < limits.maxIssues) {
    const frame = stack.pop() as Frame;
    if (frame.depth > limits.maxDepth) {
      add(frame, undefined, `is nested deeper than ${limits.maxDepth} levels`);
      continue;
    }
    const visit = (key: PropertyKey, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        const lenient =
          frame.lenient ||
          (frame.parent !== null && frame.parent.parent === null && judged.has(String(frame.key)));
        stack.push({ value: v, depth: frame.depth + 1, parent: frame, key, lenient });
      } else {
        leaf(v, frame, key, frame.lenient);
      }
    };
    if (Array.isArray(frame.value)) {
      const items = frame.value as unknown[];
      if (items.length > limits.maxArrayItems) {
        add(frame, undefined, `has ${items.length} items, beyond the limit of ${limits.maxArrayItems}`);
        continue;
      }
      // Reverse order, so that problems are reported first to last.
      for (let i = items.length - 1; i >= 0; i--) visit(i, items[i]);
      continue;
    }
    const keys = Object.keys(frame.value);
    if (keys.length > limits.maxObjectKeys) {
      add(frame, undefined, `has ${keys.length} keys, beyond the limit of ${limits.maxObjectKeys}`);
      continue;
    }
    const record = frame.value as Record<string, unknown>;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (key.length > limits.maxKeyLength) {
        add(
          frame,
          undefined,
          `has a key of ${key.length} characters, beyond the limit of ${limits.maxKeyLength}`,
        );
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        add(frame, undefined, `has the key "${key}", which no input uses`);
        continue;
      }
      if (!options.shapeOnly) {
        const p = textProblem(key);
        if (p !== null) {
          add(frame, undefined, `has a key that ${p}`);
          continue;
        }
      }
      visit(key, record[key]);
    }
  }
  return issues;
}

/** Refuses a value with a problem, as an `invalid` error naming each field and the fix. */
export function guardInput(value: unknown, options: GuardOptions = {}, what = 'input'): void {
  const issues = inputIssues(value, options);
  if (issues.length === 0) return;
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new DomainError('invalid', `invalid ${what}: ${summary}`, {
    issues,
    fix: 'remove NUL characters and unpaired surrogates from the text, give finite numbers within ±1e300, and keep nesting, arrays and strings within the limits listed in docs/api-errors.md',
    data: { limits: { ...(options.limits ?? INPUT_LIMITS) } },
  });
}

/**
 * A copy of a refused value that PostgreSQL can store, for the quarantine: bad characters become U+FFFD,
 * non-finite numbers text, deep or large parts a note. Never throws, never recurses.
 */
export function storableCopy(value: unknown, limits = { depth: 8, items: 1000, chars: 10_000 }): unknown {
  const text = (s: string) => {
    const cut = s.length > limits.chars ? `${s.slice(0, limits.chars)}…(${s.length} characters)` : s;
    return cut.replaceAll('\u0000', '\uFFFD').toWellFormed();
  };
  const scalar = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return v.toString();
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return null;
    return v;
  };
  if (typeof value !== 'object' || value === null) return scalar(value);
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: { from: object; into: Record<string, unknown> | unknown[]; depth: number }[] = [
    { from: value, into: root as Record<string, unknown>, depth: 1 },
  ];
  while (stack.length > 0) {
    const { from, into, depth } = stack.pop() as (typeof stack)[number];
    const entries = Array.isArray(from)
      ? from.slice(0, limits.items).map((v, i) => [i, v] as const)
      : Object.keys(from)
          .slice(0, limits.items)
          .map((k) => [k, (from as Record<string, unknown>)[k]] as const);
    for (const [k, v] of entries) {
      let out: unknown;
      if (v instanceof Date) out = Number.isNaN(v.getTime()) ? null : v.toISOString();
      else if (typeof v === 'object' && v !== null) {
        if (depth >= limits.depth) out = '(nested deeper; left out)';
        else {
          out = Array.isArray(v) ? [] : {};
          stack.push({ from: v, into: out as Record<string, unknown>, depth: depth + 1 });
        }
      } else out = scalar(v);
      if (Array.isArray(into)) into.push(out);
      else {
        const name = text(String(k));
        into[FORBIDDEN_KEYS.has(name) ? `(${name})` : name] = out;
      }
    }
    const size = Array.isArray(from) ? from.length : Object.keys(from).length;
    if (size > limits.items && Array.isArray(into)) into.push(`(${size - limits.items} more left out)`);
  }
  return root;
}

/** Text PostgreSQL can store: bad characters become U+FFFD, and the text is cut at `chars`. */
export function storableText(s: string, chars = 10_000): string {
  return storableCopy(s, { depth: 1, items: 0, chars }) as string;
}
