// Watches every series: runs its detector over new readings inside the ingest transaction, persists the
// detector state, and turns critical signals into alerts that each mean one problem: signals while an alert
// is unresolved update it, a quiet stretch closes it, and an acknowledged change becomes the new baseline.
import type { Clock } from '../core/clock';
import { newId } from '../core/ids';
import { ancestorsOf, deadlineSeconds, type Alert, type AlertNotice } from './alert';
import { alertEpisodes, reportingInterval } from './alert-episodes';
import { alertSentence } from './alert-words';
import { addSeconds, type IngestProfile, type PoolScope } from '../cybernet/ports';
import type { DeadlineBook } from './deadline-book';
import { availableParallelism } from 'node:os';
import { DetectorPool } from './detector-pool';
import type { Detector, DetectorKind, DetectorOutput, Signal } from './detectors/detector';
import type { MonitorRepository, MonitorTx, SeriesStateUpdate } from './monitor.repository';
import type { NotificationBus } from './notifications';
import { DetectorCache, runSeries, type SeriesJob, type SeriesRun } from './series-run';

/**
 * OGAS_DETECTOR_WORKERS sets the worker pool's size (a count, 0 for none, or "cores"); by default one worker
 * per core. A worker that does not start in time (seen on Node 20 with tsx, from the sources) makes the pool
 * run every later job on the calling thread, with the same results, instead of holding the batch.
 */
function workersFromEnv(): number {
  const v = process.env.OGAS_DETECTOR_WORKERS;
  if (v === undefined || v === '' || v === 'cores') return availableParallelism();
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : availableParallelism();
}

export interface WatchedIndicator {
  id: string;
  unitId: string;
  detector: DetectorKind;
  detectorSettings: Record<string, unknown>;
  /** The indicator's name and unit of measure, for alerts in the operator's words. */
  name?: string;
  measure?: string;
  /** Seconds between readings, when the indicator declares it. */
  cadenceSeconds?: number | null;
}

export interface WatchedBatch {
  indicator: WatchedIndicator;
  unitPath: string;
  readings: { sourceId: string; at: Date; value: number }[];
}

export interface ForecastOut {
  mean: number | null;
  lower: number | null;
  upper: number | null;
  score: number | null;
  changePoint: boolean;
}

/** What `detect` found for one group of series: the runs and forecasts aligned with its batches. */
export interface Detected {
  batches: WatchedBatch[];
  /** Each batch's reading times (epoch ms), as the detector consumed them. */
  times: Float64Array[];
  runs: SeriesRun[];
  forecasts: ForecastOut[][];
}

interface Critical {
  signal: Signal;
  probabilities: DetectorOutput['probabilities'];
  forecast: DetectorOutput['forecast'];
  reading: { sourceId: string; at: Date; value: number };
}

/** The locked series' stored state (JSON text, parsed only where the detector runs) and open alert. */
export type LockedSeries = ReadonlyMap<
  string,
  {
    state: string;
    kind: DetectorKind;
    openAlertId: string | null;
    quiet: number;
    lastAt: Date | null;
    rebaseline: boolean;
    /** The row version read with it (see SeriesStateRow.version); empty for a state not stored yet. */
    version: string;
  }
>;

export interface MonitorOptions {
  /** Worker threads for large batches (default from OGAS_DETECTOR_WORKERS, else one per core; 0: none). */
  detectorWorkers?: number;
  /**
   * A batch with at least this many readings of detectors worth a worker (BOCPD; see POOLED_DETECTORS) is
   * split across the workers (default 1,000; tests lower it so a small batch takes the pooled path); a group
   * of a split batch goes to a worker from a quarter of it.
   */
  poolMinReadings?: number;
  /**
   * Reporting intervals without a critical signal after which an unresolved alert closes itself (default
   * 576); the span is this many times the series' interval (its cadence, else the spacing of its readings).
   */
  quietReadings?: number;
  /**
   * Called in the ingest transaction with the series that grew: plan-shortfall checks are queued there, so a
   * committed reading is never left unjudged against the plan (the outbox is swept after).
   */
  onObserved?: (tx: MonitorTx, indicatorIds: string[], at: Date) => Promise<void>;
}

