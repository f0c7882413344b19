// The one readings pipeline behind HTTP, CSV, MQTT and NATS: validate, quarantine the bad, drop duplicates,
// monitor and store the rest in one transaction.
import type { Clock } from '../core/clock';
import type { CybernetRepository, QuarantineRow, ReadingsWrite } from './cybernet.repository';
import type { CybernetService } from './cybernet.service';
import type { Indicator } from './indicator';
import type { ReadingsBus, ReadingsNotice } from './readings-bus';
import type { DetectionBacklogRepository } from './detection-backlog.repository';
import type { DetectionRunner } from './detection-runner';
import { readingRows } from './reading-rows';
import {
  addSeconds,
  type IngestProfile,
  type SeriesBatch,
  type SeriesMonitor,
  type UnitDirectory,
  type UnitInfo,
} from './ports';
import {
  classifyReading,
  readingTextFault,
  type AcceptedReading,
  type Channel,
  type ClassifyContext,
  type IndicatorRef,
  type QuarantineReason,
  type RawReading,
} from './reading';

export interface IngestSource {
  /** The unit the batch is reported for; every reading must lie in its subtree. */
  reporterUnitId: string;
  channel: Channel;
  /** Who sent it, for the quarantine list ("machine:mt_…", "person:p_…"). */
  actor: string;
}

export interface IngestResult {
  received: number;
  accepted: number;
  duplicates: number;
  quarantined: { index: number; reason: QuarantineReason; message: string; sourceId: string | null }[];
  /**
   * Whether the detectors ran before the call returned ('inline') or run after commit ('deferred'), and in
   * the deferred case the batch's watermark: once the runner has passed it (`awaitDetection`, or
   * DetectionRunner.waitFor), the alerts of these readings are in the store. Null when nothing was queued.
   */
  detection: { mode: DetectionMode; through: number | null; awaited: boolean };
}

/** 'inline': detectors run in the ingest transaction; 'deferred': after commit, from the durable backlog. */
export type DetectionMode = 'inline' | 'deferred';

/** What the deferred mode needs: where to queue, and the runner to wake (and to wait for). */
export interface DeferredDetection {
  backlog: DetectionBacklogRepository;
  runner: DetectionRunner;
}

export interface IngestCallOptions {
  /** Deferred mode: return only once the detectors have examined this batch (its alerts are then stored). */
  awaitDetection?: boolean;
}

export interface IngestOptions {
  /** Readings stamped later than now + this are quarantined (default five minutes). */
  futureToleranceMs?: number;
  /** Told which series grew after each stored batch (live charts). */
  readings?: ReadingsBus;
  /** How new readings are written (default 'copy'; 'insert' is the reference path the tests compare with). */
  write?: ReadingsWrite;
  /** Run the detectors after commit from this backlog and runner (default: inline, in the transaction). */
  deferred?: DeferredDetection;
}

interface Accepted {
  reading: AcceptedReading;
  indicator: Indicator;
  unitPath: string;
}

function inTimeOrder(readings: readonly { at: Date }[]): boolean {
  for (let k = 1; k < readings.length; k++)
    if ((readings[k - 1] as { at: Date }).at.getTime() > (readings[k] as { at: Date }).at.getTime())
      return false;
  return true;
}

const key = (indicatorId: string, sourceId: string) => `${indicatorId}\u0000${sourceId}`;

/** Thrown inside an optimistic write when a reading of the batch is stored already: the transaction is undone. */
class StoredAlready extends Error {}

/** A unique violation of the readings' primary key (PostgreSQL and PGlite both give the code and the key). */
function isStoredAlready(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown } | null;
  return (
    typeof err === 'object' &&
    err !== null &&
    err.code === '23505' &&
    (err.constraint === undefined || err.constraint === 'readings_pk')
  );
}

export class IngestService {
  private readonly futureToleranceMs: number;
  private readonly readings: ReadingsBus | undefined;
  private readonly write: ReadingsWrite;
  private readonly deferred: DeferredDetection | undefined;

  constructor(
    private readonly repo: CybernetRepository,
    private readonly cybernet: CybernetService,
    private readonly units: UnitDirectory,
    private readonly monitor: SeriesMonitor,
    private readonly clock: Clock,
    options: IngestOptions = {},
  ) {
    this.futureToleranceMs = options.futureToleranceMs ?? 5 * 60_000;
    this.readings = options.readings;
    this.write = options.write ?? 'copy';
    this.deferred = options.deferred;
  }

