// The library's records, versions and access rules as types and pure functions. `maySee` is the rule in
// words of code; the repository's SQL condition (library-visibility.ts) must say the same, and the
// no-leak property test checks one against the other.
import { z } from 'zod';
import type { Role } from '../core/principal';

export const RECORD_TYPES = [
  'drawing',
  'standard',
  'procedure',
  'report',
  'dataset',
  'paper',
  'proposal',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const ACCESS_KINDS = ['public', 'subtree', 'credential', 'named'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Who may read a record: everyone, members of a subtree, holders of a credential, or named people/roles. */
export const recordAccessSchema = z.discriminatedUnion('level', [
  z.object({ level: z.literal('public') }),
  z.object({
    level: z.literal('subtree'),
    unitId: z.string().min(1).describe('members of this unit and its subtree (and those above it) may read'),
  }),
  z.object({
    level: z.literal('credential'),
    credential: z
      .string()
      .min(1)
      .describe('the name of a credential a unit issues, e.g. "structural engineer"'),
  }),
  z.object({
    level: z.literal('named'),
    people: z.array(z.string().min(1)).max(200).default([]).describe('person ids'),
    roles: z
      .array(z.enum(['member', 'manager', 'planner', 'auditor', 'admin']))
      .max(5)
      .default([])
      .describe("roles held on the record's unit or above"),
  }),
]);
export type RecordAccess = z.output<typeof recordAccessSchema>;

/** What the visibility rule needs to know of a record. */
export interface RecordGate {
  unitPath: string;
  access: AccessKind;
  accessUnitPath: string | null;
  credential: string | null;
  declassifyAt: Date | null;
  readerPeople: readonly string[];
  readerRoles: readonly string[];
}

/** What the visibility rule needs to know of a reader (built once per request by the service). */
export interface Reader {
  /** The local operator and internal jobs see everything. */
  everywhere: boolean;
  personId: string | null;
  /** Every role the reader holds, with the path of the unit it is held on. */
  grants: readonly { path: string; role: Role }[];
  /** Curators: those who manage the record's unit (or a unit above) always see its records. */
  managePaths: readonly string[];
  credentials: readonly string[];
}

export const NOBODY: Reader = {
  everywhere: false,
  personId: null,
  grants: [],
  managePaths: [],
  credentials: [],
};

/** Whether the declassification date has passed at `now`: from then on the record is public. */
export function declassified(gate: Pick<RecordGate, 'declassifyAt'>, now: Date): boolean {
  return gate.declassifyAt !== null && gate.declassifyAt.getTime() <= now.getTime();
}

/** The rule: may this reader see this record (its metadata, text, versions, citations and files) now? */
export function maySee(reader: Reader, gate: RecordGate, now: Date): boolean {
  if (reader.everywhere || gate.access === 'public' || declassified(gate, now)) return true;
  if (reader.managePaths.some((p) => gate.unitPath.startsWith(p))) return true;
  switch (gate.access) {
    case 'subtree': {
      const sub = gate.accessUnitPath ?? '';
      // Members of a unit inside the subtree, or holders of a role above it (roles hold for subtrees).
      return reader.grants.some((g) => g.path.startsWith(sub) || sub.startsWith(g.path));
    }
    case 'credential':
      return gate.credential !== null && reader.credentials.includes(gate.credential);
    case 'named':
      return (
        (reader.personId !== null && gate.readerPeople.includes(reader.personId)) ||
        reader.grants.some((g) => gate.readerRoles.includes(g.role) && gate.unitPath.startsWith(g.path))
      );
  }
}

const isoDate = z.iso.datetime({ offset: true });

export const fileRefSchema = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex, as the upload answered')
    .describe('the content address an upload answered'),
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'a file name without slashes'),
  mediaType: z.string().trim().min(1).max(100).default('application/octet-stream'),
});

export const recordMetadataSchema = z.object({
  title: z.string().trim().min(1).max(500),
  authors: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  abstract: z.string().trim().max(20_000).default(''),
  keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  products: z.array(z.string().trim().min(1).max(100)).max(100).default([]).describe('product codes'),
  technologies: z.array(z.string().trim().min(1).max(100)).max(100).default([]).describe('technology codes'),
  licence: z.string().trim().min(1).max(100).default('CC-BY-4.0').describe('an SPDX identifier'),
  text: z.string().max(1_000_000).default('').describe('the document text itself, when it has no file'),
  files: z.array(fileRefSchema).max(20).default([]),
});
export type RecordMetadata = z.output<typeof recordMetadataSchema>;

