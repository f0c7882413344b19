// The ECharts option of one indicator: readings, the forecast made before each with its band, change points and
// alerts; alerts outside the window show at its edge, and alerts close together are drawn as one counted mark.
import type { Alert } from '../api/alert-events';
import type { OpOutput } from '../api/client';
import type { ChartOption } from './EChart';

export type Series = OpOutput<'readings.list'>;

/** Rules that say the level moved (a shift, not a single odd reading): they are change points too. */
export const SHIFT_RULES = new Set(['change-point', 'level-change', 'western-electric-4', 'nelson-2']);

/** When the reading that raised the alert was taken (its evidence), else when the alert opened. */
export function alertTime(a: Alert): number {
  const at = typeof a.evidence.at === 'string' ? a.evidence.at : a.openedAt;
  return new Date(at).getTime();
}

/** A mark on the chart standing for one or more alerts close together in time. */
export interface AlertMark {
  at: number;
  count: number;
  names: string[];
}

/**
 * Puts alerts into at most `slots` marks across [from, to]: alerts that would be drawn closer than one slot
 * apart share a mark that counts them, so a thousand alerts stay a readable row of counted marks.
 */
export function clusterAlerts(
  times: { at: number; name: string }[],
  from: number,
  to: number,
  slots: number,
) {
  const span = Math.max(1, to - from);
  const bins = new Map<number, AlertMark>();
  for (const t of [...times].sort((a, b) => a.at - b.at)) {
    const k = Math.min(slots - 1, Math.max(0, Math.floor(((t.at - from) / span) * slots)));
    const mark = bins.get(k);
    if (mark) {
      mark.count += 1;
      if (mark.names.length < 3) mark.names.push(t.name);
    } else bins.set(k, { at: t.at, count: 1, names: [t.name] });
  }
  return [...bins.values()];
}

export interface ChartFacts {
  /** Alerts inside the window, as drawn (clustered). */
  marks: AlertMark[];
  /** Alerts whose reading lies before / after the window: shown as a counted mark at that edge. */
  before: number;
  after: number;
  /** Change points in the window: flagged readings and shift alerts, each time counted once. */
  changePoints: number[];
}

export function chartFacts(
  series: Series,
  alerts: Alert[],
  window: { from: number; to: number },
  slots: number,
): ChartFacts {
  const inside = alerts.filter((a) => alertTime(a) >= window.from && alertTime(a) <= window.to);
  const changes = new Set(series.points.filter((p) => p.changePoint).map((p) => new Date(p.at).getTime()));
  for (const a of inside) if (SHIFT_RULES.has(a.rule)) changes.add(alertTime(a));
  return {
    marks: clusterAlerts(
      inside.map((a) => ({ at: alertTime(a), name: a.message })),
      window.from,
      window.to,
      slots,
    ),
    before: alerts.filter((a) => alertTime(a) < window.from).length,
    after: alerts.filter((a) => alertTime(a) > window.to).length,
    changePoints: [...changes].sort((a, b) => a - b),
  };
}

/** The window a series is drawn over: the chosen range, else the loaded readings' span. */
export function seriesWindow(series: Series, range: { from: number; to: number } | null) {
  if (range) return range;
  const times = series.points.map((p) => new Date(p.at).getTime());
  const from = times.length > 0 ? Math.min(...times) : Date.now() - 3600_000;
  const to = times.length > 0 ? Math.max(...times) : Date.now();
  return { from, to: to === from ? from + 60_000 : to };
}

