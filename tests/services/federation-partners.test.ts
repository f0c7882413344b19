// A partner federation joins ours, on a nats-server of this test's own configured by the generated
// configuration with two accounts: ours (OGAS) and the partner's (ACME), each with its own users and its own
// federation streams under the same prefix (the accounts keep them apart). The partner's central node is our
// child "acme" for what it shares: one plant's subtree, and reports, unit codes and acknowledgements, not
// alerts. Both centrals are full nodes (PGlite apps in this process) running the real federation runtime.
import { connect, nkeyAuthenticator, nkeys, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger';
import { natsConfig, type FederationTree } from '../../src/federation/nats-config';
import { startFederationNode, type FederationNode } from '../../src/federation/node-runtime';
import { nodeSettingsSchema } from '../../src/federation/node-settings';
import { streamNames } from '../../src/federation/subjects';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';
import { createTestApp, type TestApp } from '../../src/testing/test-app';
import { until } from '../../src/testing/until';

const log = createLogger('federation-partners');
// Our central signs in with an NKey (its seed in its settings), the partner's with a password of its account.
const centralKey = nkeys.createUser();
const centralSeed = new TextDecoder().decode(centralKey.getSeed());
const tree: FederationTree = {
  nodes: [{ id: 'central', parent: null, nkey: centralKey.getPublicKey() }],
  partners: [
    {
      id: 'acme',
      parent: 'central',
      account: 'ACME',
      shares: ['report', 'units', 'ack'],
      tree: { nodes: [{ id: 'acme-central', parent: null, password: 'acme-secret' }] },
    },
  ],
};

let nats: OwnNats;
let ours: TestApp;
let acme: TestApp;
const nodes: FederationNode[] = [];
const open: NatsConnection[] = [];
let attach: { id: string };
let sharedPlant: { id: string };
let secretPlant: { id: string };
let acmeRoot: { id: string };

const unit = (app: TestApp, parentId: string | null, name: string, code: string, kind = 'region') =>
  app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;

/** The hourly sums of steel under a unit; none while no report of it has arrived. */
const steel = async (app: TestApp, unitId: string) =>
  (
    (await app.call('readings.aggregate', {
      unitId,
      code: 'steel',
      bucketSeconds: 3600,
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-02T00:00:00Z',
    })) as { points: { value: number }[] }
  ).points.map((p) => p.value);
const arrived = (app: TestApp, unitId: string) =>
  steel(app, unitId).catch((e: unknown) => {
    if (/does not exist/.test(String(e))) return [];
    throw e;
  });

const upMessages = async (subject: string) => {
  const nc = await connect({
    servers: nats.url,
    authenticator: nkeyAuthenticator(centralKey.getSeed()),
    inboxPrefix: '_INBOX.central',
  });
  open.push(nc);
  const info = await (
    await nc.jetstreamManager()
  ).streams.info(streamNames('ogas.fed').up, {
    subjects_filter: subject,
  });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
};

beforeAll(async () => {
  nats = await startOwnNats((port, store) => natsConfig({ ...tree, port, storeDir: store }));
  [ours, acme] = await Promise.all([createTestApp(), createTestApp()]);
  const root = await unit(ours, null, 'Federation', 'fed', 'economy');
  attach = await unit(ours, root.id, 'Partners: ACME', 'partner-acme');
  acmeRoot = await unit(acme, null, 'ACME', 'acme', 'economy');
  sharedPlant = await unit(acme, acmeRoot.id, 'Shared plant', 'acme-plant', 'shop');
  secretPlant = await unit(acme, acmeRoot.id, 'Own plant', 'acme-own', 'shop');
  for (const plant of [sharedPlant, secretPlant])
    await acme.call('indicator.create', {
      unitId: plant.id,
      code: 'steel',
      name: 'Steel',
      measure: 't',
      aggregation: 'sum',
      detector: 'spc',
    });
  await ours.call('federation.child.add', { node: 'acme', unitId: attach.id });
  const base = {
    natsUrl: nats.url,
    bucketSeconds: 3600,
    lookbackSeconds: 400 * 86400,
    reportEverySeconds: 0.2,
  };
  nodes.push(
    await startFederationNode(
      ours,
      nodeSettingsSchema.parse({
        ...base,
        nodeId: 'central',
        parent: null,
        unitId: root.id,
        natsNkeySeed: centralSeed,
      }),
      log,
      { sendEveryMs: 100, operations: false },
    ),
  );
  await nodes[0]!.joined;
  nodes.push(
    await startFederationNode(
      acme,
      nodeSettingsSchema.parse({
        ...base,
        nodeId: 'acme-central',
        parent: null,
        unitId: acmeRoot.id,
        natsUser: 'acme-central',
        natsPassword: 'acme-secret',
        parentLink: {
          natsUrl: nats.url,
          natsUser: 'acme-central',
          natsPassword: 'acme-secret',
          as: 'acme',
          parent: 'central',
          share: { units: ['acme-plant'], kinds: ['report', 'units', 'ack'] },
        },
      }),
      log,
      { sendEveryMs: 100, operations: false },
    ),
  );
  await nodes[1]!.joined;
}, 60_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.close();
  for (const nc of open) await nc.close();
  await Promise.all([ours?.close(), acme?.close()]);
  await nats?.stop();
});

