// One alert's card: what happened, where, how far it climbed, and the manager's actions; in the inbox and on
// the alert's own page (/alerts/<id>).
import { useState } from 'react';
import type { Alert } from '../../api/alert-events';
import { useAlerts } from '../../api/alerts';
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { AlertTimeline } from './AlertTimeline';
import { EscalationLadder } from './EscalationLadder';
import { PlanShortfallFacts } from './PlanShortfallFacts';

const STATUS_WORD: Record<Alert['status'], string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** The units an alert mentions whose names it does not carry (older servers' notices): for useUnitNames. */
export function unnamedUnits(a: Alert): string[] {
  return [...(a.unitName ? [] : [a.unitId]), ...(a.level.name ? [] : [a.level.unitId])];
}

/** Names of the units alerts mention, looked up once per set of ids. */
export function useUnitNames(ids: string[]) {
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

export function AlertCard({
  alert,
  fresh,
  unitName: lookUpName,
  mayAct,
  onChanged,
  ownPage = false,
  timelineOpen = false,
}: {
  alert: Alert;
  fresh: boolean;
  unitName: (id: string) => string;
  /** Whether the reader manages the alert's unit (the server's answer): only then are the actions shown. */
  mayAct: { acknowledge: boolean; resolve: boolean };
  /** Told the alert as an action left it (the alert's own page keeps showing it once resolved). */
  onChanged?: (alert: Alert) => void;
  /** On the alert's own page: no link to itself. */
  ownPage?: boolean;
  /** Whether the timeline starts shown (the alert's own page). */
  timelineOpen?: boolean;
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
  const [showTimeline, setShowTimeline] = useState(timelineOpen);
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
      onChanged?.(updated);
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
        <span
          className={`health ${alert.status === 'open' ? 'health-alarm' : alert.status === 'resolved' ? 'health-ok' : 'health-watch'}`}
        >
          <span aria-hidden="true" className="health-dot">
            {alert.status === 'open' ? '‼' : alert.status === 'resolved' ? '✓' : '!'}
          </span>
          {STATUS_WORD[alert.status]}
        </span>{' '}
        {fresh && <span className="tag tag-new">New</span>}{' '}
        {shortfall && <span className="tag tag-shortfall">Plan shortfall</span>} {alert.message}
      </h2>
      <p>
        On <Link href={`/units/${alert.unitId}`}>{unitName(alert.unitId)}</Link>; {alert.signalCount}{' '}
        {shortfall ? 'short report' : 'unusual reading'}
        {alert.signalCount === 1 ? '' : 's'}; opened {new Date(alert.openedAt).toLocaleString('en-GB')}.
        {!ownPage && (
          <>
            {' '}
            <Link href={`/alerts/${alert.id}`} aria-label={`The page of this alert: ${alert.message}`}>
              Link to this alert
            </Link>
          </>
        )}
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
      {alert.resolvedAt && (
        // Who resolved it is in the timeline, by name (resolvedBy is an id).
        <p>Resolved {new Date(alert.resolvedAt).toLocaleString('en-GB')}.</p>
      )}
      <div className="alert-actions">
        {alert.status !== 'resolved' && (mayAct.acknowledge || mayAct.resolve) && (
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
        {alert.status !== 'resolved' && mayAct.resolve && (
          <button type="button" disabled={busy} onClick={() => void act('resolve')}>
            Resolve
          </button>
        )}
        {alert.status !== 'resolved' && !mayAct.acknowledge && !mayAct.resolve && (
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
