// What a parser's failure may say to the caller. Parsers quote the text around an error (JSON.parse: `"root:x:0:0"...
// is not valid JSON`; csv-parse: the field it choked on), so their messages would hand a file's content, or a
// secret in it, to whoever sent the path or reads the log. This keeps the kind and the place, never the text.

/** The kind of a parse failure and where it happened, without any of the parsed text. */
export function parserFault(e: unknown): string {
  const err = (e ?? {}) as { name?: unknown; message?: unknown; code?: unknown; lines?: unknown };
  const message = typeof err.message === 'string' ? err.message : '';
  const where = /position (\d+)/.exec(message)?.[1];
  if (err.name === 'SyntaxError') {
    return where === undefined ? 'syntax error' : `syntax error at character ${where}`;
  }
  // csv-parse: a stable code such as CSV_INVALID_CLOSING_QUOTE, and the line it was reading.
  if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
    const line = typeof err.lines === 'number' ? ` at line ${err.lines}` : '';
    return `${err.code.slice(4).toLowerCase().replaceAll('_', ' ')}${line}`;
  }
  return 'the content could not be parsed';
}
