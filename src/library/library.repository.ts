// The only SQL of the library. Every read that can show a record, a word of it, a count or a facet goes
// through `visibleTo`: the access rule of library.ts written as one SQL condition, placed in the WHERE clause
// before anything is counted, faceted, ranked or snippeted, so nothing hidden can reach a result.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ColumnType, JSONColumnType } from 'kysely';
import type { Database } from '../store/database';
import { inTransaction } from '../store/transaction';
import { DomainError } from '../core/errors';
import { HIT_END, HIT_START, TEXT_CONFIG, type AccessKind, type Reader, type SearchQuery } from './library';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

declare module '../store/database' {
  interface Database {
    library_credentials: { name: string; unit_id: string; description: string; created_at: Timestamp };
    library_credential_holders: {
      credential: string;
      person_id: string;
      granted_by: string;
      granted_at: Timestamp;
    };
    library_records: {
      id: string;
      unit_id: string;
      type: string;
      access: string;
      access_unit_id: string | null;
      access_unit_path: string | null;
      access_credential: string | null;
      declassify_at: Timestamp | null;
      latest_version_id: string | null;
      latest_number: number;
      created_by: string;
      created_at: Timestamp;
      withdrawn_at: Timestamp | null;
      withdrawn_by: string | null;
      withdrawn_reason: string | null;
    };
    library_readers: { record_id: string; person_id: string | null; role: string | null };
    library_versions: {
      id: string;
      record_id: string;
      number: number;
      title: string;
      authors: JSONColumnType<string[]>;
      abstract: string;
      keywords: JSONColumnType<string[]>;
      products: JSONColumnType<string[]>;
      technologies: JSONColumnType<string[]>;
      licence: string;
      note: string;
      body: string;
      year: number;
      published_at: Timestamp;
      published_by: string;
      search: ColumnType<string, RawBuilder<string>, never>;
    };
    library_blobs: { sha256: string; size: number; uploaded_by: string; uploaded_at: Timestamp };
    library_files: { version_id: string; name: string; media_type: string; sha256: string; size: number };
    library_events: {
      id: string;
      record_id: string;
      at: Timestamp;
      kind: string;
      actor: string;
      detail: JSONColumnType<Record<string, unknown>>;
    };
  }
}

export interface RecordRow {
  id: string;
  unitId: string;
  unitName: string;
  unitPath: string;
  type: string;
  access: AccessKind;
  accessUnitId: string | null;
  accessUnitPath: string | null;
  credential: string | null;
  declassifyAt: Date | null;
  latestVersionId: string | null;
  latestNumber: number;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  withdrawnReason: string | null;
  readerPeople: string[];
  readerRoles: string[];
}

export interface NewVersion {
  id: string;
  recordId: string;
  number: number;
  title: string;
  authors: string[];
  abstract: string;
  keywords: string[];
  products: string[];
  technologies: string[];
  licence: string;
  note: string;
  body: string;
  year: number;
  publishedAt: Date;
  publishedBy: string;
  files: { name: string; mediaType: string; sha256: string; size: number }[];
}

export interface NewRecord {
  id: string;
  unitId: string;
  type: string;
  access: AccessKind;
  accessUnitId: string | null;
  accessUnitPath: string | null;
  credential: string | null;
  declassifyAt: Date | null;
  readerPeople: string[];
  readerRoles: string[];
  createdBy: string;
  createdAt: Date;
}

const startsWith = (column: Expression<unknown> | RawBuilder<unknown>, prefix: string) =>
  sql<SqlBool>`starts_with(${column}, ${prefix})`;

/**
 * The access rule as SQL over `r` (library_records) joined with `u` (its unit); null when the reader sees
 * everything. Kept beside `maySee` in meaning, clause by clause.
 */
