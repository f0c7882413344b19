// Federation nodes for tests: the real runtime (`startFederationNode`) on an app of the test's own, over a
// nats-server of the test's own, with the settings the tests share: hourly buckets, a report every 0.2 s, a
// send every 100 ms, and no operations over NATS.
import type { App } from '../app/container';
import type { BaseLogger as Logger } from 'pino';
import { startFederationNode, type FederationNode } from '../federation/node-runtime';
import { nodeSettingsSchema } from '../federation/node-settings';

/** One node; `settings` are the node's own (its id, unit, credentials) over the shared defaults. */
export function startTestNode(
  app: App,
  settings: Record<string, unknown>,
  log: Logger,
): Promise<FederationNode> {
  return startFederationNode(
    app,
    nodeSettingsSchema.parse({ bucketSeconds: 3600, reportEverySeconds: 0.2, ...settings }),
    log,
    { sendEveryMs: 100, operations: false },
  );
}

type NodeOf = { app: App; id: string; unitId: string };

/**
 * A chain of nodes, each the parent of the next (the first is the federation's top), each a NATS user named by
 * its node id with the password `<id>-secret` (as `natsConfig` is given them), pushed onto `into` as each starts
 * (so the caller closes what did start), then joined.
 */
export async function startNodeChain(
  into: FederationNode[],
  chain: { natsUrl: string; nodes: NodeOf[]; settings?: Record<string, unknown> },
  log: Logger,
): Promise<void> {
  const shared = { natsUrl: chain.natsUrl, ...chain.settings };
  let parent: string | null = null;
  for (const n of chain.nodes) {
    into.push(
      await startTestNode(
        n.app,
        { ...shared, nodeId: n.id, natsUser: n.id, natsPassword: `${n.id}-secret`, parent, unitId: n.unitId },
        log,
      ),
    );
    parent = n.id;
  }
  await Promise.all(into.map((n) => n.joined));
}

/** A parent node and one child (a chain of two). */
export function startNodePair(
  into: FederationNode[],
  pair: { natsUrl: string; parent: NodeOf; child: NodeOf; settings?: Record<string, unknown> },
  log: Logger,
): Promise<void> {
  return startNodeChain(
    into,
    {
      natsUrl: pair.natsUrl,
      nodes: [pair.parent, pair.child],
      ...(pair.settings && { settings: pair.settings }),
    },
    log,
  );
}
