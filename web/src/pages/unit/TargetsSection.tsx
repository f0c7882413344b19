// A unit's targets from the latest optimal plan (planning.unit-targets) against the latest reported actuals.
import { economyOnPath } from '../../api/economy';
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';

async function loadTargets(unitId: string, unitPath: string) {
  const economy = await economyOnPath(unitPath);
  if (!economy) return undefined;
  const { plans } = await unwrap(api.POST('/api/planning/list', { body: { economyId: economy.id } }));
  const plan = plans.find((p) => p.status === 'optimal');
  if (!plan) return { plan: undefined, rows: [] };
  const [{ targets }, { indicators }] = await Promise.all([
    unwrap(api.POST('/api/planning/unit-targets', { body: { planId: plan.id, unitId } })),
    unwrap(api.POST('/api/indicator/list', { body: { unitId, subtree: true } })),
  ]);
  const rows = await Promise.all(
    targets.map(async (t) => {
      const indicator =
        indicators.find((i) => i.technologyCode === t.technology) ??
        indicators.find((i) => i.productCode === t.product);
      const series = indicator
        ? await unwrap(api.POST('/api/readings/list', { body: { id: indicator.id, limit: 1000 } }))
        : undefined;
      const actual = series?.points.at(-1)?.value;
      return { ...t, indicator: indicator?.name, actual };
    }),
  );
  return { plan, rows };
}

function fulfilment(planned: number, actual: number | undefined): string {
  if (actual === undefined) return 'no report yet';
  if (planned === 0) return actual === 0 ? 'on plan' : 'unplanned output';
  const pct = (actual / planned) * 100;
  const words = pct < 98 ? 'below plan' : pct > 102 ? 'above plan' : 'on plan';
  return `${formatNumber(pct)} % (${words})`;
}

export function TargetsSection({ unitId, unitPath }: { unitId: string; unitPath: string }) {
  const loaded = useQuery(() => loadTargets(unitId, unitPath), [unitId, unitPath]);
  return (
    <section aria-labelledby="targets-h" className="panel">
      <h2 id="targets-h">Targets against actuals</h2>
      {loaded.status === 'loading' && <Loading what="targets" />}
      {loaded.status === 'error' && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {loaded.status === 'ok' && !loaded.data && <p>No economic model you may read covers this unit.</p>}
      {loaded.status === 'ok' && loaded.data && !loaded.data.plan && (
        <p>
          No optimal plan has been computed yet, so this unit has no targets.{' '}
          <Link href="/plan">Compute one</Link>.
        </p>
      )}
      {loaded.status === 'ok' && loaded.data?.plan && (
        <>
          <p className="muted">
            From plan “{loaded.data.plan.name}” (
            {new Date(loaded.data.plan.createdAt).toLocaleString('en-GB')}); actual is the latest reading of
            the indicator that reports the technology or product.
          </p>
          {loaded.data.rows.length === 0 ? (
            <p>The plan asks nothing of this unit or the units below it.</p>
          ) : (
            <SortableTable
              caption="Planned output per technology and period, and the latest report"
              rows={loaded.data.rows}
              rowKey={(r) => `${r.unit}/${r.technology}/${r.period}`}
              initialSort={{ key: 'quantity', descending: true }}
              limit={15}
              columns={[
                { key: 'unit', label: 'Unit', value: (r) => r.unit },
                { key: 'technology', label: 'Technology', value: (r) => r.technology },
                { key: 'period', label: 'Period', value: (r) => r.period, numeric: true },
                {
                  key: 'quantity',
                  label: 'Target',
                  value: (r) => r.quantity,
                  render: (r) => formatNumber(r.quantity),
                  numeric: true,
                },
                {
                  key: 'actual',
                  label: 'Actual',
                  value: (r) => r.actual ?? -1,
                  render: (r) =>
                    r.actual === undefined ? '—' : `${formatNumber(r.actual)} (${r.indicator ?? ''})`,
                  numeric: true,
                },
                {
                  key: 'fulfilment',
                  label: 'Fulfilment',
                  value: (r) => (r.actual ?? -1) / (r.quantity || 1),
                  render: (r) => fulfilment(r.quantity, r.actual),
                },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
