// What Cybernet needs from the rest of OGAS: the unit tree, and a monitor that watches each series.
import type { CybernetTx } from './cybernet.repository';
import type { Indicator } from './indicator';
import type { PartialAggregate } from './partial-aggregate';

export interface UnitInfo {
  id: string;
  path: string;
  code: string | null;
}

/** The holarchy, as Cybernet sees it (the holarchy service fits it). */
export interface UnitDirectory {
  get(id: string): Promise<UnitInfo>;
  byCode(code: string): Promise<UnitInfo | null>;
  /** Units by code or id (a code wins), keyed by the name given; unknown names are left out. */
  byCodesOrIds(refs: readonly string[]): Promise<ReadonlyMap<string, UnitInfo>>;
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

/**
 * Which detectors' readings count towards the worker pool's threshold. 'worth-it' (the ingest call, and the
 * detection runner by default): only the monitor's POOLED_DETECTORS, measured worth posting. 'every' (the
 * runner with OGAS_DETECTION_POOL=every): all of them, since the runner's thread only waits for the workers
 * and PostgreSQL; measured no better while the machine's cores were busy (docs/architecture.md, Ingestion).
 */
export type PoolScope = 'worth-it' | 'every';

/** The state of locked series, as the monitor read it; Cybernet only hands it back. */
export type LockedSeries = ReadonlyMap<string, unknown>;

/** Where a batch's time went, in seconds, accumulated over calls (benchmarks pass one in). */
export interface IngestProfile {
  /** Validation and indicator lookup, before the transaction. */
  classify: number;
  /** Finding readings already stored. */
  dedup: number;
  /** The detectors' updates and the alerts they raise. */
  monitor: number;
  /** Locking, reading and writing the series' detector states. */
  state: number;
  /** Writing the readings (with `build`). */
  insert: number;
  /** Of `classify`: looking up the batch's units and their indicators. */
  lookup?: number;
  /** Of `insert`: turning the rows into the write's text (COPY's text format, or JSON). */
  build?: number;
  /** Of `monitor`: raising and folding alerts (their statements included). */
  alerts?: number;
  /** Of `state`: queuing the plan-shortfall checks (the outbox). */
  outbox?: number;
  /** Ending the transaction (COMMIT), after its last statement. */
  commit?: number;
}

/** Adds the seconds since `t` (a `performance.now()`) to one field of the profile, when there is one. */
export function addSeconds(profile: IngestProfile | undefined, field: keyof IngestProfile, t: number): void {
  if (profile) profile[field] = (profile[field] ?? 0) + (performance.now() - t) / 1000;
}

/** Monitoring of every series, inside the ingest transaction so nothing is lost on a crash. */
export interface SeriesMonitor {
  /** Throws `invalid` naming the bad setting. */
  validateDetector(kind: Indicator['detector'], settings: Record<string, unknown>): void;
  /** Creates the series' detector state with the indicator. */
  startSeries(tx: CybernetTx, indicator: Indicator): Promise<void>;
  /** Locks the series so concurrent batches of one series are applied one after the other; reads their state. */
  lockSeries(tx: CybernetTx, indicatorIds: string[]): Promise<LockedSeries>;
  /**
   * Groups of series that may be observed concurrently in one transaction (one group for a small batch).
   * `scope` 'every' (the detection runner) counts every detector's readings towards the worker pool, not only
   * those measured worth a worker on the request path.
   */
  partition<B extends SeriesBatch>(batches: B[], scope?: PoolScope, perWorker?: boolean): B[][];
  /**
   * Runs the detectors over one group (here, before it returns, or on a worker thread); writes nothing and
   * resolves to the forecasts aligned with the readings, and what `record` needs.
   */
  detect(
    batches: SeriesBatch[],
    locked: LockedSeries,
    profile?: IngestProfile,
    scope?: PoolScope,
  ): Promise<{ forecasts: ReadingForecast[][] }>;
  /** Raises or updates alerts and saves the states of every group `detect` ran, in `tx`; returns notices. */
  record(
    tx: CybernetTx,
    detected: readonly { forecasts: ReadingForecast[][] }[],
    locked: LockedSeries,
    profile?: IngestProfile,
  ): Promise<unknown[]>;
  /** After commit: tells subscribers what `record` raised. */
  publish(notices: unknown[]): void;
  /** The series' stored states now, unlocked (the detection runner's round ahead; see its `pipeline`). */
  readSeries?(tx: CybernetTx, indicatorIds: string[]): Promise<LockedSeries>;
  /** The states `record` saves for what `detect` found, the other series as in `read`. */
  continueFrom?(read: LockedSeries, detected: readonly { forecasts: ReadingForecast[][] }[]): LockedSeries;
  /** The row version a read or lock saw: equal versions mean nothing wrote the series' state in between. */
  versionOf?(locked: LockedSeries, indicatorId: string): string | null;
}

/**
 * Aggregates reported by other nodes of the federation for parts of a unit's subtree that live there (the
 * federation service fits it): partials of one code per bucket, to merge with this node's own readings.
 */
export type RemoteAggregates = (
  unitId: string,
  code: string,
  bucketSeconds: number,
  from: Date,
  to: Date,
) => Promise<{ bucket: Date; p: PartialAggregate }[]>;