export const declassifyAtSchema = isoDate
  .nullable()
  .optional()
  .describe('from this instant (ISO 8601 with offset) the record is public');

export const fileSchema = z.object({
  name: z.string(),
  mediaType: z.string(),
  sha256: z.string(),
  size: z.number(),
});

export const versionSchema = z.object({
  id: z.string(),
  recordId: z.string(),
  number: z.number().int(),
  title: z.string(),
  authors: z.array(z.string()),
  abstract: z.string(),
  keywords: z.array(z.string()),
  products: z.array(z.string()),
  technologies: z.array(z.string()),
  licence: z.string(),
  note: z.string(),
  year: z.number().int(),
  publishedAt: z.date(),
  publishedBy: z.string(),
  files: z.array(fileSchema),
});
export type Version = z.output<typeof versionSchema>;

export const versionStubSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  publishedAt: z.date(),
  note: z.string(),
});

export const libraryEventSchema = z.object({
  at: z.date(),
  kind: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export const recordSchema = z.object({
  id: z.string().describe('the concept id: stable across versions'),
  unitId: z.string(),
  unitName: z.string(),
  type: z.string(),
  access: z.object({
    level: z.enum(ACCESS_KINDS),
    unitId: z.string().nullable(),
    credential: z.string().nullable(),
    declassifyAt: z.date().nullable(),
    /** Public now because its declassification date has passed. */
    declassified: z.boolean(),
  }),
  withdrawn: z.object({ at: z.date(), reason: z.string(), by: z.string() }).nullable(),
  /** The version asked for (the latest by default); null once withdrawn: a tombstone keeps no content. */
  version: versionSchema.nullable(),
  versions: z.array(versionStubSchema),
  events: z.array(libraryEventSchema),
});
export type LibraryRecord = z.output<typeof recordSchema>;

export const snippetSchema = z.array(z.object({ text: z.string(), hit: z.boolean() }));

export const searchHitSchema = z.object({
  recordId: z.string(),
  versionId: z.string(),
  number: z.number().int(),
  title: z.string(),
  type: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  year: z.number().int(),
  products: z.array(z.string()),
  access: z.enum(ACCESS_KINDS),
  rank: z.number(),
  snippet: snippetSchema.describe('text around the matches; `hit` marks the matched words'),
});
export type SearchHit = z.output<typeof searchHitSchema>;

const facetSchema = z.array(z.object({ value: z.string(), label: z.string(), count: z.number().int() }));
export const searchResultSchema = z.object({
  total: z.number().int(),
  hits: z.array(searchHitSchema),
  facets: z.object({ unit: facetSchema, type: facetSchema, product: facetSchema, year: facetSchema }),
});
export type SearchResult = z.output<typeof searchResultSchema>;

export interface SearchQuery {
  q: string;
  unitId?: string | undefined;
  type?: string | undefined;
  product?: string | undefined;
  year?: number | undefined;
  limit: number;
  offset: number;
}

/** Highlight markers ts_headline puts around matched words: private-use characters, never in stored text. */
export const HIT_START = '\uE000';
export const HIT_END = '\uE001';

/** Splits a headline into plain and matched parts, so that no client ever renders stored text as markup. */
export function snippetParts(headline: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let rest = headline;
  while (rest.length > 0) {
    const s = rest.indexOf(HIT_START);
    if (s < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (s > 0) parts.push({ text: rest.slice(0, s), hit: false });
    const e = rest.indexOf(HIT_END, s + 1);
    const end = e < 0 ? rest.length : e;
    parts.push({ text: rest.slice(s + 1, end), hit: true });
    rest = rest.slice(end + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}

/** Stored text keeps clear of the highlight markers (a document holding them would forge a highlight). */
export function withoutMarkers(text: string): string {
  return text.replaceAll(HIT_START, ' ').replaceAll(HIT_END, ' ');
}

/** The text configuration of every vector, query and headline: one, so that they always agree. */
export const TEXT_CONFIG = 'english';

/** The largest document text indexed per version (a tsvector holds at most 1 MB). */
export const MAX_INDEXED_CHARS = 400_000;
