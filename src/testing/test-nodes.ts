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

/**
 * A parent node and one child, each a NATS user named by its node id with the password `<id>-secret` (as
 * `natsConfig` is given them), pushed onto `into` as each starts (so the caller closes what did start), then
 * joined.
 */
export async function startNodePair(
  into: FederationNode[],
  pair: {
    natsUrl: string;
    parent: { app: App; id: string; unitId: string };
    child: { app: App; id: string; unitId: string };
    settings?: Record<string, unknown>;
  },
  log: Logger,
): Promise<void> {
  const credentials = (id: string) => ({ nodeId: id, natsUser: id, natsPassword: `${id}-secret` });
  const shared = { natsUrl: pair.natsUrl, ...pair.settings };
  into.push(
    await startTestNode(
      pair.parent.app,
      { ...shared, ...credentials(pair.parent.id), parent: null, unitId: pair.parent.unitId },
      log,
    ),
  );
  into.push(
    await startTestNode(
      pair.child.app,
      { ...shared, ...credentials(pair.child.id), parent: pair.parent.id, unitId: pair.child.unitId },
      log,
    ),
  );
  await Promise.all(into.map((n) => n.joined));
}
