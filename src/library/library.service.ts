// The library's use cases: publish, revise, change access, withdraw; read, search, suggest, cite and
// download under the access rule; credentials a unit issues. A record the reader may not see is answered
// exactly as one that does not exist (404), so its existence does not leak either.
import type { Readable } from 'node:stream';
import type { Clock } from '../core/clock';
import { DomainError } from '../core/errors';
import { newId } from '../core/ids';
import type { OpContext } from '../core/operation';
import { actorKey, scopesFor, type Principal } from '../core/principal';
import type { BlobStore } from './blob-store';
import { formatCitation, type CitationFormat } from './citation';
import type { ExtractInput, ExtractOutput } from './extract-text';
import {
  declassified,
  maySee,
  MAX_INDEXED_CHARS,
  NOBODY,
  snippetParts,
  withoutMarkers,
  type LibraryRecord,
  type Reader,
  type RecordAccess,
  type RecordMetadata,
  type SearchQuery,
  type SearchResult,
} from './library';
import type { LibraryRepository, NewRecord, NewVersion, RecordRow } from './library.repository';

export interface LibraryDirectory {
  unit(id: string): Promise<{ id: string; path: string; name: string }>;
}

export interface LibraryOptions {
  /** Files larger than this are stored and served, but their text is not extracted for search. */
  maxExtractBytes: number;
}

export interface PublishInput extends RecordMetadata {
  unitId: string;
  type: string;
  access: RecordAccess;
  declassifyAt?: string | null | undefined;
  note?: string | undefined;
}

export interface Published {
  recordId: string;
  versionId: string;
  number: number;
  /** Files whose text could not be indexed, with the reason (they are stored all the same). */
  unindexed: { name: string; reason: string }[];
}

export class LibraryService {
  constructor(
    private readonly repo: LibraryRepository,
    readonly blobs: BlobStore,
    private readonly directory: LibraryDirectory,
    private readonly extract: (i: ExtractInput) => Promise<ExtractOutput>,
    private readonly clock: Clock,
    private readonly options: LibraryOptions = { maxExtractBytes: 32 * 1024 * 1024 },
  ) {}

  /** Who the principal is to the access rule. */
  async reader(principal: Principal): Promise<Reader> {
    switch (principal.kind) {
      case 'system':
        return { ...NOBODY, everywhere: true };
      // Machine tokens report readings; they read only what the public reads.
      case 'anonymous':
      case 'machine':
        return NOBODY;
      case 'person': {
        const manage = scopesFor(principal, 'manage');
        return {
          everywhere: false,
          personId: principal.personId,
          grants: principal.grants.map((g) => ({ path: g.unitPath, role: g.role })),
          managePaths: manage === 'everywhere' ? ['/'] : manage,
          credentials: await this.repo.credentialsOf(principal.personId),
        };
      }
    }
  }

  unitOf(recordId: string): Promise<string | null> {
    return this.repo.unitOfRecord(recordId);
  }

  async unitOfVersion(versionId: string): Promise<string | null> {
    const recordId = await this.repo.recordOfVersion(versionId);
    return recordId === null ? null : this.repo.unitOfRecord(recordId);
  }

  credentialUnit(name: string): Promise<string | null> {
    return this.repo.credentialUnit(name);
  }

  // --- credentials -------------------------------------------------------------------------------

  async defineCredential(i: { unitId: string; name: string; description: string }) {
    const created = await this.repo.defineCredential({ ...i, at: this.clock.now() });
    if (!created) {
      throw new DomainError('duplicate', `a credential named "${i.name}" exists already`, {
        issues: [{ field: 'name', message: 'taken' }],
        fix: 'choose another name, or grant the existing credential',
      });
    }
    return { name: i.name, unitId: i.unitId, description: i.description };
  }

  async grantCredential(principal: Principal, i: { credential: string; personId: string }) {
    if ((await this.repo.existingPeople([i.personId])).size === 0) {
      throw new DomainError('not-found', `no person "${i.personId}"`, {
        issues: [{ field: 'personId', message: 'unknown person' }],
      });
    }
    await this.repo.grantCredential({ ...i, by: actorKey(principal), at: this.clock.now() });
    return {
      credential: i.credential,
      personId: i.personId,
      credentials: await this.repo.credentialsOf(i.personId),
    };
  }

  listCredentials() {
    return this.repo.listCredentials();
  }

