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
            {e.levelName ?? unitName(e.level.unitId)}) by {e.actorName}
            {note ? `: “${note}”` : ''}
          </li>
        );
      })}
    </ol>
  );
}
