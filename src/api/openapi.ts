// Generates the OpenAPI 3.1 document from the operation registry: routes, bodies, answers and access.
import { z } from 'zod';
import type { AnyOperation } from '../core/operation';

export function routeOf(op: AnyOperation): string {
  return `/api/${op.name.replaceAll('.', '/')}`;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def;
      if (def?.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  }) as Record<string, unknown>;
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

export function openApiDocument(
  operations: readonly AnyOperation[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...operations].sort((a, b) => a.name.localeCompare(b.name))) {
    const responses = {
      '200': {
        description: 'Success',
        content: { 'application/json': { schema: jsonSchema(op.output, 'output') } },
      },
      '400': problem,
      '401': problem,
      '403': problem,
      '404': problem,
      '409': problem,
      '422': problem,
      ...(op.guessable
        ? { '429': { ...problem, description: 'Too many attempts; wait for Retry-After' } }
        : {}),
    };
    const base = {
      operationId: op.name,
      summary: op.summary,
      description: describeAccess(op),
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
    };
    if (op.httpGet) {
      paths[op.httpGet] = { get: { ...base, operationId: `${op.name}.get` } };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OGAS API',
      version,
      description:
        'Every operation of OGAS, generated from the operation registry. Call POST /api/<operation name with dots as slashes> with a JSON body; queries also accept GET with query parameters. Authenticate with `Authorization: Bearer <token>` (from auth.login, or a machine token) or the session cookie.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
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
