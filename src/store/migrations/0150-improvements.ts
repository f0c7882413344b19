// Rationalization proposals: technology versions and users, proposals with their climb, adoptions, credit.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every version of a technology's coefficients; the live rows stay in `coefficients` (the current version).
  await sql`
    create table technology_versions (
      economy_id text not null references economies(id) on delete cascade,
      technology text not null,
      version integer not null,
      valid_from timestamptz not null,
      valid_to timestamptz,
      coefficients jsonb not null,
      reason text not null,
      proposal_id text,
      economy_version integer not null,
      primary key (economy_id, technology, version)
    )`.execute(db);
  // The units that run a technology, each with its share of the technology's output.
  await sql`
    create table technology_users (
      economy_id text not null references economies(id) on delete cascade,
      technology text not null,
      unit_id text not null references units(id),
      share double precision not null check (share > 0 and share <= 1),
      primary key (economy_id, technology, unit_id)
    )`.execute(db);
  await sql`
    create table proposal_deadlines (
      phase text not null,
      depth integer not null,
      seconds integer not null check (seconds > 0),
      primary key (phase, depth)
    )`.execute(db);
  await sql`
    create table proposals (
      id text primary key,
      unit_id text not null references units(id),
      economy_id text not null references economies(id),
      technology text not null,
      title text not null,
      body text not null,
      changes jsonb not null,
      attachments jsonb not null,
      author_id text not null references people(id),
      author_name text not null,
      status text not null,
      level_unit_id text not null references units(id),
      level_depth integer not null,
      phase text,
      escalate_due_at timestamptz,
      filed_at timestamptz not null,
      acknowledged_at timestamptz,
      decided_at timestamptz,
      decision jsonb,
      appealed_at timestamptz
    )`.execute(db);
  await sql`create index proposals_unit on proposals (unit_id, filed_at)`.execute(db);
  await sql`create index proposals_due on proposals (escalate_due_at) where escalate_due_at is not null`.execute(
    db,
  );
  await sql`
    create table proposal_events (
      seq serial primary key,
      proposal_id text not null references proposals(id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      actor text not null,
      actor_name text not null,
      level_unit_id text not null,
      level_depth integer not null,
      reason text,
      detail jsonb not null
    )`.execute(db);
  await sql`create index proposal_events_proposal on proposal_events (proposal_id, seq)`.execute(db);
  await sql`
    create table proposal_adoptions (
      id text primary key,
      proposal_id text not null references proposals(id),
      unit_id text not null references units(id),
      share double precision not null,
      economy_id text not null references economies(id),
      technology text not null,
      from_version integer not null,
      to_version integer not null,
      economy_version integer not null,
      labour_saved double precision not null,
      demand_source text not null,
      adopted_at timestamptz not null,
      adopted_by text not null,
      unique (proposal_id, unit_id)
    )`.execute(db);
  // What the library must still publish: the default publisher's record of an adopted proposal.
  await sql`
    create table proposal_publications (
      proposal_id text primary key references proposals(id),
      requested_at timestamptz not null,
      status text not null,
      record_id text
    )`.execute(db);
  // Events the merit record reads: one per adoption of an author's proposal, with its measured saving.
  await sql`
    create table merit_events (
      id text primary key,
      person_id text not null references people(id),
      kind text not null,
      at timestamptz not null,
      unit_id text not null references units(id),
      proposal_id text references proposals(id),
      adoption_id text references proposal_adoptions(id),
      hours_saved double precision,
      detail jsonb not null
    )`.execute(db);
  await sql`create index merit_events_person on merit_events (person_id, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'merit_events',
    'proposal_publications',
    'proposal_adoptions',
    'proposal_events',
    'proposals',
    'proposal_deadlines',
    'technology_users',
    'technology_versions',
  ]) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
