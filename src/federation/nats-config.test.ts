// The generated NATS configuration's refusals of a tree it cannot make safe, and the partner's exports and
// imports (the behaviour on a real server is in tests/services/federation-partners.test.ts).
import { describe, expect, it } from 'vitest';
import { natsConfig, partnerLink, partnerSchema, type FederationTree } from './nats-config';

const base: FederationTree = {
  nodes: [{ id: 'central', parent: null, password: 'central-secret' }],
};
const partner = {
  id: 'acme',
  parent: 'central',
  account: 'ACME',
  shares: ['report' as const],
  tree: { nodes: [{ id: 'acme-central', parent: null, password: 'acme-secret' }] },
};

describe('natsConfig', () => {
  it('needs exactly one credential per user, and a well-formed public NKey', () => {
    expect(() => natsConfig({ nodes: [{ id: 'central', parent: null }] })).toThrow(
      /exactly one of password and nkey/,
    );
    expect(() =>
      natsConfig({
        nodes: [{ id: 'central', parent: null, password: 'central-secret', nkey: `U${'A'.repeat(55)}` }],
      }),
    ).toThrow(/exactly one of password and nkey/);
    expect(() => natsConfig({ nodes: [{ id: 'central', parent: null, nkey: 'SUAAAA' }] })).toThrow(
      /public user NKey/,
    );
    const text = natsConfig({ nodes: [{ id: 'central', parent: null, nkey: `U${'A'.repeat(55)}` }] });
    expect(text).toContain(`nkey: "U${'A'.repeat(55)}"`);
    expect(text).not.toContain('password');
  });

  it('exports to a partner only the kinds it shares and its own down consumer, and refuses unsafe partners', () => {
    const link = partnerLink('ogas.fed', partnerSchema.parse(partner));
    expect(link.filter((l) => l.ours.startsWith('ogas.fed.up.')).map((l) => [l.ours, l.theirs])).toEqual([
      ['ogas.fed.up.central.acme.report', 'ogas.link.up.report'],
    ]);
    expect(link.map((l) => l.ours)).toContain(
      '$JS.API.CONSUMER.CREATE.OGAS_FED_DOWN.down-acme.ogas.fed.down.acme.>',
    );
    const text = natsConfig({ ...base, partners: [partner] });
    expect(text).toContain('ACME: {');
    expect(text).not.toMatch(/ogas\.fed\.up\.central\.acme\.alert/);
    expect(() => natsConfig({ ...base, partners: [{ ...partner, parent: 'north' }] })).toThrow(
      /parent north is not one of our nodes/,
    );
    expect(() => natsConfig({ ...base, partners: [{ ...partner, account: 'OGAS' }] })).toThrow(
      /already used/,
    );
    expect(() =>
      natsConfig({
        ...base,
        partners: [{ ...partner, tree: { nodes: [{ id: 'acme', parent: null, password: 'acme-secret' }] } }],
      }),
    ).toThrow(/its own tree has a node called acme/);
    expect(() => natsConfig({ ...base, partners: [{ ...partner, linkPrefix: 'ogas.fed.link' }] })).toThrow(
      /linkPrefix must lie outside its own prefix/,
    );
  });
});
