// A nats-server of a test's own (never the shared one on 4222): on a free port, with its own store folder,
// started from a configuration text or plain `-js`, and stopped, or restarted on the same port and store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const BINARY = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface OwnNats {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => (s.destroy(), resolve(false)));
    s.connect(port, '127.0.0.1');
  });
}

/** `config(port, storeDir)` gives the configuration text; without it the server runs `-js`. */
export async function startOwnNats(config?: (port: number, storeDir: string) => string): Promise<OwnNats> {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-nats-'));
  const port = await freePort();
  const store = join(dir, 'js');
  const args = config
    ? (writeFileSync(join(dir, 'nats.conf'), config(port, store)), ['-c', join(dir, 'nats.conf')])
    : ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store];
  let child: ChildProcess;
  let log = '';
  const start = async () => {
    child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // A run that crashes must not leave its server behind.
    const running = child;
    process.once('exit', () => running.kill('SIGTERM'));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await listening(port)) return;
      if (child.exitCode !== null) throw new Error(`nats-server exited: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nats-server did not listen on ${port}: ${log}`);
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
