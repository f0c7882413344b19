// What a node keeps of an alert from below when a revision of it arrives. Its state only moves forward,
// open → acknowledged → resolved: a child's later revision that is behind the state here (an "open" facts update
// sent before the acknowledgement made here reached the origin) does not undo it, but its facts (severity,
// message, kind, plan-shortfall facts) are newer and replace the stored ones. Who moved the state here, and
// when, stays with the state: a person here (acknowledging at this node) or the child node whose revision
// carried it. The repository's upsert says the same in SQL (federation.repository.ts), the memory store calls
// this.
import type { RemoteAlert } from './federation-store';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

/** The place of a state in the lifecycle; an unknown one counts as open (it never overrides a known state). */
export function statusRank(status: string): number {
  return Math.max(0, (ALERT_STATUSES as readonly string[]).indexOf(status));
}

/** Who moved an alert from below to its state at this node when the child's revision carried it there. */
export function childActor(childNode: string): string {
  return `system:node:${childNode}`;
}

/**
 * The stored alert after `incoming` (a child's revision, with its own state's actor and time) arrives; null
 * when it changes nothing (a redelivery or an older revision). Where and when it landed, and what this node did
 * with it (forwarding, its forward deadline), are kept.
 */
export function mergeRemoteAlert(stored: RemoteAlert | null, incoming: RemoteAlert): RemoteAlert | null {
  if (stored === null) return incoming;
  if (stored.rev >= incoming.rev) return null;
  const forward = statusRank(incoming.status) > statusRank(stored.status);
  return {
    ...stored,
    severity: incoming.severity,
    message: incoming.message,
    kind: incoming.kind,
    shortfall: incoming.shortfall,
    rev: incoming.rev,
    ...(forward ? { status: incoming.status, statusBy: incoming.statusBy, statusAt: incoming.statusAt } : {}),
  };
}
