// Browser suite: a child node's plan-shortfall alert in the parent node's Opsroom. Two full nodes in this
// process (PGlite) over a nats-server of this test's own; the parent serves the built Opsroom. Its manager of
// the attachment unit finds the alert under "From nodes below" as a shortfall card (target, actual, share of
// plan, the plan's name) and acknowledges it there; one that lands while the page is open appears without a
// reload; a manager of another subtree sees no such card.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { buildApp, type App } from '../../src/app/container';
import { invoke } from '../../src/app/invoke';
import { OPERATIONS, findOperation } from '../../src/app/registry';
import { createLogger } from '../../src/core/logger';
import { SYSTEM } from '../../src/core/principal';
import { natsConfig } from '../../src/federation/nats-config';
import type { FederationNode } from '../../src/federation/node-runtime';
import { startMonitoringEdges, type MonitoringEdges } from '../../src/ingest/monitoring-edges';
import { openTestStore } from '../../src/store/test-store';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';
import { createTestApp, type TestApp } from '../../src/testing/test-app';
import { startNodePair } from '../../src/testing/test-nodes';
import { ROOT, cspViolations, ensureBuilt, launchChromium, signIn } from './harness';

const log = createLogger('federation-alerts-browser');
const ECONOMY = readFileSync('src/economy/fixtures/example-economy.json', 'utf8');
const PASSWORD = 'correct horse battery';
const NODES = [
  { id: 'bx-central', parent: null, password: 'bx-central-secret' },
  { id: 'bx-north', parent: 'bx-central', password: 'bx-north-secret' },
];

let nats: OwnNats;
// The parent runs on the real clock: the browser keeps its session cookie only while it has not expired.
let central: App;
let north: TestApp;
let server: FastifyInstance;
let edges: MonitoringEdges;
let url = '';
let browser: Browser;
let page: Page;
let refused: string[] = [];
const nodes: FederationNode[] = [];

const callCentral = (name: string, input: unknown) =>
  invoke(central, findOperation(name)!, input, { principal: SYSTEM, log });
const unit = async (call: typeof callCentral, parentId: string | null, name: string, code: string) =>
  (await call('holarchy.unit.create', { parentId, name, code, kind: 'region' })) as { id: string };
const person = async (email: string, unitId: string) => {
  const p = await central.services.auth.register({ email, name: email.split('@')[0]!, password: PASSWORD });
  await central.services.auth.grant(p.id, unitId, 'manager');
};

