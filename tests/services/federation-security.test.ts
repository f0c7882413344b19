// The generated NATS configuration on a nats-server of our own: each node publishes only under its own name
// and reads only what flows to it; another node's subtree is refused by the server itself.
import { connect, nkeyAuthenticator, nkeys, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsConfig, type FederationTree } from '../../src/federation/nats-config';
import { ensureFederationStreams } from '../../src/federation/node-runtime';
import { streamNames } from '../../src/federation/subjects';
import { startOwnNats, type OwnNats } from '../../src/testing/own-nats';

// East signs in with an NKey: the configuration holds its public key, the node its seed.
const eastKey = nkeys.createUser();
const eastSeed = eastKey.getSeed();
const tree: FederationTree = {
  prefix: 'ogas.fed',
  nodes: [
    { id: 'central', parent: null, password: 'central-secret' },
    { id: 'north', parent: 'central', password: 'north-secret' },
    { id: 'south', parent: 'central', password: 'south-secret' },
    { id: 'east', parent: 'central', nkey: eastKey.getPublicKey() },
  ],
};
let nats: OwnNats;
const open: NatsConnection[] = [];

async function as(user: string, password: string): Promise<{ nc: NatsConnection; errors: string[] }> {
  const nc = await connect({ servers: nats.url, user, pass: password, inboxPrefix: `_INBOX.${user}` });
  open.push(nc);
  const errors: string[] = [];
  void (async () => {
    for await (const s of nc.status())
      if (s.type === 'error')
        errors.push((s.data as unknown as { message?: string }).message ?? String(s.data));
  })();
  return { nc, errors };
}

beforeAll(async () => {
  nats = await startOwnNats((port, store) => natsConfig({ ...tree, port, storeDir: store }));
  const central = await as('central', 'central-secret');
  await ensureFederationStreams(central.nc, 'ogas.fed');
}, 30_000);
afterAll(async () => {
  for (const nc of open) await nc.close();
  await nats.stop();
});

const upCount = async (nc: NatsConnection, subject: string) => {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(streamNames('ogas.fed').up, { subjects_filter: subject });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
};

describe('NATS permissions of the federation', () => {
  it('a node publishes its own report, and cannot publish one in the name of another node', async () => {
    const north = await as('north', 'north-secret');
    const ack = await north.nc.jetstream().publish('ogas.fed.up.central.north.report', '{}');
    expect(ack.seq).toBeGreaterThan(0);
    await expect(
      north.nc.jetstream().publish('ogas.fed.up.central.south.report', '{}', { timeout: 2000 }),
    ).rejects.toThrow();
    north.nc.publish('ogas.fed.up.central.south.report', '{}');
    await north.nc.flush();
    await new Promise((r) => setTimeout(r, 300));
    // The server reports each refused publish to the publisher (once for each of the two attempts).
    expect(north.errors).toEqual(['PERMISSIONS_VIOLATION', 'PERMISSIONS_VIOLATION']);
    const central = await as('central', 'central-secret');
    expect(await upCount(central.nc, 'ogas.fed.up.central.north.>')).toBe(1);
    expect(await upCount(central.nc, 'ogas.fed.up.central.south.>')).toBe(0);
  });

  it("a node cannot send targets down to a node that is not its child, nor read another node's stream", async () => {
    const north = await as('north', 'north-secret');
    await expect(
      north.nc.jetstream().publish('ogas.fed.down.south.targets', '{}', { timeout: 2000 }),
    ).rejects.toThrow();
    const jsm = await north.nc.jetstreamManager();
    await expect(
      jsm.consumers.add(streamNames('ogas.fed').down, {
        durable_name: 'down-south',
        filter_subject: 'ogas.fed.down.south.>',
      }),
    ).rejects.toThrow();
    const central = await as('central', 'central-secret');
    expect((await central.nc.jetstream().publish('ogas.fed.down.south.targets', '{}')).seq).toBeGreaterThan(
      0,
    );
  });

  it("a node cannot make its own durable consumer read other nodes' messages (a wider filter)", async () => {
    const north = await as('north', 'north-secret');
    const jsm = await north.nc.jetstreamManager();
    const down = streamNames('ogas.fed').down;
    await expect(
      jsm.consumers.add(down, { durable_name: 'down-north', filter_subject: 'ogas.fed.down.>' }),
    ).rejects.toThrow();
    expect(
      (await jsm.consumers.add(down, { durable_name: 'down-north', filter_subject: 'ogas.fed.down.north.>' }))
        .config.filter_subject,
    ).toBe('ogas.fed.down.north.>');
  });

  it('a node with an NKey signs in with its seed and publishes its own reports; another key is refused', async () => {
    const east = await connect({
      servers: nats.url,
      authenticator: nkeyAuthenticator(eastSeed),
      inboxPrefix: '_INBOX.east',
    });
    open.push(east);
    expect((await east.jetstream().publish('ogas.fed.up.central.east.report', '{}')).seq).toBeGreaterThan(0);
    await expect(
      east.jetstream().publish('ogas.fed.up.central.north.report', '{}', { timeout: 2000 }),
    ).rejects.toThrow();
    const stranger = nkeys.createUser().getSeed();
    await expect(
      connect({ servers: nats.url, authenticator: nkeyAuthenticator(stranger), reconnect: false }),
    ).rejects.toThrow();
    // Nor may anyone sign in as the NKey's user with a password.
    await expect(connect({ servers: nats.url, user: 'east', pass: 'east-secret' })).rejects.toThrow();
  });

  it('a wrong password is refused', async () => {
    await expect(connect({ servers: nats.url, user: 'north', pass: 'south-secret' })).rejects.toThrow();
  });
});
