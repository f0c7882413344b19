// Planning rounds across nodes, on PGlite with the transport played by hand (as federation.test.ts): a round
// opened at the parent goes down to the child whose subtree holds a unit taking part; the unit's proposal at the
// child goes up and is recorded in the parent's round as if made there, idempotently; what the parent cannot
// apply (a capacity exceeded, an unknown round or unit, a round closed meanwhile) is quarantined with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { roundsEconomy } from '../planning/rounds/rounds-fixture';
import { nodeSettingsSchema } from './node-settings';
import { senderOfUp } from './subjects';

const PREFIX = 'ogas.i15up';
let parent: TestApp;
let child: TestApp;
let roundsId = '';
const sent: { subject: string; body: string }[] = [];

async function pump(from: TestApp, to: TestApp): Promise<number> {
  const box = from.services.federation.outbox();
  const rows = await box.unsent(1000);
  for (const r of rows) {
    sent.push({ subject: r.subject, body: r.body });
    const sender = r.subject.startsWith(`${PREFIX}.up.`) ? senderOfUp(PREFIX, r.subject) : null;
    await to.services.federation.receive(r.subject, r.body, sender ?? undefined);
  }
  await box.markSent(
    rows.map((r) => r.id),
    new Date(),
  );
  return rows.length;
}

type Round = {
  current: number | null;
  rounds: {
    round: number;
    prices: { kind: string; code: string; price: number }[];
    proposals: { unit: string; source: string; submittedBy: string; levels: Record<string, number> }[];
  }[];
};
type Quarantine = { entries: { reason: string; message: string; subject: string }[] };

const unit = (app: TestApp, parentId: string | null, name: string, code: string, kind = 'co-op') =>
  app.call('holarchy.unit.create', { parentId, name, code, kind }) as Promise<{ id: string }>;
const roundAt = async (round: number) =>
  ((await parent.call('planning.rounds.get', { roundsId, round })) as Round).rounds.find(
    (r) => r.round === round,
  )!;
const propose = (levels: { technology: string; quantity: number }[], unitCode = 'farm') =>
  child.call('federation.rounds.propose', { roundsId, unit: unitCode, levels });
const quarantined = async (app: TestApp, reason: string) =>
  ((await app.call('federation.quarantine', {})) as Quarantine).entries.filter((e) => e.reason === reason);

beforeAll(async () => {
  [parent, child] = await Promise.all([createTestApp(), createTestApp()]);
  const root = await unit(parent, null, 'Valley', 'valley', 'economy');
  await unit(parent, root.id, 'Bakery', 'bakery');
  await unit(parent, root.id, 'Smithy', 'smithy');
  const attach = await unit(parent, root.id, 'North', 'north', 'region');
  const childRoot = await unit(child, null, 'North region', 'north-local', 'region');
  await unit(child, childRoot.id, 'Farm', 'farm');
  const base = { natsUrl: 'nats://unused', prefix: PREFIX, bucketSeconds: 3600, lookbackSeconds: 86400 };
  parent.services.federation.configure(
    nodeSettingsSchema.parse({ ...base, nodeId: 'central', parent: null, unitId: root.id }),
  );
  child.services.federation.configure(
    nodeSettingsSchema.parse({ ...base, nodeId: 'north', parent: 'central', unitId: childRoot.id }),
  );
  await parent.call('federation.child.add', { node: 'north', unitId: attach.id });
  // The child's unit codes go up first: they say where the farm's round goes.
  await child.services.federation.queueReport();
  await pump(child, parent);
  await parent.call('economy.import', {
    content: JSON.stringify(roundsEconomy()),
    format: 'json',
    unitId: root.id,
  });
});
afterAll(async () => {
  await Promise.all([parent.close(), child.close()]);
});

