// The alerts inbox: unresolved alerts on the person's subtrees, arriving live; acknowledge, resolve, timeline.
import { useAbilities } from '../../api/abilities';
import { inboxOrder, useAlerts } from '../../api/alerts';
import { useSession } from '../../api/session';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { AlertCard, unnamedUnits, useUnitNames } from './AlertCard';
import { RemoteAlerts } from './RemoteAlerts';

export function AlertsPage() {
  const { who } = useSession();
  const { alerts, error, fresh, reload } = useAlerts();
  const unitName = useUnitNames((alerts ?? []).flatMap(unnamedUnits));
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
