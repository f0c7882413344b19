// One alert on its own page (/alerts/<id>): the address a manager shares or a notice links to. It shows the
// alert in whatever state it is, resolved ones too, with its timeline open, and follows the live stream.
import { useState } from 'react';
import type { Alert } from '../../api/alert-events';
import { useAbilities } from '../../api/abilities';
import { useAlerts } from '../../api/alerts';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { Loading, PageError } from '../../components/ErrorNotice';
import { AlertCard, unnamedUnits, useUnitNames } from './AlertCard';

export function AlertPage({ alertId }: { alertId: string }) {
  const { who } = useSession();
  const signedIn = who?.kind === 'person';
  const loaded = useQuery(async (): Promise<Alert | null> => {
    if (!signedIn) return null;
    // The timeline comes with it but the card loads its own (it follows the alert's changes).
    const { timeline: _timeline, ...alert } = await unwrap(
      api.POST('/api/alert/get', { body: { id: alertId } }),
    );
    return alert;
  }, [alertId, signedIn]);
  // What an action on this page left (a resolved alert leaves the live list), else the live list's newer copy.
  const [changed, setChanged] = useState<Alert | null>(null);
  const { alerts } = useAlerts();
  const live = alerts?.find((a) => a.id === alertId);
  const alert = changed?.id === alertId ? changed : (live ?? (loaded.status === 'ok' ? loaded.data : null));
  const unitName = useUnitNames(alert ? unnamedUnits(alert) : []);
  const abilities = useAbilities(alert ? [alert.unitId] : []);
  const back = { href: '/alerts', label: 'Back to the alerts' };
  if (!signedIn)
    return (
      <section>
        <h1>Alert</h1>
        <p>
          Alerts are for the people who run the units.{' '}
          <Link href={`/signin?next=${encodeURIComponent(`/alerts/${alertId}`)}`}>Sign in</Link> to see this
          alert.
        </p>
      </section>
    );
  if (loaded.status === 'error' && !alert)
    return <PageError title="Alert" error={loaded.error} onRetry={loaded.reload} back={back} />;
  if (!alert) return <Loading what="the alert" />;
  return (
    <section>
      <h1>Alert on {alert.unitName ?? unitName(alert.unitId)}</h1>
      <p className="muted">
        {alert.status === 'resolved' ? (
          <>
            This alert is resolved; the <Link href="/alerts/history">history</Link> lists the others.
          </>
        ) : (
          <>
            This alert is in the <Link href="/alerts">inbox</Link> too.
          </>
        )}
      </p>
      {abilities.settled(alert.unitId) ? (
        <AlertCard
          alert={alert}
          fresh={false}
          unitName={unitName}
          mayAct={{
            acknowledge: abilities.may(alert.unitId, 'alert.acknowledge'),
            resolve: abilities.may(alert.unitId, 'alert.resolve'),
          }}
          onChanged={setChanged}
          ownPage
          timelineOpen
        />
      ) : (
        <Loading what="what you may do here" />
      )}
    </section>
  );
}
