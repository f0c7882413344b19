// One indicator's live chart: a time range, zoom and auto-refresh like a dashboard's, new readings from the event
// stream, and its alerts (those outside the window shown at its edge, close ones counted in one mark).
import { useEffect, useMemo, useState } from 'react';
import type { Alert } from '../../api/alert-events';
import { useAlerts } from '../../api/alerts';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { useReadingNotices } from '../../app/connection';
import { EChart } from '../../charts/EChart';
import { chartFacts, indicatorOption, seriesWindow } from '../../charts/indicator-chart';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';

type Indicator = OpOutput<'indicator.list'>['indicators'][number];

export const RANGES = [
  { key: 'all', label: 'Latest 1,000 readings', ms: 0 },
  { key: '1h', label: 'Last hour', ms: 3600_000 },
  { key: '6h', label: 'Last 6 hours', ms: 6 * 3600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 24 * 3600_000 },
] as const;
const REFRESH = [
  { key: '0', label: 'Off (live only)' },
  { key: '10', label: 'Every 10 s' },
  { key: '30', label: 'Every 30 s' },
  { key: '60', label: 'Every minute' },
] as const;

/** True on a phone-sized screen, updated when the window is resized. */
export function useNarrow(): boolean {
  const query = '(max-width: 600px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const update = () => setNarrow(m.matches);
    m.addEventListener('change', update);
    return () => m.removeEventListener('change', update);
  }, []);
  return narrow;
}

/** Every alert of this indicator the person may read, resolved ones too (they stay on the chart as history). */
function useIndicatorAlerts(indicator: Indicator, version: number): Alert[] {
  const { who } = useSession();
  const { alerts } = useAlerts();
  const signedIn = who?.kind === 'person';
  const history = useQuery(
    async () =>
      signedIn
        ? (
            await unwrap(
              api.POST('/api/alert/list', { body: { unitId: indicator.unitId, status: 'all', limit: 1000 } }),
            )
          ).alerts.filter((a) => a.indicatorId === indicator.id)
        : [],
    [indicator.id, signedIn, version],
    { keepPrevious: true },
  );
  return useMemo(() => {
    const byId = new Map<string, Alert>();
    for (const a of history.status === 'ok' ? history.data : []) byId.set(a.id, a);
    for (const a of alerts ?? []) if (a.indicatorId === indicator.id) byId.set(a.id, a);
    return [...byId.values()];
  }, [history, alerts, indicator.id]);
}

export function IndicatorChart({ indicator }: { indicator: Indicator }) {
  const { alerts: unresolvedAll } = useAlerts();
  const narrow = useNarrow();
  const [range, setRange] = useState<(typeof RANGES)[number]['key']>('all');
  const [refresh, setRefresh] = useState<(typeof REFRESH)[number]['key']>('0');
  const [tick, setTick] = useState(0);
  // New readings on this series, from the event stream: fetch the series again (a burst of batches once).
  useReadingNotices((notices) => {
    if (notices.some((n) => n.indicatorId === indicator.id)) setTick((t) => t + 1);
  });
  useEffect(() => {
    const seconds = Number(refresh);
    if (seconds === 0) return undefined;
    const timer = window.setInterval(() => setTick((t) => t + 1), seconds * 1000);
    return () => window.clearInterval(timer);
  }, [refresh]);
  const span = RANGES.find((r) => r.key === range)?.ms ?? 0;
  const series = useQuery(
    () => {
      const body =
        span === 0
          ? { id: indicator.id, limit: 1000 }
          : { id: indicator.id, from: new Date(Date.now() - span).toISOString(), limit: 100_000 };
      return unwrap(api.POST('/api/readings/list', { body: body as { id: string; limit: number } }));
    },
    [indicator.id, span, tick, unresolvedAll?.length],
    { keepPrevious: true },
  );
  const alerts = useIndicatorAlerts(indicator, tick + (unresolvedAll?.length ?? 0));
  const unresolved = alerts.filter((a) => a.status !== 'resolved').length;
  const view = useMemo(() => {
    if (series.status !== 'ok') return undefined;
    const now = Date.now();
    const window = seriesWindow(series.data, span === 0 ? null : { from: now - span, to: now });
    const facts = chartFacts(series.data, alerts, window, narrow ? 12 : 40);
    return { facts, option: indicatorOption(series.data, facts, window, { narrow }) };
  }, [series, alerts, span, narrow]);
  if (series.status === 'loading') return <Loading what={indicator.name} />;
  if (series.status === 'error') return <ErrorNotice error={series.error} onRetry={series.reload} />;
  const points = series.data.points;
  const last = points.at(-1);
  const changes = view?.facts.changePoints.length ?? 0;
  const outside = (view?.facts.before ?? 0) + (view?.facts.after ?? 0);
  const rangeLabel = RANGES.find((r) => r.key === range)?.label.toLowerCase() ?? '';
  const id = `indicator-${indicator.id}`;
  return (
    <figure
      className="indicator"
      data-indicator={indicator.code}
      data-alert-marks={view?.facts.marks.length ?? 0}
    >
      <div className="chart-controls">
        <label>
          Time range
          <select value={range} onChange={(e) => setRange(e.target.value as typeof range)}>
            {RANGES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Auto-refresh
          <select value={refresh} onChange={(e) => setRefresh(e.target.value as typeof refresh)}>
            {REFRESH.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <figcaption id={`${id}-summary`}>
        <strong>{indicator.name}</strong> <code>{indicator.code}</code>:{' '}
        {last
          ? `latest ${formatNumber(last.value)} ${indicator.measure}`
          : `no readings in the ${rangeLabel}`}
        {last?.forecast ? ` (forecast ${formatNumber(last.forecast.mean)})` : ''}; {changes} change point
        {changes === 1 ? '' : 's'};{' '}
        {outside > 0
          ? `${outside} alert${outside === 1 ? '' : 's'} outside this window (marked at its edge); `
          : ''}
        {unresolved} unresolved alert{unresolved === 1 ? '' : 's'}.
      </figcaption>
      {view && (
        <EChart
          kind="line"
          renderer="svg"
          option={view.option}
          height={260}
          label={`${indicator.name}: ${points.length} readings with forecast band`}
          summaryId={`${id}-summary`}
          testId={`indicator-${indicator.code}`}
        />
      )}
      <p className="muted chart-hint">
        {narrow ? 'Pinch or drag on the chart to zoom.' : 'Ctrl + wheel or the slider below zooms in time.'}
      </p>
    </figure>
  );
}
