// Detection after commit (OGAS_DETECTION=deferred): the ingest call commits the readings and a backlog row per
// series; the runner examines the backlog later. These tests hold it to the inline path's results: after the
// runner has passed the watermark, the store holds exactly what inline detection stores for the same batches
// (readings with their forecasts, alerts, their timeline, detector states), also when a process stops half way
// and another resumes, when a round's transaction is rolled back, and when a batch cannot be examined at all
// (it is set aside with its reason, the rest goes on). Runs on PGlite (npm test) and PostgreSQL (services).
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { buildApp, type App, type BuildOptions } from '../app/container';
import { ManualClock } from '../core/clock';
import { SYSTEM } from '../core/principal';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { createLogger } from '../core/logger';
import { openTestStore, type Backend } from '../store/test-store';
import type { Store } from '../store/connect';
import { CybernetRepository } from './cybernet.repository';
import { DetectionBacklogRepository } from './detection-backlog.repository';
import { DetectionRunner } from './detection-runner';
import { unpackReadings } from './backlog-packing';
import type { SeriesMonitor } from './ports';
import type { RawReading } from './reading';
import { DETECTOR_KINDS, seedDetectorSeries, seriesValue } from '../testing/detector-series';

const PER_SERIES = 150;
const start = Date.parse('2029-01-01T00:00:00Z');

/** A noisy level with an outlier and a step, so every detector signals. */
function readings(): RawReading[] {
  const out: RawReading[] = [];
  for (let i = 0; i < PER_SERIES; i++)
    for (const [s, d] of DETECTOR_KINDS.entries()) {
      out.push({
        unit: 'W1',
        indicator: d,
        value: seriesValue(i, s),
        at: start + i * 60_000,
        sourceId: `${d}-${i}`,
      });
    }
  return out;
}

/**
 * Uneven batches; the fourth holds readings stamped *before* the third's (a late sender), so that examining
 * a series' batches in any order but the committed one changes its forecasts and states.
 */
function batches(): RawReading[][] {
  const all = readings();
  const cuts = [0, 40, 121, 200, 330, all.length];
  const out = cuts.slice(0, -1).map((c, k) => all.slice(c, cuts[k + 1]));
  const [third, fourth] = [out[2] as RawReading[], out[3] as RawReading[]];
  out[2] = fourth;
  out[3] = third;
  return out;
}

async function world(store: Store, options: BuildOptions) {
  const clock = new ManualClock('2029-01-02T00:00:00Z');
  const app = buildApp(store, clock, { detectors: { detectorWorkers: 0 }, ...options });
  return { app, clock };
}

async function seed(app: App) {
  const { rootId } = await seedDetectorSeries(app);
  return { reporterUnitId: rootId, channel: 'http' as const, actor: SYSTEM.kind, rootId };
}