  // --- writing ------------------------------------------------------------------------------------

  /** Stores an uploaded file (streamed, hashed, size-limited) and notes who uploaded it. */
  async upload(principal: Principal, source: Readable | AsyncIterable<Uint8Array>) {
    const blob = await this.blobs.put(source);
    await this.repo.addBlob({ ...blob, by: actorKey(principal), at: this.clock.now() });
    return blob;
  }

  private async accessRow(a: RecordAccess, declassifyAt: string | null | undefined) {
    const row: Omit<NewRecord, 'id' | 'unitId' | 'type' | 'createdBy' | 'createdAt'> = {
      access: a.level,
      accessUnitId: null,
      accessUnitPath: null,
      credential: null,
      declassifyAt: declassifyAt ? new Date(declassifyAt) : null,
      readerPeople: [],
      readerRoles: [],
    };
    if (a.level === 'subtree') {
      const unit = await this.directory.unit(a.unitId).catch(() => {
        throw new DomainError('not-found', `unit "${a.unitId}" does not exist`, {
          issues: [{ field: 'access.unitId', message: 'unknown unit' }],
        });
      });
      row.accessUnitId = unit.id;
      row.accessUnitPath = unit.path;
    }
    if (a.level === 'credential') {
      if ((await this.repo.credentialUnit(a.credential)) === null) {
        throw new DomainError('not-found', `no credential named "${a.credential}"`, {
          issues: [{ field: 'access.credential', message: 'unknown credential' }],
          fix: 'define it first (library.credential.define) on the unit that issues it',
        });
      }
      row.credential = a.credential;
    }
    if (a.level === 'named') {
      const people = [...new Set(a.people)];
      const known = await this.repo.existingPeople(people);
      const unknown = people.filter((p) => !known.has(p));
      if (unknown.length > 0) {
        throw new DomainError('not-found', `no person "${unknown[0]}"`, {
          issues: unknown.map((p) => ({ field: 'access.people', message: `unknown person ${p}` })),
        });
      }
      if (people.length === 0 && a.roles.length === 0) {
        throw new DomainError('invalid', 'a record for named readers needs at least one person or role', {
          issues: [{ field: 'access', message: 'name people or roles' }],
        });
      }
      row.readerPeople = people;
      row.readerRoles = [...new Set(a.roles)];
    }
    return row;
  }

  /** The version to store: files checked to exist, their text extracted (off the event loop). */
  private async newVersion(
    principal: Principal,
    recordId: string,
    number: number,
    m: RecordMetadata,
    note: string,
  ): Promise<{ version: NewVersion; unindexed: { name: string; reason: string }[] }> {
    const names = new Set<string>();
    for (const f of m.files) {
      if (names.has(f.name)) {
        throw new DomainError('invalid', `two files are named "${f.name}"`, {
          issues: [{ field: 'files', message: 'file names must differ' }],
        });
      }
      names.add(f.name);
    }
    const sizes = await this.repo.blobs(m.files.map((f) => f.sha256));
    const missing = m.files.filter((f) => !sizes.has(f.sha256));
    if (missing.length > 0) {
      throw new DomainError('invalid', `no uploaded file with the address ${missing[0]!.sha256}`, {
        issues: missing.map((f) => ({ field: 'files', message: `${f.name}: upload it first` })),
        fix: 'upload each file (PUT /api/library/upload, or `ogas library upload FILE`) and use the sha256 answered',
      });
    }
    const texts = [withoutMarkers(m.text)];
    const unindexed: { name: string; reason: string }[] = [];
    for (const f of m.files) {
      const size = sizes.get(f.sha256)!;
      if (size > this.options.maxExtractBytes) {
        unindexed.push({
          name: f.name,
          reason: `larger than the ${this.options.maxExtractBytes}-byte extraction limit`,
        });
        continue;
      }
      const out = await this.extract({
        bytes: await this.blobs.read(f.sha256),
        mediaType: f.mediaType,
        name: f.name,
      });
      if (out.skipped) unindexed.push({ name: f.name, reason: out.skipped });
      else texts.push(out.text);
    }
    const now = this.clock.now();
    return {
      unindexed,
      version: {
        id: newId('lv'),
        recordId,
        number,
        title: withoutMarkers(m.title),
        authors: m.authors,
        abstract: withoutMarkers(m.abstract),
        keywords: m.keywords.map(withoutMarkers),
        products: m.products,
        technologies: m.technologies,
        licence: m.licence,
        note,
        body: texts.join('\n').slice(0, MAX_INDEXED_CHARS),
        year: now.getUTCFullYear(),
        publishedAt: now,
        publishedBy: actorKey(principal),
        files: m.files.map((f) => ({ ...f, size: sizes.get(f.sha256)! })),
      },
    };
  }

