// The gap of planning rounds, round by round, on a logarithmic axis (it falls by orders of magnitude), with the
// bound and the best plan in words beside it. Not to be confused with rounds-chart.ts (the rounds of a ranked count).
import type { ChartOption } from './EChart';

export interface GapPoint {
  round: number;
  gap: number | null;
}

/** Gaps of 0 are drawn at this floor, since a log axis has no 0. */
const FLOOR = 1e-12;

export function gapOption(points: GapPoint[], tolerance: number): ChartOption {
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 24, bottom: 40 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', name: 'round', data: points.map((p) => String(p.round)) },
    yAxis: { type: 'log', name: 'gap', min: FLOOR },
    series: [
      {
        name: 'gap',
        type: 'line',
        data: points.map((p) => (p.gap === null ? null : Math.max(p.gap, FLOOR))),
        connectNulls: false,
        markLine: {
          symbol: 'none',
          label: { formatter: `tolerance ${tolerance}` },
          data: [{ yAxis: Math.max(tolerance, FLOOR) }],
        },
      },
    ],
  };
}

/** The chart in one sentence, for its caption (every chart says in words what it shows). */
export function gapSentence(points: GapPoint[], tolerance: number): string {
  const finite = points.filter((p) => p.gap !== null);
  if (points.length === 0) return 'No round has been closed yet.';
  if (finite.length === 0)
    return `${points.length} round${points.length === 1 ? '' : 's'} closed; no combination meets every target yet, so the gap is not defined.`;
  const first = finite[0]!;
  const last = finite.at(-1)!;
  return `The gap fell from ${first.gap!.toExponential(2)} in round ${first.round} to ${last.gap!.toExponential(2)} in round ${last.round} (tolerance ${tolerance}).`;
}