/** Everything detection wrote, ids replaced by indicator codes so that two databases compare. */
async function snapshot(app: App) {
  const db = app.store.db as unknown as Kysely<unknown>;
  const rows = async (q: ReturnType<typeof sql>) => (await q.execute(db)).rows;
  return {
    readings: await rows(sql`
      select i.code, r.source_id, r.at, r.value, r.forecast_mean, r.forecast_lower, r.forecast_upper, r.score,
        r.change_point
      from reading_points r join indicators i on i.id = r.indicator_id order by i.code, r.at, r.source_id`),
    alerts: await rows(sql`
      select i.code, a.status, a.severity, a.rule, a.message, a.evidence, a.signal_count, a.opened_at
      from alerts a join indicators i on i.id = a.indicator_id order by i.code, a.opened_at, a.rule`),
    events: await rows(sql`
      select i.code, e.kind, e.actor, e.detail from alert_events e join alerts a on a.id = e.alert_id
      join indicators i on i.id = a.indicator_id order by i.code, e.id`),
    states: await rows(sql`
      select i.code, s.detector_kind, s.state, s.readings, s.last_at, s.quiet_seconds,
        s.open_alert_id is not null as has_open_alert
      from series_state s join indicators i on i.id = s.indicator_id order by i.code`),
  };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** The inline path's results for the batches: what deferred detection must reproduce. */
async function inlineReference(backend: Backend, closing: App[]): Promise<Snapshot> {
  const { app } = await world(await openTestStore(backend), { detection: 'inline' });
  closing.push(app);
  const source = await seed(app);
  for (const b of batches()) {
    const res = await app.services.ingest.ingest(b, source);
    expect(res.detection).toEqual({ mode: 'inline', through: null, awaited: false });
  }
  return snapshot(app);
}

/** Wraps the app's monitor so that a test can make one call fail (a crash, or a batch that cannot be run). */
function faultyMonitor(app: App, fault: { record?: () => void; detect?: (sourceIds: string[]) => void }) {
  const m = app.services.monitor;
  const wrapped: SeriesMonitor = {
    validateDetector: (k, s) => m.validateDetector(k, s),
    startSeries: (tx, i) => m.startSeries(tx, i),
    lockSeries: (tx, ids) => m.lockSeries(tx, ids),
    partition: (b, scope) => m.partition(b, scope),
    detect: (b, locked, p, scope) => {
      fault.detect?.(b.flatMap((x) => x.readings.map((r) => r.sourceId)));
      return m.detect(b, locked as Parameters<typeof m.detect>[1], p, scope);
    },
    record: async (tx, d, locked, p) => {
      const out = await m.record(
        tx,
        d as Parameters<typeof m.record>[1],
        locked as Parameters<typeof m.record>[2],
        p,
      );
      fault.record?.();
      return out;
    },
    publish: (n) => m.publish(n),
  };
  return wrapped;
}

/** One reading row as the repository writes it, of `indicatorId` (which may not exist). */
function row(indicatorId: string, sourceId: string) {
  return {
    indicatorId,
    sourceId,
    at: new Date(start),
    value: 1,
    forecastMean: null,
    forecastLower: null,
    forecastUpper: null,
    score: null,
    changePoint: false,
  };
}

/** A seeded inline world for the readings' key checks: its database, repository and indicator ids. */
async function keyCheckWorld(backend: Backend, closing: App[]) {
  const { app } = await world(await openTestStore(backend), { detection: 'inline' });
  closing.push(app);
  await seed(app);
  const db = app.store.db as unknown as Kysely<unknown>;
  const repo = new CybernetRepository(app.store.db);
  const { rows: ids } = await sql<{ id: string }>`select id from indicators order by id`.execute(db);
  return { app, db, repo, ids };
}

export function detectionRunnerSuite(backend: Backend): void {
  describe(`deferred detection on ${backend}`, () => {
    const closing: App[] = [];
    afterAll(async () => {
      for (const app of closing) await app.close();
    });
    // The inline path's results are the same for every test (the same batches into a fresh store): computed
    // once per suite, each test gets its own copy. It was half of each test's time (a store and 600 readings).
    let inline: Promise<Snapshot> | undefined;
    const inlineOnce = async () => structuredClone(await (inline ??= inlineReference(backend, closing)));

    it('an ingest call returns before detection; awaitDetection waits; the store then equals inline detection', async () => {
      const reference = await inlineOnce();
      // Every detector raised something, so the comparison of alerts is of real content.
      expect(new Set(reference.alerts.map((a) => (a as { code: string }).code))).toEqual(
        new Set(DETECTOR_KINDS),
      );
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false, rowsPerRound: 1 },
      });
      closing.push(app);
      const source = await seed(app);
      const all = batches();
      let through = 0;
      for (const b of all.slice(0, -1)) {
        const res = await app.services.ingest.ingest(b, source);
        expect(res.detection.mode).toBe('deferred');
        expect(res.detection.awaited).toBe(false);
        expect(res.detection.through).toBeGreaterThan(through);
        through = res.detection.through as number;
      }
      // Committed, not yet examined: the readings are there without forecasts, no alert, the backlog holds them.
      const before = await snapshot(app);
      expect(before.readings).toHaveLength(reference.readings.length - (all.at(-1)?.length ?? 0));
      expect(before.readings.every((r) => (r as { forecast_mean: unknown }).forecast_mean === null)).toBe(
        true,
      );
      expect(before.alerts).toEqual([]);
      expect((await app.services.detectionBacklog.pending()).readings).toBe(before.readings.length);
      // The last batch waits for detection: its answer comes once every earlier batch is examined too.
      const last = await app.services.ingest.ingest(all.at(-1) as RawReading[], source, undefined, {
        awaitDetection: true,
      });
      expect(last.detection.awaited).toBe(true);
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
      // Each reading was written once: the rows COPYed at ingest were never rewritten (their forecast columns
      // stay empty), and the forecasts are one row each in reading_forecasts, only where the detector had one.
      const db = app.store.db as unknown as Kysely<unknown>;
      const { rows } = await sql<{ written: number; forecasts: number; useful: number }>`
        select (select count(*)::int from readings where forecast_mean is not null or score is not null
            or change_point) as written,
          (select count(*)::int from reading_forecasts) as forecasts,
          (select count(*)::int from reading_points where forecast_mean is not null or forecast_lower is not null
            or forecast_upper is not null or score is not null or change_point) as useful`.execute(db);
      expect(rows[0]?.written).toBe(0);
      expect(rows[0]?.useful).toBeGreaterThan(0);
      expect(rows[0]?.forecasts).toBe(rows[0]?.useful);
    }, 120_000);

    it('one round folding every committed batch of a series (the default round size) stores what inline detection stores', async () => {
      // A server's runner takes up to 200 backlog rows a round, so a series' batches committed while it was
      // busy are detected as one: the alerts must not depend on how the readings were cut into batches.
      const reference = await inlineOnce();
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false },
      });
      closing.push(app);
      const source = await seed(app);
      for (const b of batches()) await app.services.ingest.ingest(b, source);
      expect(await app.services.detection?.step()).toBe(batches().length * DETECTOR_KINDS.length);
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it("a round detected group by group, each group's forecasts COPYed while the next is detected, stores what inline detection stores", async () => {
      const reference = await inlineOnce();
      const { app, clock } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false },
      });
      closing.push(app);
      const source = await seed(app);
      for (const b of batches()) await app.services.ingest.ingest(b, source);
      // Counts the forecast COPYs, so the test knows the round was cut in groups.
      let copies = 0;
      const repo = new CybernetRepository(app.store.db);
      const insertForecasts = repo.insertForecasts.bind(repo);
      repo.insertForecasts = (tx, rows) => {
        copies++;
        return insertForecasts(tx, rows);
      };
      // Groups of one series each (this test's series are shorter than a group of the default size).
      const runner = new DetectionRunner(
        repo,
        new DetectionBacklogRepository(app.store.db),
        app.services.monitor,
        clock,
        { autoRun: false, groupReadings: 1 },
      );
      expect(await runner.step()).toBe(batches().length * DETECTOR_KINDS.length);
      expect(copies).toBe(DETECTOR_KINDS.length);
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it("the runner posts every detector's series to the worker threads, and the store still equals inline detection", async () => {
      const reference = await inlineOnce();
      // Two workers and a low threshold, so that this small test's rounds are split and posted as a server's are.
      const { app, clock } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectors: { detectorWorkers: 2, poolMinReadings: 8 },
        detectionRunner: { autoRun: false },
      });
      closing.push(app);
      const source = await seed(app);
      for (const b of batches()) await app.services.ingest.ingest(b, source);
      // Records which detectors' series went out in a group of a split round (the pool takes those).
      const split = new Set<string>();
      const monitor = faultyMonitor(app, {});
      const runner = new DetectionRunner(
        new CybernetRepository(app.store.db),
        new DetectionBacklogRepository(app.store.db),
        {
          ...monitor,
          partition: (b, scope) => {
            const groups = monitor.partition(b, scope);
            if (groups.length > 1) for (const g of groups) for (const x of g) split.add(x.indicator.detector);
            return groups;
          },
        },
        clock,
        // One committed batch (one row per series) per round, as the inline path examined them.
        { autoRun: false, rowsPerRound: DETECTOR_KINDS.length, poolScope: 'every' },
      );
      await runner.kick();
      expect(split).toEqual(new Set(DETECTOR_KINDS));
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it('the pipeline (the next round detected on the workers while this one is written) stores what inline detection stores', async () => {
      const reference = await inlineOnce();
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectors: { detectorWorkers: 2, poolMinReadings: 8 },
        // One committed batch (one row per series) per round, so every series continues across rounds.
        detectionRunner: { autoRun: false, rowsPerRound: DETECTOR_KINDS.length, pipeline: true },
      });
      closing.push(app);
      const source = await seed(app);
      for (const b of batches()) await app.services.ingest.ingest(b, source);
      await app.services.detection?.kick();
      // Every round after the first was detected ahead, from the states its predecessor committed.
      expect(app.services.detection?.progress).toMatchObject({
        rows: batches().length * DETECTOR_KINDS.length,
        aheadUsed: batches().length - 1,
        aheadDropped: 0,
      });
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it('the pipeline detects a round again when a state was written after it was detected ahead (an acknowledged change)', async () => {
      // The same steps with and without the pipeline: after the first round, the series are asked to rebaseline
      // (as acknowledging their alerts does), which the round detected ahead did not see.
      const run = async (pipeline: boolean) => {
        const { app } = await world(await openTestStore(backend), {
          detection: 'deferred',
          detectors: { detectorWorkers: pipeline ? 2 : 0, poolMinReadings: 8 },
          detectionRunner: { autoRun: false, rowsPerRound: DETECTOR_KINDS.length, pipeline },
        });
        closing.push(app);
        const source = await seed(app);
        for (const b of batches()) await app.services.ingest.ingest(b, source);
        expect(await app.services.detection?.step()).toBe(DETECTOR_KINDS.length);
        const db = app.store.db as unknown as Kysely<unknown>;
        await sql`update series_state set rebaseline = true`.execute(db);
        await app.services.detection?.kick();
        expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
        return { app, stored: await snapshot(app) };
      };
      const plain = await run(false);
      const piped = await run(true);
      expect(piped.stored).toEqual(plain.stored);
      expect(piped.app.services.detection?.progress).toMatchObject({
        aheadUsed: batches().length - 2,
        aheadDropped: 1,
      });
      // The rebaseline mattered: without it the states would be inline detection's.
      expect(piped.stored.states).not.toEqual((await inlineOnce()).states);
    }, 120_000);

    it('rows queued before migration 0301 (readings as a JSON document) are counted and examined as before', async () => {
      const reference = await inlineOnce();
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false, rowsPerRound: 3 },
      });
      closing.push(app);
      const source = await seed(app);
      for (const b of batches()) await app.services.ingest.ingest(b, source);
      const pending = await app.services.detectionBacklog.pending();
      // Every row turned back into the old form: the JSON document, no packed bytes, no count.
      const db = app.store.db as unknown as Kysely<unknown>;
      const { rows } = await sql<{ id: string; packed: Uint8Array }>`
        select id::text as id, packed from detection_backlog order by id`.execute(db);
      expect(rows).toHaveLength(pending.batches);
      for (const r of rows) {
        const { sourceIds, at, values } = unpackReadings(r.packed);
        await sql`update detection_backlog set readings = ${JSON.stringify({ s: sourceIds, t: at, v: values })}::jsonb,
          packed = null, n = null where id = ${r.id}::bigint`.execute(db);
      }
      expect(await app.services.detectionBacklog.pending()).toEqual(pending);
      await app.services.detection?.kick();
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it('a process stopped half way and a rolled-back round lose and double nothing: a restart resumes from the backlog', async () => {
      const reference = await inlineOnce();
      const store = await openTestStore(backend);
      const first = await world(store, {
        detection: 'deferred',
        detectionRunner: { autoRun: false, rowsPerRound: 2 },
      });
      const source = await seed(first.app);
      for (const b of batches()) await first.app.services.ingest.ingest(b, source);
      const rows = (await first.app.services.detectionBacklog.pending()).batches;
      expect(rows).toBe(DETECTOR_KINDS.length * batches().length);
      // The first process examines two rounds...
      expect(await first.app.services.detection?.step()).toBe(2);
      expect(await first.app.services.detection?.step()).toBe(2);
      // ...then a round whose transaction fails after raising its alerts, before its commit (the store rolls it
      // back); the runner then retries its rows one at a time, which succeed.
      let kills = 0;
      const flaky = new DetectionRunner(
        new CybernetRepository(store.db),
        new DetectionBacklogRepository(store.db),
        faultyMonitor(first.app, {
          record: () => {
            if (kills++ === 0) throw new Error('killed');
          },
        }),
        first.clock,
        { rowsPerRound: 3, autoRun: false },
      );
      expect(await flaky.step()).toBe(3);
      expect(kills).toBe(4);
      expect(flaky.progress.failed).toBe(0);
      expect((await first.app.services.detectionBacklog.pending()).batches).toBe(rows - 7);
      // The first process stops here (dropped, nothing closed).
      // A new process over the same database resumes from the backlog.
      const second = await world(store, { detection: 'deferred', detectionRunner: { rowsPerRound: 5 } });
      closing.push(second.app);
      await second.app.services.detection?.kick();
      expect(await second.app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      const after = await snapshot(second.app);
      // Readings, forecasts and states exactly as inline; the alerts hold the same signals (a round that folds
      // several batches of a series words an alert by its first signal, as one larger batch does).
      expect(after.readings).toEqual(reference.readings);
      expect(after.states).toEqual(reference.states);
      const shape = (s: Snapshot) =>
        s.alerts.map((a) => {
          const r = a as Record<string, unknown>;
          return [r.code, r.status, r.severity, r.rule, r.signal_count];
        });
      expect(shape(after)).toEqual(shape(reference));
    }, 120_000);

    it('over the API: a watermark to wait on (readings.detection), and awaitDetection on the submit', async () => {
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false },
      });
      closing.push(app);
      const source = await seed(app);
      const log = createLogger('test');
      const call = (name: string, input: unknown) =>
        invoke(app, findOperation(name) as NonNullable<ReturnType<typeof findOperation>>, input, {
          principal: SYSTEM,
          log,
        });
      const alerts = async () =>
        ((await call('alert.list', { status: 'all', limit: 1000 })) as { alerts: unknown[] }).alerts.length;
      const all = batches();
      const first = (await call('readings.submit', { unitId: source.rootId, readings: all[0] })) as {
        detection: { mode: string; through: number; awaited: boolean };
      };
      // The outlier (reading 60) and the step (from 91) are in the batches up to the fourth.
      const second = (await call('readings.submit', {
        unitId: source.rootId,
        readings: all.slice(1, 4).flat(),
      })) as typeof first;
      expect(first.detection).toMatchObject({ mode: 'deferred', awaited: false });
      expect(second.detection.through).toBeGreaterThan(first.detection.through);
      expect(await alerts()).toBe(0);
      // What is queued counts for the reader's subtree only: a sibling shop without readings sees none of it.
      type Status = { mode: string; pending: { batches: number; readings: number }; failed: unknown[] };
      const sibling = await app.services.holarchy.create({
        parentId: source.rootId,
        name: 'V',
        kind: 'shop',
        code: 'V1',
      });
      const elsewhere = (await call('readings.detection', { unitId: sibling.id })) as Status;
      expect(elsewhere.pending).toEqual({ batches: 0, readings: 0 });
      const here = (await call('readings.detection', { unitId: source.rootId })) as Status;
      expect(here.pending.batches).toBeGreaterThan(0);
      // Waiting on the watermark: the alerts of those readings are then stored.
      const status = (await call('readings.detection', {
        unitId: source.rootId,
        through: second.detection.through,
      })) as Status;
      expect(status).toEqual({ mode: 'deferred', pending: { batches: 0, readings: 0 }, failed: [] });
      const afterTwo = await alerts();
      expect(afterTwo).toBeGreaterThan(0);
      const rest = all.slice(4).flat();
      const last = (await call('readings.submit', {
        unitId: source.rootId,
        readings: rest,
        awaitDetection: true,
      })) as typeof first;
      expect(last.detection.awaited).toBe(true);
      expect((await app.services.detectionBacklog.pending()).batches).toBe(0);
      // Every reading of that last batch was examined before the answer: it carries its forecast.
      const db = app.store.db as unknown as Kysely<unknown>;
      const sent = rest.map((r) => r.sourceId as string);
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from reading_points
        where source_id = any(${sent}::text[]) and forecast_mean is not null`.execute(db);
      expect(rows[0]?.n).toBe(sent.length);
    }, 120_000);

    it('a batch that cannot be examined is set aside with its reason; later batches and other series go on', async () => {
      const { app, clock } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false, rowsPerRound: 50 },
      });
      closing.push(app);
      const source = await seed(app);
      const all = batches();
      for (const b of all) await app.services.ingest.ingest(b, source);
      const store = app.store;
      // A detector that fails on the spc series' second batch (spc-20 is in it), whatever round it is in.
      const runner = new DetectionRunner(
        new CybernetRepository(store.db),
        new DetectionBacklogRepository(store.db),
        faultyMonitor(app, {
          detect: (sourceIds) => {
            if (sourceIds.includes('spc-20')) throw new Error('spc state unreadable');
          },
        }),
        clock,
        { rowsPerRound: 50, autoRun: false },
      );
      await runner.kick();
      expect(runner.progress.failed).toBe(1);
      expect(await app.services.detectionBacklog.pending()).toEqual({ batches: 0, readings: 0 });
      const failed = await app.services.detectionBacklog.failed('');
      expect(failed).toHaveLength(1);
      const spc = (
        await app.services.cybernet.indicatorsOf((await app.services.holarchy.byCode('W1'))?.id ?? '')
      ).get('spc');
      expect(failed[0]).toMatchObject({ indicatorId: spc?.id, failure: 'Error: spc state unreadable' });
      // The set-aside batch's readings are stored (never dropped) and have no forecasts; every other reading,
      // the spc series' later batches included, was examined.
      const db = store.db as unknown as Kysely<unknown>;
      const { rows } = await sql<{ code: string; examined: number; not_examined: number }>`
        select i.code, count(r.forecast_mean)::int as examined, count(*)::int - count(r.forecast_mean)::int as not_examined
        from reading_points r join indicators i on i.id = r.indicator_id group by i.code order by i.code`.execute(
        db,
      );
      const setAside = failed[0]?.readings ?? 0;
      expect(setAside).toBeGreaterThan(0);
      const spcRow = rows.find((r) => r.code === 'spc');
      // SPC forecasts from its first readings on, so only the set-aside batch (and warm-up) lacks them.
      expect(spcRow?.not_examined).toBeGreaterThanOrEqual(setAside);
      expect((spcRow?.examined ?? 0) + (spcRow?.not_examined ?? 0)).toBe(PER_SERIES);
      expect(rows.find((r) => r.code === 'bocpd')?.examined).toBeGreaterThan(0);
      // The operation lists it for the unit, with the reason.
      const listed = await app.services.detectionBacklog.failed('nowhere/');
      expect(listed).toEqual([]);
    }, 120_000);

    it('a batch resent in part is written once: the COPY meets the stored readings, is undone and redone asking first', async () => {
      const reference = await inlineOnce();
      const { app } = await world(await openTestStore(backend), {
        detection: 'deferred',
        detectionRunner: { autoRun: false, rowsPerRound: 1 },
      });
      closing.push(app);
      const source = await seed(app);
      const ingest = app.services.ingest;
      const all = batches();
      const first = all[0] as RawReading[];
      const second = all[1] as RawReading[];
      const third = all[2] as RawReading[];
      await ingest.ingest(first, source);
      await ingest.ingest(second, source);
      // New readings go straight in: no retry.
      expect(ingest.retriedAfterDuplicate).toBe(0);
      // Ten readings stored already (ahead of the new ones, so the COPY has written some rows when it fails),
      // the third batch, and one of its readings twice.
      const mixed = [...third.slice(0, 5), ...second.slice(0, 10), ...third.slice(5), third[0] as RawReading];
      const res = await ingest.ingest(mixed, source);
      expect(ingest.retriedAfterDuplicate).toBe(1);
      expect(res.accepted).toBe(third.length);
      expect(res.duplicates).toBe(11);
      // Each reading stored once and queued once: the failed attempt left nothing behind.
      const db = app.store.db as unknown as Kysely<unknown>;
      const stored = first.length + second.length + third.length;
      const { rows } = await sql<{ n: number; distinct: number }>`
        select count(*)::int as n, count(distinct (indicator_id, source_id))::int as distinct from readings`.execute(
        db,
      );
      expect(rows[0]).toEqual({ n: stored, distinct: stored });
      expect((await app.services.detectionBacklog.pending()).readings).toBe(stored);
      // A resent batch whole: every reading a duplicate, nothing written or queued.
      const again = await ingest.ingest(second, source);
      expect([again.accepted, again.duplicates, again.detection.through]).toEqual([0, second.length, null]);
      expect(ingest.retriedAfterDuplicate).toBe(2);
      let through = 0;
      for (const b of all.slice(3)) through = (await ingest.ingest(b, source)).detection.through as number;
      expect(ingest.retriedAfterDuplicate).toBe(2);
      await app.services.detection?.waitFor(through);
      // Examined in the committed order, each reading once: the same store as inline detection.
      expect(await snapshot(app)).toEqual(reference);
    }, 120_000);

    it("the readings' key to their indicator holds, checked once per statement (migration 0310)", async () => {
      const { db, repo, ids } = await keyCheckWorld(backend, closing);
      const known = ids[0]?.id as string;
      const count = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from readings`.execute(db)).rows[0]?.n;
      // A good row and one of no indicator in one statement: refused whole, by COPY and by INSERT alike.
      for (const write of ['copy', 'copy-text', 'insert'] as const) {
        const failure = await repo
          .transaction((tx) =>
            repo.insertReadings(
              tx,
              [row(known, `ok-${write}`), row('no-such', `bad-${write}`)],
              new Date(start),
              'http',
              write,
            ),
          )
          .then(
            () => null,
            (e: unknown) => e as { code?: string; message?: string },
          );
        expect(failure?.code).toBe('23503');
        expect(failure?.message).toContain('no-such');
        expect(await count()).toBe(0);
      }
      await repo.transaction((tx) => repo.insertReadings(tx, [row(known, 'kept')], new Date(start), 'http'));
      expect(await count()).toBe(1);
      // An indicator that readings name cannot be deleted nor re-keyed; one that none name can.
      const deleting = await sql`delete from indicators where id = ${known}`.execute(db).then(
        () => null,
        (e: unknown) => (e as { code?: string }).code,
      );
      expect(deleting).toBe('23503');
      const rekeying = await sql`update indicators set id = 'renamed' where id = ${known}`.execute(db).then(
        () => null,
        (e: unknown) => (e as { code?: string }).code,
      );
      expect(rekeying).toBe('23503');
      const other = ids[1]?.id as string;
      await sql`delete from series_state where indicator_id = ${other}`.execute(db);
      await sql`delete from indicators where id = ${other}`.execute(db);
      const { rows: left } = await sql<{ n: number }>`select count(*)::int as n from indicators`.execute(db);
      expect(left[0]?.n).toBe(ids.length - 1);
    }, 120_000);

    // Only PostgreSQL has a second session to delete with while the first writes (PGlite has one connection).
    if (backend === 'postgres')
      it('a reading written while its indicator is being deleted waits for the delete, then is refused', async () => {
        const { app, db, repo, ids } = await keyCheckWorld(backend, closing);
        const doomed = ids[0]?.id as string;
        await sql`delete from series_state where indicator_id = ${doomed}`.execute(db);
        const pool = app.store.pgPool;
        if (!pool) throw new Error('a PostgreSQL store has a pool');
        const deleter = await pool.connect();
        try {
          await deleter.query('begin');
          await deleter.query('delete from indicators where id = $1', [doomed]);
          const writing = repo
            .transaction((tx) => repo.insertReadings(tx, [row(doomed, 'late')], new Date(start), 'http'))
            .then(
              () => null,
              (e: unknown) => (e as { code?: string }).code ?? 'no code',
            );
          // The write's key-share lock waits for the delete's row lock; commit the delete only then.
          for (let waited = 0; ; waited += 50) {
            // Asked on a connection of its own: the deleter's open transaction would keep one snapshot of
            // the activity view.
            const { rows } = await pool.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`,
            );
            if ((rows[0]?.n ?? 0) > 0) break;
            if (waited > 20_000) throw new Error('the write never waited for the delete');
            await new Promise((r) => setTimeout(r, 50));
          }
          await deleter.query('commit');
          expect(await writing).toBe('23503');
        } finally {
          deleter.release();
        }
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from readings`.execute(db);
        expect(rows[0]?.n).toBe(0);
      }, 120_000);
  });
}