  get detectionMode(): DetectionMode {
    return this.deferred ? 'deferred' : 'inline';
  }

  async ingest(
    raws: readonly RawReading[],
    source: IngestSource,
    profile?: IngestProfile,
    call: IngestCallOptions = {},
  ): Promise<IngestResult> {
    const t0 = performance.now();
    const now = this.clock.now();
    const reporter = await this.units.get(source.reporterUnitId);
    const quarantined: IngestResult['quarantined'] = [];
    const quarantineRows: QuarantineRow[] = [];
    const quarantine = (index: number, raw: RawReading, reason: QuarantineReason, message: string) => {
      const sourceId = raw.sourceId ?? null;
      quarantined.push({ index, reason, message, sourceId });
      quarantineRows.push({
        reporterUnitId: reporter.id,
        channel: source.channel,
        actor: source.actor,
        reason,
        message,
        sourceId,
        raw,
      });
    };
    // Text the database cannot hold never reaches a query: such a reading is quarantined, its batch goes on.
    const faults = raws.map(readingTextFault);
    const tLookup = performance.now();
    const lookup = await this.lookupFor(
      raws.filter((_, i) => faults[i] === null),
      reporter,
    );
    addSeconds(profile, 'lookup', tLookup);
    const accepted: Accepted[] = [];
    // One context, its unit and indicator set per reading: a fresh spread copy per reading cost more CPU than
    // the checks themselves (classifyReading keeps no reference to it).
    const ctx: ClassifyContext = {
      now,
      futureToleranceMs: this.futureToleranceMs,
      reporterPath: reporter.path,
      unit: null,
      indicator: null,
    };
    for (let index = 0; index < raws.length; index++) {
      const raw = raws[index] as RawReading;
      const fault = faults[index];
      if (fault !== null && fault !== undefined) {
        quarantine(index, raw, 'malformed', fault);
        continue;
      }
      const unit = lookup.units.get(raw.unit ?? reporter.id) ?? null;
      const found = unit ? (lookup.indicators.get(unit.id)?.get(raw.indicator) ?? null) : null;
      ctx.unit = unit;
      ctx.indicator = found?.ref ?? null;
      const verdict = classifyReading(raw, ctx);
      if (verdict.ok && found) {
        accepted.push({ reading: verdict.reading, indicator: found.indicator, unitPath: unit?.path ?? '' });
      } else if (!verdict.ok) {
        quarantine(index, raw, verdict.reason, verdict.message);
      }
    }
    if (profile) profile.classify += (performance.now() - t0) / 1000;
    const deferred = this.deferred;
    const { stored, notices, grown, through } = deferred
      ? await this.storeDeferred(accepted, quarantineRows, source, now, deferred, profile)
      : { ...(await this.store(accepted, quarantineRows, source, now, profile)), through: null };
    this.monitor.publish(notices);
    this.readings?.publish(grown);
    let awaited = false;
    if (deferred && through !== null) {
      const wake = deferred.runner.wake();
      if (call.awaitDetection) {
        await wake;
        await deferred.runner.waitFor(through);
        awaited = true;
      }
    }
    return {
      received: raws.length,
      accepted: stored,
      duplicates: accepted.length - stored,
      quarantined,
      detection: { mode: this.detectionMode, through, awaited },
    };
  }

  /** Resolves each distinct unit reference and its indicators once, so the per-reading loop never waits. */
  private async lookupFor(raws: readonly RawReading[], reporter: UnitInfo) {
    const units = new Map<string, UnitInfo | null>();
    const indicators = new Map<string, Map<string, { indicator: Indicator; ref: IndicatorRef }>>();
    const refs = [...new Set(raws.map((r) => r.unit ?? reporter.id))];
    // One look-up for all the units a batch names, not one query each.
    const named = await this.units.byCodesOrIds(refs.filter((r) => r !== reporter.id));
    for (const ref of refs) {
      const unit = ref === reporter.id ? reporter : (named.get(ref) ?? null);
      units.set(ref, unit);
      if (!unit || indicators.has(unit.id)) continue;
      const byCode = new Map<string, { indicator: Indicator; ref: IndicatorRef }>();
      for (const [code, indicator] of await this.cybernet.indicatorsOf(unit.id)) {
        byCode.set(code, { indicator, ref: { ...indicator, unitPath: unit.path } });
      }
      indicators.set(unit.id, byCode);
    }
    return { units, indicators };
  }

