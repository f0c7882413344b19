// Text of a file for the search index: plain text as it is, PDF through unpdf (pdf.js). A pure task of the
// compute pool (bytes in, text out), so a long PDF never holds the event loop. A file whose text cannot be
// read is still stored and downloadable; it is only not searchable by its content, and the caller says so.
import { MAX_INDEXED_CHARS, withoutMarkers } from './library';

export interface ExtractInput {
  bytes: Uint8Array;
  mediaType: string;
  name: string;
}

export interface ExtractOutput {
  text: string;
  /** Why no text came out, when none did. */
  skipped: string | null;
}

export function isPdf(i: Pick<ExtractInput, 'mediaType' | 'name' | 'bytes'>): boolean {
  const magic = i.bytes.length >= 5 && Buffer.from(i.bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
  return i.mediaType === 'application/pdf' || i.name.toLowerCase().endsWith('.pdf') || magic;
}

export function isText(i: Pick<ExtractInput, 'mediaType' | 'name'>): boolean {
  return (
    i.mediaType.startsWith('text/') ||
    i.mediaType === 'application/json' ||
    /\.(txt|md|csv|json)$/i.test(i.name)
  );
}

export async function extractTextTask(i: ExtractInput): Promise<ExtractOutput> {
  if (isPdf(i)) {
    try {
      const { getDocumentProxy, extractText } = await import('unpdf');
      const pdf = await getDocumentProxy(new Uint8Array(i.bytes));
      const { text } = await extractText(pdf, { mergePages: true });
      return { text: clean(text), skipped: null };
    } catch (e) {
      return { text: '', skipped: `the PDF could not be read (${(e as Error).name})` };
    }
  }
  if (isText(i)) return { text: clean(new TextDecoder('utf-8').decode(i.bytes)), skipped: null };
  return { text: '', skipped: `no text is read from ${i.mediaType} files` };
}

function clean(text: string): string {
  // NUL cannot be stored in PostgreSQL text; the markers would forge highlights.
  return withoutMarkers(text.replaceAll('\u0000', ' ')).slice(0, MAX_INDEXED_CHARS);
}
