// `ogas monitor evaluate`: runs one detector, with one setting for every series, over an uploaded TCPD dataset
// and scores its change points with the benchmark's F1 and covering. A pure function of in-memory content.
import { bocpdRetrospective } from '../detectors/bocpd-segmentation';
import {
  penalisedSegmentation,
  retrospectiveModel,
  segmentationSettingsSchema,
} from '../detectors/penalised-segmentation';
import type { SegmentationSettings } from '../detectors/penalised-segmentation';
import { createDetector } from '../detectors/registry';
import { parseSettings } from '../detectors/detector';
import type { DetectorKind } from '../detectors/detector';
import { covering, fMeasure } from './tcpd-metrics';
import { parseTcpdFiles, zScore } from './tcpd-dataset';
import type { TcpdDataset, TcpdFile, TcpdSeries } from './tcpd-dataset';

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
 * `retrospective` the segmentation of the whole series under the detector's model, found after the last reading:
 * BOCPD's most probable segmentation (as TCPDBench's BOCPD, the R package ocp, reports it), and for
 * Harrison–Stevens (lines) and SPC (levels) the penalised least-squares segmentation.
 */
export type ChangePointMode = 'online' | 'retrospective';

export interface TcpdEvaluationOptions {
  detector: DetectorKind;
  settings?: unknown;
  changePoints?: ChangePointMode;
  /** Settings of the penalised segmentation (Harrison–Stevens and SPC retrospective); the model follows the detector. */
  segmentation?: unknown;
}

export interface TcpdEvaluation {
  detector: DetectorKind;
  changePoints: ChangePointMode;
  settings: Record<string, unknown>;
  /** The penalised segmentation's settings when it was used. */
  segmentation: Record<string, unknown> | null;
  series: TcpdSeriesResult[];
  skipped: { name: string; reason: string }[];
  /** Means over every evaluated series. */
  mean: { f1: number; cover: number; count: number };
  /** Means over the real (non-synthetic) series, comparable with the published TCPDBench means. */
  meanReal: { f1: number; cover: number; count: number };
}

/** The evaluation's defaults: Harrison–Stevens' model (lines with level and slope changes), retrospective. */
export const EVALUATION_DEFAULTS = { detector: 'harrison-stevens', changePoints: 'retrospective' } as const;

/** Change-point indices a detector reports on a series online (missing readings are skipped, not imputed). */
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

/** Change points of one whole series under the detector's retrospective analysis. */
export function retrospectiveChangePoints(
  kind: DetectorKind,
  settings: unknown,
  segmentation: SegmentationSettings,
  values: readonly (number | null)[],
): number[] {
  if (kind === 'bocpd') return bocpdRetrospective(settings, values);
  return penalisedSegmentation(values, { ...segmentation, model: retrospectiveModel(kind) });
}

function scoreSeries(s: TcpdSeries, predict: (z: (number | null)[]) => number[]): TcpdSeriesResult {
  const predicted = predict(zScore(s.values));
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

/** Evaluates one detector over every univariate series of a parsed dataset, each z-scored first. */
export function evaluateDataset(data: TcpdDataset, options: TcpdEvaluationOptions): TcpdEvaluation {
  const settings = createDetector(options.detector, options.settings).settings;
  const mode = options.changePoints ?? EVALUATION_DEFAULTS.changePoints;
  const usesSegmentation = mode === 'retrospective' && options.detector !== 'bocpd';
  const segmentation = parseSettings(options.detector, segmentationSettingsSchema, options.segmentation);
  const segmentationUsed = { ...segmentation, model: retrospectiveModel(options.detector) };
  const predict = (z: (number | null)[]) =>
    mode === 'online'
      ? detectChangePoints(options.detector, options.settings, z)
      : retrospectiveChangePoints(options.detector, options.settings, segmentation, z);
  const series = data.series.map((s) => scoreSeries(s, predict));
  return {
    detector: options.detector,
    changePoints: mode,
    settings,
    segmentation: usesSegmentation ? segmentationUsed : null,
    series,
    skipped: data.skipped,
    mean: meanOf(series),
    meanReal: meanOf(series.filter((r) => !r.synthetic)),
  };
}

/** Parses the uploaded files and evaluates (the operation's pure core; `source` names the input in errors). */
export function evaluateTcpd(
  files: readonly TcpdFile[],
  options: TcpdEvaluationOptions,
  source = 'files',
): TcpdEvaluation {
  return evaluateDataset(parseTcpdFiles(files, source), options);
}
