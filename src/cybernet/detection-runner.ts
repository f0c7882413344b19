// Detection after commit. The ingest request validates, commits the readings and one backlog row per series
// (detection-backlog.repository.ts) and returns; this runner then takes the backlog in id order, runs each
// series' detector (on worker threads for large groups, see MonitorService.partition and poolScope), COPYs the
// forecasts into reading_forecasts (the readings stay as committed), raises the alerts, saves the states and deletes the rows it examined,
// all in one transaction. A crash before that commit leaves the rows, and the next run examines them again
// from the state saved with the last commit: no reading is skipped and no signal is counted twice.
// With `pipeline` (a lever, off by default) the next round is detected on the worker threads while this one is
// written, and used only if nothing it assumed changed by the time it is locked (see examinePipelined).
import type { Clock } from '../core/clock';
import { DomainError } from '../core/errors';
import type { CybernetRepository, CybernetTx } from './cybernet.repository';
import type { BacklogRow, DetectionBacklogRepository } from './detection-backlog.repository';
import type { Indicator } from './indicator';
import type { IngestProfile, PoolScope, SeriesBatch, SeriesMonitor } from './ports';

type Detected = Awaited<ReturnType<SeriesMonitor['detect']>>;
import { readingRows } from './reading-rows';

export interface DetectionRunnerOptions {
  /** Backlog rows (one series' part of one committed batch each) examined per transaction (default 200). */
  rowsPerRound?: number;
  /** Told when a row is set aside, and when a round fails for a reason outside any one row. */
  onError?: (message: string, error: unknown) => void;
  /** Accumulates where the runner's time goes (benchmarks). */
  profile?: IngestProfile;
  /**
   * Whether an ingest commit wakes the runner (default true). False leaves the backlog to whoever calls
   * `kick`, `step` or `waitFor`: a separate detection process, or a test that stops half way.
   */
  autoRun?: boolean;
  /**
   * Which detectors' series a round posts to the worker pool (default 'worth-it', OGAS_DETECTION_POOL=every
   * for all): 'worth-it' as the request path (BOCPD only); 'every' also the others, which uses the workers'
   * cores while this thread waits, but measured no better with the machine's cores busy (docs/architecture.md).
   */
  poolScope?: PoolScope;
  /**
   * Readings per group a round detects on this thread before it COPYs that group's forecasts (default: the whole
   * round is one group); the server stores one group's while the next is detected, a lever for a machine whose
   * server has a core of its own (OGAS_DETECTION_GROUP_READINGS). Tests lower it to cut a small round in groups.
   */
  groupReadings?: number;
  /**
   * Detects the next round on the worker threads while this thread COPYs, records and commits the current one
   * (default false, OGAS_DETECTION_PIPELINE=1): a pipeline over rounds, every detector's series on the workers.
   * The round ahead continues from the states this round will save; it is used only if, once the next round has
   * locked its rows and states, they are exactly the rows read ahead and the state rows this round committed
   * (same row versions) with the same indicators; otherwise it is detected again. See docs/architecture.md.
   */
  pipeline?: boolean;
}

/** A round detected ahead: its rows as read (unlocked), and the states' versions it assumed. */
interface Ahead {
  rows: BacklogRow[];
  indicators: ReadonlyMap<string, Indicator>;
  groups: SeriesBatch[][];
  /** Each series' state row version the detection continued from (null: no row). */
  versions: Map<string, string | null>;
  /** Null when a worker failed it: the round then detects again. */
  detected: Promise<Detected[] | null>;
}

/** How far detection has gone: the rows examined and the readings in them since the runner was made. */
export interface DetectionProgress {
  rows: number;
  readings: number;
  /** Wall seconds spent in rounds (from taking the rows to the commit): readings / busySeconds is its own rate. */
  busySeconds: number;
  /** Rows set aside with their reason (see DetectionBacklogRepository.failed). */
  failed: number;
  /** Pipeline: rounds whose detection ahead was used, and rounds detected again (something changed). */
  aheadUsed: number;
  aheadDropped: number;
}

const ROWS_PER_ROUND = 200;

/**
 * Readings per group a round detects on this thread before it sends that group's forecasts (the server then
 * stores one group's forecasts while the next group is detected). Off by default (the whole round is one
 * group, its forecasts one COPY): on the loaded 2-core machine groups of 4,000 measured no faster and cost a
 * little more CPU on both sides (docs/architecture.md, Ingestion), since the server had no idle core to use.
 */
