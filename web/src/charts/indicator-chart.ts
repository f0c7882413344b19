// The ECharts option of one indicator: readings, the forecast made before each with its band, change points and alerts.
import type { Alert } from '../api/alert-events';
import type { OpOutput } from '../api/client';
import type { ChartOption } from './EChart';

export type Series = OpOutput<'readings.list'>;

/** When the reading that raised the alert was taken (its evidence), else when the alert opened. */
function alertTime(a: Alert): string {
  return typeof a.evidence.at === 'string' ? a.evidence.at : a.openedAt;
}

export function indicatorOption(series: Series, alerts: Alert[]): ChartOption {
  const { points, indicator } = series;
  const t = (at: string) => new Date(at).getTime();
  const banded = points.filter((p) => p.forecast && p.forecast.lower !== null && p.forecast.upper !== null);
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 56, bottom: 40 },
    legend: { top: 0, data: ['Actual', 'Forecast', 'Forecast band', 'Change point', 'Alert'] },
    tooltip: { trigger: 'axis' },
    // Per level of the time axis, so a series of hours shows hours and one of weeks shows days.
    xAxis: {
      type: 'time',
      axisLabel: {
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
    yAxis: { type: 'value', scale: true, name: indicator.measure },
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
          label: { formatter: 'alert', position: 'insideEndTop', color: '#cf222e' },
          lineStyle: { color: '#cf222e', type: 'solid', width: 2 },
          data: alerts.map((a) => ({ xAxis: t(alertTime(a)), name: a.message })),
        },
      },
      {
        name: 'Change point',
        type: 'line',
        symbol: 'diamond',
        symbolSize: 14,
        lineStyle: { opacity: 0 },
        itemStyle: { color: '#9a6700' },
        data: points.filter((p) => p.changePoint).map((p) => [t(p.at), p.value]),
      },
    ],
  };
}
