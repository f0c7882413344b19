// citation-js ships no type declarations; citation.ts uses only `Cite` and its `format`.
declare module '@citation-js/core';
declare module '@citation-js/plugin-bibtex';
