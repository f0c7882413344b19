// Generates the OpenAPI 3.1 document from the operation registry: routes, bodies, answers and access;
// queries with GET and their query parameters; and the event streams.
import type { HeavyDeclaration } from '../core/heavy';
import type { AnyOperation } from '../core/operation';
import { eventStreamPaths } from './event-streams';
import { jsonSchema } from './json-schema';
import { queryParameters } from './query-input';

export function routeOf(op: AnyOperation): string {
  return `/api/${op.name.replaceAll('.', '/')}`;
}

function describeAccess(op: AnyOperation): string {
  const a = op.access;
  if (a.kind === 'public') return 'Access: anyone, signed in or not.';
  if (a.kind === 'signed-in') return 'Access: any signed-in person.';
  return `Access: the "${a.permission}" permission on the unit concerned or one above it${a.publicRead ? ' (the public may read public units)' : ''}.`;
}

const problem = {
  description: 'A problem document naming the field and the fix',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/** Query parameters of a GET: scalars as text, nested values as JSON (`content`), as the server reads them. */
function getParameters(op: AnyOperation): Record<string, unknown>[] {
  return queryParameters(op).map((p) => {
    const { description, ...schema } = p.schema;
    const base = {
      name: p.name,
      in: 'query',
      required: p.required,
      ...(typeof description === 'string' ? { description } : {}),
    };
    return p.kind === 'json' ? { ...base, content: { 'application/json': { schema } } } : { ...base, schema };
  });
}

/** A heavy operation's limits in words, for the reader of the API reference. */
function describeHeavy(heavy: HeavyDeclaration): string {
  const sizes = heavy.limits.map(
    (l) =>
      `${l.field}: at most ${l.max} ${l.unit}` +
      (l.anonymousMax !== undefined && l.anonymousMax < l.max
        ? ` (${l.anonymousMax} without signing in)`
        : ''),
  );
  return [
    'Heavy: computed in a worker thread; one such call per caller at a time (a second one answers 429).',
    ...(sizes.length + (heavy.notes?.length ?? 0) > 0
      ? [`Limits: ${[...sizes, ...(heavy.notes ?? [])].join('; ')}.`]
      : []),
  ].join(' ');
}

/** The same limits, machine-readable. */
function heavyLimits(heavy: HeavyDeclaration) {
  return {
    sizes: heavy.limits.map((l) => ({
      field: l.field,
      unit: l.unit,
      max: l.max,
      ...(l.anonymousMax === undefined ? {} : { anonymousMax: l.anonymousMax }),
    })),
    ...(heavy.notes ? { notes: heavy.notes } : {}),
  };
}

export function openApiDocument(
  operations: readonly AnyOperation[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  // Each answer is described once and referred to by the POST and the GETs of its operation.
  const answers: Record<string, unknown> = {};
  for (const op of [...operations].sort((a, b) => a.name.localeCompare(b.name))) {
    answers[op.name] = {
      description: 'Success',
      content: { 'application/json': { schema: jsonSchema(op.output, 'output') } },
    };
    const responses = {
      '200': { $ref: `#/components/responses/${op.name}` },
      '400': problem,
      '401': problem,
      '403': problem,
      '404': problem,
      '409': problem,
      '422': problem,
      ...(op.guessable
        ? { '429': { ...problem, description: 'Too many attempts; wait for Retry-After' } }
        : op.heavy
          ? {
              '429': {
                ...problem,
                description: 'Your previous heavy computation is still running; wait for Retry-After',
              },
            }
          : {}),
    };
    const base = {
      operationId: op.name,
      summary: op.summary,
      description: op.heavy ? `${describeAccess(op)}\n\n${describeHeavy(op.heavy)}` : describeAccess(op),
      ...(op.heavy ? { 'x-ogas-limits': heavyLimits(op.heavy) } : {}),
      tags: [op.name.split('.')[0]],
      responses,
    };
    paths[routeOf(op)] = {
      post: {
        ...base,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(op.input, 'input') } },
        },
      },
      ...(op.kind === 'query'
        ? { get: { ...base, operationId: `${op.name}.get`, parameters: getParameters(op) } }
        : {}),
    };
    if (op.httpGet) {
      paths[op.httpGet] = {
        get: { ...base, operationId: `${op.name}.get-alias`, parameters: getParameters(op) },
      };
    }
  }
  Object.assign(paths, eventStreamPaths());
  return {
    openapi: '3.1.0',
    info: {
      title: 'OGAS API',
      version,
      description:
        'Every operation of OGAS, generated from the operation registry. Call POST /api/<operation name with dots as slashes> with a JSON body; queries (operations that change nothing) also answer GET with the same fields as query parameters (nested values as JSON). Progress of long runs and alert changes come as server-sent events (GET /api/runs/{runId}/events, GET /api/events). Authenticate with `Authorization: Bearer <token>` (from auth.login, or a machine token) or the session cookie.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: answers,
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            issues: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
                required: ['field', 'message'],
              },
            },
            fix: { type: 'string' },
            data: { type: 'object' },
          },
        },
      },
    },
    security: [{ bearer: [] }, {}],
    paths,
  };
}
