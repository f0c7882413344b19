// The one readings pipeline behind HTTP, CSV, MQTT and NATS: validate, quarantine the bad, drop duplicates,
// monitor and store the rest in one transaction.
import type { Clock } from '../core/clock';
import type { CybernetRepository, QuarantineRow, ReadingRow } from './cybernet.repository';
import type { CybernetService } from './cybernet.service';
import type { Indicator } from './indicator';
import type { SeriesBatch, SeriesMonitor, UnitDirectory, UnitInfo } from './ports';
import {
  classifyReading,
  type AcceptedReading,
  type Channel,
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
}

export interface IngestOptions {
  /** Readings stamped later than now + this are quarantined (default five minutes). */
  futureToleranceMs?: number;
}

interface Accepted {
  reading: AcceptedReading;
  indicator: Indicator;
  unitPath: string;
}

const key = (indicatorId: string, sourceId: string) => `${indicatorId}\u0000${sourceId}`;

export class IngestService {
  private readonly futureToleranceMs: number;

  constructor(
    private readonly repo: CybernetRepository,
    private readonly cybernet: CybernetService,
    private readonly units: UnitDirectory,
    private readonly monitor: SeriesMonitor,
    private readonly clock: Clock,
    options: IngestOptions = {},
  ) {
    this.futureToleranceMs = options.futureToleranceMs ?? 5 * 60_000;
  }

  async ingest(raws: readonly RawReading[], source: IngestSource): Promise<IngestResult> {
    const now = this.clock.now();
    const reporter = await this.units.get(source.reporterUnitId);
    const unitCache = new Map<string, Promise<UnitInfo | null>>();
    const quarantined: IngestResult['quarantined'] = [];
    const quarantineRows: QuarantineRow[] = [];
    const accepted: Accepted[] = [];
    for (const [index, raw] of raws.entries()) {
      const ref = raw.unit ?? reporter.id;
      let pending = unitCache.get(ref);
      if (!pending) {
        pending = this.resolveUnit(ref);
        unitCache.set(ref, pending);
      }
      const unit = await pending;
      const indicator = unit
        ? ((await this.cybernet.indicatorsOf(unit.id)).get(raw.indicator) ?? null)
        : null;
      const verdict = classifyReading(raw, {
        now,
        futureToleranceMs: this.futureToleranceMs,
        reporterPath: reporter.path,
        unit,
        indicator: indicator && unit ? { ...indicator, unitPath: unit.path } : null,
      });
      if (verdict.ok && indicator) {
        accepted.push({ reading: verdict.reading, indicator, unitPath: unit?.path ?? '' });
      } else if (!verdict.ok) {
        quarantined.push({
          index,
          reason: verdict.reason,
          message: verdict.message,
          sourceId: verdict.sourceId,
        });
        quarantineRows.push({
          reporterUnitId: reporter.id,
          channel: source.channel,
          actor: source.actor,
          reason: verdict.reason,
          message: verdict.message,
          sourceId: verdict.sourceId,
          raw,
        });
      }
    }
    const { stored, notices } = await this.store(accepted, quarantineRows, source, now);
    this.monitor.publish(notices);
    return { received: raws.length, accepted: stored, duplicates: accepted.length - stored, quarantined };
  }

  /** Records messages that could not even be read as readings (bad JSON, no or bad token). */
  async quarantineMessage(row: QuarantineRow): Promise<void> {
    await this.repo.insertQuarantine([row], this.clock.now());
  }

  private async resolveUnit(ref: string): Promise<UnitInfo | null> {
    const byCode = await this.units.byCode(ref);
    if (byCode) return byCode;
    try {
      return await this.units.get(ref);
    } catch {
      return null;
    }
  }

  private async store(
    accepted: Accepted[],
    quarantineRows: QuarantineRow[],
    source: IngestSource,
    now: Date,
  ): Promise<{ stored: number; notices: unknown[] }> {
    return this.repo.transaction(async (tx) => {
      await this.repo.insertQuarantine(quarantineRows, now, tx);
      if (accepted.length === 0) return { stored: 0, notices: [] };
      const seriesIds = [...new Set(accepted.map((a) => a.indicator.id))].sort();
      await this.monitor.lockSeries(tx, seriesIds);
      const seen = await this.repo.existing(
        tx,
        accepted.map((a) => a.indicator.id),
        accepted.map((a) => a.reading.sourceId),
      );
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
      for (const b of batches) b.readings.sort((x, y) => x.at.getTime() - y.at.getTime());
      const { forecasts, notices } = await this.monitor.observe(tx, batches);
      const rows: ReadingRow[] = [];
      batches.forEach((b, i) => {
        const f = forecasts[i] ?? [];
        b.readings.forEach((r, j) => {
          const fc = f[j];
          rows.push({
            indicatorId: b.indicator.id,
            ...r,
            forecastMean: fc?.mean ?? null,
            forecastLower: fc?.lower ?? null,
            forecastUpper: fc?.upper ?? null,
            score: fc?.score ?? null,
            changePoint: fc?.changePoint ?? false,
          });
        });
      });
      const stored = await this.repo.insertReadings(tx, rows, now, source.channel);
      return { stored, notices };
    });
  }
}
