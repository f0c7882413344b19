// Public questions: upvotes once each, answers with their revisions, the climb up the holarchy, moderation.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table question_settings (
      id integer primary key check (id = 1),
      upvote_threshold integer not null check (upvote_threshold >= 1)
    )`.execute(db);
  await sql`
    create table questions (
      id text primary key,
      unit_id text not null references units(id),
      level_unit_id text not null references units(id),
      level_depth integer not null,
      title text not null,
      body text not null,
      asked_by text references people(id),
      asker_name text not null,
      asked_at timestamptz not null,
      upvotes integer not null default 0,
      threshold_reached_at timestamptz,
      escalate_due_at timestamptz,
      answered_at timestamptz,
      hidden boolean not null default false,
      hidden_reason text
    )`.execute(db);
  await sql`create index questions_unit on questions (unit_id, asked_at)`.execute(db);
  await sql`create index questions_due on questions (escalate_due_at) where escalate_due_at is not null`.execute(
    db,
  );
  await sql`
    create table question_upvotes (
      question_id text not null references questions(id) on delete cascade,
      person_id text not null references people(id),
      at timestamptz not null,
      primary key (question_id, person_id)
    )`.execute(db);
  await sql`
    create table question_answers (
      id text primary key,
      question_id text not null references questions(id) on delete cascade,
      author_id text not null references people(id),
      author_name text not null,
      body text not null,
      version integer not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`
    create table answer_revisions (
      answer_id text not null references question_answers(id) on delete cascade,
      version integer not null,
      body text not null,
      edited_by text not null,
      edited_at timestamptz not null,
      primary key (answer_id, version)
    )`.execute(db);
  await sql`
    create table question_events (
      id serial primary key,
      question_id text not null references questions(id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      actor text not null,
      level_unit_id text not null,
      level_depth integer not null,
      detail jsonb not null
    )`.execute(db);
  await sql`create index question_events_question on question_events (question_id, id)`.execute(db);
  await sql`
    create table moderation_log (
      id serial primary key,
      question_id text not null references questions(id) on delete cascade,
      unit_id text not null references units(id),
      at timestamptz not null,
      action text not null check (action in ('hidden', 'shown')),
      reason text not null,
      moderator text not null,
      moderator_name text not null
    )`.execute(db);
  await sql`create index moderation_log_unit on moderation_log (unit_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'moderation_log',
    'question_events',
    'answer_revisions',
    'question_answers',
    'question_upvotes',
    'questions',
    'question_settings',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
