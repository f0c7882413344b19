// Detection after commit wrote every reading twice: COPYed without forecasts at ingest, then rewritten whole
// by an UPDATE once the detector had run (a new row version and a new primary-key entry per reading, and as
// many dead rows for vacuum). The runner now COPYs the forecasts into a narrow table of their own, one row per
// reading it had something to say about; inline detection still writes them on the reading itself, and
// `reading_points` shows a reading with its forecast whichever path wrote it.
// The backlog carried its readings as a JSON document per row, which the server parsed and stored as jsonb
// (and compressed); a row now carries them packed in bytea (backlog-packing.ts), written by binary COPY and
// kept uncompressed (the doubles do not compress, and the row lives only until the runner has examined it).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key to readings: the runner writes a forecast only for a reading committed before it (the
  // backlog row names it) in the transaction that removes the backlog row, and a key check per row would cost
  // as much as the row. The primary key is what a reader joins on, and it refuses a reading examined twice.
  await sql`create table reading_forecasts (
    indicator_id text not null,
    source_id text not null,
    forecast_mean double precision,
    forecast_lower double precision,
    forecast_upper double precision,
    score double precision,
    change_point boolean not null default false,
    constraint reading_forecasts_pk primary key (indicator_id, source_id)
  )`.execute(db);
  await sql`create view reading_points as
    select r.indicator_id, r.source_id, r.at, r.value, r.received_at, r.channel,
      coalesce(f.forecast_mean, r.forecast_mean) as forecast_mean,
      coalesce(f.forecast_lower, r.forecast_lower) as forecast_lower,
      coalesce(f.forecast_upper, r.forecast_upper) as forecast_upper,
      coalesce(f.score, r.score) as score,
      coalesce(f.change_point, r.change_point) as change_point
    from readings r
    left join reading_forecasts f on f.indicator_id = r.indicator_id and f.source_id = r.source_id`.execute(
    db,
  );
  // Rows queued before this migration keep their JSON document (the runner still reads it); new rows fill
  // `packed` and `n` (the readings' count, for the pending figures) instead.
  await sql`alter table detection_backlog alter column readings drop not null,
    add column n integer, add column packed bytea`.execute(db);
  await sql`alter table detection_backlog alter column packed set storage external`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A packed backlog row cannot be turned back into the old JSON here: refuse rather than drop readings that
  // were never examined (let the runner drain the backlog first).
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from detection_backlog where readings is null`.execute(db);
  if ((rows[0]?.n ?? 0) > 0)
    throw new Error('0301 down: the detection backlog holds packed rows; let the runner examine them first');
  await sql`update readings r set forecast_mean = f.forecast_mean, forecast_lower = f.forecast_lower,
      forecast_upper = f.forecast_upper, score = f.score, change_point = f.change_point
    from reading_forecasts f where f.indicator_id = r.indicator_id and f.source_id = r.source_id`.execute(db);
  await sql`alter table detection_backlog drop column packed, drop column n,
    alter column readings set not null`.execute(db);
  await sql`drop view reading_points`.execute(db);
  await sql`drop table reading_forecasts`.execute(db);
}