/**
 * Two days of five-minute readings: longer than the default detector's rest after a signal (300 readings), so
 * a series that stays abnormal keeps updating its one alert, and a problem that returns after two quiet days
 * is a new alert. As a span of time it is 576 reporting intervals (two days at five minutes, 24 days hourly).
 */
export const DEFAULT_QUIET_READINGS = 576;

/** The interval assumed for a series that declares no cadence and whose batch is too short to show one. */
const FALLBACK_INTERVAL_SECONDS = 300;

/** Below this many readings a batch runs in-process: posting it to a worker would cost more than it saves. */
const PARALLEL_MIN_READINGS = 1000;

/** Readings per group of a pooled batch (see partition). */
const GROUP_READINGS = 2500;

/**
 * The detectors whose work pays for posting it to a worker. Measured on 30 November 2026, quiet, 30,000
 * readings per detector, workers 2 against 0 (`npm run bench -- ingest`): BOCPD gained (PGlite 15.2k/s
 * against 13.5k, PostgreSQL 19.1k against 15.8k); the default detector, SPC and Harrison–Stevens lost on
 * PGlite (17.7k against 27.8k, 14.2k against 23.3k, 12.8k against 18.3k) and two of the three on
 * PostgreSQL. Re-checked for Harrison–Stevens once its step was ~12 % cheaper (same day, loaded machine,
 * alternating): pooled 13.5k–14.1k/s against 16.7k–18.7k in-process on PGlite, so it stays out.
 * So only these readings count towards the pool's threshold.
 */
const POOLED_DETECTORS: ReadonlySet<DetectorKind> = new Set<DetectorKind>(['bocpd']);

/** The readings of a batch whose detector is worth a worker. */
function pooledReadings(
  batches: readonly { kind: DetectorKind; readings: number }[],
  scope: PoolScope,
): number {
  return batches.reduce(
    (n, b) => n + (scope === 'every' || POOLED_DETECTORS.has(b.kind) ? b.readings : 0),
    0,
  );
}

/** The numbers behind a signal in the detector's own terms (the statistics shown on demand). */
function factsOf(c: Critical) {
  const e = c.signal.evidence;
  const usual = typeof e.usual === 'number' ? e.usual : (c.forecast?.mean ?? null);
  const expected =
    e.expected !== undefined
      ? (e.expected as { lower: number; upper: number } | null)
      : c.forecast
        ? { lower: c.forecast.lower, upper: c.forecast.upper }
        : null;
  return { value: c.reading.value, at: c.reading.at, usual, expected, rule: c.signal.rule };
}

/** The evidence an alert carries: the detector's statistics, the probabilities, the forecast against the actual. */
function evidenceOf(c: Critical): Record<string, unknown> {
  return {
    statistics: c.signal.message,
    rule: c.signal.rule,
    probabilities: c.probabilities,
    forecast: c.forecast,
    actual: c.reading.value,
    at: c.reading.at.toISOString(),
    sourceId: c.reading.sourceId,
    signal: c.signal.evidence,
  };
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

function forecastsOf(run: SeriesRun): ForecastOut[] {
  const out: ForecastOut[] = new Array<ForecastOut>(run.mean.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      mean: orNull(run.mean[i] as number),
      lower: orNull(run.lower[i] as number),
      upper: orNull(run.upper[i] as number),
      score: orNull(run.score[i] as number),
      changePoint: run.changePoint[i] === 1,
    };
  }
  return out;
}

export class MonitorService {
  private readonly detectors = new DetectorCache();
  private readonly pool: DetectorPool | null;
  private readonly quietReadings: number;
  private readonly poolMinReadings: number;
  private readonly onObserved: MonitorOptions['onObserved'];

  constructor(
    private readonly repo: MonitorRepository,
    private readonly deadlines: DeadlineBook,
    private readonly bus: NotificationBus,
    private readonly clock: Clock,
    options: MonitorOptions = {},
  ) {
    const workers = options.detectorWorkers ?? workersFromEnv();
    this.pool = workers > 0 ? new DetectorPool(workers) : null;
    this.quietReadings = options.quietReadings ?? DEFAULT_QUIET_READINGS;
    this.poolMinReadings = options.poolMinReadings ?? PARALLEL_MIN_READINGS;
    this.onObserved = options.onObserved;
  }

