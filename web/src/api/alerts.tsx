// The signed-in person's unresolved alerts: loaded once, then kept current by the live alert notices.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useAlertNotices } from '../app/connection';
import type { Health } from '../components/HealthBadge';
import type { Alert } from './alert-events';
import { api, unwrap } from './client';
import { useSession } from './session';

interface Alerts {
  /** Undefined in the public view (alerts are for signed-in people) and while loading. */
  alerts: Alert[] | undefined;
  error: Error | null;
  /** Ids of alerts that arrived over the stream since the page loaded. */
  fresh: ReadonlySet<string>;
  reload: () => void;
  /** Puts an alert changed by this person (acknowledged, resolved) into the list at once. */
  replace: (a: Alert) => void;
}

const AlertsContext = createContext<Alerts>({
  alerts: undefined,
  error: null,
  fresh: new Set(),
  reload: () => {},
  replace: () => {},
});

/** A changed alert keeps its place (an escalation or an acknowledgement does not move it); a new one goes first. */
function upsert(list: Alert[], a: Alert): Alert[] {
  if (a.status === 'resolved') return list.filter((x) => x.id !== a.id);
  return list.some((x) => x.id === a.id) ? list.map((x) => (x.id === a.id ? a : x)) : [a, ...list];
}

/** The inbox order: newest opened first, ties by id, so neither an escalation nor a reload reorders it. */
export function inboxOrder(a: Alert, b: Alert): number {
  const t = new Date(b.openedAt).getTime() - new Date(a.openedAt).getTime();
  return t !== 0 ? t : a.id.localeCompare(b.id);
}

export function AlertsProvider({ children }: { children: ReactNode }) {
  const { who } = useSession();
  const signedIn = who?.kind === 'person';
  const [alerts, setAlerts] = useState<Alert[] | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [tick, setTick] = useState(0);
  useEffect(() => {
    setAlerts(undefined);
    if (!signedIn) return;
    let current = true;
    unwrap(api.POST('/api/alert/list', { body: { status: 'unresolved', limit: 1000 } })).then(
      (r) => {
        if (current) {
          setAlerts(r.alerts);
          setError(null);
        }
      },
      (e: unknown) => {
        if (current) setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      current = false;
    };
  }, [signedIn, who, tick]);
  useAlertNotices((n) => {
    setAlerts((list) => (list ? upsert(list, n.alert) : list));
    if (n.change === 'opened') setFresh((s) => new Set([...s, n.alert.id]));
  });
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const replace = useCallback((a: Alert) => setAlerts((list) => (list ? upsert(list, a) : list)), []);
  const value = useMemo(
    () => ({ alerts, error, fresh, reload, replace }),
    [alerts, error, fresh, reload, replace],
  );
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

export function useAlerts(): Alerts {
  return useContext(AlertsContext);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A unit's health from the unresolved alerts on it or below it: open → alarm, acknowledged only → watch.
 * Green ("no open alerts") only when `visible`: the viewer sees every alert there. Otherwise the alerts of the
 * units they cannot see would be missing from the count, so the badge says so instead of a false all-clear.
 */
export function healthFrom(alerts: Alert[] | undefined, unitPath: string, visible = true): Health {
  if (!alerts) return { level: 'unknown', text: 'sign in for alerts' };
  const mine = alerts.filter((a) => a.unitPath.startsWith(unitPath));
  const open = mine.filter((a) => a.status === 'open').length;
  const acknowledged = mine.length - open;
  const seen = visible ? '' : ' that you can see';
  if (open > 0) return { level: 'alarm', text: `${plural(open, 'open alert')}${seen}` };
  if (acknowledged > 0)
    return { level: 'watch', text: `${plural(acknowledged, 'alert')}${seen} being handled` };
  if (!visible) return { level: 'unknown', text: 'alerts not visible to you' };
  return { level: 'ok', text: 'no open alerts' };
}
