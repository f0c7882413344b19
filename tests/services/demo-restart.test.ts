// `ogas serve --demo` as a user meets it: the first start loads the demo and creates the admin; the second
// reuses the same database, with no duplicate demo and the same admin login.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'ogas-demo-'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(
    'node',
    ['bin/ogas.js', 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: { ...process.env, OGAS_HOME: home, DATABASE_URL: '', OGAS_MQTT_URL: '', OGAS_NATS_URL: '' },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return { child, output: () => out };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`server did not answer /api/health within 120 s: ${out}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function countUnits(port: number, token: string): Promise<number> {
  const tops = (await (
    await fetch(`http://127.0.0.1:${port}/api/holarchy/unit/tops`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { units: { id: string }[] };
  const root = tops.units[0]?.id ?? '';
  const sub = (await (
    await fetch(`http://127.0.0.1:${port}/api/holarchy/unit/subtree?id=${root}`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { units: unknown[] };
  return sub.units.length;
}

async function login(port: number, email: string, password: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the demo federation across restarts', () => {
  it('loads once, prints the admin login, and a second start reuses the same database and admin', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toMatch(/Admin login created: admin@ogas\.local \/ \S+/);
    const [, password] = readFileSync(join(home, 'admin-password.txt'), 'utf8').trim().split('\n');
    const token = await login(port, 'admin@ogas.local', password ?? '');
    const units = await countUnits(port, token);
    expect(units).toBeGreaterThanOrEqual(1 + 8 + 56);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
      database: string;
    };
    expect(health.database).toBe('pglite');
    await stop(first.child);

    const second = await start(port);
    expect(second.output()).toMatch(/already loaded/);
    expect(second.output()).not.toMatch(/Admin login created/);
    const again = await login(port, 'admin@ogas.local', password ?? '');
    expect(await countUnits(port, again)).toBe(units);
    await stop(second.child);
  }, 300_000);
});
