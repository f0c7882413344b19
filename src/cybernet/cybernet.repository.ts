// SQL of Cybernet: indicators, readings (bulk COPY, or one insert of a JSON document), quarantine and triple
// index.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, IndicatorTable } from '../store/database';
import type { Aggregation, Indicator } from './indicator';
import type { Channel, QuarantineReason } from './reading';
import { inTransaction } from '../store/transaction';
import { storableCopy, storableText } from '../core/input-guard';
import { copyInto, copyNumber, copyText } from '../store/bulk-copy';
import { BinaryCopyWriter } from '../store/binary-copy';
import { addSeconds, type IngestProfile } from './ports';

export type CybernetTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export interface ReadingRow {
  indicatorId: string;
  sourceId: string;
  at: Date;
  value: number;
  forecastMean: number | null;
  forecastLower: number | null;
  forecastUpper: number | null;
  score: number | null;
  changePoint: boolean;
}

/**
 * How a batch of readings is written: 'copy' streams them with COPY in its binary format (the fast path; it
 * relies on the caller having locked the series and left out the readings already stored), 'copy-text' the
 * same in COPY's text format (the write before the binary one, kept to compare), 'insert' is one INSERT … ON
 * CONFLICT DO NOTHING of a JSON document (the reference path, which tolerates duplicates itself).
 */
export type ReadingsWrite = 'copy' | 'copy-text' | 'insert';

/** The columns of a reading, in the order its COPY text gives them. */
export const READING_COLUMNS = [
  'indicator_id',
  'source_id',
  'at',
  'value',
  'received_at',
  'channel',
  'forecast_mean',
  'forecast_lower',
  'forecast_upper',
  'score',
  'change_point',
] as const;

/** The rows in COPY's text format, one line each. */
function readingsCopyText(rows: ReadingRow[], receivedAt: Date, channel: Channel): string {
  const tail = `\t${receivedAt.toISOString()}\t${copyText(channel)}\t`;
  let out = '';
  for (const r of rows) {
    out +=
      `${copyText(r.indicatorId)}\t${copyText(r.sourceId)}\t${r.at.toISOString()}\t${String(r.value)}` +
      `${tail}${copyNumber(r.forecastMean)}\t${copyNumber(r.forecastLower)}\t${copyNumber(r.forecastUpper)}` +
      `\t${copyNumber(r.score)}\t${r.changePoint ? 't' : 'f'}\n`;
  }
  return out;
}

/** The rows in COPY's binary format, the columns in READING_COLUMNS' order. */
function readingsCopyBinary(rows: ReadingRow[], receivedAt: Date, channel: Channel): Uint8Array {
  const w = new BinaryCopyWriter(rows.length * 120 + 64);
  const received = receivedAt.getTime();
  for (const r of rows) {
    w.row(READING_COLUMNS.length);
    w.text(r.indicatorId);
    w.text(r.sourceId);
    w.timestamp(r.at.getTime());
    w.float8(r.value);
    w.timestamp(received);
    w.text(channel);
    w.float8OrNull(r.forecastMean);
    w.float8OrNull(r.forecastLower);
    w.float8OrNull(r.forecastUpper);
    w.float8OrNull(r.score);
    w.bool(r.changePoint);
  }
  return w.finish();
}

/** The columns of a forecast written after commit (reading_forecasts), in COPY order. */
const FORECAST_COLUMNS = [
  'indicator_id',
  'source_id',
  'forecast_mean',
  'forecast_lower',
  'forecast_upper',
  'score',
  'change_point',
] as const;

export interface QuarantineRow {
  reporterUnitId: string;
  channel: Channel;
  actor: string;
  reason: QuarantineReason;
  message: string;
  sourceId: string | null;
  raw: unknown;
}

function toIndicator(r: Selectable<IndicatorTable>): Indicator {
  return {
    id: r.id,
    unitId: r.unit_id,
    code: r.code,
    name: r.name,
    measure: r.measure,
    cadenceSeconds: r.cadence_seconds,
    goodDirection: r.good_direction as Indicator['goodDirection'],
    aggregation: r.aggregation as Aggregation,
    weight: r.weight,
    min: r.range_min,
    max: r.range_max,
    detector: r.detector_kind as Indicator['detector'],
    detectorSettings: r.detector_settings,
    productCode: r.product_code,
    technologyCode: r.technology_code,
    expected: r.expected,
  };
}

