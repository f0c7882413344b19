// One library record: the version shown (latest by default), every version by its id, the events
// (published, revised, access changed, declassified, withdrawn), files to download, and citations.
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ACCESS_WORDS, type LibraryRecord } from '../../api/library';
import { when } from '../../api/participation';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading, PageError } from '../../components/ErrorNotice';

function Citation({ versionId }: { versionId: string }) {
  const [format, setFormat] = useState<'bibtex' | 'csl-json'>('bibtex');
  const cite = useQuery(
    () => unwrap(api.POST('/api/library/cite', { body: { versionId, format } })),
    [versionId, format],
  );
  return (
    <section aria-labelledby="cite">
      <h2 id="cite">Cite this version</h2>
      <label>
        Format{' '}
        <select value={format} onChange={(e) => setFormat(e.target.value as 'bibtex' | 'csl-json')}>
          <option value="bibtex">BibTeX</option>
          <option value="csl-json">CSL-JSON</option>
        </select>
      </label>
      {cite.status === 'ok' && <pre className="citation">{cite.data.citation}</pre>}
      {cite.status === 'error' && <ErrorNotice error={cite.error} />}
    </section>
  );
}

export function RecordPage({ recordId, versionId }: { recordId: string; versionId?: string | undefined }) {
  const rec = useQuery(
    () =>
      unwrap(
        api.POST('/api/library/record/get', { body: versionId ? { versionId } : { recordId } }),
      ) as Promise<LibraryRecord>,
    [recordId, versionId],
  );
  if (rec.status === 'loading') return <Loading what="the record" />;
  if (rec.status === 'error')
    return (
      <PageError
        title="Library record"
        error={rec.error}
        onRetry={rec.reload}
        back={{ href: '/library', label: 'The library' }}
      />
    );
  const r = rec.data;
  const v = r.version;
  return (
    <article>
      <p>
        <Link href="/library">Library</Link>
      </p>
      <h1>{v?.title ?? 'Withdrawn record'}</h1>
      <p className="muted">
        {r.type} of {r.unitName} · readable by {ACCESS_WORDS[r.access.level]}
        {r.access.declassifyAt
          ? r.access.declassified
            ? ` · public since ${when(r.access.declassifyAt)} (declassified)`
            : ` · becomes public on ${when(r.access.declassifyAt)}`
          : ''}{' '}
        · concept id <code>{r.id}</code>
      </p>
      {r.withdrawn && (
        <p role="status" className="tombstone">
          Withdrawn on {when(r.withdrawn.at)}: {r.withdrawn.reason}
        </p>
      )}
      {v && (
        <>
          <p>
            Version {v.number} (<code>{v.id}</code>), published {when(v.publishedAt)}
            {v.authors.length > 0 ? ` by ${v.authors.join(', ')}` : ''} · licence {v.licence}
          </p>
          {v.abstract && <p>{v.abstract}</p>}
          {v.keywords.length > 0 && <p className="muted">Keywords: {v.keywords.join(', ')}</p>}
          {v.files.length > 0 && (
            <section aria-labelledby="files">
              <h2 id="files">Files</h2>
              <ul>
                {v.files.map((f) => (
                  <li key={f.name}>
                    <a href={`/api/library/download/${v.id}/${encodeURIComponent(f.name)}`} download={f.name}>
                      {f.name}
                    </a>{' '}
                    <span className="muted">
                      ({f.mediaType}, {f.size} bytes, SHA-256 {f.sha256.slice(0, 12)}…)
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Citation versionId={v.id} />
        </>
      )}
      <section aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        <ol>
          {r.versions.map((x) => (
            <li key={x.id}>
              <Link href={`/library/${r.id}?version=${x.id}`}>Version {x.number}</Link> ·{' '}
              {when(x.publishedAt)} · {x.note}
              {v?.id === x.id ? ' (shown)' : ''}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="events">
        <h2 id="events">History</h2>
        <ul>
          {r.events.map((e, i) => (
            <li key={i}>
              {when(e.at)}: {e.kind} by {e.actor}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
