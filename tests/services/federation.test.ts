// Three real nodes (central, regional, local), each a separate `ogas serve` process with its own PostgreSQL
// database, over a nats-server of our own configured with one user per node: readings at the local node reach
// the central aggregate, a plan at the central node reaches the local unit's targets, an alert climbs across
// nodes, a stopped node and a restarted NATS lose nothing and count nothing twice, and operations answer on NATS.
import { connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/container';
import { natsConfig } from '../../src/federation/nats-config';
import {
  EXAMPLE_ECONOMY,
  http,
  prepareNode,
  startNode,
  stopNode,
  type RunningNode,
} from './federation-nodes';
import { login } from './serve-process';
import { eventually, requireServices } from './services';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';

const NODES = [
  { id: 'central', parent: null, password: 'central-secret' },
  { id: 'north', parent: 'central', password: 'north-secret' },
  { id: 'depot', parent: 'north', password: 'depot-secret' },
];
const ADMIN = { email: 'admin@fed.test', name: 'Admin', password: 'correct horse battery' };

let nats: OwnNats;
let central: RunningNode;
let regional: RunningNode;
let local: RunningNode;
const ids: Record<string, string> = {};
let client: NatsConnection;
const tokens: Record<string, string> = {};
let machineToken = '';
let planId = '';
let sent = 0;

const addAdmin = async (app: App, unitId: string) => {
  const p = await app.services.auth.register(ADMIN);
  await app.services.auth.grant(p.id, unitId, 'admin');
};

beforeAll(async () => {
  const base = await requireServices();
  nats = await startOwnNats((port, store) =>
    natsConfig({ nodes: NODES, clients: [{ user: 'cli', password: 'cli-secret' }], port, storeDir: store }),
  );
  central = await prepareNode(
    base,
    async (call, app) => {
      const root = (await call('holarchy.unit.create', {
        parentId: null,
        name: 'Federation',
        code: 'fed',
        kind: 'economy',
      })) as { id: string };
      const north = (await call('holarchy.unit.create', {
        parentId: root.id,
        name: 'North region',
        code: 'north',
        kind: 'region',
      })) as { id: string };
      await call('federation.child.add', { node: 'north', unitId: north.id });
      const eco = (await call('economy.import', {
        content: EXAMPLE_ECONOMY,
        format: 'json',
        unitId: root.id,
      })) as { economy: { id: string } };
      const plan = (await call('planning.compute', { economyId: eco.economy.id })) as { id: string };
      planId = plan.id;
      ids.centralRoot = root.id;
      ids.centralNorth = north.id;
      await addAdmin(app, root.id);
      return root.id;
    },
    NODES[0]!,
    nats.url,
  );
  regional = await prepareNode(
    base,
    async (call, app) => {
      const root = (await call('holarchy.unit.create', {
        parentId: null,
        name: 'North region',
        code: 'north-r',
        kind: 'region',
      })) as { id: string };
      const district = (await call('holarchy.unit.create', {
        parentId: root.id,
        name: 'Depot district',
        code: 'depot-d',
        kind: 'combine',
      })) as { id: string };
      await call('federation.child.add', { node: 'depot', unitId: district.id });
      ids.regionalRoot = root.id;
      await addAdmin(app, root.id);
      return root.id;
    },
    NODES[1]!,
    nats.url,
  );
  local = await prepareNode(
    base,
    async (call, app) => {
      const root = (await call('holarchy.unit.create', {
        parentId: null,
        name: 'Depot',
        code: 'north-depot',
        kind: 'co-op',
      })) as { id: string };
      const farm = (await call('holarchy.unit.create', {
        parentId: root.id,
        name: 'North farm',
        code: 'farm-north',
        kind: 'shop',
      })) as { id: string };
      await call('indicator.create', {
        unitId: farm.id,
        code: 'grain',
        name: 'Grain harvested',
        measure: 't',
        aggregation: 'sum',
        detector: 'spc',
        detectorSettings: { centre: 50, sigma: 1 },
        technologyCode: 'grain-field',
      });
      await call('escalation.set', { defaultSeconds: 1, byDepth: {} });
      machineToken = (
        (await call('auth.machine-token.issue', { unitId: farm.id, name: 'scale' })) as { token: string }
      ).token;
      ids.farm = farm.id;
      await addAdmin(app, root.id);
      return root.id;
    },
    NODES[2]!,
    nats.url,
  );
  await Promise.all([startNode(central), startNode(regional), startNode(local)]);
  for (const n of [central, regional, local])
    tokens[n.id] = (await login(n.port, ADMIN.email, ADMIN.password))!;
  client = await connect({ servers: nats.url, user: 'cli', pass: 'cli-secret' });
}, 300_000);

afterAll(async () => {
  await client?.close();
  for (const n of [local, regional, central]) if (n) await stopNode(n);
  await nats?.stop();
  for (const n of [local, regional, central]) if (n) await n.drop();
}, 120_000);

let minute = 0;
async function submit(values: number[]): Promise<void> {
  const readings = values.map((value) => {
    minute += 1;
    return {
      indicator: 'grain',
      value,
      at: new Date(Date.parse('2026-11-29T08:00:00Z') + minute * 60_000).toISOString(),
      sourceId: `scale-${minute}`,
    };
  });
  const r = await http(local, 'readings.submit', { unitId: ids.farm, readings }, machineToken);
  expect(r.status).toBe(200);
  expect((r.body as { accepted: number }).accepted).toBe(values.length);
  sent += values.reduce((a, b) => a + b, 0);
}

const centralTotal = async () => {
  const r = await http(
    central,
    'readings.aggregate',
    {
      unitId: ids.centralRoot,
      code: 'grain',
      bucketSeconds: 86400,
      from: '2026-11-29T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
    },
    tokens.central,
  );
  if (r.status !== 200) return null;
  return (r.body as { points: { value: number }[] }).points.reduce((a, p) => a + p.value, 0);
};

const reaches = (total: number) =>
  eventually(
    `central total ${total}`,
    async () => ((await centralTotal()) === total ? true : undefined),
    45_000,
  );

describe('federation of three nodes over NATS JetStream', () => {
  it('a reading at the local node reaches the central aggregate', async () => {
    await submit([50, 50.5, 49.5]);
    await reaches(sent);
    expect(sent).toBe(150);
  }, 60_000);

  it('a plan at the central node reaches the local unit as targets of its indicator, and is acknowledged', async () => {
    const plan = (await http(central, 'planning.get', { id: planId }, tokens.central)).body as {
      record: { unitTargets: { unit: string; quantity: number; period: number }[] };
    };
    const mine = plan.record.unitTargets.filter((t) => t.unit === 'farm-north');
    expect(mine.length).toBeGreaterThan(0);
    // Published through the operation served on NATS, with the admin's token in a header.
    const h = headers();
    h.set('authorization', `Bearer ${tokens.central}`);
    const reply = await client.request('ogas.op.federation.publish-plan', JSON.stringify({ planId }), {
      headers: h,
      timeout: 20_000,
    });
    expect(reply.headers?.get('Ogas-Status')).toBe('200');
    expect((JSON.parse(reply.string()) as { forwarded: unknown[] }).forwarded).toEqual([
      { node: 'north', targets: mine.length },
    ]);
    const got = await eventually(
      'targets at the local unit',
      async () => {
        const r = await http(local, 'federation.targets', { unitId: ids.farm }, tokens.depot);
        const t = (
          r.body as { targets: { planId: string; quantity: number; period: number; indicators: string[] }[] }
        ).targets;
        return t.length > 0 ? t : undefined;
      },
      45_000,
    );
    expect(got.map((t) => [t.period, t.quantity])).toEqual(mine.map((t) => [t.period, t.quantity]));
    expect(got.every((t) => t.indicators.length === 1 && t.planId === planId)).toBe(true);
    await eventually(
      'the acknowledgement at central',
      async () => {
        const s = (await http(central, 'federation.status', {}, tokens.central)).body as {
          acks: { childNode: string; planId: string }[];
        };
        return s.acks.some((a) => a.childNode === 'north' && a.planId === planId) ? true : undefined;
      },
      30_000,
    );
  }, 90_000);

  it('operations over NATS answer refusals with the problem documents of HTTP', async () => {
    const anonymous = await client.request('ogas.op.federation.publish-plan', JSON.stringify({ planId }), {
      timeout: 20_000,
    });
    expect(anonymous.headers?.get('Ogas-Status')).toBe('401');
    expect(JSON.parse(anonymous.string())).toMatchObject({
      status: 401,
      type: 'https://ogas.dev/problems/unauthenticated',
    });
    const h = headers();
    h.set('authorization', `Bearer ${tokens.central}`);
    const bad = await client.request(
      'ogas.op.readings.aggregate',
      JSON.stringify({ unitId: ids.centralRoot }),
      { headers: h, timeout: 20_000 },
    );
    expect(bad.headers?.get('Ogas-Status')).toBe('400');
    expect(
      (JSON.parse(bad.string()) as { issues: { field: string }[] }).issues.map((i) => i.field),
    ).toContain('code');
  }, 60_000);

  it('an alert at the local node climbs to the regional node and on to the central node', async () => {
    await submit([80]);
    const at = await eventually(
      'the alert at central',
      async () => {
        const r = await http(central, 'federation.alerts', { unitId: ids.centralRoot }, tokens.central);
        const a = (r.body as { alerts: { originNode: string; unitId: string; originUnitCode: string }[] })
          .alerts;
        return a.length > 0 ? a : undefined;
      },
      60_000,
    );
    expect(at[0]).toMatchObject({
      originNode: 'depot',
      unitId: ids.centralNorth,
      originUnitCode: 'farm-north',
    });
    const r = await http(regional, 'federation.alerts', { unitId: ids.regionalRoot }, tokens.north);
    expect((r.body as { alerts: { forwardedAt: string | null }[] }).alerts[0]!.forwardedAt).not.toBeNull();
    await reaches(sent);
  }, 90_000);

  it('a regional node stopped while readings arrive below catches up when it returns: nothing lost, nothing twice', async () => {
    await stopNode(regional);
    await submit([51, 49, 50]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await centralTotal()).toBe(sent - 150);
    await startNode(regional);
    await reaches(sent);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await centralTotal()).toBe(sent);
  }, 180_000);

  it('a NATS restart in the middle of the flow loses nothing', async () => {
    await nats.stop();
    await submit([52, 48]);
    await new Promise((r) => setTimeout(r, 1500));
    await nats.restart();
    await reaches(sent);
  }, 120_000);

  it('a local node restarted re-sends its state, which changes nothing above', async () => {
    await stopNode(local);
    await startNode(local);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await centralTotal()).toBe(sent);
  }, 180_000);
});