beforeAll(async () => {
  ensureBuilt();
  nats = await startOwnNats((port, store) => natsConfig({ nodes: NODES, port, storeDir: store }));
  central = buildApp(await openTestStore('pglite'));
  north = await createTestApp();
  const root = await unit(callCentral, null, 'Federation', 'bx-fed');
  const attach = await unit(callCentral, root.id, 'North region', 'bx-north');
  const south = await unit(callCentral, root.id, 'South region', 'bx-south');
  await callCentral('federation.child.add', { node: 'bx-north', unitId: attach.id });
  await person('north@bx.test', attach.id);
  await person('south@bx.test', south.id);
  const farm = (await north.call('holarchy.unit.create', {
    parentId: null,
    name: 'North farm',
    code: 'farm-north',
    kind: 'co-op',
  })) as { id: string };
  await north.call('indicator.create', {
    unitId: farm.id,
    code: 'grain',
    name: 'Grain harvested',
    measure: 't/month',
    aggregation: 'sum',
    detector: 'spc',
    detectorSettings: { centre: 1_000_000, sigma: 1_000_000 },
    technologyCode: 'grain-field',
  });
  await startNodePair(
    nodes,
    {
      natsUrl: nats.url,
      parent: { app: central, id: 'bx-central', unitId: root.id },
      child: { app: north, id: 'bx-north', unitId: farm.id },
      settings: { alertForwardSeconds: 3600 },
    },
    log,
  );
  // The child's own plan, and a month at a quarter of it: its shortfall alert opens at its top and goes up.
  const eco = (await north.call('economy.import', { content: ECONOMY, format: 'json', unitId: farm.id })) as {
    economy: { id: string };
  };
  const plan = (await north.call('planning.compute', { economyId: eco.economy.id })) as { id: string };
  await north.call('planning.adopt', { planId: plan.id });
  const record = (await north.call('planning.get', { id: plan.id })) as {
    record: { unitTargets: { unit: string; technology: string; period: number; quantity: number }[] };
  };
  const yearly = record.record.unitTargets
    .filter((t) => t.unit === 'farm-north' && t.technology === 'grain-field' && t.period === 1)
    .reduce((s, t) => s + t.quantity, 0);
  await north.call('readings.submit', {
    unitId: farm.id,
    readings: [{ indicator: 'grain', value: yearly / 48, at: '2026-03-01T07:00:00Z', sourceId: 'bx-1' }],
  });
  await north.call('cyberstride.shortfalls.sweep', {});
  // The alert streams the inbox listens on (no MQTT or NATS ingest: an empty environment).
  edges = await startMonitoringEdges(central, log, {});
  server = await buildServer(central, {
    operations: OPERATIONS,
    log,
    extend: edges.extend,
    webRoot: `${ROOT}/web/dist`,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  refused = cspViolations(page);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await edges?.close();
  for (const n of nodes.reverse()) await n.close();
  await Promise.all([central?.close(), north?.close()]);
  await nats?.stop();
});

describe("a child node's plan-shortfall alert at the parent node", () => {
  it('is a shortfall card under "From nodes below" for the manager of the unit it landed on', async () => {
    await signIn(page, url, 'north@bx.test', PASSWORD);
    const card = page.locator('article.remote-alert[data-kind="plan-shortfall"]');
    // It climbs over NATS while the page is opened: reload until it is there.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.goto(`${url}/alerts`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      if ((await card.count()) > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(await card.count()).toBe(1);
    expect(await card.locator('h3').innerText()).toMatch(
      /Plan shortfall.*Grain harvested is at 25 % of plan "/s,
    );
    const facts = await card.getByLabel('Plan against actual').innerText();
    expect(facts).toMatch(/Target\s+[\d,.]+ t\/month/);
    expect(facts).toMatch(/Actual\s+[\d,.]+ t\/month/);
    expect(facts).toMatch(/Of plan\s+25 %/);
    expect(await card.innerText()).toMatch(/From node bx-north, unit farm-north/);
    expect(refused).toEqual([]);
  });

  it('is acknowledged there', async () => {
    const card = page.locator('article.remote-alert[data-kind="plan-shortfall"]');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    const acknowledged = page.locator(
      'article.remote-alert[data-kind="plan-shortfall"][data-status="acknowledged"]',
    );
    await acknowledged.waitFor();
    // The card says who moved it and when (the API's statusBy is this reader).
    expect(await acknowledged.locator('.status-by').innerText()).toMatch(
      /Acknowledged by you on \d{2}\/\d{2}\/\d{4}/,
    );
  });

  it('updates live: an alert that lands from below while the page is open shows without a reload', async () => {
    const cards = page.locator('article.remote-alert');
    // The page follows the event stream (the header says so) before anything lands.
    await page.locator('[data-connection="connected"]').first().waitFor();
    const before = await cards.count();
    // As the child node would send it over NATS (its outbox is played by hand here, so no timing is involved).
    const body = {
      v: 1,
      kind: 'alert',
      from: 'bx-north',
      sentAt: new Date().toISOString(),
      rev: Date.now() * 1000,
      alert: {
        id: 'bx-north:live-1',
        originNode: 'bx-north',
        unitCode: 'farm-north',
        status: 'open',
        severity: 'critical',
        message: 'Grain harvested fell to zero',
        openedAt: new Date().toISOString(),
        kind: 'statistical',
      },
    };
    const got = await central.services.federation.receive('ogas.fed.up.bx-north.alert', JSON.stringify(body));
    expect(got).toEqual({ applied: true });
    const live = page.locator('article.remote-alert[data-origin-alert-id="bx-north:live-1"]');
    await live.waitFor({ timeout: 15_000 });
    expect(await live.locator('h3').innerText()).toMatch(/Grain harvested fell to zero/);
    expect(await cards.count()).toBe(before + 1);
    // Its change (resolved at the origin) takes it off the list, again without a reload.
    await central.services.federation.receive(
      'ogas.fed.up.bx-north.alert',
      JSON.stringify({ ...body, rev: body.rev + 1, alert: { ...body.alert, status: 'resolved' } }),
    );
    await live.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('is not shown to a manager of another subtree', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(other, url, 'south@bx.test', PASSWORD);
    await other.goto(`${url}/alerts`);
    await other.locator(':text("No unresolved alerts")').first().waitFor();
    await other.waitForLoadState('networkidle');
    expect(await other.locator('article.remote-alert').count()).toBe(0);
    await other.close();
  });
});
