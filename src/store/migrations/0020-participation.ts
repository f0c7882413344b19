// Participation: electorates frozen at opening, votes, who took part (apart from what was cast), ballots, decisions.
import { sql, type Kysely } from 'kysely';

// Who voted (vote_participation) and what was cast (ballots) share nothing but the vote: no key, no time,
// no order. Named votes sign their ballots in ballot_signatures, which an anonymous vote cannot hold.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table electorates (
      id text primary key,
      unit_id text not null references units(id),
      frozen_at timestamptz not null,
      size integer not null
    )`.execute(db);
  await sql`
    create table electorate_members (
      electorate_id text not null references electorates(id) on delete cascade,
      person_id text not null references people(id),
      role text not null,
      via_unit_id text not null references units(id),
      primary key (electorate_id, person_id)
    )`.execute(db);
  await sql`
    create table votes (
      id text primary key,
      unit_id text not null references units(id),
      title text not null,
      description text not null,
      method jsonb not null,
      candidates jsonb not null,
      quorum jsonb not null,
      share_needed jsonb,
      hide_results boolean not null,
      anonymous boolean not null,
      allow_changes boolean not null,
      electorate_rule jsonb not null,
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      status text not null check (status in ('scheduled', 'open', 'closed')),
      electorate_id text references electorates(id),
      assembly_id text,
      agenda_item_id text,
      decision_kind text not null,
      decision_payload jsonb not null,
      result jsonb,
      closed_at timestamptz,
      created_by text not null,
      created_at timestamptz not null,
      check (closes_at > opens_at),
      unique (id, anonymous),
      unique (id, electorate_id)
    )`.execute(db);
  await sql`create index votes_unit on votes (unit_id, created_at)`.execute(db);
  await sql`create index votes_due on votes (status, opens_at, closes_at)`.execute(db);
  // One person, one vote: the primary key refuses a second row, whatever the concurrency.
  await sql`
    create table vote_participation (
      vote_id text not null,
      electorate_id text not null,
      person_id text not null,
      sealed boolean not null default false,
      primary key (vote_id, person_id),
      foreign key (vote_id, electorate_id) references votes (id, electorate_id) on delete cascade,
      foreign key (electorate_id, person_id) references electorate_members (electorate_id, person_id)
    )`.execute(db);
  await sql`
    create table ballots (
      id text primary key,
      vote_id text not null references votes(id) on delete cascade,
      receipt text not null,
      marks jsonb not null,
      source text not null check (source in ('online', 'paper')),
      record text,
      unique (vote_id, receipt)
    )`.execute(db);
  await sql`
    create table ballot_signatures (
      ballot_id text primary key references ballots(id) on delete cascade,
      vote_id text not null,
      anonymous boolean not null default false check (anonymous = false),
      person_id text not null references people(id),
      unique (vote_id, person_id),
      foreign key (vote_id, anonymous) references votes (id, anonymous) on delete cascade
    )`.execute(db);
  await sql`
    create table paper_imports (
      id text primary key,
      vote_id text not null references votes(id) on delete cascade,
      file_name text not null,
      format text not null,
      ballots integer not null,
      imported_by text not null,
      imported_at timestamptz not null
    )`.execute(db);
  await sql`
    create table decisions (
      id text primary key,
      unit_id text not null references units(id),
      kind text not null,
      title text not null,
      outcome text not null,
      payload jsonb not null,
      result jsonb,
      vote_id text unique references votes(id),
      assembly_id text,
      agenda_item_id text,
      decided_at timestamptz not null,
      recorded_by text not null
    )`.execute(db);
  await sql`create index decisions_unit on decisions (unit_id, decided_at)`.execute(db);
  await sql`create index decisions_kind on decisions (kind, decided_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'decisions',
    'paper_imports',
    'ballot_signatures',
    'ballots',
    'vote_participation',
    'votes',
    'electorate_members',
    'electorates',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
