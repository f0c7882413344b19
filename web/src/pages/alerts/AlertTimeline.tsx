// The escalation timeline of one alert (alert.get): which level, when, and who acted.
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

const KIND_WORDS: Record<string, string> = {
  opened: 'Opened',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** "person:p_…" → "person p_…", "system:escalation" → "escalation (automatic)". */
function actorWords(actor: string): string {
  const [kind, who] = actor.split(':');
  if (kind === 'system') return `${who ?? 'system'} (automatic)`;
  return who ? `${kind} ${who}` : actor;
}

export function AlertTimeline({
  alertId,
  version,
  unitName,
}: {
  alertId: string;
  /** Changes whenever the alert moves, so the timeline reloads. */
  version: string;
  unitName: (id: string) => string;
}) {
  const got = useQuery(
    () => unwrap(api.POST('/api/alert/get', { body: { id: alertId } })),
    [alertId, version],
  );
  if (got.status === 'loading') return <Loading what="the timeline" />;
  if (got.status === 'error') return <ErrorNotice error={got.error} onRetry={got.reload} />;
  return (
    <ol className="timeline" aria-label="Escalation timeline">
      {got.data.timeline.map((e, i) => {
        const note = typeof e.detail.note === 'string' ? e.detail.note : undefined;
        return (
          <li key={`${e.at}-${i}`}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString('en-GB')}</time>{' '}
            <strong>{KIND_WORDS[e.kind] ?? e.kind}</strong> at level {e.level.depth} (
            {unitName(e.level.unitId)}) by {actorWords(e.actor)}
            {note ? `: “${note}”` : ''}
          </li>
        );
      })}
    </ol>
  );
}
