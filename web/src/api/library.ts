// Types of the library's answers, from the generated schema.
import type { OpOutput } from './client';

export type SearchResult = OpOutput<'library.search'>;
export type SearchHit = SearchResult['hits'][number];
export type LibraryRecord = OpOutput<'library.record.get'>;

export const ACCESS_WORDS: Record<SearchHit['access'], string> = {
  public: 'public',
  subtree: 'members of a subtree',
  credential: 'credential holders',
  named: 'named readers',
};
