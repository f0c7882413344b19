// Library operations. Writing is for those who manage the record's unit (declared, checked centrally).
// Reading is declared public because who may read a record is a rule of the record itself (its access
// level, credential, named readers, declassification date), decided by the library service in the same
// SQL condition for every read: a record the caller may not see answers 404, as if it did not exist.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import {
  declassifyAtSchema,
  fileRefSchema,
  RECORD_TYPES,
  recordAccessSchema,
  recordMetadataSchema,
  recordSchema,
  searchResultSchema,
} from './library';
import type { LibraryService } from './library.service';

declare module '../core/services' {
  interface Services {
    library: LibraryService;
  }
}

type Resolver = { unitOf(kind: string, id: string): Promise<string | null> };
const byRecord = (i: { recordId: string }, r: Resolver) => r.unitOf('library-record', i.recordId);
const text = (max: number) => z.string().trim().min(1).max(max);

const publishedSchema = z.object({
  recordId: z.string(),
  versionId: z.string(),
  number: z.number().int(),
  unindexed: z.array(z.object({ name: z.string(), reason: z.string() })),
});

const recordOrVersion = {
  recordId: z.string().min(1).optional().describe('the concept id (latest version)'),
  versionId: z.string().min(1).optional().describe('one exact version'),
};

export const libraryOperations = [
  defineOperation({
    name: 'library.credential.define',
    summary:
      'Define a credential a unit issues (e.g. "structural engineer"); records may require it to be read.',
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1),
      name: text(100),
      description: z.string().trim().max(2000).default(''),
    }),
    output: z.object({ name: z.string(), unitId: z.string(), description: z.string() }),
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.library.defineCredential(i),
  }),
  defineOperation({
    name: 'library.credential.grant',
    summary: 'Grant a person a credential (managers of the unit that issues it).',
    kind: 'command',
    input: z.object({ credential: text(100), personId: z.string().min(1) }),
    output: z.object({ credential: z.string(), personId: z.string(), credentials: z.array(z.string()) }),
    access: {
      kind: 'unit',
      permission: 'manage',
      unit: (i, r) => r.unitOf('library-credential', i.credential),
    },
    handler: (ctx, i) => ctx.services.library.grantCredential(ctx.principal, i),
  }),
  defineOperation({
    name: 'library.credential.list',
    summary: 'The credentials units issue (names only; who holds them is not listed).',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      credentials: z.array(z.object({ name: z.string(), unitId: z.string(), description: z.string() })),
    }),
    access: { kind: 'public' },
    handler: async (ctx) => ({ credentials: await ctx.services.library.listCredentials() }),
  }),
  defineOperation({
    name: 'library.record.publish',
    summary:
      'Publish a record on a unit (its first, immutable version): metadata, text, uploaded files, who may read it.',
    kind: 'command',
    input: recordMetadataSchema.extend({
      unitId: z.string().min(1),
      type: z.enum(RECORD_TYPES),
      access: recordAccessSchema.default({ level: 'public' }),
      declassifyAt: declassifyAtSchema,
      note: z.string().trim().max(2000).optional(),
    }),
    output: publishedSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.library.publish(ctx.principal, i),
  }),
  defineOperation({
    name: 'library.record.revise',
    summary: 'Publish a new version of a record; earlier versions stay readable by their ids.',
    kind: 'command',
    input: recordMetadataSchema.extend({
      recordId: z.string().min(1),
      note: text(2000).describe('what changed'),
    }),
    output: publishedSchema,
    access: { kind: 'unit', permission: 'manage', unit: byRecord },
    handler: (ctx, i) => ctx.services.library.revise(ctx.principal, i.recordId, i, i.note),
  }),
  defineOperation({
    name: 'library.record.access',
    summary: 'Change who may read a record, and its declassification date (recorded in its events).',
    kind: 'command',
    input: z.object({
      recordId: z.string().min(1),
      access: recordAccessSchema,
      declassifyAt: declassifyAtSchema,
    }),
    output: recordSchema,
    access: { kind: 'unit', permission: 'manage', unit: byRecord },
    handler: (ctx, i) => ctx.services.library.setAccess(ctx.principal, i.recordId, i.access, i.declassifyAt),
  }),
  defineOperation({
    name: 'library.record.withdraw',
    summary:
      'Withdraw a record: a tombstone with the reason stays; its content and files are no longer served.',
    kind: 'command',
    input: z.object({ recordId: z.string().min(1), reason: text(2000) }),
    output: recordSchema,
    access: { kind: 'unit', permission: 'manage', unit: byRecord },
    handler: (ctx, i) => ctx.services.library.withdraw(ctx.principal, i.recordId, i.reason),
  }),
  defineOperation({
    name: 'library.record.get',
    summary:
      'A record the caller may read: one version (the latest by default), the list of versions, events.',
    kind: 'query',
    input: z.object(recordOrVersion),
    output: recordSchema,
    access: { kind: 'public' },
    cli: { positional: ['recordId'] },
    handler: (ctx, i) => ctx.services.library.get(ctx.principal, i),
  }),
  defineOperation({
    name: 'library.search',
    summary:
      'Full-text search of the records the caller may read, ranked, with highlighted snippets and facets (unit, type, product, year).',
    kind: 'query',
    input: z.object({
      q: z.string().max(500).default('').describe('words, "a phrase", -excluded, or: alternatives'),
      unitId: z.string().min(1).optional().describe('only records of this unit and its subtree'),
      type: z.enum(RECORD_TYPES).optional(),
      product: z.string().min(1).max(100).optional(),
      year: z.coerce.number().int().min(1900).max(9999).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      offset: z.coerce.number().int().min(0).max(10_000).default(0),
    }),
    output: searchResultSchema,
    access: { kind: 'public' },
    cli: { positional: ['q'] },
    handler: (ctx, i) => ctx.services.library.search(ctx.principal, i),
  }),
  defineOperation({
    name: 'library.suggest',
    summary: 'Titles and keywords of records the caller may read that start with the given letters.',
    kind: 'query',
    input: z.object({
      prefix: z.string().trim().min(1).max(100),
      limit: z.coerce.number().int().min(1).max(50).default(10),
    }),
    output: z.object({ suggestions: z.array(z.string()) }),
    access: { kind: 'public' },
    cli: { positional: ['prefix'] },
    handler: async (ctx, i) => ({
      suggestions: await ctx.services.library.suggest(ctx.principal, i.prefix, i.limit),
    }),
  }),
  defineOperation({
    name: 'library.cite',
    summary: 'A citation of one version of a record, as BibTeX or CSL-JSON, naming the version id.',
    kind: 'query',
    input: z.object({ ...recordOrVersion, format: z.enum(['bibtex', 'csl-json']).default('bibtex') }),
    output: z.object({ format: z.enum(['bibtex', 'csl-json']), versionId: z.string(), citation: z.string() }),
    access: { kind: 'public' },
    cli: { positional: ['recordId'], output: 'citation' },
    handler: (ctx, i) => ctx.services.library.cite(ctx.principal, i),
  }),
  defineOperation({
    name: 'library.upload',
    summary:
      'Upload a small file as base64 (the command line); large files stream through PUT /api/library/upload. Answers its SHA-256 to name in a record.',
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1).describe('the unit whose record the file is for'),
      content: z
        .string()
        .max(48 * 1024 * 1024)
        .describe('the file, base64'),
    }),
    output: fileRefSchema.pick({ sha256: true }).extend({ size: z.number() }),
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    cli: { files: [{ field: 'content', encoding: 'base64' }] },
    handler: async (ctx, i) => {
      const bytes = Buffer.from(i.content, 'base64');
      return ctx.services.library.upload(ctx.principal, Readable.from([bytes]));
    },
  }),
];
