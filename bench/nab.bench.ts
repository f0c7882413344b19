// NAB corpus scores of OGAS's detectors beside NAB's published detectors: each detector's anomaly scores are
// scored as NAB does (best threshold over the corpus per profile, normalised). NAB_DIR points at a NAB folder
// (data/, labels/, optionally results/<detector>/ as NAB publishes them); the default is the shared files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTOR_KINDS } from '../src/cyberstride/detectors/registry';
import { detectorScores, scoreDetector } from '../src/cyberstride/evaluation/nab-benchmark';
import { NAB_PROFILES, readCorpus } from '../src/cyberstride/evaluation/nab-corpus';
import type { BenchOptions } from './run';

const PUBLISHED = ['numenta', 'windowedGaussian'];

export default async function nabBench(_opts: BenchOptions): Promise<void> {
  const dir = process.env.NAB_DIR ?? join(import.meta.dirname, '../src/cyberstride/fixtures/nab');
  const windows = JSON.parse(readFileSync(join(dir, 'labels/combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const files = Object.keys(windows)
    .filter((path) => existsSync(join(dir, 'data', path)))
    .map((path) => ({ path, csv: readFileSync(join(dir, 'data', path), 'utf8') }));
  const { series } = readCorpus({ files, windows });
  const readings = series.reduce((n, s) => n + s.values.length, 0);
  const print = (detector: string, seconds: number | null, scores: Float64Array[]) => {
    const r = scoreDetector(detector, series, scores, NAB_PROFILES);
    console.log(
      JSON.stringify({
        bench: 'nab',
        size: readings,
        detector,
        ours_s: seconds,
        peer: null,
        peer_s: null,
        ratio: null,
        check: 'n/a (scores, not speed)',
        files: series.length,
        windows: series.reduce((n, s) => n + s.windows.length, 0),
        ...Object.fromEntries(Object.entries(r.corpus).map(([p, v]) => [p, Math.round(v * 10) / 10])),
        threshold_standard: r.thresholds.standard?.threshold,
      }),
    );
  };
  for (const kind of DETECTOR_KINDS) {
    const t0 = performance.now();
    const scores = series.map((s) => detectorScores(kind, undefined, s));
    print(kind, (performance.now() - t0) / 1000, scores);
  }
  const results = process.env.NAB_RESULTS ?? join(dir, 'results');
  for (const detector of PUBLISHED) {
    const paths = series.map((s) => {
      const [category, name] = s.path.split('/');
      return join(results, detector, category ?? '', `${detector}_${name ?? ''}`);
    });
    if (!paths.every((p) => existsSync(p))) continue;
    const scores = paths.map((p) => {
      const lines = readFileSync(p, 'utf8').trim().split('\n');
      const column = (lines[0] ?? '').split(',').indexOf('anomaly_score');
      return Float64Array.from(lines.slice(1), (l) => Number(l.split(',')[column]));
    });
    print(`${detector} (published)`, null, scores);
  }
}
