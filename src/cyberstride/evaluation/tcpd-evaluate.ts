// `ogas monitor evaluate --tcpd DIR`: runs one detector, with one setting for every series, over a TCPD-style
// directory and scores its change points with the benchmark's F1 and covering.
import { bocpdRetrospective } from '../detectors/bocpd-segmentation';
import { DomainError } from '../../core/errors';
import { createDetector } from '../detectors/registry';
import type { DetectorKind } from '../detectors/detector';
import { covering, fMeasure } from './tcpd-metrics';
import { loadTcpdDirectory, zScore } from './tcpd-dataset';
import type { TcpdSeries } from './tcpd-dataset';

export interface TcpdSeriesResult {
  name: string;
  n: number;
  predicted: number[];
  f1: number;
  precision: number;
  recall: number;
  cover: number;
  /** The benchmark's synthetic series (quality_control_*), left out of `meanReal`. */
  synthetic: boolean;
}

/**
 * Which change points are scored: `online` the ones each detector signals reading by reading (what alerts see);
 * `retrospective` BOCPD's most probable segmentation at the end, as TCPDBench's BOCPD (ocp) reports it.
 * The default is retrospective for BOCPD and online for the others (they have no retrospective list).
 */
export type ChangePointMode = 'online' | 'retrospective';

export interface TcpdEvaluation {
  detector: DetectorKind;
  changePoints: ChangePointMode;
  settings: Record<string, unknown>;
  series: TcpdSeriesResult[];
  skipped: { name: string; reason: string }[];
  /** Means over every evaluated series. */
  mean: { f1: number; cover: number; count: number };
  /** Means over the real (non-synthetic) series, comparable with the published TCPDBench means. */
  meanReal: { f1: number; cover: number; count: number };
}

/** Change-point indices a detector reports on a series (missing readings are skipped, not imputed). */
export function detectChangePoints(
  kind: DetectorKind,
  settings: unknown,
  values: readonly (number | null)[],
): number[] {
  const detector = createDetector(kind, settings);
  let state = detector.initialState();
  const found = new Set<number>();
  values.forEach((v, i) => {
    if (v === null) return;
    const r = detector.update(state, v, i);
    state = r.state;
    if (r.output.changePoint !== null && i - r.output.changePoint.lag > 0)
      found.add(i - r.output.changePoint.lag);
  });
  return [...found].sort((a, b) => a - b);
}

function scoreSeries(
  kind: DetectorKind,
  settings: unknown,
  mode: ChangePointMode,
  s: TcpdSeries,
): TcpdSeriesResult {
  const z = zScore(s.values);
  const predicted =
    mode === 'retrospective' ? bocpdRetrospective(settings, z) : detectChangePoints(kind, settings, z);
  const f = fMeasure(s.annotations, predicted);
  return {
    name: s.name,
    n: s.values.length,
    predicted,
    ...f,
    cover: covering(s.annotations, predicted, s.values.length),
    synthetic: /^quality_control_\d+$/.test(s.name),
  };
}

function meanOf(rows: TcpdSeriesResult[]) {
  const count = rows.length;
  if (count === 0) return { f1: 0, cover: 0, count };
  return {
    f1: rows.reduce((a, r) => a + r.f1, 0) / count,
    cover: rows.reduce((a, r) => a + r.cover, 0) / count,
    count,
  };
}

/** Evaluates one detector over every univariate series of a TCPD-style directory, each z-scored first. */
export async function evaluateTcpd(
  dir: string,
  options: { detector: DetectorKind; settings?: unknown; changePoints?: ChangePointMode },
): Promise<TcpdEvaluation> {
  const data = await loadTcpdDirectory(dir);
  const settings = createDetector(options.detector, options.settings).settings;
  const mode = options.changePoints ?? (options.detector === 'bocpd' ? 'retrospective' : 'online');
  if (mode === 'retrospective' && options.detector !== 'bocpd')
    throw new DomainError('invalid', `the ${options.detector} detector has no retrospective change points`, {
      issues: [{ field: 'changePoints', message: 'retrospective change points exist for bocpd only' }],
      fix: 'use changePoints "online", or the bocpd detector',
    });
  const series = data.series.map((s) => scoreSeries(options.detector, options.settings, mode, s));
  return {
    detector: options.detector,
    changePoints: mode,
    settings,
    series,
    skipped: data.skipped,
    mean: meanOf(series),
    meanReal: meanOf(series.filter((r) => !r.synthetic)),
  };
}