export function visibleTo(reader: Reader, now: Date): RawBuilder<SqlBool> | null {
  if (reader.everywhere) return null;
  const parts: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`r.access = 'public'`,
    sql<SqlBool>`(r.declassify_at is not null and r.declassify_at <= ${now})`,
    ...reader.managePaths.map((p) => startsWith(sql.ref('u.path'), p)),
  ];
  if (reader.grants.length > 0) {
    const within = reader.grants.flatMap((g) => [
      startsWith(sql.ref('r.access_unit_path'), g.path),
      sql<SqlBool>`starts_with(${g.path}, r.access_unit_path)`,
    ]);
    parts.push(sql<SqlBool>`(r.access = 'subtree' and (${sql.join(within, sql` or `)}))`);
  }
  if (reader.credentials.length > 0) {
    parts.push(
      sql<SqlBool>`(r.access = 'credential' and r.access_credential in (${sql.join([...reader.credentials])}))`,
    );
  }
  const named: RawBuilder<SqlBool>[] = [];
  if (reader.personId !== null) named.push(sql<SqlBool>`x.person_id = ${reader.personId}`);
  for (const g of reader.grants) {
    named.push(sql<SqlBool>`(x.role = ${g.role} and ${startsWith(sql.ref('u.path'), g.path)})`);
  }
  if (named.length > 0) {
    parts.push(
      sql<SqlBool>`(r.access = 'named' and exists (select 1 from library_readers x where x.record_id = r.id and (${sql.join(named, sql` or `)})))`,
    );
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

const tsQuery = (q: string) => sql`websearch_to_tsquery(${sql.lit(TEXT_CONFIG)}::regconfig, ${q})`;

export class LibraryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // --- credentials -------------------------------------------------------------------------------

  async defineCredential(c: {
    name: string;
    unitId: string;
    description: string;
    at: Date;
  }): Promise<boolean> {
    const r = await this.db
      .insertInto('library_credentials')
      .values({ name: c.name, unit_id: c.unitId, description: c.description, created_at: c.at })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    return r !== undefined;
  }

  async credentialUnit(name: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('library_credentials')
      .select('unit_id')
      .where('name', '=', name)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async grantCredential(g: { credential: string; personId: string; by: string; at: Date }): Promise<void> {
    await this.db
      .insertInto('library_credential_holders')
      .values({ credential: g.credential, person_id: g.personId, granted_by: g.by, granted_at: g.at })
      .onConflict((oc) => oc.columns(['credential', 'person_id']).doNothing())
      .execute();
  }

  async credentialsOf(personId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('library_credential_holders')
      .select('credential')
      .where('person_id', '=', personId)
      .orderBy('credential')
      .execute();
    return rows.map((r) => r.credential);
  }

  async listCredentials(): Promise<{ name: string; unitId: string; description: string }[]> {
    const rows = await this.db.selectFrom('library_credentials').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, unitId: r.unit_id, description: r.description }));
  }

  // --- blobs --------------------------------------------------------------------------------------

  async addBlob(b: { sha256: string; size: number; by: string; at: Date }): Promise<void> {
    await this.db
      .insertInto('library_blobs')
      .values({ sha256: b.sha256, size: b.size, uploaded_by: b.by, uploaded_at: b.at })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  async blobs(shas: string[]): Promise<Map<string, number>> {
    if (shas.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('library_blobs')
      .select(['sha256', 'size'])
      .where('sha256', 'in', shas)
      .execute();
    return new Map(rows.map((r) => [r.sha256, Number(r.size)]));
  }

  // --- records and versions ----------------------------------------------------------------------

  /** A new record with its first version, files and event: all or nothing. */
  async insertRecord(r: NewRecord, v: NewVersion): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .insertInto('library_records')
        .values({
          id: r.id,
          unit_id: r.unitId,
          type: r.type,
          access: r.access,
          access_unit_id: r.accessUnitId,
          access_unit_path: r.accessUnitPath,
          access_credential: r.credential,
          declassify_at: r.declassifyAt,
          latest_version_id: null,
          latest_number: 0,
          created_by: r.createdBy,
          created_at: r.createdAt,
        })
        .execute();
      await this.insertReaders(tx, r.id, r.readerPeople, r.readerRoles);
      await this.insertVersionIn(tx, v, 'published');
    });
  }

  private async insertReaders(tx: Kysely<Database>, recordId: string, people: string[], roles: string[]) {
    const rows = [
      ...people.map((p) => ({ record_id: recordId, person_id: p, role: null })),
      ...roles.map((role) => ({ record_id: recordId, person_id: null, role })),
    ];
    if (rows.length > 0) await tx.insertInto('library_readers').values(rows).execute();
  }

  /** A new version of an existing record; refuses when another version took the number first. */
  async insertVersion(v: NewVersion): Promise<void> {
    await inTransaction(this.db, (tx) => this.insertVersionIn(tx, v, 'revised'));
  }

  private async insertVersionIn(tx: Kysely<Database>, v: NewVersion, event: string): Promise<void> {
    await tx.insertInto('library_versions').values(versionRow(v)).execute();
    if (v.files.length > 0) {
      await tx
        .insertInto('library_files')
        .values(
          v.files.map((f) => ({
            version_id: v.id,
            name: f.name,
            media_type: f.mediaType,
            sha256: f.sha256,
            size: f.size,
          })),
        )
        .execute();
    }
    // Only the next number moves the record on: two concurrent revisions cannot both become latest.
    const moved = await tx
      .updateTable('library_records')
      .set({ latest_version_id: v.id, latest_number: v.number })
      .where('id', '=', v.recordId)
      .where('latest_number', '=', v.number - 1)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      throw new DomainError('conflict', 'the record was withdrawn or revised meanwhile', {
        fix: 'read the record again and revise its latest version',
      });
    }
    await this.addEventIn(tx, {
      recordId: v.recordId,
      at: v.publishedAt,
      kind: event,
      actor: v.publishedBy,
      detail: { versionId: v.id, number: v.number },
    });
  }

  async addEvent(e: {
    recordId: string;
    at: Date;
    kind: string;
    actor: string;
    detail: Record<string, unknown>;
  }): Promise<void> {
    await this.addEventIn(this.db, e);
  }

  private async addEventIn(
    db: Kysely<Database>,
    e: { recordId: string; at: Date; kind: string; actor: string; detail: Record<string, unknown> },
  ): Promise<void> {
    await db
      .insertInto('library_events')
      .values({
        id: `le_${e.recordId}_${e.kind}_${e.at.getTime()}_${Math.random().toString(36).slice(2, 10)}`,
        record_id: e.recordId,
        at: e.at,
        kind: e.kind,
        actor: e.actor,
        detail: JSON.stringify(e.detail),
      })
      .execute();
  }

  /** Records the declassification once (the first read after the date does it; later reads find it there). */
  async noteDeclassified(recordId: string, at: Date): Promise<void> {
    await sql`
      insert into library_events (id, record_id, at, kind, actor, detail)
      values (${`le_${recordId}_declassified`}, ${recordId}, ${at}, 'declassified', 'clock', ${JSON.stringify({ reason: 'the declassification date passed' })})
      on conflict do nothing`.execute(this.db);
  }

  async setAccess(
    recordId: string,
    a: Omit<NewRecord, 'id' | 'unitId' | 'type' | 'createdBy' | 'createdAt'>,
    event: { at: Date; actor: string; detail: Record<string, unknown> },
  ): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .updateTable('library_records')
        .set({
          access: a.access,
          access_unit_id: a.accessUnitId,
          access_unit_path: a.accessUnitPath,
          access_credential: a.credential,
          declassify_at: a.declassifyAt,
        })
        .where('id', '=', recordId)
        .execute();
      await tx.deleteFrom('library_readers').where('record_id', '=', recordId).execute();
      await this.insertReaders(tx, recordId, a.readerPeople, a.readerRoles);
      // A new date must be recorded anew when it passes.
      await tx
        .deleteFrom('library_events')
        .where('record_id', '=', recordId)
        .where('kind', '=', 'declassified')
        .execute();
      await this.addEventIn(tx, { recordId, kind: 'access-changed', ...event });
    });
  }

  async withdraw(recordId: string, w: { at: Date; by: string; reason: string }): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const r = await tx
        .updateTable('library_records')
        .set({ withdrawn_at: w.at, withdrawn_by: w.by, withdrawn_reason: w.reason })
        .where('id', '=', recordId)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await this.addEventIn(tx, {
        recordId,
        at: w.at,
        kind: 'withdrawn',
        actor: w.by,
        detail: { reason: w.reason },
      });
      return true;
    });
  }

  async existingPeople(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('people').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  async unitOfRecord(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('library_records')
      .select('unit_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async recordOfVersion(versionId: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('library_versions')
      .select('record_id')
      .where('id', '=', versionId)
      .executeTakeFirst();
    return r?.record_id ?? null;
  }

  async record(id: string): Promise<RecordRow | null> {
    const r = await this.db
      .selectFrom('library_records as r')
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .select([
        'r.id',
        'r.unit_id',
        'u.name as unit_name',
        'u.path as unit_path',
        'r.type',
        'r.access',
        'r.access_unit_id',
        'r.access_unit_path',
        'r.access_credential',
        'r.declassify_at',
        'r.latest_version_id',
        'r.latest_number',
        'r.withdrawn_at',
        'r.withdrawn_by',
        'r.withdrawn_reason',
      ])
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    const readers = await this.db
      .selectFrom('library_readers')
      .selectAll()
      .where('record_id', '=', id)
      .execute();
    return {
      id: r.id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      unitPath: r.unit_path,
      type: r.type,
      access: r.access as AccessKind,
      accessUnitId: r.access_unit_id,
      accessUnitPath: r.access_unit_path,
      credential: r.access_credential,
      declassifyAt: r.declassify_at,
      latestVersionId: r.latest_version_id,
      latestNumber: r.latest_number,
      withdrawnAt: r.withdrawn_at,
      withdrawnBy: r.withdrawn_by,
      withdrawnReason: r.withdrawn_reason,
      readerPeople: readers.flatMap((x) => (x.person_id === null ? [] : [x.person_id])),
      readerRoles: readers.flatMap((x) => (x.role === null ? [] : [x.role])),
    };
  }

  async versionStubs(recordId: string) {
    return this.db
      .selectFrom('library_versions')
      .select(['id', 'number', 'published_at as publishedAt', 'note'])
      .where('record_id', '=', recordId)
      .orderBy('number')
      .execute();
  }

  async version(versionId: string) {
    const v = await this.db
      .selectFrom('library_versions')
      .select([
        'id',
        'record_id',
        'number',
        'title',
        'authors',
        'abstract',
        'keywords',
        'products',
        'technologies',
        'licence',
        'note',
        'year',
        'published_at',
        'published_by',
      ])
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!v) return null;
    const files = await this.db
      .selectFrom('library_files')
      .select(['name', 'media_type', 'sha256', 'size'])
      .where('version_id', '=', versionId)
      .orderBy('name')
      .execute();
    return {
      id: v.id,
      recordId: v.record_id,
      number: v.number,
      title: v.title,
      authors: v.authors,
      abstract: v.abstract,
      keywords: v.keywords,
      products: v.products,
      technologies: v.technologies,
      licence: v.licence,
      note: v.note,
      year: v.year,
      publishedAt: v.published_at,
      publishedBy: v.published_by,
      files: files.map((f) => ({
        name: f.name,
        mediaType: f.media_type,
        sha256: f.sha256,
        size: Number(f.size),
      })),
    };
  }

  async events(recordId: string) {
    const rows = await this.db
      .selectFrom('library_events')
      .select(['at', 'kind', 'actor', 'detail'])
      .where('record_id', '=', recordId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows;
  }

  // --- search -------------------------------------------------------------------------------------

  /**
   * Hits, total and facets over the latest versions of live records the reader may see. The access
   * condition sits in the one CTE every part reads, so counts, facets and snippets share its limits.
   */
  async search(reader: Reader, now: Date, q: SearchQuery, under: string | null) {
    const text = q.q.trim();
    const conditions: RawBuilder<SqlBool>[] = [sql<SqlBool>`r.withdrawn_at is null`];
    const visible = visibleTo(reader, now);
    if (visible) conditions.push(visible);
    if (text.length > 0) conditions.push(sql<SqlBool>`v.search @@ ${tsQuery(text)}`);
    if (under !== null) conditions.push(startsWith(sql.ref('u.path'), under));
    if (q.type !== undefined) conditions.push(sql<SqlBool>`r.type = ${q.type}`);
    if (q.year !== undefined) conditions.push(sql<SqlBool>`v.year = ${q.year}`);
    if (q.product !== undefined) conditions.push(sql<SqlBool>`v.products ? ${q.product}`);
    const where = sql.join(conditions, sql` and `);
    const rank = text.length > 0 ? sql`ts_rank_cd(v.search, ${tsQuery(text)})` : sql`0`;
    // Two CTEs with the same WHERE: the page ranks the matches, the facets only count them (ranking reads
    // every match's vector, which counting does not need).
    const from = sql`from library_records r
        join units u on u.id = r.unit_id
        join library_versions v on v.id = r.latest_version_id
        where ${where}`;
    const hits = sql`
      with hits as (
        select r.id as record_id, v.id as version_id, v.number, v.title, r.type, r.unit_id, u.name as unit_name,
               v.year, v.products, r.access, v.published_at, ${rank}::float8 as rank
        ${from}
      )`;
    const counted = sql`
      with hits as (select r.unit_id, u.name as unit_name, r.type, v.year, v.products ${from})`;
    const opts = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;
    // Snippets are made only for the page of hits, from versions already known to be visible.
    const snippet =
      text.length > 0
        ? sql`ts_headline(${sql.lit(TEXT_CONFIG)}::regconfig, v.abstract || ' ' || left(v.body, 20000), ${tsQuery(text)}, ${opts})`
        : sql`left(v.abstract, 240)`;
    const page = await sql<{
      record_id: string;
      version_id: string;
      number: number;
      title: string;
      type: string;
      unit_id: string;
      unit_name: string;
      year: number;
      products: string[];
      access: string;
      rank: number;
      snippet: string;
    }>`${hits}
      select h.*, ${snippet} as snippet
      from (select * from hits order by rank desc, published_at desc, record_id limit ${q.limit} offset ${q.offset}) h
      join library_versions v on v.id = h.version_id
      order by h.rank desc, h.published_at desc, h.record_id`.execute(this.db);
    const facets = await sql<{ facet: string; value: string; label: string; count: number }>`${counted}
      select 'total' as facet, '' as value, '' as label, count(*)::int as count from hits
      union all
      select 'unit', unit_id, min(unit_name), count(*)::int from hits group by unit_id
      union all
      select 'type', type, type, count(*)::int from hits group by type
      union all
      select 'year', year::text, year::text, count(*)::int from hits group by year
      union all
      select 'product', p, p, count(*)::int from hits, jsonb_array_elements_text(hits.products) p group by p`.execute(
      this.db,
    );
    return { page: page.rows, facets: facets.rows };
  }

  /** Titles and keywords of visible live records that start with the prefix (for completion). */
  async suggest(reader: Reader, now: Date, prefix: string, limit: number): Promise<string[]> {
    const conditions: RawBuilder<SqlBool>[] = [sql<SqlBool>`r.withdrawn_at is null`];
    const visible = visibleTo(reader, now);
    if (visible) conditions.push(visible);
    const like = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await sql<{ s: string }>`
      select distinct s from (
        select v.title as s from library_records r join units u on u.id = r.unit_id
          join library_versions v on v.id = r.latest_version_id where ${sql.join(conditions, sql` and `)}
        union all
        select k as s from library_records r join units u on u.id = r.unit_id
          join library_versions v on v.id = r.latest_version_id, jsonb_array_elements_text(v.keywords) k
          where ${sql.join(conditions, sql` and `)}
      ) t where lower(s) like ${like} order by s limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => r.s);
  }

  /** Test and benchmark seeding: many records at once (one statement per batch). */
  async bulkInsert(records: NewRecord[], versions: NewVersion[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      for (let i = 0; i < records.length; i += 1000) {
        const rs = records.slice(i, i + 1000);
        const vs = versions.slice(i, i + 1000);
        await tx
          .insertInto('library_records')
          .values(
            rs.map((r, j) => ({
              id: r.id,
              unit_id: r.unitId,
              type: r.type,
              access: r.access,
              access_unit_id: r.accessUnitId,
              access_unit_path: r.accessUnitPath,
              access_credential: r.credential,
              declassify_at: r.declassifyAt,
              latest_version_id: vs[j]!.id,
              latest_number: 1,
              created_by: r.createdBy,
              created_at: r.createdAt,
            })),
          )
          .execute();
        const readers = rs.flatMap((r) => [
          ...r.readerPeople.map((p) => ({ record_id: r.id, person_id: p, role: null })),
          ...r.readerRoles.map((role) => ({ record_id: r.id, person_id: null, role })),
        ]);
        if (readers.length > 0) await tx.insertInto('library_readers').values(readers).execute();
        await tx.insertInto('library_versions').values(vs.map(versionRow)).execute();
      }
    });
  }
}

/** A version as its row, with the weighted search vector: one mapping for every insert, so records seeded
 * in bulk are found exactly as published ones. */
function versionRow(v: NewVersion) {
  return {
    id: v.id,
    record_id: v.recordId,
    number: v.number,
    title: v.title,
    authors: JSON.stringify(v.authors),
    abstract: v.abstract,
    keywords: JSON.stringify(v.keywords),
    products: JSON.stringify(v.products),
    technologies: JSON.stringify(v.technologies),
    licence: v.licence,
    note: v.note,
    body: v.body,
    year: v.year,
    published_at: v.publishedAt,
    published_by: v.publishedBy,
    // Title and keywords weigh most, then the abstract, then the text of the document and its files.
    search: sql<string>`
      setweight(to_tsvector(${sql.lit(TEXT_CONFIG)}::regconfig, ${v.title}), 'A') ||
      setweight(to_tsvector(${sql.lit(TEXT_CONFIG)}::regconfig, ${v.keywords.join(' ')}), 'A') ||
      setweight(to_tsvector(${sql.lit(TEXT_CONFIG)}::regconfig, ${v.abstract}), 'B') ||
      setweight(to_tsvector(${sql.lit(TEXT_CONFIG)}::regconfig, ${v.body}), 'C')`,
  };
}
