// Participatory budgets and priorities votes: the budget (its pool, ballot and rule as settings, its vote,
// its result and the plan computed from it) and its projects (bundles of final demand, priced).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table budgets (
      id text primary key,
      kind text not null check (kind in ('projects', 'priorities')),
      unit_id text not null references units(id),
      economy_id text not null references economies(id),
      name text not null,
      status text not null check (status in ('proposing', 'voting', 'closed')),
      settings jsonb not null,
      groups jsonb not null default '[]',
      vote_id text references votes(id),
      result jsonb,
      plan_id text references plans(id),
      created_by text not null,
      created_at timestamptz not null,
      closed_at timestamptz
    )`.execute(db);
  await sql`create index budgets_economy on budgets (economy_id, created_at)`.execute(db);
  await sql`create index budgets_unit on budgets (unit_id)`.execute(db);
  await sql`
    create table budget_projects (
      budget_id text not null references budgets(id) on delete cascade,
      id text not null,
      position integer not null,
      name text not null,
      description text not null,
      items jsonb not null,
      cost double precision not null check (cost >= 0),
      status text not null check (status in ('proposed', 'accepted', 'rejected')),
      proposed_by text not null,
      review text,
      created_at timestamptz not null,
      primary key (budget_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table budget_projects`.execute(db);
  await sql`drop table budgets`.execute(db);
}