export function indicatorOption(
  series: Series,
  facts: ChartFacts,
  window: { from: number; to: number },
  options: { narrow: boolean },
): ChartOption {
  const { points, indicator } = series;
  const t = (at: string) => new Date(at).getTime();
  const banded = points.filter((p) => p.forecast && p.forecast.lower !== null && p.forecast.upper !== null);
  const valueAt = new Map(points.map((p) => [t(p.at), p.value]));
  const edge = (n: number, side: 'before' | 'after') =>
    n === 0
      ? []
      : [
          {
            xAxis: side === 'before' ? window.from : window.to,
            name: `${n} alert${n === 1 ? '' : 's'} ${side === 'before' ? 'before' : 'after'} this window`,
            label: {
              formatter: side === 'before' ? `◀ ${n}` : `${n} ▶`,
              position: side === 'before' ? 'insideStartTop' : 'insideEndTop',
            },
            lineStyle: { type: 'dotted' },
          },
        ];
  return {
    animation: false,
    // The measure is written along the axis, away from the legend; on a phone the legend wraps onto two lines
    // and the plot starts below them, so the two never meet.
    grid: { left: 64, right: 16, top: options.narrow ? 84 : 36, bottom: options.narrow ? 36 : 64 },
    legend: {
      top: 0,
      itemGap: options.narrow ? 6 : 10,
      itemWidth: options.narrow ? 16 : 25,
      textStyle: { fontSize: options.narrow ? 11 : 12 },
      data: ['Actual', 'Forecast', 'Forecast band', 'Change point', 'Alert'],
    },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatValue(v) },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'ctrl' },
      ...(options.narrow
        ? []
        : [{ type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 6, showDetail: false }]),
    ],
    // Per level of the time axis, so a series of hours shows hours and one of weeks shows days; labels that
    // would print over each other are left out.
    xAxis: {
      type: 'time',
      min: window.from,
      max: window.to,
      splitNumber: options.narrow ? 3 : 6,
      axisLabel: {
        hideOverlap: true,
        // hideOverlap works within one axis only: a day label on a tick near the left edge reaches under the
        // lowest value label, which sits half below the axis line. Starting the time labels lower keeps them apart
        // wherever midnight falls in the window.
        margin: 14,
        formatter: {
          year: '{yyyy}',
          month: '{MMM} {yyyy}',
          day: '{d} {MMM}',
          hour: '{HH}:{mm}',
          minute: '{HH}:{mm}',
          second: '{HH}:{mm}:{ss}',
          millisecond: '{HH}:{mm}:{ss}',
          none: '{d} {MMM} {HH}:{mm}',
        },
      },
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: indicator.measure,
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: 48,
      axisLabel: { hideOverlap: true },
    },
    series: [
      {
        name: 'Band floor',
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: banded.map((p) => [t(p.at), p.forecast?.lower ?? 0]),
      },
      {
        name: 'Forecast band',
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        itemStyle: { color: 'rgba(10, 91, 211, 0.35)' },
        areaStyle: { color: 'rgba(10, 91, 211, 0.15)' },
        data: banded.map((p) => [t(p.at), (p.forecast?.upper ?? 0) - (p.forecast?.lower ?? 0)]),
      },
      {
        name: 'Forecast',
        type: 'line',
        symbol: 'none',
        lineStyle: { type: 'dashed', color: '#0a5bd3' },
        itemStyle: { color: '#0a5bd3' },
        data: points.filter((p) => p.forecast).map((p) => [t(p.at), p.forecast?.mean ?? 0]),
      },
      {
        name: 'Actual',
        type: 'line',
        symbolSize: 5,
        lineStyle: { color: '#1b1f24' },
        itemStyle: { color: '#1b1f24' },
        data: points.map((p) => [t(p.at), p.value]),
      },
      {
        // An empty series that carries the alert lines, so the legend names them.
        name: 'Alert',
        type: 'line',
        data: [],
        itemStyle: { color: '#cf222e' },
        markLine: {
          symbol: 'none',
          label: { position: 'insideEndTop', color: '#cf222e' },
          lineStyle: { color: '#cf222e', type: 'solid', width: 2 },
          data: [
            ...facts.marks.map((m) => ({
              xAxis: m.at,
              name: m.count === 1 ? (m.names[0] ?? 'alert') : `${m.count} alerts`,
              label: { formatter: m.count === 1 ? 'alert' : `${m.count} alerts` },
            })),
            ...edge(facts.before, 'before'),
            ...edge(facts.after, 'after'),
          ],
        },
      },
      {
        name: 'Change point',
        type: 'line',
        symbol: 'diamond',
        symbolSize: 14,
        lineStyle: { opacity: 0 },
        itemStyle: { color: '#9a6700' },
        data: facts.changePoints.map((at) => [at, valueAt.get(at) ?? null]).filter((p) => p[1] !== null),
      },
    ],
  };
}

const valueFormat = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
function formatValue(v: unknown): string {
  return typeof v === 'number' ? valueFormat.format(v) : String(v ?? '');
}