export class CybernetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: CybernetTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async insertIndicator(i: Indicator, db: Db = this.db): Promise<void> {
    await db
      .insertInto('indicators')
      .values({
        id: i.id,
        unit_id: i.unitId,
        code: i.code,
        name: i.name,
        measure: i.measure,
        cadence_seconds: i.cadenceSeconds,
        good_direction: i.goodDirection,
        aggregation: i.aggregation,
        weight: i.weight,
        range_min: i.min,
        range_max: i.max,
        detector_kind: i.detector,
        detector_settings: JSON.stringify(i.detectorSettings),
        product_code: i.productCode,
        technology_code: i.technologyCode,
        expected: i.expected,
      })
      .execute();
  }

  async indicator(id: string): Promise<Indicator | null> {
    const r = await this.db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toIndicator(r) : null;
  }

  /** The indicators of `ids` (in a transaction when given), those that exist. */
  async indicatorsByIds(ids: readonly string[], db: Db = this.db): Promise<Indicator[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('indicators')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(toIndicator);
  }

  /**
   * Serialises batches of the same series (the de-duplication before COPY needs it) without touching their
   * detector state, which a detection runner may hold at the same time: FOR NO KEY UPDATE on the indicators
   * conflicts with itself but not with the key-share locks that the readings' foreign key takes.
   */
  async lockIndicators(tx: Db, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql`select id from indicators where id = any(${[...ids]}::text[]) order by id for no key update`.execute(
      tx,
    );
  }

  /**
   * Writes the detector's forecasts of readings stored before it ran (detection after commit) into the narrow
   * table `reading_forecasts` by binary COPY, the readings themselves untouched (migration 0301: an UPDATE of
   * the readings wrote each of them a second time). Rows with nothing to say (warm-up) are left out;
   * `reading_points` shows them as the reading's own columns say (no forecast), as inline detection stores them.
   */
  async insertForecasts(tx: Db, rows: ReadingRow[]): Promise<number> {
    const w = new BinaryCopyWriter(rows.length * 80 + 64);
    let n = 0;
    for (const r of rows) {
      if (
        r.forecastMean === null &&
        r.forecastLower === null &&
        r.forecastUpper === null &&
        r.score === null &&
        !r.changePoint
      )
        continue;
      w.row(FORECAST_COLUMNS.length);
      w.text(r.indicatorId);
      w.text(r.sourceId);
      w.float8OrNull(r.forecastMean);
      w.float8OrNull(r.forecastLower);
      w.float8OrNull(r.forecastUpper);
      w.float8OrNull(r.score);
      w.bool(r.changePoint);
      n++;
    }
    if (n === 0) return 0;
    return copyInto(tx as Kysely<unknown>, 'reading_forecasts', FORECAST_COLUMNS, w.finish());
  }

  async indicatorUnit(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('indicators')
      .select('unit_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async indicatorsOfUnits(unitIds: string[]): Promise<Indicator[]> {
    if (unitIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('indicators')
      .selectAll()
      .where('unit_id', 'in', unitIds)
      .orderBy('unit_id')
      .orderBy('code')
      .execute();
    return rows.map(toIndicator);
  }

  /** Indicators of the units whose path starts with `path` (a subtree). */
  async indicatorsUnder(path: string, code?: string): Promise<(Indicator & { unitPath: string })[]> {
    let q = this.db
      .selectFrom('indicators')
      .innerJoin('units', 'units.id', 'indicators.unit_id')
      .selectAll('indicators')
      .select('units.path as unit_path')
      .where('units.path', 'like', `${path}%`);
    if (code !== undefined) q = q.where('indicators.code', '=', code);
    const rows = await q.orderBy('units.path').orderBy('indicators.code').execute();
    return rows.map((r) => ({ ...toIndicator(r), unitPath: r.unit_path }));
  }

  /** The (indicator, source id) pairs of `keys` that are already stored. */
  async existing(tx: Db, indicatorIds: string[], sourceIds: string[]): Promise<Set<string>> {
    if (indicatorIds.length === 0) return new Set();
    const keys = JSON.stringify(indicatorIds.map((id, k) => [id, sourceIds[k]]));
    const { rows } = await sql<{ indicator_id: string; source_id: string }>`
      select r.indicator_id, r.source_id
      from json_array_elements(${keys}::json) as k
      join readings r on r.indicator_id = k->>0 and r.source_id = k->>1`.execute(tx);
    return new Set(rows.map((r) => `${r.indicator_id}\u0000${r.source_id}`));
  }

  /**
   * Writes a batch of new readings in one statement. 'copy' (the default) is COPY FROM STDIN: several times
   * faster than any INSERT, but a duplicate fails it, and with it the transaction; the ingest path locks the
   * series and leaves out what is stored before it writes, so none can arrive. 'insert' passes the rows as one
   * JSON document (PostgreSQL parses it in C: twice as fast as unnest over ten array parameters) and ON
   * CONFLICT keeps the first copy of a duplicate.
   */
  async insertReadings(
    tx: Db,
    rows: ReadingRow[],
    receivedAt: Date,
    channel: Channel,
    write: ReadingsWrite = 'copy',
    profile?: IngestProfile,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const t = performance.now();
    if (write !== 'insert') {
      const data =
        write === 'copy'
          ? readingsCopyBinary(rows, receivedAt, channel)
          : readingsCopyText(rows, receivedAt, channel);
      addSeconds(profile, 'build', t);
      return copyInto(tx as Kysely<unknown>, 'readings', READING_COLUMNS, data);
    }
    const doc = JSON.stringify(
      rows.map((r) => ({
        i: r.indicatorId,
        s: r.sourceId,
        t: r.at.getTime(),
        v: r.value,
        m: r.forecastMean,
        l: r.forecastLower,
        u: r.forecastUpper,
        c: r.score,
        p: r.changePoint,
      })),
    );
    addSeconds(profile, 'build', t);
    const result = await sql`
      insert into readings (indicator_id, source_id, at, value, received_at, channel,
        forecast_mean, forecast_lower, forecast_upper, score, change_point)
      select k.i, k.s, to_timestamp(k.t / 1000), k.v, ${receivedAt}::timestamptz, ${channel}, k.m, k.l, k.u, k.c, k.p
      from json_to_recordset(${doc}::json)
        as k(i text, s text, t float8, v float8, m float8, l float8, u float8, c float8, p bool)
      on conflict do nothing`.execute(tx);
    return Number(result.numAffectedRows ?? 0);
  }

  /** A series' readings with their forecasts, whether detection wrote them inline or after commit. */
  async series(indicatorId: string, from: Date | null, to: Date | null, limit: number) {
    let q = this.db
      .selectFrom('reading_points')
      .select([
        'source_id',
        'at',
        'value',
        'forecast_mean',
        'forecast_lower',
        'forecast_upper',
        'score',
        'change_point',
      ])
      .where('indicator_id', '=', indicatorId);
    if (from) q = q.where('at', '>=', from);
    if (to) q = q.where('at', '<=', to);
    const rows = await q.orderBy('at', 'desc').limit(limit).execute();
    return rows.reverse();
  }

  /** Per time bucket and unit, the sum, mean and count of an indicator code over a subtree. */
  async bucketed(path: string, code: string, bucketSeconds: number, from: Date, to: Date) {
    const { rows } = await sql<{ bucket: Date; unit_id: string; sum: number; mean: number; n: number }>`
      select to_timestamp(floor(extract(epoch from r.at) / ${bucketSeconds}) * ${bucketSeconds}) as bucket,
        i.unit_id, sum(r.value)::float8 as sum, avg(r.value)::float8 as mean, count(*)::int as n
      from readings r
      join indicators i on i.id = r.indicator_id
      join units u on u.id = i.unit_id
      where u.path like ${`${path}%`} and i.code = ${code} and r.at >= ${from} and r.at <= ${to}
      group by 1, 2 order by 1, 2`.execute(this.db);
    return rows;
  }

  async insertQuarantine(rows: QuarantineRow[], at: Date, db: Db = this.db): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto('quarantine')
      .values(
        // What was quarantined may hold text PostgreSQL cannot store (that may be why): store a clean copy.
        rows.map((r) => ({
          at,
          reporter_unit_id: r.reporterUnitId,
          channel: r.channel,
          actor: storableText(r.actor),
          reason: r.reason,
          message: storableText(r.message),
          source_id: r.sourceId === null ? null : storableText(r.sourceId),
          raw: JSON.stringify(storableCopy(r.raw ?? null)),
        })),
      )
      .execute();
  }

  async quarantine(path: string, limit: number, reason?: QuarantineReason) {
    let q = this.db
      .selectFrom('quarantine')
      .innerJoin('units', 'units.id', 'quarantine.reporter_unit_id')
      .selectAll('quarantine')
      .where('units.path', 'like', `${path}%`);
    if (reason) q = q.where('quarantine.reason', '=', reason);
    return q.orderBy('quarantine.id', 'desc').limit(limit).execute();
  }

  async setTripleIndex(
    unitId: string,
    period: string,
    v: { actuality: number; capability: number; potentiality: number },
    at: Date,
  ): Promise<void> {
    await this.db
      .insertInto('triple_index')
      .values({ unit_id: unitId, period, ...v, reported_at: at })
      .onConflict((oc) => oc.columns(['unit_id', 'period']).doUpdateSet({ ...v, reported_at: at }))
      .execute();
  }

  async tripleIndex(unitId: string, period?: string) {
    let q = this.db.selectFrom('triple_index').selectAll().where('unit_id', '=', unitId);
    if (period !== undefined) q = q.where('period', '=', period);
    return q.orderBy('period').execute();
  }
}