  async publish(principal: Principal, i: PublishInput): Promise<Published> {
    await this.directory.unit(i.unitId);
    const recordId = newId('lr');
    const access = await this.accessRow(i.access, i.declassifyAt);
    const { version, unindexed } = await this.newVersion(
      principal,
      recordId,
      1,
      i,
      i.note ?? 'first version',
    );
    await this.repo.insertRecord(
      {
        id: recordId,
        unitId: i.unitId,
        type: i.type,
        ...access,
        createdBy: actorKey(principal),
        createdAt: version.publishedAt,
      },
      version,
    );
    return { recordId, versionId: version.id, number: 1, unindexed };
  }

  /** A new version: the earlier ones stay as they were, readable by their ids. */
  async revise(principal: Principal, recordId: string, m: RecordMetadata, note: string): Promise<Published> {
    const r = await this.live(recordId);
    const { version, unindexed } = await this.newVersion(principal, recordId, r.latestNumber + 1, m, note);
    await this.repo.insertVersion(version);
    return { recordId, versionId: version.id, number: version.number, unindexed };
  }

  async setAccess(
    principal: Principal,
    recordId: string,
    a: RecordAccess,
    declassifyAt: string | null | undefined,
  ) {
    await this.live(recordId);
    const row = await this.accessRow(a, declassifyAt);
    await this.repo.setAccess(recordId, row, {
      at: this.clock.now(),
      actor: actorKey(principal),
      detail: { level: a.level, declassifyAt: declassifyAt ?? null },
    });
    return this.get(principal, { recordId });
  }

  async withdraw(principal: Principal, recordId: string, reason: string) {
    await this.live(recordId);
    const done = await this.repo.withdraw(recordId, {
      at: this.clock.now(),
      by: actorKey(principal),
      reason,
    });
    if (!done) throw new DomainError('conflict', 'the record is withdrawn already');
    return this.get(principal, { recordId });
  }

  private async live(recordId: string): Promise<RecordRow> {
    const r = await this.repo.record(recordId);
    if (!r) throw new DomainError('not-found', `no library record "${recordId}"`);
    if (r.withdrawnAt) {
      throw new DomainError('conflict', `record "${recordId}" was withdrawn: ${r.withdrawnReason ?? ''}`, {
        fix: 'publish a new record instead',
      });
    }
    return r;
  }

  // --- reading ------------------------------------------------------------------------------------

  /** The record if the reader may see it now; otherwise not-found, as if it did not exist. */
  private async visibleRecord(principal: Principal, recordId: string): Promise<RecordRow> {
    const r = await this.repo.record(recordId);
    const now = this.clock.now();
    if (!r || !maySee(await this.reader(principal), r, now)) {
      throw new DomainError('not-found', `no library record "${recordId}" that you may read`);
    }
    if (r.access !== 'public' && declassified(r, now))
      await this.repo.noteDeclassified(r.id, r.declassifyAt!);
    return r;
  }

  private async resolve(i: { recordId?: string | undefined; versionId?: string | undefined }) {
    if (i.versionId !== undefined) {
      const recordId = await this.repo.recordOfVersion(i.versionId);
      if (recordId === null || (i.recordId !== undefined && i.recordId !== recordId)) {
        throw new DomainError('not-found', `no library version "${i.versionId}" that you may read`);
      }
      return { recordId, versionId: i.versionId };
    }
    if (i.recordId === undefined) {
      throw new DomainError('invalid', 'name a record or a version', {
        issues: [{ field: 'recordId', message: 'give recordId or versionId' }],
      });
    }
    return { recordId: i.recordId, versionId: undefined };
  }