  /** Records messages that could not even be read as readings (bad JSON, no or bad token). */
  async quarantineMessage(row: QuarantineRow): Promise<void> {
    await this.repo.insertQuarantine([row], this.clock.now());
  }

  /**
   * The deferred path: the readings (forecasts still null) and one backlog row per series commit together, so
   * a committed reading is always either examined or still queued. No detector state is read here.
   *
   * With COPY, the readings are first written without asking the store which it already holds: a resent
   * reading then breaks the primary key, the whole transaction rolls back (nothing of it stays) and the batch
   * is written again the careful way, asking first. New readings, the usual case, so skip the look-up of every
   * one of them by key, which cost the server as much as the COPY itself (about 25 ms per 10,000 readings,
   * measured 30 November 2026); a resent batch fails on its first row, so the wasted attempt is short.
   */
  private async storeDeferred(
    accepted: Accepted[],
    quarantineRows: QuarantineRow[],
    source: IngestSource,
    now: Date,
    deferred: DeferredDetection,
    profile: IngestProfile | undefined,
  ): Promise<{ stored: number; notices: unknown[]; grown: ReadingsNotice[]; through: number | null }> {
    // 'insert' tolerates duplicates itself but reports only a count: it needs to know which readings are new.
    if (this.write === 'insert')
      return this.storeDeferredOnce(accepted, quarantineRows, source, now, deferred, profile, 'ask');
    try {
      return await this.storeDeferredOnce(accepted, quarantineRows, source, now, deferred, profile, 'try');
    } catch (e) {
      if (!(e instanceof StoredAlready)) throw e;
      this.retriedAfterDuplicate += 1;
      return this.storeDeferredOnce(accepted, quarantineRows, source, now, deferred, profile, 'ask');
    }
  }

  /** How many batches were written again after a reading in them proved to be stored already (tests). */
  retriedAfterDuplicate = 0;

  private async storeDeferredOnce(
    accepted: Accepted[],
    quarantineRows: QuarantineRow[],
    source: IngestSource,
    now: Date,
    deferred: DeferredDetection,
    profile: IngestProfile | undefined,
    dedup: 'try' | 'ask',
  ): Promise<{ stored: number; notices: unknown[]; grown: ReadingsNotice[]; through: number | null }> {
    let ended = 0;
    const out = await this.repo.transaction(async (tx) => {
      await this.repo.insertQuarantine(quarantineRows, now, tx);
      if (accepted.length === 0) return { stored: 0, notices: [], grown: [], through: null };
      const seriesIds = [...new Set(accepted.map((a) => a.indicator.id))].sort();
      // The lock goes out at once, and the rows are built while the server takes it (one round trip less to
      // wait for); the promise is awaited before anything is written.
      const locking = this.repo.lockIndicators(tx, seriesIds);
      locking.catch(() => undefined);
      await new Promise<void>((resolve) => setImmediate(resolve));
      // 'try': only the duplicates within the batch are left out here; the primary key finds the stored ones.
      const fresh = dedup === 'try' ? this.newBatches(accepted, new Set()) : null;
      const freshRows = fresh ? readingRows(fresh, []) : null;
      let t = performance.now();
      await locking;
      if (profile) profile.state += (performance.now() - t) / 1000;
      const batches = fresh ?? (await this.unseenBatches(tx, accepted, profile));
      t = performance.now();
      let stored: number;
      try {
        stored = await this.repo.insertReadings(
          tx,
          freshRows ?? readingRows(batches, []),
          now,
          source.channel,
          this.write,
          profile,
        );
      } catch (e) {
        if (dedup === 'try' && isStoredAlready(e)) throw new StoredAlready();
        throw e;
      }
      addSeconds(profile, 'insert', t);
      t = performance.now();
      const through = await deferred.backlog.enqueue(
        tx,
        batches.map((b) => ({
          indicatorId: b.indicator.id,
          unitPath: b.unitPath,
          readings: {
            sourceIds: b.readings.map((r) => r.sourceId),
            at: b.readings.map((r) => r.at.getTime()),
            values: b.readings.map((r) => r.value),
          },
        })),
        now,
      );
      if (profile) profile.state += (performance.now() - t) / 1000;
      ended = performance.now();
      return { stored, notices: [], grown: this.grownOf(batches, now), through };
    });
    if (ended > 0) addSeconds(profile, 'commit', ended);
    return out;
  }

