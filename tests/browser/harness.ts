// Starts a demo OGAS server on a free port with a fresh home, and Debian's chromium driven by playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DEMO_PASSWORD = 'ogas-demo-2014';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the Opsroom once when web/dist is missing, so the server has pages to serve. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'web/dist/index.html'))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed; the browser suite needs the built Opsroom');
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => done(port));
    });
  });
}

export interface DemoServer {
  url: string;
  home: string;
  adminPassword: () => string;
  /**
   * Sends SIGTERM and waits for the process to exit. The server may hold open event streams and not
   * exit; after `graceMs` it is killed. Says which it took, so a test can report an unclean shutdown.
   */
  halt: (graceMs?: number) => Promise<{ exitedOnSigterm: boolean }>;
  /** Starts the server again on the same port and home (after `halt`). */
  restart: () => Promise<void>;
  /** Halts the server and deletes its home. */
  stop: () => Promise<void>;
}

interface Running {
  child: ChildProcess;
  output: () => string;
}

/** Spawns `ogas serve --demo` on `port` with `home`; resolves once /api/health answers. */
async function spawnServer(port: number, home: string, timeoutMs: number): Promise<Running> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/ogas.js', 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: ROOT, env: { ...process.env, OGAS_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /api/health within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { child, output: () => output };
}

async function halt(child: ChildProcess, graceMs: number): Promise<{ exitedOnSigterm: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return { exitedOnSigterm: true };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const clean = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
  ]);
  if (!clean) {
    child.kill('SIGKILL');
    await exited;
  }
  return { exitedOnSigterm: clean };
}

/** Starts `ogas serve --demo` once on `home` (the first start loads the demo) and stops it cleanly. */
export async function loadDemoInto(home: string, timeoutMs = 280_000): Promise<void> {
  ensureBuilt();
  const running = await spawnServer(await freePort(), home, timeoutMs);
  const { exitedOnSigterm } = await halt(running.child, 30_000);
  if (!exitedOnSigterm) throw new Error(`the demo server did not stop on SIGTERM:\n${running.output()}`);
  if (!running.output().includes('Loaded the demo federation'))
    throw new Error(`the first start did not load the demo federation:\n${running.output()}`);
}

/** The home the browser run's global setup loaded the demo into, or undefined outside that run. */
function demoTemplate(): string | undefined {
  try {
    return inject('demoTemplate');
  } catch {
    return undefined; // not under vitest (the screenshot script): start from nothing
  }
}

/**
 * Spawns `ogas serve --demo` on a free port with its own home: a copy of the run's loaded demo, or with
 * `fresh` (or outside the browser run) an empty home, whose first start imports the WIOD table.
 */
export async function startDemoServer(
  timeoutMs = 110_000,
  options: { fresh?: boolean } = {},
): Promise<DemoServer> {
  ensureBuilt();
  const home = mkdtempSync(join(tmpdir(), 'ogas-browser-'));
  const template = options.fresh ? undefined : demoTemplate();
  if (template) cpSync(template, home, { recursive: true });
  const port = await freePort();
  let running: Running;
  try {
    running = await spawnServer(port, home, timeoutMs);
  } catch (e) {
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    home,
    adminPassword: () => readFileSync(join(home, 'admin-password.txt'), 'utf8').trim(),
    halt: (graceMs = 5000) => halt(running.child, graceMs),
    restart: async () => {
      if (running.child.exitCode === null && running.child.signalCode === null)
        throw new Error('restart: halt the server first');
      running = await spawnServer(port, home, timeoutMs);
    },
    stop: async () => {
      await halt(running.child, 5000);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Collects what the browser refused under the server's Content-Security-Policy on this page (it reports each
 * refusal on the console); the list fills as the page runs.
 */
export function cspViolations(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Calls an API operation with a bearer token (tests use it to post readings, like a machine would). */
export async function callApi<T>(baseUrl: string, name: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api/${name.replace(/\./g, '/')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${name} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The id of the demo unit with this code, as the signed-in person finds it by search (fails if not found). */
export async function unitIdByCode(baseUrl: string, code: string, token: string): Promise<string> {
  const found = await callApi<{ units: { id: string; code: string | null }[] }>(
    baseUrl,
    'holarchy.unit.search',
    { q: code },
    token,
  );
  const id = found.units.find((u) => u.code === code)?.id;
  if (!id) throw new Error(`no unit with code ${code} is visible to this person`);
  return id;
}

export async function tokenFor(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  return (await callApi<{ token: string }>(baseUrl, 'auth.login', { email, password })).token;
}

/** Each chart's summary in words (the text its aria-describedby points at); throws if a chart has none. */
export async function chartSummaries(page: Page): Promise<string[]> {
  return page.locator('[role="img"].chart').evaluateAll((charts) =>
    charts.map((c) => {
      const id = c.getAttribute('aria-describedby') ?? '';
      const text = (id ? document.getElementById(id)?.textContent : '')?.trim() ?? '';
      if (text === '') throw new Error(`the chart "${c.getAttribute('aria-label') ?? ''}" has no summary`);
      return text;
    }),
  );
}

/** Coloured marks (health, status, tags) whose only content is colour or a symbol: none should exist. */
export async function colourWithoutWords(page: Page): Promise<string[]> {
  return page
    .locator('.health, [data-health], .status, .tag')
    .evaluateAll((marks) =>
      marks.filter((m) => !/\p{L}{2,}/u.test((m as HTMLElement).innerText)).map((m) => m.outerHTML),
    );
}