describe('planning rounds across nodes', () => {
  it("opening rounds at the parent sends the round's prices to the child serving a unit that takes part", async () => {
    const economies = (await parent.call('economy.list', {})) as
      { economies: { id: string }[] } | { id: string }[];
    const list = Array.isArray(economies) ? economies : economies.economies;
    const opened = (await parent.call('planning.rounds.open', {
      economyId: list[0]!.id,
      automatic: ['bakery', 'smithy'],
    })) as Round & { id: string };
    roundsId = opened.id;
    expect(await pump(parent, child)).toBe(1);
    const prices = (await roundAt(1)).prices;
    const got = (await child.call('federation.rounds', { unit: 'farm' })) as {
      rounds: { roundsId: string; round: number; units: string[]; fromNode: string; prices: unknown[] }[];
    };
    expect(got.rounds).toEqual([
      expect.objectContaining({ roundsId, round: 1, units: ['farm'], fromNode: 'central', prices }),
    ]);
    expect(prices.length).toBeGreaterThan(0);
    // Only the farm takes part: the child's own top unit has no round, and the bakery (the parent's own unit)
    // is not even known here.
    expect(
      ((await child.call('federation.rounds', { unit: 'north-local' })) as { rounds: unknown[] }).rounds,
    ).toEqual([]);
    const down = JSON.parse(sent.find((m) => m.subject.endsWith('.round-prices'))!.body) as {
      units: string[];
    };
    expect(down.units).toEqual(['farm']);
  });

  it("a proposal at the child is recorded in the parent's round as if made there, once however often delivered", async () => {
    expect(await propose([{ technology: 'field', quantity: 700 }])).toEqual({
      roundsId,
      round: 1,
      unit: 'farm',
      queued: true,
    });
    expect(await pump(child, parent)).toBe(1);
    const farm = () => roundAt(1).then((r) => r.proposals.filter((p) => p.unit === 'farm'));
    expect(await farm()).toEqual([
      expect.objectContaining({ source: 'hand', submittedBy: 'system:node:north', levels: { field: 700 } }),
    ]);
    const last = sent.at(-1)!;
    expect(await parent.services.federation.receive(last.subject, last.body, 'north')).toEqual({
      applied: true,
    });
    expect(await farm()).toEqual([expect.objectContaining({ levels: { field: 700 } })]);
  });

  it('a proposal above a capacity is refused at the parent and quarantined there with the reason', async () => {
    await propose([{ technology: 'field', quantity: 2500 }]);
    await pump(child, parent);
    const [refused] = await quarantined(parent, 'refused');
    expect(refused!.message).toMatch(/proposal of farm .* round 1 was refused/);
    expect(refused!.message).toMatch(/exceeds the capacity of field \(2000\) by 500/);
    // The last proposal that passed stands.
    expect((await roundAt(1)).proposals.find((p) => p.unit === 'farm')!.levels).toEqual({ field: 700 });
  });

  it('quarantines a proposal for unknown rounds or for a unit the child does not serve', async () => {
    const body = JSON.parse(sent.at(-1)!.body) as Record<string, unknown>;
    const subject = sent.at(-1)!.subject;
    await parent.services.federation.receive(
      subject,
      JSON.stringify({ ...body, roundsId: 'rd_ghost' }),
      'north',
    );
    await parent.services.federation.receive(subject, JSON.stringify({ ...body, unit: 'bakery' }), 'north');
    expect((await quarantined(parent, 'unknown-round'))[0]!.message).toMatch(/no planning rounds "rd_ghost"/);
    expect((await quarantined(parent, 'unknown-unit'))[0]!.message).toMatch(/serves no unit "bakery"/);
    await expect(propose([{ technology: 'oven', quantity: 1 }], 'north-local')).rejects.toThrow(
      /"north-local" does not take part in round 1/,
    );
  });

  it('the next round goes down when the parent closes one; a proposal for the closed round is refused there', async () => {
    await propose([{ technology: 'field', quantity: 600 }]);
    await parent.call('planning.rounds.close', { roundsId });
    expect(await pump(parent, child)).toBe(1);
    const got = (await child.call('federation.rounds', { unit: 'farm' })) as { rounds: { round: number }[] };
    expect(got.rounds.map((r) => r.round)).toEqual([2]);
    // The round-1 proposal arrives late (the child was offline): refused, not put in round 2.
    await pump(child, parent);
    const refusals = await quarantined(parent, 'refused');
    expect(refusals.some((e) => /answers round 1, but round 2 is open/.test(e.message))).toBe(true);
    expect((await roundAt(2)).proposals.find((p) => p.unit === 'farm')?.source).not.toBe('hand');
    // Replayed round-1 prices change nothing at the child.
    const first = sent.find((m) => m.subject.endsWith('.round-prices'))!;
    await child.services.federation.receive(first.subject, first.body);
    expect(
      (
        (await child.call('federation.rounds', { unit: 'farm' })) as { rounds: { round: number }[] }
      ).rounds.map((r) => r.round),
    ).toEqual([2]);
  });
});
