// The hostile values the fuzz suites send to every operation, on PGlite and PostgreSQL: text the database
// cannot store, nesting far beyond the limit, numbers at the edge of what a double holds, big arrays and text.
import type { JsonSchema } from '../api/json-schema';
import { queryParameters } from '../api/query-input';
import type { AnyOperation } from '../core/operation';

const DEEP = 10_000;

/** Raw JSON, so that values JSON.stringify cannot write (nesting 10,000 deep, 1e999) reach the server as sent. */
export const HOSTILE_JSON: Record<string, string> = {
  nul: JSON.stringify('a\u0000b'),
  'lone high surrogate': '"x\\ud800y"',
  'lone low surrogate': '"\\udc00"',
  'nested 10,000 deep': '['.repeat(DEEP) + ']'.repeat(DEEP),
  'object nested 10,000 deep': '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP),
  '1e308': '1e308',
  '1e999 (Infinity)': '1e999',
  '-0': '-0',
  '2^64': '18446744073709551616',
  '1e9 (a period)': '1000000000',
  'array of 200,001 numbers': `[${new Array(200_001).fill('1').join(',')}]`,
  'string of 2,000,000 characters': JSON.stringify('x'.repeat(2_000_000)),
  'NUL in a key': '{"a\\u0000":1}',
};

/** A plausible value of a field, so that a hostile value in one field gets past the checks of the others. */
function sample(name: string, schema: JsonSchema, unitId: string, depth = 0): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema) return schema.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const parts = schema[key];
    if (Array.isArray(parts) && parts.length > 0) return sample(name, parts[0] as JsonSchema, unitId, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string')
    return /id$/i.test(name) ? unitId : schema.format === 'date-time' ? '2026-03-01T08:00:00Z' : 'x';
  if (type === 'number' || type === 'integer') return typeof schema.minimum === 'number' ? schema.minimum : 1;
  if (type === 'boolean') return false;
  if (type === 'array') {
    const items = schema.items as JsonSchema | undefined;
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    return items && depth < 4
      ? Array.from({ length: Math.max(min, 1) }, () => sample(name, items, unitId, depth + 1))
      : [];
  }
  if (type === 'object' && depth < 4) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(k, v, unitId, depth + 1)]));
  }
  return null;
}

/**
 * JSON bodies with one hostile value each: a plausible body (existing unit ids, first enum values) with one
 * top-level field set to the value, and one body with every field set to it.
 */
export function hostileBodies(op: AnyOperation, unitId: string): [string, string][] {
  const params = queryParameters(op);
  const base = Object.fromEntries(params.map((p) => [p.name, sample(p.name, p.schema, unitId)]));
  const names = params.length > 0 ? params.map((p) => p.name) : ['value'];
  const out: [string, string][] = [];
  for (const [label, json] of Object.entries(HOSTILE_JSON)) {
    out.push([`${label} in every field`, `{${names.map((n) => `${JSON.stringify(n)}:${json}`).join(',')}}`]);
    for (const n of names) {
      const rest = JSON.stringify({ ...base, [n]: '__HOSTILE__' });
      out.push([`${label} in ${n}`, rest.replace('"__HOSTILE__"', json)]);
    }
  }
  return out;
}

/** Query strings for GET: text with NUL and lone surrogates, percent-encoded as a client would send them. */
export function hostileQueries(op: AnyOperation): string[] {
  const names = queryParameters(op).map((p) => p.name);
  return ['%00', 'a%00b', '%ED%A0%80', '%5B'.repeat(10_000), '1e999'].map((v) =>
    names.map((n) => `${encodeURIComponent(n)}=${v}`).join('&'),
  );
}
