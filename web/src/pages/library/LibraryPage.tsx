// The library: full-text search with facets (unit, type, product, year) and highlighted snippets, and the
// upload form for those who manage a unit. Every hit, count and facet comes from the server already
// limited to what the reader may see; snippets arrive as parts, never as markup.
import { useState, type FormEvent } from 'react';
import { grantUnitsWhere, useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { ACCESS_WORDS, type SearchHit, type SearchResult } from '../../api/library';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link, navigate } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { UploadForm } from './UploadForm';

type Filters = { unitId?: string; type?: string; product?: string; year?: number };
type FacetName = keyof SearchResult['facets'];
const FACET_TITLES: Record<FacetName, string> = {
  unit: 'Unit',
  type: 'Type',
  product: 'Product',
  year: 'Year',
};
const FILTER_OF: Record<FacetName, keyof Filters> = {
  unit: 'unitId',
  type: 'type',
  product: 'product',
  year: 'year',
};

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <p className="snippet">
      {hit.snippet.map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </p>
  );
}

export function LibraryPage({ initialQuery }: { initialQuery?: string | undefined }) {
  const { who } = useSession();
  // Publishing needs manage on the record's unit: the form is offered to those who may publish on one of the
  // units of their grants (or below them), and suggests those units.
  const grants = who?.kind === 'person' ? who.grants : [];
  const abilities = useAbilities(grants.map((g) => g.unitId));
  const publishable = grantUnitsWhere(grants, abilities, 'library.record.publish');
  const [typed, setTyped] = useState(initialQuery ?? '');
  const [q, setQ] = useState(initialQuery ?? '');
  const [filters, setFilters] = useState<Filters>({});
  const result = useQuery(
    () =>
      unwrap(
        api.POST('/api/library/search', {
          body: { q, limit: 20, offset: 0, ...filters } as never,
        }),
      ) as Promise<SearchResult>,
    [q, JSON.stringify(filters)],
    { keepPrevious: true },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(typed);
    navigate(`/library?q=${encodeURIComponent(typed)}`);
  };
  const toggle = (facet: FacetName, value: string) => {
    const key = FILTER_OF[facet];
    setFilters((f) => {
      const next = { ...f };
      const v = facet === 'year' ? Number(value) : value;
      if (next[key] === v) delete next[key];
      else (next as Record<string, unknown>)[key] = v;
      return next;
    });
  };
  return (
    <section data-abilities={abilities.marker}>
      <h1>Library</h1>
      <form role="search" onSubmit={submit} className="inline">
        <label>
          Search the library{' '}
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} name="q" />
        </label>
        <button type="submit">Search</button>
      </form>
      {result.status === 'loading' && <Loading what="the library" />}
      {result.status === 'error' && <ErrorNotice error={result.error} />}
      {result.status === 'ok' && (
        <div className="library">
          <aside aria-label="Facets">
            {(Object.keys(FACET_TITLES) as FacetName[]).map((name) => (
              <fieldset key={name}>
                <legend>{FACET_TITLES[name]}</legend>
                {result.data.facets[name].length === 0 && <p className="muted">none</p>}
                {result.data.facets[name].map((f) => (
                  <label key={f.value} className="facet">
                    <input
                      type="checkbox"
                      checked={String(filters[FILTER_OF[name]] ?? '') === f.value}
                      onChange={() => toggle(name, f.value)}
                    />{' '}
                    {f.label} ({f.count})
                  </label>
                ))}
              </fieldset>
            ))}
          </aside>
          <div>
            <p aria-live="polite">
              {result.data.total} record{result.data.total === 1 ? '' : 's'} found
            </p>
            <ol className="hits">
              {result.data.hits.map((h) => (
                <li key={h.recordId} data-record-id={h.recordId}>
                  <h2>
                    <Link href={`/library/${h.recordId}`}>{h.title}</Link>
                  </h2>
                  <p className="muted">
                    {h.type} · {h.unitName} · {h.year} · version {h.number} · readable by{' '}
                    {ACCESS_WORDS[h.access]}
                  </p>
                  <Snippet hit={h} />
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
      {publishable.length > 0 && (
        <UploadForm units={publishable} onPublished={(id) => navigate(`/library/${id}`)} />
      )}
    </section>
  );
}
