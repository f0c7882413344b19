// A higher unit's rolled-up indicators: each indicator code reported below it, combined per hour as the
// indicators declare (sum, mean of the units, weighted mean) by readings.aggregate; live like the unit's own.
import { useMemo, useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { useReadingNotices } from '../../app/connection';
import { EChart, type ChartOption } from '../../charts/EChart';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { useNarrow } from './IndicatorChart';

type Indicator = OpOutput<'indicator.list'>['indicators'][number];

const DAYS = 7;
const HOUR = 3600;

const AGGREGATION_WORDS: Record<string, string> = {
  sum: 'summed over',
  mean: 'averaged over',
  'weighted-mean': 'weighted average of',
};

function RolledUpChart({ unitId, first, ids }: { unitId: string; first: Indicator; ids: Set<string> }) {
  const narrow = useNarrow();
  const [tick, setTick] = useState(0);
  useReadingNotices((notices) => {
    if (notices.some((n) => ids.has(n.indicatorId))) setTick((t) => t + 1);
  });
  const series = useQuery(
    () => {
      const to = new Date(Date.now() + HOUR * 1000);
      const from = new Date(Date.now() - DAYS * 86_400_000);
      return unwrap(
        api.POST('/api/readings/aggregate', {
          body: {
            unitId,
            code: first.code,
            bucketSeconds: HOUR,
            from: from.toISOString(),
            to: to.toISOString(),
          },
        }),
      );
    },
    [unitId, first.code, tick],
    { keepPrevious: true },
  );
  const option = useMemo((): ChartOption | undefined => {
    if (series.status !== 'ok') return undefined;
    return {
      animation: false,
      grid: { left: 64, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      // Time labels start below the lowest value label's reach (see indicator-chart.ts).
      xAxis: { type: 'time', splitNumber: narrow ? 3 : 6, axisLabel: { hideOverlap: true, margin: 14 } },
      yAxis: {
        type: 'value',
        scale: true,
        name: series.data.measure,
        nameLocation: 'middle',
        nameRotate: 90,
        nameGap: 48,
      },
      series: [
        {
          name: `${first.name} (rolled up)`,
          type: 'line',
          symbolSize: 4,
          itemStyle: { color: '#1b1f24' },
          data: series.data.points.map((p) => [new Date(p.bucket).getTime(), p.value]),
        },
      ],
    };
  }, [series, first.name, narrow]);
  if (series.status === 'loading') return <Loading what={first.name} />;
  if (series.status === 'error') return <ErrorNotice error={series.error} onRetry={series.reload} />;
  const { points, units, aggregation, measure } = series.data;
  const last = points.at(-1);
  const id = `rolled-${first.code}`;
  return (
    <figure className="indicator" data-rolled-up={first.code}>
      <figcaption id={`${id}-summary`}>
        <strong>{first.name}</strong> <code>{first.code}</code>,{' '}
        {AGGREGATION_WORDS[aggregation] ?? aggregation} {units} unit{units === 1 ? '' : 's'} below, per hour
        over the last {DAYS} days:{' '}
        {last
          ? `latest ${formatNumber(last.value)} ${measure} (${new Date(last.bucket).toLocaleString('en-GB')}, from ${last.units} unit${last.units === 1 ? '' : 's'})`
          : 'no readings in that time'}
        .
      </figcaption>
      {option && points.length > 0 && (
        <EChart
          kind="line"
          renderer="svg"
          option={option}
          height={narrow ? 200 : 220}
          label={`${first.name} rolled up: ${points.length} hours`}
          summaryId={`${id}-summary`}
          testId={`rolled-${first.code}`}
        />
      )}
    </figure>
  );
}

/** Shown on units with units below: the codes reported below, each rolled up to this unit. */
export function RolledUpSection({ unitId }: { unitId: string }) {
  const below = useQuery(
    () => unwrap(api.POST('/api/indicator/list', { body: { unitId, subtree: true } })),
    [unitId],
  );
  const codes = useMemo(() => {
    if (below.status !== 'ok') return [];
    const byCode = new Map<string, Indicator[]>();
    for (const i of below.data.indicators) {
      if (i.unitId === unitId) continue;
      byCode.set(i.code, [...(byCode.get(i.code) ?? []), i]);
    }
    return [...byCode.values()];
  }, [below, unitId]);
  if (below.status === 'ok' && codes.length === 0) return null;
  return (
    <section aria-labelledby="rolled-h" className="panel">
      <h2 id="rolled-h">Rolled up from the units below</h2>
      <p className="muted">
        Each indicator the units below report, combined the way the indicator declares: totals are summed,
        rates and levels averaged over the units.
      </p>
      {below.status === 'loading' && <Loading what="the indicators below" />}
      {below.status === 'error' && <ErrorNotice error={below.error} onRetry={below.reload} />}
      <div className="grid-2">
        {codes.map((list) => {
          const first = list[0] as Indicator;
          return (
            <RolledUpChart
              key={first.code}
              unitId={unitId}
              first={first}
              ids={new Set(list.map((i) => i.id))}
            />
          );
        })}
      </div>
    </section>
  );
}
