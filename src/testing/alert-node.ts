// A federation node for tests of what goes up of its own alerts: "north" under "central", its top unit, no
// readings, and its top-level alerts as the test sets them (each from the unit coded "depot"). Shared by the
// sweep's unit tests (memory store) and the facts race on real PostgreSQL (the repository).
import type { Clock } from '../core/clock';
import type { FederationStore } from '../federation/federation-store';
import { FederationService, type TopAlert } from '../federation/federation.service';
import { nodeSettingsSchema } from '../federation/node-settings';

export const NORTH_TOP = { id: 'u-top', path: '/u-top/', code: 'north' };

export function northNode(
  store: FederationStore,
  clock: Clock,
  topAlerts: () => TopAlert[],
  alertForwardSeconds = 900,
): FederationService {
  const service = new FederationService(
    store,
    {
      unit: async () => NORTH_TOP,
      subtreeCodes: async () => ['north'],
      indicatorsUnder: async () => [],
      buckets: async () => [],
      topAlerts: async () => topAlerts().map((alert) => ({ alert, unitCode: 'depot' })),
    },
    clock,
  );
  service.configure(
    nodeSettingsSchema.parse({
      nodeId: 'north',
      parent: 'central',
      unitId: NORTH_TOP.id,
      natsUrl: 'nats://unused',
      alertForwardSeconds,
    }),
  );
  return service;
}

/**
 * A plan-shortfall alert on NORTH_TOP: plan "P"'s target 100, `actual` reached (a percentage), tolerance 0.05;
 * `evidence` adds to (or overrides) the evidence's fields.
 */
export function northShortfall(
  id: string,
  actual: number,
  status: TopAlert['status'] = 'open',
  evidence: Record<string, unknown> = {},
): TopAlert {
  return {
    id,
    status,
    severity: 'warning',
    message: `Cars built is at ${actual} % of plan "P"`,
    openedAt: new Date('2026-03-01T08:00:00Z'),
    level: { unitId: NORTH_TOP.id },
    kind: 'plan-shortfall',
    evidence: {
      planId: 'pl_1',
      planName: 'P',
      target: 100,
      actual,
      fulfilment: actual / 100,
      tolerance: 0.05,
      ...evidence,
    },
  };
}
