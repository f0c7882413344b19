// Mounts an Apache ECharts instance on a div and keeps it sized to its box (the only chart wrapper).
// ECharts is imported on first use, so the first page load does not carry it.
import { useEffect, useRef, useState } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';

export type ChartOption = EChartsCoreOption;

/** Each kind of chart loads only the ECharts parts it draws with. */
const LOADERS = {
  line: () => import('./echarts-line'),
  sankey: () => import('./echarts-sankey'),
  bar: () => import('./echarts-bar'),
};
export type ChartKind = keyof typeof LOADERS;

export function EChart({
  kind,
  option,
  height,
  label,
  summaryId,
  testId,
  renderer = 'canvas',
}: {
  kind: ChartKind;
  option: ChartOption;
  height: number;
  /** What the chart is: its accessible name. */
  label: string;
  /** The id of the element that says in words what the chart shows (every chart has one). */
  summaryId: string;
  testId?: string;
  /** SVG keeps the chart's words as text in the page (measurable, selectable); canvas is faster for big charts. */
  renderer?: 'canvas' | 'svg';
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;
  const [state, setState] = useState<'loading' | 'ready' | Error>('loading');
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    LOADERS[kind]().then(
      ({ echarts }) => {
        if (disposed || !box.current) return;
        const instance = echarts.init(box.current, undefined, { renderer });
        chart.current = instance;
        instance.setOption(latest.current, { notMerge: true });
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(box.current);
        setState('ready');
      },
      (e: unknown) => {
        if (!disposed) setState(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [kind, renderer]);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  if (state instanceof Error)
    return (
      <p className="notice notice-error" role="alert">
        The chart could not be loaded ({state.message}). Reload the page to try again; the same numbers are in
        the text and tables beside it.
      </p>
    );
  return (
    <div
      ref={box}
      className="chart"
      style={{ height }}
      role="img"
      aria-label={label}
      aria-describedby={summaryId}
      aria-busy={state === 'loading'}
      data-testid={testId}
    />
  );
}
