// Assemblies of a unit: attendance against a frozen electorate, an agenda whose items carry documents and votes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assemblies (
      id text primary key,
      unit_id text not null references units(id),
      title text not null,
      kind text not null,
      scheduled_for timestamptz not null,
      status text not null check (status in ('planned', 'open', 'closed')),
      quorum jsonb not null,
      electorate_rule jsonb not null,
      electorate_id text references electorates(id),
      minutes text not null default '',
      minutes_updated_at timestamptz,
      minutes_updated_by text,
      opened_at timestamptz,
      closed_at timestamptz,
      created_by text not null,
      created_at timestamptz not null,
      unique (id, electorate_id)
    )`.execute(db);
  await sql`create index assemblies_unit on assemblies (unit_id, scheduled_for)`.execute(db);
  await sql`
    create table assembly_attendance (
      assembly_id text not null,
      electorate_id text not null,
      person_id text not null,
      arrived_at timestamptz not null,
      primary key (assembly_id, person_id),
      foreign key (assembly_id, electorate_id) references assemblies (id, electorate_id) on delete cascade,
      foreign key (electorate_id, person_id) references electorate_members (electorate_id, person_id)
    )`.execute(db);
  await sql`
    create table agenda_items (
      id text primary key,
      assembly_id text not null references assemblies(id) on delete cascade,
      position integer not null,
      title text not null,
      body text not null,
      documents jsonb not null,
      vote_id text references votes(id),
      unique (assembly_id, position)
    )`.execute(db);
  await sql`alter table votes add foreign key (assembly_id) references assemblies(id)`.execute(db);
  await sql`alter table votes add foreign key (agenda_item_id) references agenda_items(id)`.execute(db);
  await sql`alter table decisions add foreign key (assembly_id) references assemblies(id)`.execute(db);
  await sql`alter table decisions add foreign key (agenda_item_id) references agenda_items(id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decisions drop column agenda_item_id, drop column assembly_id`.execute(db);
  await sql`alter table votes drop column agenda_item_id, drop column assembly_id`.execute(db);
  for (const t of ['agenda_items', 'assembly_attendance', 'assemblies'])
    await db.schema.dropTable(t).execute();
}
