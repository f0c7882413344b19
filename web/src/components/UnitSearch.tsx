// Search for a unit by name or code (holarchy.unit.search), results as links to their unit pages.
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpOutput } from '../api/client';
import { Link } from '../app/router';
import { ErrorNotice } from './ErrorNotice';

type Units = OpOutput<'holarchy.unit.search'>['units'];

export function UnitSearch() {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Units | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setResults((await unwrap(api.POST('/api/holarchy/unit/search', { body: { q, limit: 20 } }))).units);
    } catch (err) {
      setResults(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <div className="search">
      <form role="search" onSubmit={(e) => void submit(e)}>
        <label htmlFor="unit-search">Find a unit</label>
        <input
          id="unit-search"
          type="search"
          placeholder="name or code, e.g. C29 or paint"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {error && <ErrorNotice error={error} />}
      {results && (
        <div aria-live="polite">
          {results.length === 0 ? (
            <p>No unit you may read matches “{q}”.</p>
          ) : (
            <ul className="search-results">
              {results.map((u) => (
                <li key={u.id}>
                  <Link href={`/units/${u.id}`}>{u.name}</Link> <span className="muted">{u.code ?? ''}</span>{' '}
                  <span className="kind">{u.kind}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
