// Citations of one version of a record, as CSL-JSON and BibTeX, through citation-js (loaded when first
// used, so that the command line does not pay for it on every start). The version id is the citation's
// `id` and its BibTeX key, the concept id and version number are in `note` and `number`, so a citation
// always names the exact version cited.
import type { Version } from './library';

export type CitationFormat = 'bibtex' | 'csl-json';

/** CSL types by record type (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types). */
const CSL_TYPE: Record<string, string> = {
  drawing: 'figure',
  standard: 'standard',
  procedure: 'report',
  report: 'report',
  dataset: 'dataset',
  paper: 'article',
  proposal: 'report',
};

export interface CitationInput {
  version: Version;
  type: string;
  unitName: string;
  /** Where the record can be read, when the server knows its public address. */
  url?: string;
}

export function cslItem(c: CitationInput): Record<string, unknown> {
  const v = c.version;
  const published = v.publishedAt;
  return {
    id: v.id,
    type: CSL_TYPE[c.type] ?? 'document',
    title: v.title,
    author: v.authors.length > 0 ? v.authors.map((a) => ({ literal: a })) : [{ literal: c.unitName }],
    publisher: c.unitName,
    issued: {
      'date-parts': [[published.getUTCFullYear(), published.getUTCMonth() + 1, published.getUTCDate()]],
    },
    version: String(v.number),
    number: v.id,
    note: `OGAS library record ${v.recordId}, version ${v.number} (${v.id}); licence ${v.licence}`,
    ...(v.abstract ? { abstract: v.abstract } : {}),
    ...(v.keywords.length > 0 ? { keyword: v.keywords.join(', ') } : {}),
    ...(c.url ? { URL: c.url } : {}),
  };
}

type CiteClass = new (data: unknown) => { format(kind: string, options?: Record<string, unknown>): string };

let loaded: Promise<CiteClass> | undefined;
async function citeClass(): Promise<CiteClass> {
  loaded ??= (async () => {
    const core = (await import('@citation-js/core')) as unknown as { Cite: CiteClass };
    await import('@citation-js/plugin-bibtex');
    return core.Cite;
  })();
  return loaded;
}

export async function formatCitation(c: CitationInput, format: CitationFormat): Promise<string> {
  const item = cslItem(c);
  if (format === 'csl-json') return `${JSON.stringify([item], null, 2)}\n`;
  const Cite = await citeClass();
  // The version id is the key: it is unique and stable, unlike citation-js's author-year-title label.
  const bibtex = new Cite([item]).format('bibtex', { format: 'text' });
  return bibtex.replace(/^@(\w+)\{[^,]*,/m, (_m, kind: string) => `@${kind}{${c.version.id},`);
}
