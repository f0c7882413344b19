// Queries also answer GET: each top-level input field is a query parameter. Text arrives as text, so numbers,
// booleans and nested values (as JSON) are read by the field's type in the input schema.
import { DomainError } from '../core/errors';
import type { AnyOperation } from '../core/operation';
import { jsonSchema, type JsonSchema } from './json-schema';

type ParamKind = 'string' | 'number' | 'boolean' | 'json';

export interface QueryParameter {
  name: string;
  required: boolean;
  kind: ParamKind;
  schema: JsonSchema;
}

function typesOf(schema: JsonSchema, into: Set<string>): Set<string> {
  const type = schema.type;
  if (typeof type === 'string') into.add(type);
  if (Array.isArray(type)) for (const t of type) into.add(String(t));
  if (Array.isArray(schema.enum)) for (const v of schema.enum) into.add(v === null ? 'null' : typeof v);
  if ('const' in schema) into.add(schema.const === null ? 'null' : typeof schema.const);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const parts = schema[key];
    if (Array.isArray(parts)) for (const part of parts) typesOf(part as JsonSchema, into);
  }
  return into;
}

function kindOf(schema: JsonSchema): ParamKind {
  const types = typesOf(schema, new Set());
  types.delete('null');
  if (types.has('object') || types.has('array')) return 'json';
  if (types.has('string') || types.size === 0) return 'string';
  if (types.has('number') || types.has('integer')) return 'number';
  return types.has('boolean') ? 'boolean' : 'string';
}

const cache = new WeakMap<AnyOperation, QueryParameter[]>();

/** The query parameters of an operation called with GET: one per top-level field of its input. */
export function queryParameters(op: AnyOperation): QueryParameter[] {
  const known = cache.get(op);
  if (known) return known;
  const schema = jsonSchema(op.input, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const params = Object.entries(properties).map(([name, s]) => ({
    name,
    required: required.has(name),
    kind: kindOf(s),
    schema: s,
  }));
  cache.set(op, params);
  return params;
}

function convert(param: QueryParameter, raw: string): unknown {
  if (param.kind === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (param.kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (param.kind === 'json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new DomainError('invalid', `${param.name}: not valid JSON`, {
        issues: [{ field: param.name, message: 'a nested value must be given as JSON' }],
        fix: `give ${param.name} as URL-encoded JSON, or send the input as a JSON body with POST`,
      });
    }
  }
  return raw;
}

/**
 * The input of a GET call from its query string. A value the field's type cannot read is passed on as text,
 * so that validation names the field; parameters the input does not know are passed on unchanged.
 */
export function queryInput(op: AnyOperation, query: unknown): Record<string, unknown> {
  const params = new Map(queryParameters(op).map((p) => [p.name, p]));
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const param = params.get(name);
    input[name] = param && typeof value === 'string' ? convert(param, value) : value;
  }
  return input;
}
