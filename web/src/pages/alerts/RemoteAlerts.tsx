// Alerts that climbed in from the federation nodes below the reader's units (federation.alerts): a child
// node's plan-shortfall alert is shown as a shortfall, with the plan, target, actual and share of plan it was
// judged by there; an older node's alert (no kind) as a detector's. Acknowledging one here stops its climb and
// sends the acknowledgement down to the node where it arose. The list reloads when the event stream says an
// alert from below landed or changed (federation-alert), as the local inbox follows its alert notices.
import { useState } from 'react';
import { useAbilities } from '../../api/abilities';
import { ApiError, api, unwrap, type OpOutput } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { useRemoteAlertNotices } from '../../app/connection';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ShortfallFacts } from './PlanShortfallFacts';

type RemoteAlert = OpOutput<'federation.alerts'>['alerts'][number];

/**
 * Who moved the alert to its state here, in words: the reader, another person at this node (the API gives only
 * their id, and a person's name is not every reader's to see), or the node below (its own acknowledgement came up).
 */
export function movedBy(statusBy: string, readerPersonId: string | undefined): string {
  if (readerPersonId !== undefined && statusBy === `person:${readerPersonId}`) return 'you';
  if (statusBy.startsWith('person:')) return 'a person at this node';
  if (statusBy.startsWith('system:node:')) return `node ${statusBy.slice('system:node:'.length)}`;
  return statusBy;
}

function RemoteAlertCard({
  alert,
  mayAcknowledge,
  onChanged,
  readerPersonId,
}: {
  alert: RemoteAlert;
  mayAcknowledge: boolean;
  onChanged: () => void;
  readerPersonId: string | undefined;
}) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const shortfall = alert.kind === 'plan-shortfall';
  const headingId = `remote-${alert.originAlertId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        api.POST('/api/federation/alert/acknowledge', { body: { originAlertId: alert.originAlertId } }),
      );
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article
      className={`alert-card alert-${alert.status} remote-alert`}
      aria-labelledby={headingId}
      data-origin-alert-id={alert.originAlertId}
      data-status={alert.status}
      data-kind={alert.kind ?? 'statistical'}
    >
      <h3 id={headingId}>
        <span className={`health ${alert.status === 'open' ? 'health-alarm' : 'health-watch'}`}>
          <span aria-hidden="true" className="health-dot">
            {alert.status === 'open' ? '‼' : '!'}
          </span>
          {alert.status === 'open' ? 'Open' : 'Acknowledged'}
        </span>{' '}
        {shortfall && <span className="tag tag-shortfall">Plan shortfall</span>} {alert.message}
      </h3>
      <p>
        From node <strong>{alert.originNode}</strong>
        {alert.originUnitCode ? (
          <>
            , unit <code>{alert.originUnitCode}</code>
          </>
        ) : null}
        ; opened {new Date(alert.openedAt).toLocaleString('en-GB')}.
        {alert.status === 'acknowledged' && (
          <span className="status-by">
            {' '}
            Acknowledged by {movedBy(alert.statusBy, readerPersonId)} on{' '}
            {new Date(alert.statusAt).toLocaleString('en-GB')}.
          </span>
        )}
      </p>
      {shortfall && alert.shortfall && <ShortfallFacts facts={alert.shortfall} linkPlan={false} />}
      <div className="alert-actions">
        {alert.status === 'open' && mayAcknowledge && (
          <button type="button" disabled={busy} onClick={() => void acknowledge()}>
            Acknowledge
          </button>
        )}
      </div>
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

/** The unresolved alerts from nodes below the reader's units; nothing at all on a node without children. */
export function RemoteAlerts() {
  const { who } = useSession();
  const units = [...new Set((who?.grants ?? []).map((g) => g.unitId))].sort();
  const key = units.join(',');
  const found = useQuery(
    async () => {
      const seen = new Map<string, RemoteAlert>();
      for (const unitId of key.split(',').filter(Boolean)) {
        let r: RemoteAlert[];
        try {
          r = (await unwrap(api.POST('/api/federation/alerts', { body: { unitId, limit: 200 } }))).alerts;
        } catch (e) {
          // A grant that does not read (none does today) must not hide the alerts of the others.
          if (e instanceof ApiError && e.status === 403) continue;
          throw e;
        }
        for (const a of r) if (a.status !== 'resolved') seen.set(a.originAlertId, a);
      }
      return [...seen.values()];
    },
    [key],
    { keepPrevious: true },
  );
  // The notice says only that something changed: the list is read again, with the reader's own access.
  useRemoteAlertNotices(() => found.reload());
  const alerts = found.status === 'ok' ? found.data : [];
  const abilities = useAbilities(alerts.map((a) => a.unitId));
  if (found.status === 'error') return <ErrorNotice error={found.error} onRetry={found.reload} />;
  if (alerts.length === 0) return null;
  return (
    <section aria-labelledby="remote-alerts" className="remote-alerts">
      <h2 id="remote-alerts">From nodes below</h2>
      <p className="muted">
        Alerts that climbed in from the federation nodes under your units because nobody acknowledged them
        there; acknowledging one here tells the node where it arose. New ones and changes arrive as they
        happen.
      </p>
      {alerts.map((a) => (
        <RemoteAlertCard
          key={a.originAlertId}
          alert={a}
          mayAcknowledge={abilities.may(a.unitId, 'federation.alert.acknowledge')}
          onChanged={found.reload}
          readerPersonId={who?.person?.id}
        />
      ))}
    </section>
  );
}
