// Benchmark "responsiveness": does the server keep answering while it computes? Starts `ogas serve --demo`
// (PGlite) in a child process, then fires one large request of each heavy operation in turn while polling
// /api/health every 10 ms from this process, and prints p50/p99/max of the health latency per operation,
// beside the baseline with no load. Goal: p99 under 100 ms for every operation.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './run';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const POLL_MS = 10;
const GOAL_P99_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Polls health until `done` settles; returns every latency in ms. */
async function pollHealth(base: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/health`);
    await r.arrayBuffer();
    latencies.push(performance.now() - t0);
    await sleep(POLL_MS);
  }
  return latencies;
}

// ---- inputs, generated at a large size ----
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

function denseMatrixJson(n: number): string {
  const rnd = random(7);
  const rows: string[] = [];
  for (let i = 0; i < n; i++)
    rows.push(`[${Array.from({ length: n }, () => ((rnd() * 0.5) / n).toPrecision(3)).join(',')}]`);
  const ones = new Array<string>(n).fill('1').join(',');
  return `{"A":[${rows.join(',')}],"direct_labour_l":[${ones}],"gross_output_Q":[${ones}]}`;
}

function fiveYearFiles(n: number) {
  const rnd = random(11);
  const names = Array.from({ length: n }, (_, k) => `p${k}`);
  const head = `headings,${names.join(',')}`;
  const square = (cell: (i: number, j: number) => number) =>
    [head, ...names.map((r, i) => `${r},${names.map((_, j) => cell(i, j).toPrecision(3)).join(',')}`)].join(
      '\n',
    );
  const row = (label: string, cell: () => number) =>
    `${label},${names.map(() => cell().toFixed(2)).join(',')}`;
  return {
    // Flows of one unit of gross output each: coefficients are the flows themselves.
    flows: [square(() => (rnd() * 0.5) / n), row('labour', () => 0.5 + rnd()), row('output', () => 1)].join(
      '\n',
    ),
    cap: square((i, j) => (i === j ? 2 + rnd() : 0)),
    dep: square((i, j) => (i === j ? 0.05 : 0)),
    labtarg: [
      `${head},labour`,
      ...[1, 2, 3, 4, 5].map(
        (y) => `year${y},${names.map(() => (1 + rnd()).toFixed(2)).join(',')},${n * 10}`,
      ),
    ].join('\n'),
  };
}

function tcpdFiles(series: number, length: number) {
  const rnd = random(13);
  const annotations: Record<string, Record<string, number[]>> = {};
  const files: { path: string; content: string }[] = [];
  for (let s = 0; s < series; s++) {
    const name = `s${s}`;
    const raw = Array.from({ length }, (_, i) => (i > length / 2 ? 5 : 0) + rnd());
    annotations[name] = { '1': [Math.floor(length / 2)] };
    files.push({
      path: `${name}.json`,
      content: JSON.stringify({ name, n_obs: length, n_dim: 1, series: [{ raw }] }),
    });
  }
  files.push({ path: 'annotations.json', content: JSON.stringify(annotations) });
  return files;
}

function nabFiles(count: number, length: number) {
  const stamp = (i: number) =>
    new Date(Date.UTC(2014, 0, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
  const files: { path: string; csv: string }[] = [];
  const windows: Record<string, [string, string][]> = {};
  for (let f = 0; f < count; f++) {
    const path = `artificial/f${f}.csv`;
    const jump = Math.floor(length * 0.7);
    const rows = Array.from(
      { length },
      (_, i) =>
        `${stamp(i)},${i >= jump && i < jump + 20 ? 500 : 50 + 20 * Math.sin((2 * Math.PI * i) / 288)}`,
    );
    files.push({ path, csv: ['timestamp,value', ...rows].join('\n') });
    windows[path] = [[`${stamp(jump - 50)}.000000`, `${stamp(jump + 50)}.000000`]];
  }
  return { files, windows };
}

function rankedBallots(count: number, options: number): string[][] {
  const rnd = random(17);
  const names = Array.from({ length: options }, (_, k) => `C${k}`);
  return Array.from({ length: count }, () => {
    const order = [...names].sort(() => rnd() - 0.5);
    return order.slice(0, 1 + Math.floor(rnd() * options));
  });
}

function blt(count: number, candidates: number): string {
  const rnd = random(19);
  const lines = [`${candidates} 1`];
  for (let b = 0; b < count; b++) {
    const order = Array.from({ length: candidates }, (_, k) => k + 1).sort(() => rnd() - 0.5);
    lines.push(`1 ${order.slice(0, 1 + Math.floor(rnd() * candidates)).join(' ')} 0`);
  }
  lines.push('0', ...Array.from({ length: candidates }, (_, k) => `"C${k}"`), '"Generated contest"');
  return lines.join('\n');
}

// ---- the server ----
async function startServer(home: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin/ogas.js'), 'serve', '--demo', '--port', String(port), '--home', home],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 600; i++) {
    if (out.includes('OGAS is serving')) return child;
    if (child.exitCode !== null) throw new Error(`the server exited: ${out}`);
    await sleep(250);
  }
  child.kill();
  throw new Error('the server did not start within 150 s');
}

interface Case {
  operation: string;
  size: string;
  body: () => unknown;
}

export default async function responsivenessBench(opts: BenchOptions): Promise<void> {
  const order = opts.size ?? 1500;
  const home = mkdtempSync(join(tmpdir(), 'ogas-responsiveness-'));
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(home, port);
  try {
    const password = readFileSync(join(home, 'admin-password.txt'), 'utf8').split('\n')[0]?.trim() ?? '';
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@ogas.local', password }),
    });
    const { token } = (await login.json()) as { token: string };
    const call = async (operation: string, body: unknown) => {
      const r = await fetch(`${base}/api/${operation.replaceAll('.', '/')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, text };
    };
    const { economies } = JSON.parse((await call('economy.list', {})).text) as {
      economies: { id: string }[];
    };
    const economyId = economies[0]?.id ?? '';
    const nab = nabFiles(20, 4000);
    const cases: Case[] = [
      {
        operation: 'economy.analyze',
        size: `${order}×${order} dense`,
        body: () => JSON.stringify({ content: denseMatrixJson(order), format: 'matrix-json' }),
      },
      { operation: 'economy.analysis', size: 'demo economy (WIOD DEU)', body: () => ({ id: economyId }) },
      {
        operation: 'planning.compute',
        size: 'demo economy, harmony, 10 periods, labour limited',
        // Harmony needs a limit (plans nothing bounds are refused): 2·10⁶ of the demo's labour proxy.
        body: () => ({
          economyId,
          objective: 'harmony',
          periods: 10,
          skillsAvailable: [{ skill: 'labour', available: 2e6 }],
        }),
      },
      { operation: 'planning.fiveyear', size: '120 products × 5 years', body: () => fiveYearFiles(120) },
      {
        operation: 'monitor.evaluate',
        size: '8 series × 5000 readings',
        body: () => ({ files: tcpdFiles(8, 5000) }),
      },
      {
        operation: 'monitor.nab',
        size: '20 files × 4000 readings, spc',
        body: () => ({ ...nab, detectors: ['spc'] }),
      },
      {
        operation: 'vote.count',
        size: '300000 IRV ballots, 12 options',
        body: () => ({
          method: 'irv',
          options: Array.from({ length: 12 }, (_, k) => `C${k}`),
          ballots: rankedBallots(300_000, 12),
        }),
      },
      {
        operation: 'vote.tabulate',
        size: '300000 ballots (.blt), 12 candidates',
        body: () => ({ blt: blt(300_000, 12) }),
      },
    ];

    const report = (operation: string, size: string, latencies: number[], extra: Record<string, unknown>) => {
      const sorted = [...latencies].sort((a, b) => a - b);
      const p99 = quantile(sorted, 0.99);
      console.log(
        JSON.stringify({
          bench: 'responsiveness',
          operation,
          size,
          polls: sorted.length,
          p50_ms: Number(quantile(sorted, 0.5).toFixed(1)),
          p99_ms: Number(p99.toFixed(1)),
          max_ms: Number((sorted.at(-1) ?? NaN).toFixed(1)),
          check: p99 < GOAL_P99_MS ? 'ok' : `p99 over ${GOAL_P99_MS} ms`,
          ...extra,
        }),
      );
    };

    report('baseline (no load)', '-', await pollHealth(base, sleep(3000)), {});
    for (const c of cases) {
      const body = c.body();
      const started = performance.now();
      const request = call(c.operation, body);
      const latencies = await pollHealth(base, request);
      const answer = await request;
      report(c.operation, c.size, latencies, {
        status: answer.status,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        ...(answer.status >= 400 ? { problem: answer.text.slice(0, 200) } : {}),
      });
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
}
