// A unit's indicators as time-series charts (forecast band, change points, alerts) and its triple index.
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { IndicatorChart } from './IndicatorChart';
import { DefineIndicatorForm, mayOn, ReportReadingForm } from './IndicatorForms';
import { formatNumber, SortableTable } from '../../components/SortableTable';
import { Term } from '../../components/Term';

export function IndicatorsSection({ unitId, unitPath }: { unitId: string; unitPath: string }) {
  const { who } = useSession();
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
              Diamonds: change points (readings the detector flagged and alerts that say the level moved). Red
              lines: alerts, resolved ones included; close alerts share one line that counts them, and alerts
              outside the time range are counted at its edge (◀ before, after ▶). New readings arrive live.
            </p>
            <div className="grid-2">
              {indicators.data.indicators.map((i) => (
                <IndicatorChart key={i.id} indicator={i} />
              ))}
            </div>
          </>
        ))}
      {indicators.status === 'ok' && (mayOn(who, 'report', unitPath) || mayOn(who, 'manage', unitPath)) && (
        <div className="forms-row">
          {mayOn(who, 'report', unitPath) && indicators.data.indicators.length > 0 && (
            <ReportReadingForm unitId={unitId} indicators={indicators.data.indicators} />
          )}
          {mayOn(who, 'manage', unitPath) && (
            <DefineIndicatorForm unitId={unitId} onDefined={indicators.reload} />
          )}
        </div>
      )}
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