  /** Starts the detector workers now (the detection runner will use them), not at the first pooled batch. */
  warmWorkers(): void {
    this.pool?.warm();
  }

  private detectorFor(kind: DetectorKind, settings: Record<string, unknown>): Detector<unknown> {
    return this.detectors.get(kind, settings);
  }

  validateDetector(kind: DetectorKind, settings: Record<string, unknown>): void {
    this.detectorFor(kind, settings);
  }

  async startSeries(tx: MonitorTx, indicator: WatchedIndicator): Promise<void> {
    const d = this.detectorFor(indicator.detector, indicator.detectorSettings);
    await this.repo.startSeries(tx, indicator.id, indicator.detector, d.initialState(), this.clock.now());
  }

  /** Locks the series' rows (concurrent batches of a series apply one after the other) and reads their state. */
  async lockSeries(tx: MonitorTx, ids: string[], lock = true): Promise<LockedSeries> {
    const rows = await this.repo.lockStates(tx, ids, lock);
    return new Map(
      rows.map((r) => [
        r.indicatorId,
        {
          state: r.state,
          kind: r.kind,
          openAlertId: r.openAlertId,
          quiet: r.quiet,
          lastAt: r.lastAt,
          rebaseline: r.rebaseline,
          version: r.version,
        },
      ]),
    );
  }

  /** The series' stored states as they are now, without a lock (the detection runner reads a round ahead). */
  readSeries(tx: MonitorTx, ids: string[]): Promise<LockedSeries> {
    return this.lockSeries(tx, ids, false);
  }

  /**
   * The states `record` will save for what `detect` found (each run's end state, its detector's kind, no
   * rebaseline pending), the other series as in `read`: what the next round continues from once this commits.
   * The versions of the detected series are unknown until then (empty).
   */
  continueFrom(read: LockedSeries, detected: readonly Detected[]): LockedSeries {
    const out = new Map(read);
    for (const { batches, runs } of detected)
      for (const [k, b] of batches.entries()) {
        const before = read.get(b.indicator.id);
        out.set(b.indicator.id, {
          openAlertId: before?.openAlertId ?? null,
          quiet: before?.quiet ?? 0,
          lastAt: before?.lastAt ?? null,
          state: (runs[k] as SeriesRun).state,
          kind: b.indicator.detector,
          rebaseline: false,
          version: '',
        });
      }
    return out;
  }

  /** The row version a read or lock saw for a series (null when it has no row). */
  versionOf(locked: LockedSeries, id: string): string | null {
    return locked.get(id)?.version ?? null;
  }

  /**
   * Splits a batch's series into groups that can be observed concurrently, balanced by readings: at least one
   * per worker, and groups of about GROUP_READINGS, so the first group's readings are written (on the main
   * thread, where PGlite runs) while the workers still detect the next groups. A small batch stays one group.
   */
  partition<B extends WatchedBatch>(batches: B[], scope: PoolScope = 'worth-it', perWorker = false): B[][] {
    const total = batches.reduce((n, b) => n + b.readings.length, 0);
    const heavy = pooledReadings(
      batches.map((b) => ({ kind: b.indicator.detector, readings: b.readings.length })),
      scope,
    );
    if (!this.pool?.active || heavy < this.poolMinReadings || batches.length < 2) return [batches];
    // perWorker (the runner's round ahead): one group per worker, posted at once, so no worker waits for this
    // thread to hand it the next group while it builds a COPY.
    const count = Math.min(
      batches.length,
      perWorker ? this.pool.size : Math.max(this.pool.size, Math.round(total / GROUP_READINGS)),
    );
    const groups = Array.from({ length: count }, () => ({ n: 0, batches: [] as B[] }));
    for (const b of [...batches].sort((x, y) => y.readings.length - x.readings.length)) {
      const g = groups.reduce((min, x) => (x.n < min.n ? x : min));
      g.batches.push(b);
      g.n += b.readings.length;
    }
    return groups.map((g) => g.batches);
  }

