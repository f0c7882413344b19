// An alert from below only moves forward at a node (open → acknowledged → resolved): a child's later revision
// behind the state here does not undo an acknowledgement made here, but its facts still replace the stored ones.
// The memory store (mergeRemoteAlert) and the repository's SQL upsert must say the same, in any order of arrival.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/connect';
import { backends, openTestStore } from '../store/test-store';
import { ALERT_STATUSES, mergeRemoteAlert, statusRank } from './alert-status';
import { MemoryFederationStore } from './federation-memory-store';
import { FederationRepository } from './federation.repository';
import type { FederationStore, RemoteAlert } from './federation-store';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute));

const revision = (rev: number, status: string, actual = 90): RemoteAlert => ({
  originAlertId: 'depot:al_1',
  childNode: 'depot',
  originNode: 'depot',
  unitId: 'u-north',
  status,
  severity: 'warning',
  message: `at ${actual} % of plan`,
  originUnitCode: 'depot',
  openedAt: at(0),
  kind: 'plan-shortfall',
  shortfall: null,
  rev,
  receivedAt: at(rev),
  forwardDueAt: at(rev + 15),
  forwardedAt: null,
  forwardedRev: null,
  statusBy: 'system:node:depot',
  statusAt: at(rev),
});

describe('mergeRemoteAlert', () => {
  it("keeps an acknowledgement made here when the child's newer revision is still open, and takes its facts", () => {
    const acked = {
      ...revision(1, 'open'),
      status: 'acknowledged',
      statusBy: 'person:p_ana',
      statusAt: at(5),
      forwardDueAt: null,
    };
    const merged = mergeRemoteAlert(acked, revision(2, 'open', 80));
    expect(merged).toMatchObject({
      status: 'acknowledged',
      statusBy: 'person:p_ana',
      statusAt: at(5),
      message: 'at 80 % of plan',
      rev: 2,
      forwardDueAt: null,
    });
    // Resolved at the origin is further along: it moves the state, and says who.
    expect(mergeRemoteAlert(merged, revision(3, 'resolved'))).toMatchObject({
      status: 'resolved',
      statusBy: 'system:node:depot',
      statusAt: at(3),
    });
  });

  it('changes nothing for a redelivery or an older revision', () => {
    expect(mergeRemoteAlert(revision(2, 'open'), revision(2, 'resolved'))).toBeNull();
    expect(mergeRemoteAlert(revision(2, 'open'), revision(1, 'acknowledged'))).toBeNull();
  });
});

// Events at a middle node: a child's revision (any rev, any state, in any order) or an acknowledgement here.
type Event =
  { kind: 'revision'; rev: number; status: string; actual: number } | { kind: 'ack'; minute: number };
const events = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('revision' as const),
      rev: fc.integer({ min: 1, max: 12 }),
      status: fc.constantFrom(...ALERT_STATUSES),
      actual: fc.integer({ min: 50, max: 94 }),
    }),
    fc.record({ kind: fc.constant('ack' as const), minute: fc.integer({ min: 20, max: 40 }) }),
  ),
  { minLength: 1, maxLength: 10 },
);

async function apply(store: FederationStore, list: Event[]): Promise<(RemoteAlert | null)[]> {
  const seen: (RemoteAlert | null)[] = [];
  for (const e of list) {
    if (e.kind === 'revision') await store.upsertAlert(revision(e.rev, e.status, e.actual));
    else await store.acknowledgeRemoteAlert('depot:al_1', 'person:p_ana', at(e.minute));
    seen.push(await store.remoteAlert('depot:al_1'));
  }
  return seen;
}

describe.each(backends())('the stored state of an alert from below (%s)', (backend) => {
  let db: Store;
  beforeAll(async () => {
    db = await openTestStore(backend);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('only moves forward, takes the newest revision’s facts, and the database agrees with the rule', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (list) => {
        await db.db.deleteFrom('federation_alerts').execute();
        const inDb = await apply(new FederationRepository(db.db), list);
        const inMemory = await apply(new MemoryFederationStore(), list);
        expect(inDb).toEqual(inMemory);
        let newest = 0;
        let rank = -1;
        list.forEach((e, i) => {
          const now = inDb[i];
          if (e.kind === 'revision' && e.rev > newest) {
            newest = e.rev;
            // The newest revision's facts are the ones kept.
            expect(now?.message).toBe(`at ${e.actual} % of plan`);
          }
          if (now) {
            expect(statusRank(now.status)).toBeGreaterThanOrEqual(rank);
            rank = statusRank(now.status);
            expect(now.rev).toBe(newest);
          }
        });
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });
});
