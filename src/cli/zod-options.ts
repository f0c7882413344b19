// Derives command-line options from an operation's zod input: one --flag per field, JSON for nested values.
import type { z } from 'zod';
import { DomainError } from '../core/errors';

export interface FieldSpec {
  name: string;
  flag: string;
  kind: 'string' | 'number' | 'boolean' | 'json';
  description: string;
  required: boolean;
}

interface ZodInternals {
  _zod: {
    def: { type: string; innerType?: ZodInternals; in?: ZodInternals; shape?: Record<string, ZodInternals> };
  };
  description?: string;
}

/** The field's base type, whether it may be left out, and the first description met while unwrapping. */
function baseOf(schema: ZodInternals): { type: string; optional: boolean; description: string } {
  let s = schema;
  let optional = false;
  let description = schema.description ?? '';
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') {
      optional = optional || def.type !== 'nullable';
      if (!def.innerType) break;
      s = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      s = def.in;
    } else {
      return { type: def.type, optional, description };
    }
    description ||= s.description ?? '';
  }
  return { type: s._zod.def.type, optional, description };
}

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function fieldSpecs(schema: z.ZodType): FieldSpec[] {
  const shape = (schema as unknown as ZodInternals)._zod.def.shape ?? {};
  return Object.entries(shape).map(([name, field]) => {
    const { type, optional, description } = baseOf(field);
    const kind =
      type === 'boolean'
        ? 'boolean'
        : type === 'number' || type === 'int'
          ? 'number'
          : ['string', 'enum', 'literal', 'date'].includes(type)
            ? 'string'
            : 'json';
    return { name, flag: kebab(name), kind, description, required: !optional };
  });
}

/** Turns one option's text into the value the schema expects; JSON fields must parse. */
export function convertOption(spec: FieldSpec, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (spec.kind === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (spec.kind === 'json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new DomainError(
        'invalid',
        `--${spec.flag}: expected JSON, got ${JSON.stringify(raw.slice(0, 40))}`,
        {
          issues: [{ field: spec.name, message: 'must be valid JSON' }],
          fix: `quote the JSON value, e.g. --${spec.flag} '[...]'`,
        },
      );
    }
  }
  return raw;
}
