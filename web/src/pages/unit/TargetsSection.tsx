// A unit's targets from the adopted plan against its indicators' latest readings (planning.unit-progress), in
// the indicator's own measure and period; where they cannot be compared, the reason instead of a percentage.
// One plan period at a time: the one in force now (the calendar the shortfall alerts use), the others a choice
// away. On a federation node with no plan adopted here, the targets are those received from the parent node.
import { useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';
import { Term } from '../../components/Term';

type Progress = OpOutput<'planning.unit-progress'>;
type Row = Progress['rows'][number];

const TERMS =
  'each target is put in the measure and period of the indicator that reports it, and compared with its latest reading in the plan period shown.';

const day = (d: Date | string) =>
  new Date(d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "Period 2 (1 Mar 2027 – 1 Mar 2028), in force now": the period named, with its dates. */
function periodWords(data: Progress, period: number): string {
  const p = data.periods.find((x) => x.period === period);
  const dates = p ? ` (${day(p.from)} – ${day(p.to)})` : '';
  const now = data.periodInForce ?? period;
  const when = period === now ? ', in force now' : period < now ? ', past' : ', to come';
  return `Period ${period}${dates}${when}`;
}

/** Which period is shown, and the choice of the others. */
function PeriodChoice({ data, onChoose }: { data: Progress; onChoose: (period: number) => void }) {
  if (data.period === null) return null;
  const shown = data.period;
  // The plan's periods, and the one in force now and the one shown even past the plan's last period.
  const choices = [
    ...new Set([...data.periods.map((p) => p.period), shown, data.periodInForce ?? shown]),
  ].sort((a, b) => a - b);
  return (
    <div className="plan-period">
      <p data-testid="plan-period" data-period={shown} data-in-force={data.periodInForce ?? ''}>
        <strong>{periodWords(data, shown)}</strong>
        {data.periodInForce !== null && data.periodInForce !== shown && (
          <> — the plan is in period {data.periodInForce} now</>
        )}
      </p>
      {choices.length > 1 && (
        <label>
          Plan period{' '}
          <select value={shown} onChange={(e) => onChoose(Number(e.target.value))}>
            {choices.map((p) => (
              <option key={p} value={p}>
                {periodWords(data, p)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

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
  // Undefined: the period in force now, as the server's clock has it. A choice holds for its unit only.
  const [chosen, setChosen] = useState<{ unitId: string; period: number } | null>(null);
  const period = chosen?.unitId === unitId ? chosen.period : undefined;
  const loaded = useQuery(
    () =>
      unwrap(
        api.POST('/api/planning/unit-progress', {
          body: period === undefined ? { unitId } : { unitId, period },
        }),
      ),
    [unitId, period],
    { keepPrevious: true },
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
          <PeriodChoice data={loaded.data} onChoose={(p) => setChosen({ unitId, period: p })} />
          {loaded.data.rows.length === 0 ? (
            <p>
              {loaded.data.periods.length === 0
                ? `The ${loaded.data.adopted ? 'adopted plan' : 'plan received'} asks nothing of this unit or the units below it.`
                : `The ${loaded.data.adopted ? 'adopted plan' : 'plan received'} asks nothing of this unit or the units below it in period ${loaded.data.period ?? ''}: its targets are for period${loaded.data.periods.length === 1 ? '' : 's'} ${loaded.data.periods.map((p) => p.period).join(', ')}.`}
            </p>
          ) : (
            <SortableTable
              caption={`Planned output per technology in period ${loaded.data.period ?? ''}, and the latest report in it`}
              rows={loaded.data.rows}
              rowKey={(r) => `${r.unitCode}/${r.technology}/${r.period}`}
              initialSort={{ key: 'unit', descending: false }}
              limit={15}
              columns={[
                { key: 'unit', label: 'Unit', value: (r) => r.unitName ?? r.unitCode },
                { key: 'technology', label: 'Technology', value: (r) => r.technology },
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
