// The alerts inbox: unresolved alerts on the person's subtrees, arriving live; acknowledge, resolve, timeline.
import { useState } from 'react';
import type { Alert } from '../../api/alert-events';
import { useAbilities } from '../../api/abilities';
import { inboxOrder, useAlerts } from '../../api/alerts';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { AlertTimeline } from './AlertTimeline';
import { EscalationLadder } from './EscalationLadder';
import { PlanShortfallFacts } from './PlanShortfallFacts';
import { RemoteAlerts } from './RemoteAlerts';

/** Names of the units alerts mention, looked up once per set of ids. */
function useUnitNames(ids: string[]) {
  const key = [...new Set(ids)].sort().join(',');
  const names = useQuery(
    async () => {
      const out = new Map<string, string>();
      await Promise.all(
        key
          .split(',')
          .filter(Boolean)
          .map(async (id) => {
            try {
              out.set(id, (await unwrap(api.POST('/api/holarchy/unit/get', { body: { id } }))).name);
            } catch {
              // Never show an id to people: a unit the reader may not open is named as such.
              out.set(id, 'a unit above yours');
            }
          }),
      );
      return out;
    },
    [key],
    { keepPrevious: true },
  );
  return (id: string) => (names.status === 'ok' ? (names.data.get(id) ?? 'a unit') : 'a unit');
}

function AlertCard({
  alert,
  fresh,
  unitName: lookUpName,
  mayAct,
}: {
  alert: Alert;
  fresh: boolean;
  unitName: (id: string) => string;
  /** Whether the reader manages the alert's unit (the server's answer): only then are the actions shown. */
  mayAct: { acknowledge: boolean; resolve: boolean };
}) {
  // The alert names its units (also when it arrives live); the lookup is for older servers' notices.
  const unitName = (id: string) =>
    id === alert.unitId && alert.unitName
      ? alert.unitName
      : id === alert.level.unitId && alert.level.name
        ? alert.level.name
        : lookUpName(id);
  const { replace } = useAlerts();
  const [note, setNote] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [showTimeline, setShowTimeline] = useState(false);
  const act = async (what: 'acknowledge' | 'resolve') => {
    setBusy(true);
    setError(null);
    try {
      const body = { id: alert.id, ...(note.trim() ? { note: note.trim() } : {}) };
      const updated =
        what === 'acknowledge'
          ? await unwrap(api.POST('/api/alert/acknowledge', { body }))
          : await unwrap(api.POST('/api/alert/resolve', { body }));
      replace(updated);
      setNote('');
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const headingId = `alert-${alert.id}`;
  // Older servers' notices carry no kind: they are the detectors' alerts.
  const shortfall = alert.kind === 'plan-shortfall';
  return (
    <article
      className={`alert-card alert-${alert.status}`}
      aria-labelledby={headingId}
      data-alert-id={alert.id}
      data-status={alert.status}
      data-level={alert.level.depth}
      data-kind={alert.kind ?? 'statistical'}
    >
      <h2 id={headingId}>
        <span className={`health ${alert.status === 'open' ? 'health-alarm' : 'health-watch'}`}>
          <span aria-hidden="true" className="health-dot">
            {alert.status === 'open' ? '‼' : '!'}
          </span>
          {alert.status === 'open' ? 'Open' : 'Acknowledged'}
        </span>{' '}
        {fresh && <span className="tag tag-new">New</span>}{' '}
        {shortfall && <span className="tag tag-shortfall">Plan shortfall</span>} {alert.message}
      </h2>
      <p>
        On <Link href={`/units/${alert.unitId}`}>{unitName(alert.unitId)}</Link>; {alert.signalCount}{' '}
        {shortfall ? 'short report' : 'unusual reading'}
        {alert.signalCount === 1 ? '' : 's'}; opened {new Date(alert.openedAt).toLocaleString('en-GB')}.
      </p>
      {shortfall && <PlanShortfallFacts alert={alert} />}
      <details className="alert-statistics">
        <summary>{shortfall ? 'How the target was set' : 'Statistics behind this alert'}</summary>
        <p>
          Severity {alert.severity}; {shortfall ? 'rule' : 'detector rule'} <code>{alert.rule}</code>
          {alert.statistics ? `: ${alert.statistics}` : '.'}
        </p>
      </details>
      <EscalationLadder alert={alert} />
      {alert.acknowledgedAt && <p>Acknowledged {new Date(alert.acknowledgedAt).toLocaleString('en-GB')}.</p>}
      <div className="alert-actions">
        {(mayAct.acknowledge || mayAct.resolve) && (
          <label>
            Note (optional)
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          </label>
        )}
        {alert.status === 'open' && mayAct.acknowledge && (
          <button type="button" disabled={busy} onClick={() => void act('acknowledge')}>
            Acknowledge
          </button>
        )}
        {mayAct.resolve && (
          <button type="button" disabled={busy} onClick={() => void act('resolve')}>
            Resolve
          </button>
        )}
        {!mayAct.acknowledge && !mayAct.resolve && (
          <span className="muted">The managers of {unitName(alert.unitId)} acknowledge and resolve it.</span>
        )}
        <button type="button" aria-expanded={showTimeline} onClick={() => setShowTimeline(!showTimeline)}>
          {showTimeline ? 'Hide timeline' : 'Show timeline'}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {showTimeline && (
        <AlertTimeline
          alertId={alert.id}
          version={`${alert.status}/${alert.level.depth}/${alert.signalCount}`}
          unitName={unitName}
        />
      )}
    </article>
  );
}

export function AlertsPage() {
  const { who } = useSession();
  const { alerts, error, fresh, reload } = useAlerts();
  const unitName = useUnitNames(
    (alerts ?? []).flatMap((a) => [
      ...(a.unitName ? [] : [a.unitId]),
      ...(a.level.name ? [] : [a.level.unitId]),
    ]),
  );
  const abilities = useAbilities((alerts ?? []).map((a) => a.unitId));
  if (who?.kind !== 'person')
    return (
      <section>
        <h1>Alerts</h1>
        <p>
          Alerts are for the people who run the units. <Link href="/signin?next=/alerts">Sign in</Link> to see
          the alerts on your units.
        </p>
      </section>
    );
  const open = alerts?.filter((a) => a.status === 'open').length ?? 0;
  return (
    <section>
      <h1>Alerts</h1>
      <p className="muted">
        Unresolved alerts on the units you may read, newest opened first; an alert keeps its place when it
        climbs or is acknowledged. New alerts appear here as they are raised, without reloading. An open alert
        climbs to the unit above when nobody acknowledges it in time: each card shows the level it has reached
        and the time left. <Link href="/alerts/history">Resolved alerts</Link> are in the history.
      </p>
      {error && <ErrorNotice error={error} onRetry={reload} />}
      {!alerts && !error && <Loading what="alerts" />}
      {alerts && (
        <div aria-live="polite" className="alert-list">
          <p>
            {alerts.length === 0
              ? 'No unresolved alerts on the units you may read.'
              : `${open} open, ${alerts.length - open} acknowledged.`}
          </p>
          {[...alerts]
            .sort(inboxOrder)
            .filter((a) => abilities.settled(a.unitId))
            .map((a) => (
              <AlertCard
                key={a.id}
                alert={a}
                fresh={fresh.has(a.id)}
                unitName={unitName}
                mayAct={{
                  acknowledge: abilities.may(a.unitId, 'alert.acknowledge'),
                  resolve: abilities.may(a.unitId, 'alert.resolve'),
                }}
              />
            ))}
        </div>
      )}
      <RemoteAlerts />
    </section>
  );
}