const submit = (plant: { id: string }, values: number[], tag: string) =>
  acme.call('readings.submit', {
    unitId: plant.id,
    readings: values.map((value, k) => ({
      indicator: 'steel',
      value,
      at: new Date(Date.parse('2026-03-01T07:00:00Z') + k * 60_000).toISOString(),
      sourceId: `${tag}-${k}`,
    })),
  });

describe('a partner federation', () => {
  it("its shared plant's reports reach our central aggregate; its own plant's do not", async () => {
    await submit(sharedPlant, [10, 20], 'shared');
    await submit(secretPlant, [1000], 'own');
    // At the partner, its own aggregate holds both plants.
    expect(await steel(acme, acmeRoot.id)).toEqual([1030]);
    expect(
      await until(
        'our aggregate of the partner',
        () => arrived(ours, attach.id),
        (v) => v.length > 0,
      ),
    ).toEqual([30]);
    // A later reading of the shared plant replaces the bucket; one more of its own plant still stays home.
    await submit(sharedPlant, [10, 20, 5], 'shared');
    await submit(secretPlant, [1000, 7], 'own');
    expect(
      await until(
        'the newer bucket',
        () => arrived(ours, attach.id),
        (v) => v[0] === 35,
      ),
    ).toEqual([35]);
    // Only the shared subtree's unit codes were sent: ours can route targets there, not to its own plant. The
    // codes come in their own message ('units'), which may land after the reports (it did in CI under load).
    const heard = await until(
      "the partner's unit codes",
      () =>
        ours.store.db.selectFrom('federation_child_units').select('unit_code').orderBy('unit_code').execute(),
      (rows) => rows.length > 0,
    );
    expect(heard.map((r) => r.unit_code)).toEqual(['acme-plant']);
    const published = await ours.services.federation.publishPlan('plan-p1', [
      { unit: 'acme-plant', technology: 'blast', product: 'steel', period: 1, quantity: 40, labour: 4 },
      { unit: 'acme-own', technology: 'blast', product: 'steel', period: 1, quantity: 99, labour: 9 },
    ]);
    expect(published.forwarded).toEqual([{ node: 'acme', targets: 1 }]);
    expect(published.unrouted.map((t) => t.unit)).toEqual(['acme-own']);
  });

  it("our plan's targets reach the partner's shared unit through its link, and its acknowledgement comes back", async () => {
    const targets = await until(
      "the partner's targets",
      () => acme.services.federation.targetsOfUnit(sharedPlant.id),
      (t) => t.length > 0,
    );
    expect(targets.map((t) => [t.planId, t.quantity, t.fromNode])).toEqual([['plan-p1', 40, 'central']]);
    const acks = await until(
      'the acknowledgement',
      async () => (await ours.services.federation.status()).acks,
      (a) => a.length > 0,
    );
    expect(acks.map((a) => [a.planId, a.childNode, a.stored, a.quarantined])).toEqual([
      ['plan-p1', 'acme', 1, 0],
    ]);
  });

  it('it cannot publish into our account outside its grant', async () => {
    const nc = await connect({
      servers: nats.url,
      user: 'acme-central',
      pass: 'acme-secret',
      inboxPrefix: '_INBOX.acme-central',
    });
    open.push(nc);
    const before = await upMessages('ogas.fed.up.central.acme.report');
    const all = await upMessages('ogas.fed.up.>');
    expect(before).toBeGreaterThan(0);
    // What it shares goes through, under its name.
    const js = nc.jetstream();
    expect((await js.publish('ogas.link.up.report', '{}')).stream).toBe(streamNames('ogas.fed').up);
    expect(await upMessages('ogas.fed.up.central.acme.report')).toBe(before + 1);
    // A kind it does not share, another node's name, targets down, our stream's API: none reaches us.
    await expect(js.publish('ogas.link.up.alert', '{}', { timeout: 1500 })).rejects.toThrow();
    for (const subject of [
      'ogas.fed.up.central.acme.alert',
      'ogas.fed.up.central.north.report',
      'ogas.fed.down.acme.targets',
    ])
      nc.publish(subject, '{}');
    await nc.flush();
    const wide = await nc.jetstreamManager({ apiPrefix: 'ogas.link.API', checkAPI: false });
    await expect(
      wide.consumers.add(streamNames('ogas.fed').down, {
        durable_name: 'down-acme',
        filter_subject: 'ogas.fed.down.>',
      }),
    ).rejects.toThrow();
    await expect(wide.streams.info(streamNames('ogas.fed').up)).rejects.toThrow();
    expect(await upMessages('ogas.fed.up.central.acme.alert')).toBe(0);
    expect(await upMessages('ogas.fed.up.central.north.>')).toBe(0);
    expect(await upMessages('ogas.fed.up.>')).toBe(all + 1);
    // A wrong password or key is refused.
    await expect(connect({ servers: nats.url, user: 'acme-central', pass: 'acme-wrong' })).rejects.toThrow();
    await expect(
      connect({ servers: nats.url, authenticator: nkeyAuthenticator(nkeys.createUser().getSeed()) }),
    ).rejects.toThrow();
  });
});
