// The bulk write of readings (COPY, whole batches) stores exactly what the reference path stores (one INSERT …
// ON CONFLICT per reading, each reading its own call): the same readings with the same forecasts, the same
// alerts with the same signals, the same quarantine, the same detector states. Runs on PGlite (npm test) and
// PostgreSQL (npm run test:services).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { buildApp, type App } from '../app/container';
import { ManualClock } from '../core/clock';
import { SYSTEM } from '../core/principal';
import { openTestStore, type Backend } from '../store/test-store';
import type { ReadingsWrite } from './cybernet.repository';
import type { RawReading } from './reading';
import { DETECTOR_KINDS, seedDetectorSeries, seriesValue } from '../testing/detector-series';

const PER_SERIES = 160;
const start = Date.parse('2029-01-01T00:00:00Z');

/** A noisy level with an outlier and a step, so every detector signals; a few source ids need escaping. */
function readings(): RawReading[] {
  const out: RawReading[] = [];
  for (let i = 0; i < PER_SERIES; i++) {
    for (const [s, d] of DETECTOR_KINDS.entries()) {
      const value = seriesValue(i, s);
      const sourceId = i % 50 === 7 ? `odd\t${i}\\x\n\r"'` : `${d}-${i}`;
      out.push({ unit: 'W1', indicator: d, value, at: start + i * 60_000, sourceId });
    }
  }
  // Bad readings, which must be quarantined with their reason by both paths.
  out.splice(40, 0, { unit: 'W1', indicator: 'nope', value: 1, at: start, sourceId: 'x-1' });
  out.splice(80, 0, { unit: 'W1', indicator: 'spc', value: 'hot', at: start, sourceId: 'x-2' });
  out.splice(120, 0, {
    unit: 'W1',
    indicator: 'spc',
    value: 1,
    at: start + 10 * 86_400_000,
    sourceId: 'x-3',
  });
  return out;
}

async function world(backend: Backend, write: ReadingsWrite, pooled = false) {
  const clock = new ManualClock('2029-01-02T00:00:00Z');
  // Pooled: every batch of 8 readings or more is split in groups run on two worker threads, each group's
  // readings written while the next groups are detected; the threshold is lowered so these small batches do.
  const app = buildApp(await openTestStore(backend), clock, {
    readingsWrite: write,
    detectors: pooled ? { detectorWorkers: 2, poolMinReadings: 8 } : { detectorWorkers: 0 },
  });
  const { rootId } = await seedDetectorSeries(app);
  return { app, clock, source: { reporterUnitId: rootId, channel: 'http' as const, actor: SYSTEM.kind } };
}

/** Everything ingestion wrote, with ids replaced by indicator codes so two databases compare. */
async function snapshot(app: App) {
  const db = app.store.db as unknown as Kysely<unknown>;
  const rows = async (q: ReturnType<typeof sql>) => (await q.execute(db)).rows;
  return {
    readings: await rows(sql`
      select i.code, r.source_id, r.at, r.value, r.channel, r.forecast_mean, r.forecast_lower,
        r.forecast_upper, r.score, r.change_point
      from readings r join indicators i on i.id = r.indicator_id order by i.code, r.at, r.source_id`),
    alerts: await rows(sql`
      select i.code, a.status, a.severity, a.rule, a.message, a.evidence, a.signal_count, a.opened_at,
        a.last_signal_at, a.escalate_due_at, a.resolved_at, a.resolved_by
      from alerts a join indicators i on i.id = a.indicator_id order by i.code, a.opened_at, a.rule`),
    events: await rows(sql`
      select i.code, e.kind, e.actor, e.detail from alert_events e join alerts a on a.id = e.alert_id
      join indicators i on i.id = a.indicator_id order by i.code, e.id`),
    quarantine: await rows(sql`
      select channel, actor, reason, message, source_id, raw from quarantine order by source_id`),
    states: await rows(sql`
      select i.code, s.detector_kind, s.state, s.readings, s.last_at, s.quiet_seconds,
        s.open_alert_id is not null as has_open_alert
      from series_state s join indicators i on i.id = s.indicator_id order by i.code`),
  };
}

/** Sends the readings in uneven batches, a reading repeated inside one batch and one batch sent twice. */
async function sendInBatches(w: Awaited<ReturnType<typeof world>>, all: RawReading[]) {
  let accepted = 0;
  let quarantined = 0;
  const cuts = [0, 97, 98, 301, all.length];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const batch = all.slice(cuts[k], cuts[k + 1]);
    if (k === 2) batch.push(batch[0] as RawReading);
    const res = await w.app.services.ingest.ingest(batch, w.source);
    accepted += res.accepted;
    quarantined += res.quarantined.length;
  }
  const again = await w.app.services.ingest.ingest(all.slice(98, 301), w.source);
  return { accepted, quarantined, again };
}

type Row = Record<string, unknown>;