const GROUP_READINGS = Number.POSITIVE_INFINITY;

/** The batches in consecutive groups of about `size` readings (a pooled split is kept as it is). */
function inGroups<B extends SeriesBatch>(groups: B[][], size: number): B[][] {
  if (groups.length !== 1) return groups;
  const out: B[][] = [];
  let group: B[] = [];
  let n = 0;
  for (const b of groups[0] as B[]) {
    group.push(b);
    n += b.readings.length;
    if (n >= size) {
      out.push(group);
      group = [];
      n = 0;
    }
  }
  if (group.length > 0) out.push(group);
  return out;
}

/** Lets the event loop run: the connection sends what was queued on it (a COPY's data) before more CPU work. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One series' consecutive backlog rows folded into the batch the detector consumes (rows in id order). */
function seriesBatches(rows: BacklogRow[], indicators: ReadonlyMap<string, Indicator>): SeriesBatch[] {
  const bySeries = new Map<string, SeriesBatch>();
  for (const row of rows) {
    const indicator = indicators.get(row.indicatorId);
    if (!indicator) continue;
    let batch = bySeries.get(row.indicatorId);
    if (!batch) {
      batch = { indicator, unitPath: row.unitPath, readings: [] };
      bySeries.set(row.indicatorId, batch);
    }
    const { sourceIds, at, values } = row.readings;
    for (let k = 0; k < sourceIds.length; k++)
      batch.readings.push({
        sourceId: sourceIds[k] as string,
        at: new Date(at[k] as number),
        value: values[k] as number,
      });
  }
  return [...bySeries.values()];
}

const reasonOf = (e: unknown) =>
  e instanceof Error ? `${e.name}: ${e.message.split('\n')[0] ?? ''}`.slice(0, 1900) : String(e);

export class DetectionRunner {
  private readonly rowsPerRound: number;
  private running: Promise<void> | null = null;
  /** Set when work arrives while a drain runs: the drain then looks again before it stops. */
  private again = false;
  private closed = false;
  readonly progress: DetectionProgress = {
    rows: 0,
    readings: 0,
    busySeconds: 0,
    failed: 0,
    aheadUsed: 0,
    aheadDropped: 0,
  };
  /** The next round, detected while this one was written (pipeline only); set only after a commit. */
  private ahead: Ahead | null = null;

  constructor(
    private readonly repo: CybernetRepository,
    private readonly backlog: DetectionBacklogRepository,
    private readonly monitor: SeriesMonitor,
    private readonly clock: Clock,
    private readonly options: DetectionRunnerOptions = {},
  ) {
    this.rowsPerRound = options.rowsPerRound ?? ROWS_PER_ROUND;
  }

  /** Called after an ingest commit: wakes the runner unless it runs only when asked (autoRun false). */
  wake(): Promise<void> {
    return this.options.autoRun === false ? Promise.resolve() : this.kick();
  }

  /** Examines one round of the oldest rows now (whatever autoRun says); resolves to the rows taken. */
  step(): Promise<number> {
    return this.round();
  }

