// Queries answer GET with their fields as query parameters, read by type; the OpenAPI document says so, and
// lists the two event streams with their events.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { createLogger } from '../core/logger';
import { defineOperation } from '../core/operation';
import { isDomainError } from '../core/errors';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { openApiDocument, routeOf } from './openapi';
import { queryInput, queryParameters } from './query-input';
import { buildServer } from './server';

const probe = defineOperation({
  name: 'test.probe',
  summary: 'probe',
  kind: 'query',
  input: z.object({
    id: z.string(),
    limit: z.number().int().optional(),
    exact: z.boolean().optional(),
    when: z.coerce.date().optional(),
    kinds: z.array(z.string()).optional(),
    range: z.object({ from: z.number(), to: z.number() }).optional(),
  }),
  output: z.object({}),
  access: { kind: 'public' },
  handler: () => Promise.resolve({}),
});

describe('query parameters', () => {
  it('reads numbers, booleans and JSON by the field type, and leaves text and unknown fields as they are', () => {
    expect(queryParameters(probe).map((p) => [p.name, p.kind, p.required])).toEqual([
      ['id', 'string', true],
      ['limit', 'number', false],
      ['exact', 'boolean', false],
      ['when', 'string', false],
      ['kinds', 'json', false],
      ['range', 'json', false],
    ]);
    expect(
      queryInput(probe, {
        id: '42',
        limit: '7',
        exact: 'false',
        when: '2026-01-01',
        kinds: '["a","b"]',
        range: '{"from":1,"to":2}',
        other: 'x',
      }),
    ).toEqual({
      id: '42',
      limit: 7,
      exact: false,
      when: '2026-01-01',
      kinds: ['a', 'b'],
      range: { from: 1, to: 2 },
      other: 'x',
    });
    // What the type cannot read goes on as text, so that validation names the field.
    expect(queryInput(probe, { limit: 'ten', exact: 'yes' })).toEqual({ limit: 'ten', exact: 'yes' });
  });

  it('refuses a nested field that is not JSON, naming it', () => {
    let error: unknown;
    try {
      queryInput(probe, { range: '{from:1' });
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error) && error.kind).toBe('invalid');
    expect(isDomainError(error) && error.issues[0]?.field).toBe('range');
  });
});

describe('GET on a query', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let tree: Awaited<ReturnType<typeof smallTree>>;

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    await app.call('holarchy.unit.archive', { id: tree.turbine.id });
    server = await buildServer(app, {
      operations: OPERATIONS,
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('answers with the same fields as POST, booleans and numbers read from the query string', async () => {
    await app.person('admin@root.test', [[tree.root.id, 'admin']]);
    const login = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@root.test', password: 'correct horse battery' },
    });
    const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    const subtree = async (query: string) => {
      const url = `/api/holarchy/unit/subtree?id=${tree.root.id}&${query}`;
      const r = await server.inject({ method: 'GET', url, headers });
      expect(r.statusCode, url).toBe(200);
      return (r.json() as { units: { id: string }[] }).units.map((u) => u.id);
    };
    // "false" is false: before GET read booleans by type, the text "false" counted as true.
    expect(await subtree('includeArchived=true')).toContain(tree.turbine.id);
    const live = await subtree('includeArchived=false');
    expect(live).not.toContain(tree.turbine.id);
    expect(live).toContain(tree.plant.id);
    expect(await subtree('maxDepth=0')).toEqual([tree.root.id]);
  });

  it('refuses a bad parameter with 400 naming it', async () => {
    const r = await server.inject({
      method: 'GET',
      url: `/api/holarchy/unit/subtree?id=${tree.root.id}&maxDepth=deep`,
    });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['maxDepth']);
  });
});

describe('the OpenAPI document', () => {
  const doc = openApiDocument(OPERATIONS, '0.0.0') as {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          parameters?: { name: string; in: string; required: boolean }[];
          responses: Record<string, { content?: Record<string, { 'x-events'?: Record<string, unknown> }> }>;
        }
      >
    >;
  };

  it('lists GET with query parameters for every query, and only POST for commands', () => {
    for (const op of OPERATIONS) {
      const path = doc.paths[routeOf(op)];
      expect(path?.post?.operationId).toBe(op.name);
      if (op.kind === 'command') {
        expect(path?.get, op.name).toBeUndefined();
        continue;
      }
      expect(path?.get?.operationId).toBe(`${op.name}.get`);
      expect(path?.get?.parameters?.map((p) => p.name)).toEqual(queryParameters(op).map((p) => p.name));
      expect(path?.get?.parameters?.every((p) => p.in === 'query')).toBe(true);
    }
    const subtree = doc.paths['/api/holarchy/unit/subtree']?.get?.parameters ?? [];
    expect(subtree.map((p) => [p.name, p.required])).toEqual([
      ['id', true],
      ['maxDepth', false],
      ['includeArchived', false],
    ]);
  });

  it('lists the two event streams as text/event-stream with their event names', () => {
    const events = (path: string) =>
      Object.keys(doc.paths[path]?.get?.responses['200']?.content?.['text/event-stream']?.['x-events'] ?? {});
    expect(events('/api/events')).toEqual(['ready', 'alert', 'readings', 'federation-alert', 'heartbeat']);
    expect(events('/api/runs/{runId}/events')).toEqual([
      'progress',
      'done',
      'failed',
      'cancelled',
      'refused',
    ]);
    expect(doc.paths['/api/runs/{runId}/events']?.get?.parameters).toMatchObject([
      { name: 'runId', in: 'path', required: true },
    ]);
  });
});
