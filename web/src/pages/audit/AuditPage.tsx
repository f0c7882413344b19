// The audit trail (audit.list) for auditors: every change on the units they audit, filtered by operation, actor,
// unit, time and free text, newest first.
import { useMemo, useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { SortableTable } from '../../components/SortableTable';

type Entry = OpOutput<'audit.list'>['entries'][number];

function detailText(d: Record<string, unknown>): string {
  const s = JSON.stringify(d);
  return s === '{}' ? '' : s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

export function AuditPage() {
  const { who } = useSession();
  const trail = useQuery(
    () =>
      who?.kind === 'person'
        ? unwrap(api.POST('/api/audit/list', { body: { limit: 1000 } })).then((r) => r.entries)
        : Promise.resolve([] as Entry[]),
    [who],
  );
  const [operation, setOperation] = useState('');
  const [actor, setActor] = useState('');
  const [text, setText] = useState('');
  const [since, setSince] = useState('');
  const entries = trail.status === 'ok' ? trail.data : [];
  const operations = useMemo(() => [...new Set(entries.map((e) => e.operation))].sort(), [entries]);
  const shown = useMemo(() => {
    const from = since ? new Date(since).getTime() : null;
    const needle = text.trim().toLowerCase();
    return entries.filter(
      (e) =>
        (operation === '' || e.operation === operation) &&
        (actor.trim() === '' || e.actor.toLowerCase().includes(actor.trim().toLowerCase())) &&
        (from === null || new Date(e.at).getTime() >= from) &&
        (needle === '' ||
          `${e.operation} ${e.actor} ${e.unitId ?? ''} ${JSON.stringify(e.detail)}`
            .toLowerCase()
            .includes(needle)),
    );
  }, [entries, operation, actor, text, since]);
  if (who?.kind !== 'person')
    return (
      <section>
        <h1>Audit trail</h1>
        <p>
          The audit trail is for auditors. <Link href="/signin?next=/audit">Sign in</Link>.
        </p>
      </section>
    );
  return (
    <section>
      <h1>Audit trail</h1>
      <p className="muted">
        Every change on the units you audit, newest first (the latest 1,000). Resolved alerts are in the{' '}
        <Link href="/alerts/history">alert history</Link>.
      </p>
      <form className="filters" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
        <label>
          Operation
          <select value={operation} onChange={(e) => setOperation(e.target.value)}>
            <option value="">All operations</option>
            {operations.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Who
          <input value={actor} onChange={(e) => setActor(e.target.value)} placeholder="person or machine" />
        </label>
        <label>
          Since
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          Contains
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </form>
      {trail.status === 'loading' && <Loading what="the audit trail" />}
      {trail.status === 'error' && <ErrorNotice error={trail.error} onRetry={trail.reload} />}
      {trail.status === 'ok' && (
        <>
          <p role="status">
            {shown.length} of {entries.length} entries shown.
          </p>
          {shown.length > 0 && (
            <SortableTable
              caption="Audit trail"
              rows={shown}
              rowKey={(e) => String(e.id)}
              initialSort={{ key: 'at', descending: true }}
              limit={200}
              columns={[
                {
                  key: 'at',
                  label: 'When',
                  value: (e) => new Date(e.at).getTime(),
                  render: (e) => new Date(e.at).toLocaleString('en-GB'),
                },
                { key: 'actor', label: 'Who', value: (e) => e.actor },
                { key: 'operation', label: 'Operation', value: (e) => e.operation },
                {
                  key: 'unit',
                  label: 'Unit',
                  value: (e) => e.unitId ?? '',
                  render: (e) => (e.unitId ? <Link href={`/units/${e.unitId}`}>open</Link> : '—'),
                },
                { key: 'detail', label: 'Detail', value: (e) => detailText(e.detail) },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
