// The library: records (concept ids) with immutable published versions, their files (content-addressed
// blobs), access rules, named credentials a unit issues, and the record's events (published, withdrawn,
// declassified). The search vector lives on the version; search reads each record's latest version.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table library_credentials (
      name text primary key,
      unit_id text not null references units(id),
      description text not null default '',
      created_at timestamptz not null
    )`.execute(db);
  await sql`
    create table library_credential_holders (
      credential text not null references library_credentials(name),
      person_id text not null references people(id),
      granted_by text not null,
      granted_at timestamptz not null,
      primary key (credential, person_id)
    )`.execute(db);
  await sql`create index library_credential_holders_person on library_credential_holders (person_id)`.execute(
    db,
  );
  await sql`
    create table library_records (
      id text primary key,
      unit_id text not null references units(id),
      type text not null,
      access text not null check (access in ('public', 'subtree', 'credential', 'named')),
      access_unit_id text references units(id),
      access_unit_path text,
      access_credential text references library_credentials(name),
      declassify_at timestamptz,
      latest_version_id text,
      latest_number integer not null default 0,
      created_by text not null,
      created_at timestamptz not null,
      withdrawn_at timestamptz,
      withdrawn_by text,
      withdrawn_reason text,
      check ((access = 'subtree') = (access_unit_id is not null and access_unit_path is not null)),
      check ((access = 'credential') = (access_credential is not null))
    )`.execute(db);
  await sql`create index library_records_unit on library_records (unit_id)`.execute(db);
  await sql`create index library_records_latest on library_records (latest_version_id)`.execute(db);
  await sql`
    create table library_readers (
      record_id text not null references library_records(id),
      person_id text references people(id),
      role text,
      check ((person_id is null) <> (role is null))
    )`.execute(db);
  await sql`create index library_readers_record on library_readers (record_id)`.execute(db);
  await sql`
    create table library_versions (
      id text primary key,
      record_id text not null references library_records(id),
      number integer not null,
      title text not null,
      authors jsonb not null,
      abstract text not null,
      keywords jsonb not null,
      products jsonb not null,
      technologies jsonb not null,
      licence text not null,
      note text not null default '',
      body text not null default '',
      year integer not null,
      published_at timestamptz not null,
      published_by text not null,
      search tsvector not null,
      unique (record_id, number)
    )`.execute(db);
  await sql`create index library_versions_search on library_versions using gin (search)`.execute(db);
  // Published versions are immutable: a change is a new version (the service never updates one; this
  // makes a stray UPDATE fail too).
  await sql`
    create function library_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'library versions are immutable: publish a new version instead';
    end $$`.execute(db);
  await sql`
    create trigger library_versions_no_update before update on library_versions
    for each row execute function library_versions_immutable()`.execute(db);
  await sql`
    create table library_blobs (
      sha256 text primary key,
      size bigint not null,
      uploaded_by text not null,
      uploaded_at timestamptz not null
    )`.execute(db);
  await sql`
    create table library_files (
      version_id text not null references library_versions(id),
      name text not null,
      media_type text not null,
      sha256 text not null references library_blobs(sha256),
      size bigint not null,
      primary key (version_id, name)
    )`.execute(db);
  await sql`
    create table library_events (
      id text primary key,
      record_id text not null references library_records(id),
      at timestamptz not null,
      kind text not null,
      actor text not null,
      detail jsonb not null
    )`.execute(db);
  await sql`create index library_events_record on library_events (record_id, at)`.execute(db);
  // The declassification is recorded once, by whichever read first finds the date passed.
  await sql`create unique index library_events_declassified on library_events (record_id) where kind = 'declassified'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'library_events',
    'library_files',
    'library_blobs',
    'library_versions',
    'library_readers',
    'library_records',
    'library_credential_holders',
    'library_credentials',
  ]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
  await sql`drop function if exists library_versions_immutable()`.execute(db);
}