  /** The accepted readings the store does not hold yet (by source id), as newBatches groups them. */
  private async unseenBatches(
    tx: Parameters<CybernetRepository['existing']>[0],
    accepted: Accepted[],
    profile: IngestProfile | undefined,
  ): Promise<SeriesBatch[]> {
    const t = performance.now();
    const seen = await this.repo.existing(
      tx,
      accepted.map((a) => a.indicator.id),
      accepted.map((a) => a.reading.sourceId),
    );
    if (profile) profile.dedup += (performance.now() - t) / 1000;
    return this.newBatches(accepted, seen);
  }

  /** The readings not stored yet, grouped by series and sorted by time (the order the detector consumes). */
  private newBatches(accepted: Accepted[], seen: Set<string>): SeriesBatch[] {
    const bySeries = new Map<string, SeriesBatch>();
    for (const { reading, indicator, unitPath } of accepted) {
      const k = key(indicator.id, reading.sourceId);
      if (seen.has(k)) continue;
      seen.add(k);
      let batch = bySeries.get(indicator.id);
      if (!batch) {
        batch = { indicator, unitPath, readings: [] };
        bySeries.set(indicator.id, batch);
      }
      batch.readings.push({ sourceId: reading.sourceId, at: reading.at, value: reading.value });
    }
    const batches = [...bySeries.values()];
    // Readings mostly arrive in time order: sort only a series that is not (the same order either way, since
    // the sort is stable and an ordered series is left as it is).
    for (const b of batches)
      if (!inTimeOrder(b.readings)) b.readings.sort((x, y) => x.at.getTime() - y.at.getTime());
    return batches;
  }

  private grownOf(batches: SeriesBatch[], now: Date): ReadingsNotice[] {
    return batches.map((b) => ({
      indicatorId: b.indicator.id,
      unitPath: b.unitPath,
      count: b.readings.length,
      latestAt: b.readings.at(-1)?.at ?? now,
    }));
  }

  private async store(
    accepted: Accepted[],
    quarantineRows: QuarantineRow[],
    source: IngestSource,
    now: Date,
    profile: IngestProfile | undefined,
  ): Promise<{ stored: number; notices: unknown[]; grown: ReadingsNotice[] }> {
    let ended = 0;
    const out = await this.repo.transaction(async (tx) => {
      await this.repo.insertQuarantine(quarantineRows, now, tx);
      if (accepted.length === 0) return { stored: 0, notices: [], grown: [] };
      const seriesIds = [...new Set(accepted.map((a) => a.indicator.id))].sort();
      const t = performance.now();
      const locked = await this.monitor.lockSeries(tx, seriesIds);
      if (profile) profile.state += (performance.now() - t) / 1000;
      const batches = await this.unseenBatches(tx, accepted, profile);
      // A large batch of BOCPD series is detected in groups on worker threads, all at once; each group's
      // readings are written as soon as its forecasts are known, while the workers still run the others. The
      // alerts and the states of all the groups follow in one pass (one statement for the states of the whole
      // batch). Every statement is queued on this one transaction, so readings, states, alerts and the
      // plan-shortfall outbox commit together or not at all.
      const groups = this.monitor.partition(batches);
      const detected: ReturnType<SeriesMonitor['detect']>[] = [];
      const inserts: Promise<number>[] = [];
      try {
        for (const group of groups) {
          const d = this.monitor.detect(group, locked, profile);
          detected.push(d);
          inserts.push(
            d.then((result) => {
              const started = performance.now();
              const rows = readingRows(group, result.forecasts);
              addSeconds(profile, 'build', started);
              return this.repo
                .insertReadings(tx, rows, now, source.channel, this.write, profile)
                .then((n) => {
                  addSeconds(profile, 'insert', started);
                  return n;
                });
            }),
          );
        }
        const found = await Promise.all(detected);
        // The readings first: the states' statement would only queue behind their COPY on the one connection
        // (and the profile would count that wait as state).
        const stored = (await Promise.all(inserts)).reduce((a, b) => a + b, 0);
        const notices = await this.monitor.record(tx, found, locked, profile);
        return { stored, notices, grown: this.grownOf(batches, now) };
      } finally {
        // Never let the transaction end while one of its statements is still queued.
        await Promise.allSettled([...detected, ...inserts]);
        ended = performance.now();
      }
    });
    if (ended > 0) addSeconds(profile, 'commit', ended);
    return out;
  }
}
