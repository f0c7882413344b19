// Detection after commit: an ingest batch commits its readings and, in the same transaction, one backlog row
// per series naming the readings still to be examined. A detection runner takes the rows in id order (so each
// series is examined in the order its batches were committed), runs the detector, writes the forecasts, the
// alerts and the state, and deletes the rows in one transaction: a crash leaves them for the next run. A row
// that fails on its own is kept with the reason (quarantined), not dropped.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table detection_backlog (
    id bigserial primary key,
    indicator_id text not null references indicators(id) on delete cascade,
    unit_path text not null,
    queued_at timestamptz not null,
    readings jsonb not null,
    failed_at timestamptz,
    failure text
  )`.execute(db);
  // The runner reads the pending rows in id order; failed rows stay aside until someone looks at them.
  await sql`create index detection_backlog_pending on detection_backlog (id) where failed_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table detection_backlog`.execute(db);
}
