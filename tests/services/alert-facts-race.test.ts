// A plan-shortfall alert's newer facts go up once, even when a reading's notice and the report pass try to send
// them at the same moment: on the real PostgreSQL server (TEST_DATABASE_URL), many passes race in transactions
// of their own, and the update is claimed in the same transaction as its message, so exactly one sends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { FederationRepository } from '../../src/federation/federation.repository';
import type { FederationService, TopAlert } from '../../src/federation/federation.service';
import { northNode, northShortfall } from '../../src/testing/alert-node';
import type { Store } from '../../src/store/connect';
import { openTestStore } from '../../src/store/test-store';

const clock = new ManualClock('2026-03-01T08:00:00Z');
let store: Store;
let repo: FederationRepository;
let service: FederationService;
let current: TopAlert;

const shortfall = (actual: number): TopAlert => northShortfall('al_race', actual);
const notice = () => ({ type: 'alert' as const, change: 'updated' as const, alert: current }) as never;
const sentActuals = async () =>
  (await repo.unsent(1000))
    .filter((r) => r.subject.endsWith('.alert'))
    .map((r) => (JSON.parse(r.body) as { alert: { shortfall: { actual: number } } }).alert.shortfall.actual);

beforeAll(async () => {
  store = await openTestStore('postgres');
  repo = new FederationRepository(store.db);
  service = northNode(repo, clock, () => [current]);
}, 60_000);

afterAll(async () => {
  await store?.close();
});

describe("a shortfall alert's facts update, raced", () => {
  it('is sent once when notices and report passes run at the same moment', async () => {
    current = shortfall(90);
    expect(await service.onAlert(notice(), 'depot')).toBe(true);
    const expected = [90];
    // Five later short readings, each past the interval; each time eight notices and eight report passes race.
    for (const actual of [85, 80, 75, 70, 65]) {
      clock.advance(1000_000);
      current = shortfall(actual);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => [service.onAlert(notice(), 'depot'), service.sweepAlerts()]).flat(),
      );
      // One of the sixteen sent it (a notice says true, a pass says 1), and only one.
      expect(results.filter((r) => r === true || r === 1)).toHaveLength(1);
      expected.push(actual);
      expect(await sentActuals()).toEqual(expected);
    }
  }, 60_000);
});
