// Watches every series: runs its detector over new readings inside the ingest transaction, persists the
// detector state, and turns critical signals into one alert per series (later signals fold into it).
import type { Clock } from '../core/clock';
import { newId } from '../core/ids';
import { ancestorsOf, deadlineSeconds, type Alert, type AlertNotice } from './alert';
import type { DeadlineBook } from './deadline-book';
import { createDetector } from './detectors/registry';
import type { Detector, DetectorKind, DetectorOutput, Signal } from './detectors/detector';
import type { MonitorRepository, MonitorTx, SeriesStateUpdate } from './monitor.repository';
import type { NotificationBus } from './notifications';

export interface WatchedIndicator {
  id: string;
  unitId: string;
  detector: DetectorKind;
  detectorSettings: Record<string, unknown>;
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

interface Critical {
  signal: Signal;
  output: DetectorOutput;
  reading: { sourceId: string; at: Date; value: number };
}

/** The evidence an alert carries: the rule, the state probabilities, the forecast against the actual. */
function evidenceOf(c: Critical): Record<string, unknown> {
  return {
    rule: c.signal.rule,
    probabilities: c.output.probabilities,
    forecast: c.output.forecast,
    actual: c.reading.value,
    at: c.reading.at.toISOString(),
    sourceId: c.reading.sourceId,
    signal: c.signal.evidence,
  };
}

export class MonitorService {
  private readonly detectors = new Map<string, Detector<unknown>>();

  constructor(
    private readonly repo: MonitorRepository,
    private readonly deadlines: DeadlineBook,
    private readonly bus: NotificationBus,
    private readonly clock: Clock,
  ) {}

  private detectorFor(kind: DetectorKind, settings: Record<string, unknown>): Detector<unknown> {
    const key = `${kind}:${JSON.stringify(settings)}`;
    let d = this.detectors.get(key);
    if (!d) {
      d = createDetector(kind, settings);
      this.detectors.set(key, d);
    }
    return d;
  }

  validateDetector(kind: DetectorKind, settings: Record<string, unknown>): void {
    this.detectorFor(kind, settings);
  }

  async startSeries(tx: MonitorTx, indicator: WatchedIndicator): Promise<void> {
    const d = this.detectorFor(indicator.detector, indicator.detectorSettings);
    await this.repo.startSeries(tx, indicator.id, indicator.detector, d.initialState(), this.clock.now());
  }

  async lockSeries(tx: MonitorTx, ids: string[]): Promise<void> {
    await this.repo.lockStates(tx, ids);
  }

  async observe(
    tx: MonitorTx,
    batches: WatchedBatch[],
  ): Promise<{ forecasts: ForecastOut[][]; notices: AlertNotice[] }> {
    const rows = await this.repo.lockStates(
      tx,
      batches.map((b) => b.indicator.id),
    );
    const stored = new Map(rows.map((r) => [r.indicatorId, r]));
    const forecasts: ForecastOut[][] = [];
    const updates: SeriesStateUpdate[] = [];
    const notices: AlertNotice[] = [];
    for (const batch of batches) {
      const { indicator } = batch;
      const detector = this.detectorFor(indicator.detector, indicator.detectorSettings);
      const row = stored.get(indicator.id);
      let state = row?.state ?? detector.initialState();
      const out: ForecastOut[] = [];
      const critical: Critical[] = [];
      for (const reading of batch.readings) {
        const r = detector.update(state, reading.value, reading.at.getTime());
        state = r.state;
        const f = r.output.forecast;
        out.push({
          mean: f?.mean ?? null,
          lower: f?.lower ?? null,
          upper: f?.upper ?? null,
          score: r.output.score,
          changePoint: r.output.changePoint !== null,
        });
        const signal = r.output.signals.find((s) => s.severity === 'critical');
        if (signal) critical.push({ signal, output: r.output, reading });
      }
      forecasts.push(out);
      let openAlertId = row?.openAlertId ?? null;
      if (critical.length > 0) {
        const notice = await this.raise(tx, batch, openAlertId, critical);
        openAlertId = notice.alert.id;
        notices.push(notice);
      }
      const last = batch.readings[batch.readings.length - 1];
      if (last)
        updates.push({
          indicatorId: indicator.id,
          state,
          added: batch.readings.length,
          lastAt: last.at,
          openAlertId,
        });
    }
    await this.repo.saveStates(tx, updates, this.clock.now());
    return { forecasts, notices };
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
    if (openAlertId !== null) {
      const folded = await this.repo.addSignals(tx, openAlertId, {
        count: critical.length,
        at: now,
        message: latest.signal.message,
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
      status: 'open',
      level: { unitId: batch.indicator.unitId, path: batch.unitPath, depth },
      severity: first.signal.severity,
      rule: first.signal.rule,
      message: first.signal.message,
      evidence: evidenceOf(first),
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
        detail: { rule: alert.rule, escalateDueAt: alert.escalateDueAt?.toISOString() ?? null },
      },
    ]);
    return { type: 'alert', change: 'opened', alert };
  }

  publish(notices: unknown[]): void {
    for (const n of notices) this.bus.publish(n as AlertNotice);
  }

  async seriesState(indicatorId: string) {
    return this.repo.seriesState(indicatorId);
  }
}
