// SQL of the detection backlog: the durable marker of readings committed but not yet examined by their
// detector (see migration 0300 and detection-runner.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/database';
import { BinaryCopyWriter } from '../store/binary-copy';
import { copyInto } from '../store/bulk-copy';
import { packReadings, unpackReadings } from './backlog-packing';

type Db = Kysely<Database> | Transaction<Database>;

/** The readings of one series in one committed batch, in the order the detector consumes them (by time). */
export interface BacklogReadings {
  sourceIds: string[];
  /** Epoch milliseconds. */
  at: number[];
  values: number[];
}

export interface BacklogRow {
  id: number;
  indicatorId: string;
  unitPath: string;
  readings: BacklogReadings;
}

export interface FailedBacklogRow {
  id: number;
  indicatorId: string;
  readings: number;
  queuedAt: Date;
  failedAt: Date;
  failure: string;
}

export class DetectionBacklogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Queues one row per series of a batch, in the batch's transaction; returns the highest id given (the
   * batch's detection watermark), or null when there was nothing to queue.
   */
  async enqueue(
    tx: Db,
    rows: { indicatorId: string; unitPath: string; readings: BacklogReadings }[],
    at: Date,
  ): Promise<number | null> {
    if (rows.length === 0) return null;
    // Binary COPY: the ids are given in the order of the rows (the runner's order), and the readings go as
    // packed bytes the server stores as they are.
    const w = new BinaryCopyWriter(rows.reduce((n, r) => n + 64 + r.readings.sourceIds.length * 40, 64));
    const queued = at.getTime();
    for (const r of rows) {
      w.row(5);
      w.text(r.indicatorId);
      w.text(r.unitPath);
      w.timestamp(queued);
      w.int4(r.readings.sourceIds.length);
      w.bytes(packReadings(r.readings));
    }
    await copyInto(
      tx as Kysely<unknown>,
      'detection_backlog',
      ['indicator_id', 'unit_path', 'queued_at', 'n', 'packed'],
      w.finish(),
    );
    // The last id this session drew is the last row's: the batch's watermark.
    const { rows: out } = await sql<{ through: string | number }>`
      select currval(pg_get_serial_sequence('detection_backlog', 'id')) as through`.execute(tx);
    return Number(out[0]?.through);
  }

  /**
   * Locks and returns the oldest pending rows (at most `limit`), in id order. Not SKIP LOCKED: a second
   * runner waits behind the first, so that a series' batches are never examined out of order.
   */
  async take(tx: Db, limit: number): Promise<BacklogRow[]> {
    return this.rows(tx, sql`where failed_at is null order by id limit ${limit} for update`);
  }

  /** Locks the oldest pending rows as `take` does, and returns only their ids (their content was read ahead). */
  async lockOldest(tx: Db, limit: number): Promise<number[]> {
    const { rows } = await sql<{ id: string | number }>`
      select id from detection_backlog where failed_at is null order by id limit ${limit} for update`.execute(
      tx,
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * The pending rows after `afterId` (at most `limit`, in id order), read without a lock: the runner's round
   * ahead. A row's content never changes once queued, so what `lockOldest` later locks by id is what was read.
   */
  async peekAfter(tx: Db, afterId: number, limit: number): Promise<BacklogRow[]> {
    return this.rows(
      tx,
      sql`where failed_at is null and id > ${String(afterId)}::bigint order by id limit ${limit}`,
    );
  }

  private async rows(tx: Db, where: ReturnType<typeof sql>): Promise<BacklogRow[]> {
    const { rows } = await sql<{
      id: string | number;
      indicator_id: string;
      unit_path: string;
      readings: { s: string[]; t: number[]; v: number[] } | null;
      packed: Uint8Array | null;
    }>`
      select id, indicator_id, unit_path, readings, packed from detection_backlog ${where}`.execute(tx);
    return rows.map((r) => ({
      id: Number(r.id),
      indicatorId: r.indicator_id,
      unitPath: r.unit_path,
      readings: r.packed
        ? unpackReadings(r.packed)
        : // A row queued before migration 0301, with its JSON document.
          { sourceIds: r.readings?.s ?? [], at: r.readings?.t ?? [], values: r.readings?.v ?? [] },
    }));
  }

  async remove(tx: Db, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await sql`delete from detection_backlog where id = any(${ids.map(String)}::bigint[])`.execute(tx);
  }

  /** Sets a row aside with the reason it could not be examined: kept, never retried on its own. */
  async fail(id: number, failure: string, at: Date, db: Db = this.db): Promise<void> {
    await sql`update detection_backlog set failed_at = ${at}::timestamptz, failure = ${failure}
      where id = ${String(id)}::bigint`.execute(db);
  }

  /** Whether any row up to `through` is still pending (not examined, not set aside). */
  async pendingThrough(through: number): Promise<boolean> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from detection_backlog
      where failed_at is null and id <= ${String(through)}::bigint`.execute(this.db);
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Rows waiting for the runner, and readings in them: of the units under `path`, or of the whole store. */
  async pending(path?: string): Promise<{ batches: number; readings: number }> {
    const under = path === undefined ? sql`true` : sql`starts_with(unit_path, ${path})`;
    const { rows } = await sql<{ b: number; r: number }>`
      select count(*)::int as b, coalesce(sum(coalesce(n, jsonb_array_length(readings->'s'))), 0)::int as r
      from detection_backlog where failed_at is null and ${under}`.execute(this.db);
    return { batches: rows[0]?.b ?? 0, readings: rows[0]?.r ?? 0 };
  }

  /** Rows set aside of the units under `path` (a unit path), newest first. */
  async failed(path: string, limit = 100): Promise<FailedBacklogRow[]> {
    const { rows } = await sql<{
      id: string | number;
      indicator_id: string;
      n: number;
      queued_at: Date;
      failed_at: Date;
      failure: string;
    }>`
      select id, indicator_id, coalesce(n, jsonb_array_length(readings->'s'))::int as n, queued_at, failed_at, failure
      from detection_backlog where failed_at is not null and starts_with(unit_path, ${path})
      order by id desc limit ${limit}`.execute(this.db);
    return rows.map((r) => ({
      id: Number(r.id),
      indicatorId: r.indicator_id,
      readings: r.n,
      queuedAt: new Date(r.queued_at),
      failedAt: new Date(r.failed_at),
      failure: r.failure,
    }));
  }
}