export function readingsWriteSuite(backend: Backend): void {
  describe(`bulk readings write on ${backend}`, () => {
    const worlds: Awaited<ReturnType<typeof world>>[] = [];
    afterAll(async () => {
      for (const w of worlds) await w.app.close();
    });
    const all = readings();
    let rowByRow: Awaited<ReturnType<typeof snapshot>>;
    let batchedInsert: Awaited<ReturnType<typeof snapshot>>;
    let batchedCopy: Awaited<ReturnType<typeof snapshot>>;
    let batchedTextCopy: Awaited<ReturnType<typeof snapshot>>;
    let pooledCopy: Awaited<ReturnType<typeof snapshot>>;
    beforeAll(async () => {
      // The reference: each reading alone through INSERT … ON CONFLICT.
      const reference = await world(backend, 'insert');
      worlds.push(reference);
      let accepted = 0;
      for (const r of all)
        accepted += (await reference.app.services.ingest.ingest([r], reference.source)).accepted;
      expect(accepted).toBe(DETECTOR_KINDS.length * PER_SERIES);
      rowByRow = await snapshot(reference.app);
      for (const write of ['insert', 'copy', 'copy-text', 'pooled'] as const) {
        const w = await world(backend, write === 'pooled' ? 'copy' : write, write === 'pooled');
        worlds.push(w);
        const sent = await sendInBatches(w, all);
        expect(sent.accepted).toBe(DETECTOR_KINDS.length * PER_SERIES);
        expect(sent.quarantined).toBe(3);
        expect(sent.again.accepted).toBe(0);
        expect(sent.again.quarantined).toHaveLength(1);
        expect(sent.again.duplicates).toBe(202);
        if (write === 'insert') batchedInsert = await snapshot(w.app);
        else if (write === 'copy') batchedCopy = await snapshot(w.app);
        else if (write === 'copy-text') batchedTextCopy = await snapshot(w.app);
        else pooledCopy = await snapshot(w.app);
      }
    }, 300_000);

    it('COPY stores exactly what INSERT stores for the same batches: readings, alerts, timeline, quarantine, states', () => {
      expect(batchedCopy.readings).toHaveLength(DETECTOR_KINDS.length * PER_SERIES);
      // Every detector raised something, so the comparison of alerts is of real content.
      expect(new Set(batchedCopy.alerts.map((x) => (x as Row).code))).toEqual(new Set(DETECTOR_KINDS));
      expect(batchedCopy.readings).toEqual(batchedInsert.readings);
      expect(batchedCopy.alerts).toEqual(batchedInsert.alerts);
      expect(batchedCopy.events).toEqual(batchedInsert.events);
      expect(batchedCopy.quarantine).toEqual(batchedInsert.quarantine);
      expect(batchedCopy.states).toEqual(batchedInsert.states);
      // The source ids COPY must escape (tab, backslash, newline, carriage return) came back as sent.
      expect(batchedCopy.readings.map((x) => (x as Row).source_id)).toContain(`odd\t7\\x\n\r"'`);
    });

    it('binary COPY stores exactly what text COPY stores, to the bit of every double', () => {
      expect(batchedTextCopy.readings).toHaveLength(DETECTOR_KINDS.length * PER_SERIES);
      expect(batchedCopy.readings).toEqual(batchedTextCopy.readings);
      expect(batchedCopy.alerts).toEqual(batchedTextCopy.alerts);
      expect(batchedCopy.states).toEqual(batchedTextCopy.states);
      // toEqual reads doubles back as JavaScript numbers; compare their bits too.
      const bits = (rows: unknown[]) =>
        rows.map((x) => {
          const r = x as Row;
          return [r.value, r.forecast_mean, r.forecast_lower, r.forecast_upper, r.score].map((v) =>
            typeof v === 'number' ? Buffer.from(new Float64Array([v]).buffer).toString('hex') : v,
          );
        });
      expect(bits(batchedCopy.readings)).toEqual(bits(batchedTextCopy.readings));
    });

    it('batches split across detector workers store exactly what one pass on the main thread stores', () => {
      expect(pooledCopy.readings).toEqual(batchedCopy.readings);
      expect(pooledCopy.alerts).toEqual(batchedCopy.alerts);
      expect(pooledCopy.events).toEqual(batchedCopy.events);
      expect(pooledCopy.quarantine).toEqual(batchedCopy.quarantine);
      expect(pooledCopy.states).toEqual(batchedCopy.states);
    });

    it('batched COPY stores what one reading at a time stores: readings, forecasts, quarantine, states, signals', () => {
      expect(batchedCopy.readings).toEqual(rowByRow.readings);
      expect(batchedCopy.states).toEqual(rowByRow.states);
      // The resent batch's bad reading is quarantined once more: compare the distinct rows.
      const distinct = (rows: unknown[]) => [...new Set(rows.map((x) => JSON.stringify(x)))].sort();
      expect(distinct(batchedCopy.quarantine)).toEqual(distinct(rowByRow.quarantine));
      expect(batchedCopy.quarantine).toHaveLength(rowByRow.quarantine.length + 1);
      // The same alerts, opened at the same reading with the same rule, holding the same number of signals.
      // (An alert opened by several signals of one batch keeps the first one's words; sent one by one, each
      // later signal rewrites them: that was so before COPY too, and is left as it is.)
      const shape = (rows: unknown[]) =>
        rows.map((x) => {
          const r = x as Row;
          return [r.code, r.status, r.severity, r.signal_count, r.opened_at, r.escalate_due_at];
        });
      expect(shape(batchedCopy.alerts)).toEqual(shape(rowByRow.alerts));
      const opened = (rows: unknown[]) => rows.filter((x) => (x as Row).kind === 'opened');
      expect(opened(batchedCopy.events)).toEqual(opened(rowByRow.events));
    });
  });
}