  /** Starts draining the backlog in the background (after an ingest commit, or at start-up to resume). */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.closed && (await this.round()) > 0);
        } while (this.again && !this.closed);
      } catch (e) {
        // The store failed outside any one row (it is down): the rows stay queued for the next kick.
        this.options.onError?.('detection paused: the store failed; the backlog is kept', e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Resolves once every backlog row up to `through` (an ingest result's watermark) has been examined or set
   * aside with its reason: after it, the alerts of those readings are in the store.
   */
  async waitFor(through: number | null): Promise<void> {
    if (through === null) return;
    while (await this.backlog.pendingThrough(through)) {
      if (this.closed) throw new DomainError('unavailable', 'the detection runner is closed');
      const before = this.progress.rows + this.progress.failed;
      await this.kick();
      // A drain that moved nothing while rows are still pending (another process may have examined them
      // meanwhile) failed on the store itself: answer 503 rather than spin.
      if (
        this.progress.rows + this.progress.failed === before &&
        (await this.backlog.pendingThrough(through))
      )
        throw new DomainError(
          'unavailable',
          'detection cannot proceed: the store failed; the backlog is kept',
          {
            fix: 'try again once the database answers; the readings are stored and will be examined',
          },
        );
    }
  }

  /** Stops taking new rounds and waits for the one running. The backlog keeps what is left. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  /** One transaction over the oldest rows; on failure each row alone, a row failing alone is set aside. */
  private async round(): Promise<number> {
    try {
      return await this.examine(this.rowsPerRound, null);
    } catch (roundError) {
      this.ahead = null;
      // Find the culprit: one row per transaction, in order, until one fails on its own.
      const ids = await this.repo.transaction(async (tx) =>
        (await this.backlog.take(tx, this.rowsPerRound)).map((r) => r.id),
      );
      if (ids.length === 0) throw roundError;
      for (const id of ids) {
        try {
          await this.examine(1, id);
        } catch (e) {
          await this.backlog.fail(id, reasonOf(e), this.clock.now());
          this.progress.failed += 1;
          this.options.onError?.(`detection: backlog row ${id} set aside`, e);
        }
      }
      return ids.length;
    }
  }

  /** Whether rounds are pipelined: asked for, and the monitor can read states ahead and compare versions. */
  private get pipelined(): boolean {
    const m = this.monitor;
    return this.options.pipeline === true && !!m.readSeries && !!m.continueFrom && !!m.versionOf;
  }

  /** Examines up to `limit` oldest rows (or exactly the row `only`) in one transaction. */
  private async examine(limit: number, only: number | null): Promise<number> {
    if (only === null && this.pipelined) return this.examinePipelined(limit);
    const profile = this.options.profile;
    const started = performance.now();
    const { notices, count, readings } = await this.repo.transaction(async (tx) => {
      let rows = await this.backlog.take(tx, limit);
      if (only !== null) rows = rows.filter((r) => r.id === only);
      if (rows.length === 0) return { notices: [], count: 0, readings: 0 };
      const ids = [...new Set(rows.map((r) => r.indicatorId))].sort();
      const indicators = new Map((await this.repo.indicatorsByIds(ids, tx)).map((i) => [i.id, i]));
      const locked = await this.monitor.lockSeries(tx, ids);
      const batches = seriesBatches(rows, indicators);
      // 'every' posts every detector's series to the workers, not only BOCPD's (see PoolScope).
      const scope = this.options.poolScope ?? 'worth-it';
      const groups = inGroups(
        this.monitor.partition(batches, scope),
        this.options.groupReadings ?? GROUP_READINGS,
      );
      // Each group's forecasts are COPYed as soon as it is detected (statements queue on the transaction's one
      // connection), and the thread yields once per group so that COPY goes out: the server then stores it
      // while the next group is detected here (or on a worker). The same rows as one COPY after all of them.
      const detected = new Array<Detected>(groups.length);
      const steps: Promise<unknown>[] = [];
      const settled = (p: Promise<unknown>) => {
        // Awaited below with the rest; until then a failure must not count as unhandled.
        p.catch(() => undefined);
        steps.push(p);
        return p;
      };
      for (const [k, g] of groups.entries()) {
        settled(
          this.monitor.detect(g, locked, profile, scope).then((d) => {
            detected[k] = d;
            const t = performance.now();
            const copied = this.repo.insertForecasts(tx, readingRows(g, d.forecasts));
            if (profile) profile.insert += (performance.now() - t) / 1000;
            return settled(copied);
          }),
        );
        await yieldToLoop();
      }
      const t = performance.now();
      // Every detection and every COPY (a COPY is pushed before its detection's promise settles).
      for (let k = 0; k < steps.length; k++) await steps[k];
      if (profile) profile.insert += (performance.now() - t) / 1000;
      const raised = await this.monitor.record(tx, detected, locked, profile);
      await this.backlog.remove(
        tx,
        rows.map((r) => r.id),
      );
      return {
        notices: raised,
        count: rows.length,
        readings: batches.reduce((n, b) => n + b.readings.length, 0),
      };
    });
    this.progress.rows += count;
    this.progress.readings += readings;
    if (count > 0) this.progress.busySeconds += (performance.now() - started) / 1000;
    this.monitor.publish(notices);
    return count;
  }

  /**
   * One round of the pipeline: the round detected ahead (if it still holds) or detected now, then the next
   * round read (unlocked) and posted to the workers from the states this round will save, then this round's
   * forecasts COPYed, its alerts and states recorded and its rows deleted, all in one transaction as `examine`.
   */
  private async examinePipelined(limit: number): Promise<number> {
    const profile = this.options.profile;
    const monitor = this.monitor as Required<SeriesMonitor>;
    const started = performance.now();
    const ahead = this.ahead;
    this.ahead = null;
    const done = await this.repo.transaction(async (tx) => {
      let rows: BacklogRow[];
      if (ahead) {
        const locked = await this.backlog.lockOldest(tx, limit);
        const same = locked.length === ahead.rows.length && locked.every((id, k) => ahead.rows[k]?.id === id);
        rows = same ? ahead.rows : await this.backlog.take(tx, limit);
      } else rows = await this.backlog.take(tx, limit);
      if (rows.length === 0) return null;
      const ids = [...new Set(rows.map((r) => r.indicatorId))].sort();
      const indicators = new Map((await this.repo.indicatorsByIds(ids, tx)).map((i) => [i.id, i]));
      const locked = await monitor.lockSeries(tx, ids);
      let groups: SeriesBatch[][] | null = null;
      let detected: Detected[] | null = null;
      if (
        ahead &&
        rows === ahead.rows &&
        ids.every(
          (id) =>
            monitor.versionOf(locked, id) === ahead.versions.get(id) &&
            JSON.stringify(indicators.get(id)) === JSON.stringify(ahead.indicators.get(id)),
        )
      ) {
        const t = performance.now();
        detected = await ahead.detected;
        if (profile) profile.monitor += (performance.now() - t) / 1000;
        if (detected) groups = ahead.groups;
      }
      if (ahead) this.progress[detected ? 'aheadUsed' : 'aheadDropped'] += 1;
      if (!groups || !detected) {
        groups = monitor.partition(seriesBatches(rows, indicators), 'every', true);
        detected = await Promise.all(groups.map((g) => monitor.detect(g, locked, profile, 'every')));
      }
      const next = await this.readAhead(tx, rows, limit, detected);
      const t = performance.now();
      const copies = groups.map((g, k) =>
        this.repo.insertForecasts(tx, readingRows(g, (detected[k] as Detected).forecasts)),
      );
      for (const c of copies) c.catch(() => undefined);
      for (const c of copies) await c;
      if (profile) profile.insert += (performance.now() - t) / 1000;
      const raised = await monitor.record(tx, detected, locked, profile);
      await this.backlog.remove(
        tx,
        rows.map((r) => r.id),
      );
      if (next) {
        // The versions this round's state rows have now: the next round's lock must find exactly these.
        const mine = await monitor.readSeries(
          tx,
          ids.filter((id) => next.versions.has(id)),
        );
        for (const id of ids) if (next.versions.has(id)) next.versions.set(id, monitor.versionOf(mine, id));
      }
      return {
        notices: raised,
        count: rows.length,
        readings: groups.reduce((n, g) => n + g.reduce((m, b) => m + b.readings.length, 0), 0),
        next,
      };
    });
    if (!done) return 0;
    // Only a committed round's states are what the next round continues from.
    this.ahead = done.next;
    this.progress.rows += done.count;
    this.progress.readings += done.readings;
    this.progress.busySeconds += (performance.now() - started) / 1000;
    this.monitor.publish(done.notices);
    return done.count;
  }

  /**
   * Reads the rows after this round's (unlocked) and posts their detection to the workers, continuing from the
   * states this round is about to save (the others as stored now). Null when nothing is queued after them.
   */
  private async readAhead(
    tx: CybernetTx,
    rows: BacklogRow[],
    limit: number,
    detected: Detected[],
  ): Promise<Ahead | null> {
    const monitor = this.monitor as Required<SeriesMonitor>;
    const last = rows[rows.length - 1] as BacklogRow;
    const nextRows = await this.backlog.peekAfter(tx, last.id, limit);
    if (nextRows.length === 0) return null;
    const ids = [...new Set(nextRows.map((r) => r.indicatorId))].sort();
    const indicators = new Map((await this.repo.indicatorsByIds(ids, tx)).map((i) => [i.id, i]));
    const read = await monitor.readSeries(tx, ids);
    const from = monitor.continueFrom(read, detected);
    const groups = monitor.partition(seriesBatches(nextRows, indicators), 'every', true);
    const detecting = Promise.all(groups.map((g) => monitor.detect(g, from, undefined, 'every')));
    // A worker's failure is not this round's: the next round then detects again.
    const ahead: Ahead = {
      rows: nextRows,
      indicators,
      groups,
      versions: new Map(ids.map((id) => [id, monitor.versionOf(read, id)])),
      detected: detecting.catch(() => null),
    };
    // Let the pool post the jobs before this thread builds the COPY.
    await yieldToLoop();
    return ahead;
  }
}
