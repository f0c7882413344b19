// What Cybernet needs from the rest of OGAS: the unit tree, and a monitor that watches each series.
import type { CybernetTx } from './cybernet.repository';
import type { Indicator } from './indicator';

export interface UnitInfo {
  id: string;
  path: string;
  code: string | null;
}

/** The holarchy, as Cybernet sees it (the holarchy service fits it). */
export interface UnitDirectory {
  get(id: string): Promise<UnitInfo>;
  byCode(code: string): Promise<UnitInfo | null>;
}

export interface SeriesReading {
  sourceId: string;
  at: Date;
  value: number;
}

/** A detector's one-step forecast for a reading, stored beside it for charts. */
export interface ReadingForecast {
  mean: number | null;
  lower: number | null;
  upper: number | null;
  score: number | null;
  changePoint: boolean;
}

export interface SeriesBatch {
  indicator: Indicator;
  /** Materialised path of the indicator's unit: alerts climb along it. */
  unitPath: string;
  /** New readings of the series in the order the detector consumes them (by time). */
  readings: SeriesReading[];
}

/** Monitoring of every series, inside the ingest transaction so nothing is lost on a crash. */
export interface SeriesMonitor {
  /** Throws `invalid` naming the bad setting. */
  validateDetector(kind: Indicator['detector'], settings: Record<string, unknown>): void;
  /** Creates the series' detector state with the indicator. */
  startSeries(tx: CybernetTx, indicator: Indicator): Promise<void>;
  /** Locks the series so concurrent batches of one series are applied one after the other. */
  lockSeries(tx: CybernetTx, indicatorIds: string[]): Promise<void>;
  /** Runs the detectors, saves their state, raises or updates alerts; returns forecasts aligned with readings. */
  observe(
    tx: CybernetTx,
    batches: SeriesBatch[],
  ): Promise<{ forecasts: ReadingForecast[][]; notices: unknown[] }>;
  /** After commit: tells subscribers what `observe` raised. */
  publish(notices: unknown[]): void;
}
