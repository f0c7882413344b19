// The compiled command line (scripts/build-cli.ts) as `npm ci` builds it: one flat folder with ogas.js and a
// <name>-worker.js for every src/**/<name>-worker.ts, which runs from any working folder and finds the
// project's files (package.json, reference data) from the bundle's place, not the sources'.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerReply, WorkerRequest } from '../cyberstride/detector-worker';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'node_modules', '.cache', `ogas-bundle-test-${process.pid}`);
const OCHOA = join(ROOT, 'src', 'economy', 'fixtures', 'ochoa-1984.json');

describe('the compiled command line', () => {
  beforeAll(async () => {
    await run('node', ['--import', 'tsx', 'scripts/build-cli.ts', '--outdir', OUT], { cwd: ROOT });
  }, 120_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('holds ogas.js and every worker entry of src/, flat beside it', () => {
    const workers = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('-worker.ts'))
      .map((f) => `${f.split('/').pop()?.slice(0, -'.ts'.length)}.js`);
    expect(workers).toContain('detector-worker.js');
    for (const file of ['ogas.js', ...workers]) expect(existsSync(join(OUT, file)), file).toBe(true);
  });

  it('analyses a table from another working folder, reading the version from package.json', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ogas-bundle-'));
    const env = { ...process.env, OGAS_HOME: join(cwd, 'home'), DATABASE_URL: '' };
    const r = await run('node', [join(OUT, 'ogas.js'), 'economy', 'analyze', OCHOA, '--json'], { cwd, env });
    const out = JSON.parse(r.stdout) as { labourValues: { status: string; values: number[] } };
    expect(out.labourValues.status).toBe('ok');
    expect(out.labourValues.values).toHaveLength(3);
    const version = await run('node', [join(OUT, 'ogas.js'), '--version'], { cwd, env });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  }, 60_000);

  it('starts the detector worker from the bundle and gets results back', async () => {
    const worker = new Worker(join(OUT, 'detector-worker.js'));
    try {
      const n = 30;
      const request: WorkerRequest = {
        id: 7,
        jobs: [
          {
            kind: 'harrison-stevens',
            settings: {},
            state: null,
            stateKind: null,
            values: Float64Array.from({ length: n }, (_, i) => 10 + Math.sin(i)),
            times: Float64Array.from({ length: n }, (_, i) => 1e12 + i * 60_000),
          },
        ],
      };
      // The worker first says it has loaded, then answers the request.
      const replies: WorkerReply[] = [];
      await new Promise<void>((done, fail) => {
        worker.on('message', (m: WorkerReply) => {
          replies.push(m);
          if (replies.length === 2) done();
        });
        worker.once('error', fail);
        worker.postMessage(request);
      });
      const [ready, reply] = replies;
      expect(ready).toEqual({ ready: true });
      expect(reply && 'id' in reply ? reply.id : reply).toBe(7);
      expect(reply && 'runs' in reply ? reply.runs[0]?.mean.length : reply).toBe(n);
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
