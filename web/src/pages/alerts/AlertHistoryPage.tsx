// Resolved alerts, searchable: what happened, where, who resolved it and when.
import { useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { SortableTable } from '../../components/SortableTable';

export function AlertHistoryPage() {
  const { who } = useSession();
  const signedIn = who?.kind === 'person';
  const loaded = useQuery(async () => {
    if (!signedIn) return { alerts: [], names: new Map<string, string>() };
    const { alerts } = await unwrap(
      api.POST('/api/alert/list', { body: { status: 'resolved', limit: 1000 } }),
    );
    const names = new Map<string, string>();
    await Promise.all(
      [...new Set(alerts.map((a) => a.unitId))].map(async (id) => {
        try {
          names.set(id, (await unwrap(api.POST('/api/holarchy/unit/get', { body: { id } }))).name);
        } catch {
          names.set(id, 'a unit');
        }
      }),
    );
    return { alerts, names };
  }, [signedIn]);
  const [q, setQ] = useState('');
  const rows = useMemo(() => {
    if (loaded.status !== 'ok') return [];
    const needle = q.trim().toLowerCase();
    return loaded.data.alerts
      .map((a) => ({ ...a, unitName: loaded.data.names.get(a.unitId) ?? 'a unit' }))
      .filter(
        (a) =>
          needle === '' ||
          `${a.message} ${a.unitName} ${a.rule} ${a.resolvedBy ?? ''}`.toLowerCase().includes(needle),
      );
  }, [loaded, q]);
  if (!signedIn)
    return (
      <section>
        <h1>Alert history</h1>
        <p>
          <Link href="/signin?next=/alerts/history">Sign in</Link> to see the alerts on your units.
        </p>
      </section>
    );
  return (
    <section>
      <h1>Alert history</h1>
      <p className="muted">
        Resolved alerts on the units you may read (the latest 1,000). Unresolved ones are in the{' '}
        <Link href="/alerts">inbox</Link>.
      </p>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search resolved alerts
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="unit, indicator…"
          />
        </label>
      </form>
      {loaded.status === 'loading' && <Loading what="resolved alerts" />}
      {loaded.status === 'error' && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {loaded.status === 'ok' && (
        <>
          <p role="status">
            {rows.length} of {loaded.data.alerts.length} resolved alerts shown.
          </p>
          {rows.length > 0 && (
            <SortableTable
              caption="Resolved alerts"
              rows={rows}
              rowKey={(a) => a.id}
              initialSort={{ key: 'resolved', descending: true }}
              limit={200}
              columns={[
                { key: 'message', label: 'What happened', value: (a) => a.message },
                {
                  key: 'unit',
                  label: 'Unit',
                  value: (a) => a.unitName,
                  render: (a) => <Link href={`/units/${a.unitId}`}>{a.unitName}</Link>,
                },
                {
                  key: 'opened',
                  label: 'Opened',
                  value: (a) => new Date(a.openedAt).getTime(),
                  render: (a) => new Date(a.openedAt).toLocaleString('en-GB'),
                },
                {
                  key: 'resolved',
                  label: 'Resolved',
                  value: (a) => (a.resolvedAt ? new Date(a.resolvedAt).getTime() : 0),
                  render: (a) => (a.resolvedAt ? new Date(a.resolvedAt).toLocaleString('en-GB') : '—'),
                },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