  async get(
    principal: Principal,
    i: { recordId?: string | undefined; versionId?: string | undefined },
  ): Promise<LibraryRecord> {
    const { recordId, versionId } = await this.resolve(i);
    const r = await this.visibleRecord(principal, recordId);
    const wanted = versionId ?? r.latestVersionId;
    const version = r.withdrawnAt || wanted === null ? null : await this.repo.version(wanted);
    const events = await this.repo.events(r.id);
    return {
      id: r.id,
      unitId: r.unitId,
      unitName: r.unitName,
      type: r.type,
      access: {
        level: r.access,
        unitId: r.accessUnitId,
        credential: r.credential,
        declassifyAt: r.declassifyAt,
        declassified: r.access !== 'public' && declassified(r, this.clock.now()),
      },
      withdrawn: r.withdrawnAt
        ? { at: r.withdrawnAt, reason: r.withdrawnReason ?? '', by: r.withdrawnBy ?? '' }
        : null,
      version,
      versions: await this.repo.versionStubs(r.id),
      events: events.map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, detail: e.detail })),
    };
  }

  async search(principal: Principal, q: SearchQuery): Promise<SearchResult> {
    const under = q.unitId === undefined ? null : (await this.directory.unit(q.unitId)).path;
    const { page, facets } = await this.repo.search(await this.reader(principal), this.clock.now(), q, under);
    const facet = (name: string) =>
      facets
        .filter((f) => f.facet === name)
        .map((f) => ({ value: f.value, label: f.label, count: Number(f.count) }))
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    return {
      total: Number(facets.find((f) => f.facet === 'total')?.count ?? 0),
      hits: page.map((h) => ({
        recordId: h.record_id,
        versionId: h.version_id,
        number: h.number,
        title: h.title,
        type: h.type,
        unitId: h.unit_id,
        unitName: h.unit_name,
        year: h.year,
        products: h.products,
        access: h.access as SearchResult['hits'][number]['access'],
        rank: Number(h.rank),
        snippet: snippetParts(h.snippet),
      })),
      facets: {
        unit: facet('unit'),
        type: facet('type'),
        product: facet('product'),
        year: facet('year').sort((a, b) => b.value.localeCompare(a.value)),
      },
    };
  }

  async suggest(principal: Principal, prefix: string, limit: number): Promise<string[]> {
    return this.repo.suggest(await this.reader(principal), this.clock.now(), prefix, limit);
  }

  async cite(
    principal: Principal,
    i: { recordId?: string | undefined; versionId?: string | undefined; format: CitationFormat },
  ): Promise<{ format: CitationFormat; versionId: string; citation: string }> {
    const record = await this.get(principal, i);
    if (!record.version) {
      throw new DomainError('conflict', 'a withdrawn record is not cited', { fix: 'cite another record' });
    }
    const citation = await formatCitation(
      { version: record.version, type: record.type, unitName: record.unitName },
      i.format,
    );
    return { format: i.format, versionId: record.version.id, citation };
  }

  /** A file of a version the reader may see, as a stream (the HTTP edge sends it). */
  async openFile(principal: Principal, versionId: string, name: string) {
    const record = await this.get(principal, { versionId });
    if (!record.version)
      throw new DomainError('conflict', 'the record was withdrawn; its files are not served');
    const file = record.version.files.find((f) => f.name === name);
    if (!file) throw new DomainError('not-found', `version "${versionId}" has no file "${name}"`);
    return { ...file, stream: this.blobs.open(file.sha256) };
  }
}

/**
 * For other modules: publishes a public record on a unit as the caller (an adopted rationalization
 * proposal, a report). Returns the record's concept id and its first version's id.
 */
export async function publishRecord(
  ctx: Pick<OpContext, 'principal' | 'services'>,
  r: {
    unitId: string;
    type: string;
    title: string;
    abstract?: string;
    authors?: string[];
    keywords?: string[];
    products?: string[];
    technologies?: string[];
    licence?: string;
    text?: string;
    access?: RecordAccess;
  },
): Promise<{ recordId: string; versionId: string }> {
  const out = await ctx.services.library.publish(ctx.principal, {
    unitId: r.unitId,
    type: r.type,
    title: r.title,
    abstract: r.abstract ?? '',
    authors: r.authors ?? [],
    keywords: r.keywords ?? [],
    products: r.products ?? [],
    technologies: r.technologies ?? [],
    licence: r.licence ?? 'CC-BY-4.0',
    text: r.text ?? '',
    files: [],
    access: r.access ?? { level: 'public' },
  });
  return { recordId: out.recordId, versionId: out.versionId };
}