  /**
   * Runs the detectors over one group of series (on a worker when the group holds enough readings that count
   * under `scope`: BOCPD's for the ingest call, any for the runner; otherwise here and now, before this returns) and hands back the forecasts aligned with the readings. It
   * writes nothing: `record` raises the alerts and saves the states of all the groups of a batch at once.
   */
  detect(
    batches: WatchedBatch[],
    locked: LockedSeries,
    profile?: IngestProfile,
    scope: PoolScope = 'worth-it',
  ): Promise<Detected> {
    const t = performance.now();
    const jobs: SeriesJob[] = batches.map((b) => ({
      kind: b.indicator.detector,
      settings: b.indicator.detectorSettings,
      // An acknowledged change restarts the detector: the new regime becomes its baseline.
      state: locked.get(b.indicator.id)?.rebaseline ? null : (locked.get(b.indicator.id)?.state ?? null),
      stateKind: locked.get(b.indicator.id)?.kind ?? null,
      values: Float64Array.from(b.readings, (r) => r.value),
      times: Float64Array.from(b.readings, (r) => r.at.getTime()),
    }));
    const heavy = pooledReadings(
      jobs.map((j) => ({ kind: j.kind, readings: j.values.length })),
      scope,
    );
    const done = (runs: SeriesRun[]): Detected => {
      if (profile) profile.monitor += (performance.now() - t) / 1000;
      return { batches, times: jobs.map((j) => j.times), runs, forecasts: runs.map(forecastsOf) };
    };
    // A group of a split batch is at least about a quarter of the threshold: posting it costs well under that.
    if (this.pool && heavy >= this.poolMinReadings / 4) return this.pool.run(jobs).then(done);
    return Promise.resolve(done(jobs.map((j) => runSeries(this.detectors, j))));
  }

  /**
   * Raises or folds the alerts of what `detect` found, then saves every series' state in one statement and
   * queues the plan-shortfall checks, all in `tx`.
   */
  async record(
    tx: MonitorTx,
    detected: readonly Detected[],
    locked: LockedSeries,
    profile?: IngestProfile,
  ): Promise<AlertNotice[]> {
    let t = performance.now();
    const updates: SeriesStateUpdate[] = [];
    const notices: AlertNotice[] = [];
    for (const { batches, times: allTimes, runs } of detected)
      for (const [k, batch] of batches.entries()) {
        const run = runs[k] as SeriesRun;
        const before = locked.get(batch.indicator.id);
        let openAlertId = before?.openAlertId ?? null;
        const byIndex = new Map(run.critical.map((c) => [c.index, c]));
        const times = allTimes[k] as Float64Array;
        const interval = reportingInterval(times, batch.indicator.cadenceSeconds, FALLBACK_INTERVAL_SECONDS);
        const quietSeconds = this.quietReadings * interval;
        const { episodes, gate } = alertEpisodes(
          times,
          run.critical.map((c) => c.index),
          {
            open: openAlertId !== null,
            quiet: before?.quiet ?? 0,
            lastAt: before?.lastAt?.getTime() ?? null,
          },
          quietSeconds,
        );
        for (const episode of episodes) {
          let alertId = episode.continues ? openAlertId : null;
          if (episode.signals.length > 0) {
            const critical = episode.signals.map((i) => ({
              ...(byIndex.get(i) as SeriesRun['critical'][number]),
              reading: batch.readings[i] as Critical['reading'],
            }));
            const ta = performance.now();
            const notice = await this.raise(tx, batch, alertId, critical);
            addSeconds(profile, 'alerts', ta);
            alertId = notice.alert.id;
            notices.push(notice);
          }
          if (episode.closedAt !== null && alertId !== null) {
            const tc = performance.now();
            const closed = await this.closeQuiet(
              tx,
              alertId,
              batch.readings[episode.closedAt]?.at as Date,
              quietSeconds,
            );
            addSeconds(profile, 'alerts', tc);
            if (closed) notices.push(closed);
            alertId = null;
          }
          openAlertId = alertId;
        }
        const last = batch.readings[batch.readings.length - 1];
        if (last)
          updates.push({
            indicatorId: batch.indicator.id,
            state: run.state,
            kind: batch.indicator.detector,
            restarted: run.restarted,
            added: batch.readings.length,
            lastAt: last.at,
            openAlertId,
            quiet: gate.quiet,
          });
      }
    if (profile) profile.monitor += (performance.now() - t) / 1000;
    t = performance.now();
    await this.repo.saveStates(tx, updates, this.clock.now());
    const to = performance.now();
    if (this.onObserved && updates.length > 0)
      await this.onObserved(
        tx,
        updates.map((u) => u.indicatorId),
        this.clock.now(),
      );
    addSeconds(profile, 'outbox', to);
    if (profile) profile.state += (performance.now() - t) / 1000;
    return notices;
  }

