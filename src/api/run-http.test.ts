// Long runs over HTTP and the CLI: cancel stops a run, and only its owner (or a holder of its permission) may follow it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OPERATIONS } from '../app/registry';
import { DomainError } from '../core/errors';
import { SYSTEM } from '../core/principal';
import { createLogger } from '../core/logger';
import { defineOperation } from '../core/operation';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { buildServer } from './server';

const PASSWORD = 'correct horse battery';
const execFileAsync = promisify(execFile);

/** A long run on a unit that goes until it is cancelled, reporting one step first: a plan computation's shape, without its cost. */
const waitForCancel = defineOperation({
  name: 'test.wait',
  summary: 'Waits until cancelled.',
  kind: 'command',
  input: z.object({ unitId: z.string(), runId: z.string() }),
  output: z.object({}),
  access: { kind: 'unit', permission: 'plan', unit: (i) => i.unitId },
  longRun: true,
  needsStore: false,
  handler: (ctx) =>
    new Promise((_, reject) => {
      ctx.progress({ fraction: 0.1, message: 'secret step of the plan' });
      ctx.signal.addEventListener('abort', () =>
        reject(new DomainError('cancelled', 'the run was cancelled')),
      );
    }),
});

describe('long runs over HTTP', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let tree: Awaited<ReturnType<typeof smallTree>>;
  let url: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    tree = await smallTree(app);
    await app.person('owner@energy.test', [[tree.energy.id, 'planner']]);
    await app.person('colleague@energy.test', [[tree.energy.id, 'planner']]);
    await app.person('stranger@food.test', [[tree.food.id, 'planner']]);
    await app.person('reader@energy.test', [[tree.energy.id, 'member']]);
    server = await buildServer(app, {
      operations: [...OPERATIONS, waitForCancel],
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    for (const who of [
      'owner@energy.test',
      'colleague@energy.test',
      'stranger@food.test',
      'reader@energy.test',
    ]) {
      const r = await server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: who, password: PASSWORD },
      });
      tokens[who] = r.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const bearer = (who: string) => ({ authorization: `Bearer ${tokens[who] ?? ''}` });
  const startRun = (runId: string, who = 'owner@energy.test') =>
    server.inject({
      method: 'POST',
      url: '/api/test/wait',
      payload: { unitId: tree.plant.id, runId },
      headers: bearer(who),
    });
  const follow = (runId: string, who?: string) =>
    server.inject({ method: 'GET', url: `/api/runs/${runId}/events`, headers: who ? bearer(who) : {} });
  const cancel = (runId: string, who = 'owner@energy.test') =>
    server.inject({
      method: 'POST',
      url: '/api/system/run/cancel',
      payload: { runId },
      headers: bearer(who),
    });
  /** Resolves once the run has reported its first step (the system may follow any run and sees it). */
  const started = async (runId: string) => {
    for (let i = 0; i < 200; i += 1) {
      const f = app.services.runs.follow(runId, SYSTEM, {
        onEvent: () => undefined,
        onRefused: () => undefined,
      });
      f.stop();
      if (f.history.length > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`run ${runId} never started`);
  };

  it('cancels a run through POST /api/system/run/cancel: the run answers 409 cancelled', async () => {
    const run = startRun('http-cancel');
    await started('http-cancel');
    const c = await cancel('http-cancel');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toEqual({ cancelled: true });
    const answer = await run;
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ type: 'https://ogas.dev/problems/cancelled' });
    expect((await cancel('http-cancel')).json()).toEqual({ cancelled: false });
  });

  it('refuses to cancel someone else’s run', async () => {
    const run = startRun('not-yours');
    await started('not-yours');
    expect((await cancel('not-yours', 'colleague@energy.test')).statusCode).toBe(403);
    await cancel('not-yours');
    expect((await run).statusCode).toBe(409);
  });

  it('cancels a run from the CLI with --server', async () => {
    const run = startRun('cli-cancel');
    await started('cli-cancel');
    const out = await execFileAsync(
      process.execPath,
      [
        'bin/ogas.js',
        'system',
        'run',
        'cancel',
        'cli-cancel',
        '--server',
        url,
        '--token',
        tokens['owner@energy.test'] ?? '',
        '--json',
      ],
      { env: { ...process.env, OGAS_SERVER: '', OGAS_TOKEN: '' } },
    );
    expect(JSON.parse(out.stdout)).toEqual({ cancelled: true });
    expect((await run).statusCode).toBe(409);
  }, 60_000);

  it('streams the run to its owner and to a planner of its unit', async () => {
    const run = startRun('followed');
    await started('followed');
    const owner = follow('followed', 'owner@energy.test');
    const colleague = follow('followed', 'colleague@energy.test');
    await new Promise((r) => setTimeout(r, 50));
    await cancel('followed');
    await run;
    for (const stream of [await owner, await colleague]) {
      expect(stream.statusCode).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(stream.body).toContain('secret step of the plan');
      expect(stream.body).toContain('event: cancelled');
    }
  });

  it('refuses a stranger, a mere member and the public with a problem document before any stream starts', async () => {
    const run = startRun('private-run');
    await started('private-run');
    for (const [who, status] of [
      ['stranger@food.test', 403],
      ['reader@energy.test', 403],
      [undefined, 401],
    ] as const) {
      const r = await follow('private-run', who);
      expect(r.statusCode, who).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).not.toContain('secret step');
    }
    await cancel('private-run');
    await run;
  });

  it('binds a follower that comes before the run to its identity, and refuses it when the run starts', async () => {
    const stranger = follow('early-run', 'stranger@food.test');
    const owner = follow('early-run', 'owner@energy.test');
    await new Promise((r) => setTimeout(r, 50));
    const run = startRun('early-run');
    await started('early-run');
    await cancel('early-run');
    await run;
    const refused = await stranger;
    expect(refused.body).toContain('event: refused');
    expect(refused.body).toContain('"status":403');
    expect(refused.body).not.toContain('secret step');
    expect((await owner).body).toContain('secret step of the plan');
  });
});
