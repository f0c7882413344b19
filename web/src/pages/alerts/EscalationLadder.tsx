// Where an alert sits on its way up the holarchy: the units from its owner to the root, the one it has reached
// marked, and the time left before it climbs again (counting down while the page is open).
import { useEffect, useState } from 'react';
import type { Alert } from '../../api/alert-events';
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';

/** Re-renders every `ms`, for countdowns. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** "3 h 20 min", "12 min", "under a minute". */
export function timeLeft(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h >= 48) return `${Math.round(h / 24)} days`;
  return h > 0 ? `${h} h${m > 0 ? ` ${m} min` : ''}` : `${m} min`;
}

export function EscalationLadder({ alert }: { alert: Alert }) {
  const now = useNow(15_000);
  // The path names every unit from the root down (names only where the reader may not open a unit).
  const path = useQuery(
    () => unwrap(api.POST('/api/holarchy/unit/path', { body: { id: alert.unitId } })),
    [alert.unitId],
  );
  const ids = alert.unitPath.split('/').filter(Boolean);
  const names = new Map(path.status === 'ok' ? path.data.units.map((u) => [u.id, u.name]) : []);
  const up = [...ids].reverse();
  const reached = Math.max(0, up.indexOf(alert.level.unitId));
  const next = up[reached + 1];
  const name = (id: string | undefined) => (id === undefined ? '' : (names.get(id) ?? 'a unit above'));
  const due = alert.escalateDueAt ? new Date(alert.escalateDueAt).getTime() : null;
  const climbing = alert.status === 'open' && due !== null && next !== undefined;
  return (
    <div className="escalation" data-reached={reached}>
      <p className="escalation-summary">
        <strong>
          {reached === 0
            ? `At its own unit (step 1 of ${up.length} up to the root)`
            : `Escalated ${reached} level${reached === 1 ? '' : 's'} up: now at ${name(alert.level.unitId)} (step ${reached + 1} of ${up.length})`}
        </strong>
        .{' '}
        {climbing
          ? due <= now
            ? `Climbing to ${name(next)} now, unless acknowledged.`
            : `Climbs to ${name(next)} in ${timeLeft(due - now)} (at ${new Date(due).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}) unless acknowledged.`
          : alert.status === 'open' && next === undefined
            ? 'It has reached the root and climbs no further.'
            : alert.status === 'acknowledged'
              ? 'Acknowledged: it climbs no further.'
              : ''}
      </p>
      <ol className="ladder" aria-label="Escalation ladder, from the owning unit up to the root">
        {up.map((id, i) => (
          <li
            key={id}
            className={i < reached ? 'passed' : i === reached ? 'reached' : 'ahead'}
            aria-current={i === reached ? 'step' : undefined}
          >
            {name(id)}
            {i === reached ? ' (here now)' : i < reached ? ' (passed)' : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