  /** Folds the signals into the series' unresolved alert, or opens one on the owning unit. */
  private async raise(
    tx: MonitorTx,
    batch: WatchedBatch,
    openAlertId: string | null,
    critical: Critical[],
  ): Promise<AlertNotice> {
    const now = this.clock.now();
    const first = critical[0] as Critical;
    const latest = critical[critical.length - 1] as Critical;
    const subject = { name: batch.indicator.name, measure: batch.indicator.measure };
    if (openAlertId !== null) {
      const folded = await this.repo.addSignals(tx, openAlertId, {
        count: critical.length,
        at: now,
        message: alertSentence(subject, factsOf(latest)),
        rule: latest.signal.rule,
        evidence: evidenceOf(latest),
      });
      const alert = folded ? await this.repo.alert(openAlertId, tx) : null;
      if (alert) return { type: 'alert', change: 'updated', alert };
    }
    const depth = ancestorsOf(batch.unitPath).length - 1;
    const deadlines = await this.deadlines.get(tx);
    const alert: Alert = {
      id: newId('al'),
      unitId: batch.indicator.unitId,
      unitPath: batch.unitPath,
      indicatorId: batch.indicator.id,
      kind: 'statistical',
      status: 'open',
      level: { unitId: batch.indicator.unitId, path: batch.unitPath, depth },
      // What opened it stays (severity, the opening statistics, the opened event); what it says now is its
      // latest signal, as after a fold: so an alert reads the same however its readings were cut into batches
      // (inline, one batch a request; deferred, a series' batches detected in one round).
      severity: first.signal.severity,
      rule: latest.signal.rule,
      message: alertSentence(subject, factsOf(latest)),
      statistics: first.signal.message,
      evidence: evidenceOf(latest),
      signalCount: critical.length,
      openedAt: now,
      lastSignalAt: now,
      escalateDueAt: depth === 0 ? null : new Date(now.getTime() + deadlineSeconds(deadlines, depth) * 1000),
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
    };
    await this.repo.insertAlert(tx, { ...alert, levelUnitId: alert.unitId, levelDepth: depth });
    await this.repo.insertEvents(tx, [
      {
        alertId: alert.id,
        at: now,
        kind: 'opened',
        actor: `system:detector:${batch.indicator.detector}`,
        levelUnitId: alert.unitId,
        levelDepth: depth,
        detail: {
          rule: first.signal.rule,
          escalateDueAt: alert.escalateDueAt?.toISOString() ?? null,
          readingAt: first.reading.at.toISOString(),
        },
      },
    ]);
    // Read back for the unit names the join adds, so a live notice names units as a reload does.
    return { type: 'alert', change: 'opened', alert: (await this.repo.alert(alert.id, tx)) ?? alert };
  }

  /** Closes an unresolved alert whose series stayed quiet long enough: the problem is over. */
  private async closeQuiet(
    tx: MonitorTx,
    alertId: string,
    quietSince: Date,
    quietSeconds: number,
  ): Promise<AlertNotice | null> {
    const now = this.clock.now();
    const current = await this.repo.alert(alertId, tx);
    if (!current || current.status === 'resolved') return null;
    await this.repo.setStatus(tx, alertId, ['open', 'acknowledged'], {
      status: 'resolved',
      escalate_due_at: null,
      resolved_at: now,
      resolved_by: 'system:quiet',
    });
    await this.repo.insertEvents(tx, [
      {
        alertId,
        at: now,
        kind: 'resolved',
        actor: 'system:quiet',
        levelUnitId: current.level.unitId,
        levelDepth: current.level.depth,
        detail: { quietSeconds, quietUntil: quietSince.toISOString() },
      },
    ]);
    const alert = await this.repo.alert(alertId, tx);
    return alert ? { type: 'alert', change: 'resolved', alert } : null;
  }

  publish(notices: unknown[]): void {
    for (const n of notices) this.bus.publish(n as AlertNotice);
  }

  async seriesState(indicatorId: string) {
    return this.repo.seriesState(indicatorId);
  }
}
