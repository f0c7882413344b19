// Three OGAS nodes (central, regional, local) for the federation suite: each with its own fresh PostgreSQL
// database and home, set up in-process, then served by `ogas serve` as a separate process over our own
// nats-server (configured with one user per node by the generated configuration).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app/container';
import { invoke } from '../../src/app/invoke';
import { findOperation } from '../../src/app/registry';
import { createLogger } from '../../src/core/logger';
import { SYSTEM } from '../../src/core/principal';
import { writeNodeSettings } from '../../src/federation/node-settings';
import { openStore } from '../../src/store/connect';
import { freePort, type Served } from './serve-process';
import { freshDatabase } from './services';

const log = createLogger('federation-suite');

export interface NodeSetup {
  id: string;
  parent: string | null;
  password: string;
}

export interface RunningNode {
  id: string;
  home: string;
  databaseUrl: string;
  port: number;
  served: Served | null;
  drop(): Promise<void>;
}

/** A fresh database, set up by `setup` through operations as the system principal, then closed. */
export async function prepareNode(
  base: string,
  setup: (call: (name: string, input: unknown) => Promise<unknown>, app: App) => Promise<string>,
  node: NodeSetup,
  natsUrl: string,
  extra: Record<string, unknown> = {},
): Promise<RunningNode> {
  const db = await freshDatabase(base);
  const home = mkdtempSync(join(tmpdir(), `ogas-node-${node.id}-`));
  const app = buildApp(await openStore({ databaseUrl: db.url, home }));
  const call = (name: string, input: unknown) =>
    invoke(app, findOperation(name)!, input, { principal: SYSTEM, log });
  let unitId: string;
  try {
    unitId = await setup(call, app);
  } finally {
    await app.close();
  }
  writeNodeSettings(home, {
    nodeId: node.id,
    parent: node.parent,
    unitId,
    natsUrl,
    natsUser: node.id,
    natsPassword: node.password,
    opsPrefix: node.parent === null ? 'ogas.op' : `ogas.node.${node.id}.op`,
    bucketSeconds: 3600,
    reportEverySeconds: 0.5,
    alertForwardSeconds: 1,
    ...extra,
  });
  return { id: node.id, home, databaseUrl: db.url, port: await freePort(), served: null, drop: db.drop };
}

export async function startNode(node: RunningNode): Promise<void> {
  const child = spawn('node', ['bin/ogas.js', 'serve', '--port', String(node.port), '--host', '127.0.0.1'], {
    env: {
      ...process.env,
      OGAS_HOME: node.home,
      DATABASE_URL: node.databaseUrl,
      OGAS_MQTT_URL: '',
      OGAS_NATS_URL: '',
      OGAS_ESCALATE_EVERY: '1',
      OGAS_COMPUTE_WORKERS: '1',
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${node.port}/api/health`);
      if (r.ok) {
        node.served = { child, port: node.port, output: () => out };
        return;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`node ${node.id} exited: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`node ${node.id} did not answer within 120 s: ${out}`);
}

export async function stopNode(node: RunningNode): Promise<void> {
  const child = node.served?.child;
  node.served = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Calls an operation of a node over HTTP; returns status and body. */
export async function http(
  node: RunningNode,
  name: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`http://127.0.0.1:${node.port}/api/${name.replaceAll('.', '/')}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(input),
  });
  return { status: r.status, body: await r.json() };
}

export const EXAMPLE_ECONOMY = readFileSync('src/economy/fixtures/example-economy.json', 'utf8');
