// A unit's indicators as time-series charts (forecast band, change points, alerts) and its triple index.
import { useMemo } from 'react';
import { useAlerts } from '../../api/alerts';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { EChart } from '../../charts/EChart';
import { indicatorOption } from '../../charts/indicator-chart';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';
import { Term } from '../../components/Term';

type Indicator = OpOutput<'indicator.list'>['indicators'][number];

function IndicatorChart({ indicator }: { indicator: Indicator }) {
  const { alerts } = useAlerts();
  const series = useQuery(
    () => unwrap(api.POST('/api/readings/list', { body: { id: indicator.id, limit: 1000 } })),
    [indicator.id, alerts?.length],
    { keepPrevious: true },
  );
  const mine = useMemo(
    () => (alerts ?? []).filter((a) => a.indicatorId === indicator.id),
    [alerts, indicator.id],
  );
  const option = useMemo(
    () => (series.status === 'ok' ? indicatorOption(series.data, mine) : undefined),
    [series, mine],
  );
  if (series.status === 'loading') return <Loading what={indicator.name} />;
  if (series.status === 'error') return <ErrorNotice error={series.error} onRetry={series.reload} />;
  const points = series.data.points;
  const last = points.at(-1);
  const changes = points.filter((p) => p.changePoint).length;
  return (
    <figure className="indicator">
      <figcaption id={`indicator-${indicator.id}-summary`}>
        <strong>{indicator.name}</strong> <code>{indicator.code}</code>:{' '}
        {last ? `latest ${formatNumber(last.value)} ${indicator.measure}` : 'no readings yet'}
        {last?.forecast ? ` (forecast ${formatNumber(last.forecast.mean)})` : ''}; {changes} change point
        {changes === 1 ? '' : 's'}; {mine.length} unresolved alert{mine.length === 1 ? '' : 's'}.
      </figcaption>
      {points.length > 0 && option && (
        <EChart
          kind="line"
          option={option}
          height={240}
          label={`${indicator.name}: ${points.length} readings with forecast band`}
          summaryId={`indicator-${indicator.id}-summary`}
          testId={`indicator-${indicator.code}`}
        />
      )}
    </figure>
  );
}

export function IndicatorsSection({ unitId }: { unitId: string }) {
  const indicators = useQuery(() => unwrap(api.POST('/api/indicator/list', { body: { unitId } })), [unitId]);
  return (
    <section aria-labelledby="ind-h" className="panel">
      <h2 id="ind-h">Indicators</h2>
      {indicators.status === 'loading' && <Loading what="indicators" />}
      {indicators.status === 'error' && <ErrorNotice error={indicators.error} onRetry={indicators.reload} />}
      {indicators.status === 'ok' &&
        (indicators.data.indicators.length === 0 ? (
          <p>This unit reports no indicators of its own.</p>
        ) : (
          <>
            <p className="muted">
              Black: readings. Dashed blue: the forecast made before each reading, in its shaded band.
              Diamonds: change points. Red lines: alerts.
            </p>
            <div className="grid-2">
              {indicators.data.indicators.map((i) => (
                <IndicatorChart key={i.id} indicator={i} />
              ))}
            </div>
          </>
        ))}
    </section>
  );
}

export function TripleIndexSection({ unitId }: { unitId: string }) {
  const index = useQuery(() => unwrap(api.POST('/api/triple-index/get', { body: { unitId } })), [unitId]);
  const ratio = (x: number | null) => (x === null ? '—' : `${formatNumber(x * 100)} %`);
  return (
    <section aria-labelledby="tri-h" className="panel">
      <h2 id="tri-h">Triple index</h2>
      <p className="muted">
        <Term id="triple-index">Beer’s measures</Term>: productivity = actuality / capability, latency =
        capability / potentiality, performance = actuality / potentiality.
      </p>
      {index.status === 'loading' && <Loading what="the triple index" />}
      {index.status === 'error' && <ErrorNotice error={index.error} onRetry={index.reload} />}
      {index.status === 'ok' &&
        (index.data.periods.length === 0 ? (
          <p>No actuality, capability and potentiality have been reported for this unit yet.</p>
        ) : (
          <SortableTable
            caption="Triple index by period"
            rows={index.data.periods}
            rowKey={(p) => p.period}
            initialSort={{ key: 'period', descending: true }}
            columns={[
              { key: 'period', label: 'Period', value: (p) => p.period },
              {
                key: 'productivity',
                label: 'Productivity',
                value: (p) => p.productivity ?? -1,
                render: (p) => ratio(p.productivity),
                numeric: true,
              },
              {
                key: 'latency',
                label: 'Latency',
                value: (p) => p.latency ?? -1,
                render: (p) => ratio(p.latency),
                numeric: true,
              },
              {
                key: 'performance',
                label: 'Performance',
                value: (p) => p.performance ?? -1,
                render: (p) => ratio(p.performance),
                numeric: true,
              },
              {
                key: 'actuality',
                label: 'Actuality',
                value: (p) => p.actuality,
                render: (p) => formatNumber(p.actuality),
                numeric: true,
              },
              {
                key: 'capability',
                label: 'Capability',
                value: (p) => p.capability,
                render: (p) => formatNumber(p.capability),
                numeric: true,
              },
              {
                key: 'potentiality',
                label: 'Potentiality',
                value: (p) => p.potentiality,
                render: (p) => formatNumber(p.potentiality),
                numeric: true,
              },
            ]}
          />
        ))}
    </section>
  );
}
