// A unit's targets from the adopted plan against its indicators' latest readings (planning.unit-progress), in
// the indicator's own measure and period; where they cannot be compared, the reason instead of a percentage.
// On a federation node with no plan adopted here, the targets are those received from the parent node.
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';
import { Term } from '../../components/Term';

type Progress = OpOutput<'planning.unit-progress'>;
type Row = Progress['rows'][number];

const TERMS =
  'each target is put in the measure and period of the indicator that reports it, and compared with its latest reading (the first plan period only).';

function Source({ data }: { data: Progress }) {
  if (data.adopted)
    return (
      <p className="muted" data-testid="adopted-plan">
        From the <Term id="adopted-plan">adopted plan</Term> “{data.adopted.planName}”, adopted for{' '}
        {data.adopted.adoptedOn.name} by {data.adopted.adoptedBy} on{' '}
        {new Date(data.adopted.adoptedAt).toLocaleString('en-GB')}. One plan period is{' '}
        {data.planPeriod.replace(/^one /, 'a ')}; {TERMS}
      </p>
    );
  if (!data.received) return null;
  return (
    <p className="muted" data-testid="received-plan">
      No plan was adopted on this node: these are the targets received from node {data.received.fromNode}
      {data.received.planName === null ? '' : `: plan “${data.received.planName}”`}, received on{' '}
      {new Date(data.received.receivedAt).toLocaleString('en-GB')}. One plan period is{' '}
      {data.planPeriod.replace(/^one /, 'a ')}; {TERMS}
    </p>
  );
}

function fulfilment(r: Row): string {
  if (!r.comparable) return `not comparable: ${r.reason ?? ''}`;
  if (r.fulfilment === null) return r.reason ?? 'no report yet';
  const pct = r.fulfilment * 100;
  const words = pct < 98 ? 'below plan' : pct > 102 ? 'above plan' : 'on plan';
  return `${formatNumber(pct)} % (${words})`;
}

const withMeasure = (x: number | null, measure: string | undefined) =>
  x === null ? '—' : `${formatNumber(x)} ${measure ?? ''}`.trim();

export function TargetsSection({ unitId }: { unitId: string }) {
  const loaded = useQuery(
    () => unwrap(api.POST('/api/planning/unit-progress', { body: { unitId } })),
    [unitId],
  );
  return (
    <section aria-labelledby="targets-h" className="panel targets">
      <h2 id="targets-h">Targets against actuals</h2>
      {loaded.status === 'loading' && <Loading what="targets" />}
      {loaded.status === 'error' && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {loaded.status === 'ok' && !loaded.data.adopted && !loaded.data.received && (
        <p>
          No plan has been <Term id="adopted-plan">adopted</Term> for this unit or a unit above it, so it has
          no targets yet. Plans computed to try things out set no targets; the planners adopt one on the{' '}
          <Link href="/plan">Plan page</Link>.
        </p>
      )}
      {loaded.status === 'ok' && (loaded.data.adopted || loaded.data.received) && (
        <>
          <Source data={loaded.data} />
          {loaded.data.rows.length === 0 ? (
            <p>
              The {loaded.data.adopted ? 'adopted plan' : 'plan received'} asks nothing of this unit or the
              units below it.
            </p>
          ) : (
            <SortableTable
              caption="Planned output per technology and period, and the latest report"
              rows={loaded.data.rows}
              rowKey={(r) => `${r.unitCode}/${r.technology}/${r.period}`}
              initialSort={{ key: 'period', descending: false }}
              limit={15}
              columns={[
                { key: 'unit', label: 'Unit', value: (r) => r.unitName ?? r.unitCode },
                { key: 'technology', label: 'Technology', value: (r) => r.technology },
                { key: 'period', label: 'Period', value: (r) => r.period, numeric: true },
                {
                  key: 'planned',
                  label: 'Planned',
                  value: (r) => r.planned,
                  render: (r) => `${formatNumber(r.planned)} ${r.plannedMeasure}`,
                  numeric: true,
                },
                {
                  key: 'target',
                  label: 'Target (indicator’s terms)',
                  value: (r) => r.target ?? -1,
                  render: (r) => withMeasure(r.target, r.indicator?.measure),
                  numeric: true,
                },
                {
                  key: 'actual',
                  label: 'Actual (latest)',
                  value: (r) => r.actual ?? -1,
                  render: (r) =>
                    r.actual === null
                      ? '—'
                      : `${withMeasure(r.actual, r.indicator?.measure)} (${r.indicator?.name ?? ''})`,
                  numeric: true,
                },
                {
                  key: 'fulfilment',
                  label: 'Fulfilment',
                  value: (r) => r.fulfilment ?? -1,
                  render: (r) => <span data-comparable={r.comparable}>{fulfilment(r)}</span>,
                },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
