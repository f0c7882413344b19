// `ogas serve --demo` as a child process, the way `npm start` runs it: start until /api/health answers, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Served {
  child: ChildProcess;
  port: number;
  output: () => string;
}

export function freePort(): Promise<number> {
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

/** Starts the demo server on `port` with OGAS_HOME `home`; `databaseUrl` '' means the embedded database. */
export async function startDemo(port: number, home: string, databaseUrl = ''): Promise<Served> {
  const child = spawn(
    'node',
    ['bin/ogas.js', 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: {
        ...process.env,
        OGAS_HOME: home,
        DATABASE_URL: databaseUrl,
        OGAS_MQTT_URL: '',
        OGAS_NATS_URL: '',
      },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return { child, port, output: () => out };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`server did not answer /api/health within 120 s: ${out}`);
}

export async function stop(served: Served): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = new Promise((r) => served.child.once('exit', r));
  served.child.kill('SIGTERM');
  await exited;
}

/** Signs in over HTTP; returns the token, or null when the server refuses the login. */
export async function login(port: number, email: string, password: string): Promise<string | null> {
  const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) return null;
  return ((await r.json()) as { token: string }).token;
}

/** Units of the subtree under the first top unit the token sees. */
export async function countUnits(port: number, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  const tops = (await (
    await fetch(`http://127.0.0.1:${port}/api/holarchy/unit/tops`, { headers })
  ).json()) as { units: { id: string }[] };
  const root = tops.units[0]?.id ?? '';
  const sub = (await (
    await fetch(`http://127.0.0.1:${port}/api/holarchy/unit/subtree?id=${root}`, { headers })
  ).json()) as { units: unknown[] };
  return sub.units.length;
}
