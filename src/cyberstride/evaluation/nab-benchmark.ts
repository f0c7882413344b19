// Runs detectors over a NAB corpus held in memory and scores them as NAB does: per profile, the threshold
// that scores best over the corpus, the normalised corpus score, and each file's details at that threshold.
import { createDetector } from '../detectors/registry';
import type { DetectorKind } from '../detectors/detector';
import { readCorpus, type CorpusContent, type NabSeries } from './nab-corpus';
import { PROBATION_PERCENT, scoreFile, type CostMatrix } from './nab-scorer';
import { bestThreshold, normalisedScore } from './nab-sweep';

export interface NabFileReport {
  path: string;
  readings: number;
  windows: number;
  /** Per profile, at the corpus threshold: the raw score, windows detected and false positives. */
  profiles: Record<
    string,
    { score: number; detected: number; falsePositives: number; firstDetections: (string | null)[] }
  >;
}

export interface NabDetectorReport {
  detector: string;
  /** Normalised corpus score per profile: 0 is the null detector, 100 a perfect one. */
  corpus: Record<string, number>;
  /** Per profile, the threshold that scored best over the corpus and the raw score there. */
  thresholds: Record<string, { threshold: number; rawScore: number }>;
  files: NabFileReport[];
}

export interface NabReport {
  files: number;
  readings: number;
  windows: number;
  probationPercent: number;
  detectors: NabDetectorReport[];
  skipped: { path: string; reason: string }[];
}

/** A detector's anomaly score (DetectorOutput.score, in [0, 1]) for every reading of a series. */
export function detectorScores(kind: DetectorKind, settings: unknown, s: NabSeries): Float64Array {
  const detector = createDetector(kind, settings);
  let state = detector.initialState();
  const out = new Float64Array(s.values.length);
  for (let i = 0; i < out.length; i++) {
    const r = detector.update(state, s.values[i] as number, s.times[i] as number);
    state = r.state;
    const score = r.output.score;
    out[i] = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Scores one detector's anomaly scores (one array per series, in series order) under every profile. */
export function scoreDetector(
  name: string,
  series: NabSeries[],
  scores: Float64Array[],
  profiles: Record<string, CostMatrix>,
  probationPercent = PROBATION_PERCENT,
): NabDetectorReport {
  const windows = series.reduce((n, s) => n + s.windows.length, 0);
  const corpus: Record<string, number> = {};
  const thresholds: NabDetectorReport['thresholds'] = {};
  const files: NabFileReport[] = series.map((s) => ({
    path: s.path,
    readings: s.values.length,
    windows: s.windows.length,
    profiles: {},
  }));
  for (const [profile, cost] of Object.entries(profiles)) {
    const files_ = series.map((s, k) => ({ anomalyScores: scores[k] as Float64Array, windows: s.windows }));
    const best = bestThreshold(files_, cost, probationPercent);
    thresholds[profile] = { threshold: best.threshold, rawScore: best.score };
    corpus[profile] = normalisedScore(best.score, windows, cost);
    series.forEach((s, k) => {
      const f = scoreFile(scores[k] as Float64Array, s.windows, cost, best.threshold, probationPercent);
      (files[k] as NabFileReport).profiles[profile] = {
        score: f.score,
        detected: f.detectedAt.filter((d) => d !== null).length,
        falsePositives: f.fp,
        firstDetections: f.detectedAt.map((d) => (d === null ? null : iso(s.times[d] as number))),
      };
    });
  }
  return { detector: name, corpus, thresholds, files };
}

/** Runs each detector over the corpus and scores it; the first detector is reported first. */
export function runNabBenchmark(
  content: CorpusContent,
  detectors: { kind: DetectorKind; settings?: unknown }[],
  profiles: Record<string, CostMatrix>,
  probationPercent = PROBATION_PERCENT,
): NabReport {
  const { series, skipped } = readCorpus(content);
  return {
    files: series.length,
    readings: series.reduce((n, s) => n + s.values.length, 0),
    windows: series.reduce((n, s) => n + s.windows.length, 0),
    probationPercent,
    detectors: detectors.map((d) =>
      scoreDetector(
        d.kind,
        series,
        series.map((s) => detectorScores(d.kind, d.settings, s)),
        profiles,
        probationPercent,
      ),
    ),
    skipped,
  };
}
