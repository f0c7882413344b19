// Checks the NAB scorer against NAB's published results (numenta and windowedGaussian on the shared files,
// Numenta Anomaly Benchmark, MIT): every row's S(t) for each profile at the published thresholds, and the
// optimiser against a brute-force search.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCorpus } from './nab-corpus';
import { scaledSigmoid, scoreFile, type CostMatrix } from './nab-scorer';
import { bestThreshold, normalisedScore } from './nab-sweep';

const fixtures = new URL('../fixtures/nab/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures), 'utf8');
const windows = JSON.parse(read('labels/combined_windows.json')) as Record<string, [string, string][]>;
const profiles = JSON.parse(read('config/profiles.json')) as Record<string, { CostMatrix: CostMatrix }>;
const thresholds = JSON.parse(read('config/thresholds.json')) as Record<
  string,
  Record<string, { threshold: number; score: number }>
>;
interface PublishedFile {
  rows: number;
  scoresAtOrAbove: [number, string][];
  nonZero: Record<string, [number, string][]>;
}
const published = JSON.parse(read('results/published-rows.json')) as Record<
  string,
  { lowestThreshold: number; files: Record<string, PublishedFile> }
>;
const { series } = readCorpus({
  files: Object.keys(windows).map((path) => ({ path, csv: read(`data/${path}`) })),
  windows,
});

/** The published anomaly scores: exact at or above the lowest published threshold, 0 below (never detected). */
function scoresOf(file: PublishedFile): Float64Array {
  const s = new Float64Array(file.rows);
  for (const [i, v] of file.scoresAtOrAbove) s[i] = Number(v);
  return s;
}

describe('NAB scaled sigmoid', () => {
  it('is about 0.987 at the left edge of a window, 0 at its right edge and -1 far past it', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.01)).toBe(-1);
  });
});

describe.each(['numenta', 'windowedGaussian'])('NAB published rows of %s', (detector) => {
  const files = published[detector]?.files ?? {};
  it('covers every shared data file', () => {
    expect(Object.keys(files).sort()).toEqual(series.map((s) => s.path));
  });
  for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']) {
    it(`reproduces every S(t)_${profile} row at the published threshold`, () => {
      const cost = profiles[profile]?.CostMatrix as CostMatrix;
      const threshold = thresholds[detector]?.[profile]?.threshold as number;
      let compared = 0;
      const wrong: string[] = [];
      for (const s of series) {
        const file = files[s.path] as PublishedFile;
        expect(file.rows).toBe(s.times.length);
        const expected = new Float64Array(file.rows);
        for (const [i, v] of file.nonZero[profile] ?? []) expected[i] = Number(v);
        const got = scoreFile(scoresOf(file), s.windows, cost, threshold).contributions;
        for (let i = 0; i < file.rows; i++)
          if (!(Math.abs((got[i] as number) - (expected[i] as number)) < 1e-9))
            wrong.push(`${s.path} row ${i}: ${got[i]} instead of ${expected[i]}`);
        compared += file.rows;
      }
      expect(wrong).toEqual([]);
      expect(compared).toBe(series.reduce((n, s) => n + s.times.length, 0));
    });
  }
});

describe('NAB threshold optimiser', () => {
  const cost = profiles.standard?.CostMatrix as CostMatrix;
  const files = series.map((s) => ({
    anomalyScores: scoresOf(published.numenta?.files[s.path] as PublishedFile),
    windows: s.windows,
  }));
  const corpusScore = (t: number) =>
    files.reduce((sum, f) => sum + scoreFile(f.anomalyScores, f.windows, cost, t).score, 0);

  it('finds the threshold that a brute-force search over every distinct score finds', () => {
    const candidates = [1.1, ...new Set(files.flatMap((f) => Array.from(f.anomalyScores)))];
    let brute = { threshold: 1.1, score: -Infinity };
    for (const t of candidates.sort((a, b) => b - a)) {
      const score = corpusScore(t);
      if (score > brute.score + 1e-12) brute = { threshold: t, score };
    }
    const best = bestThreshold(files, cost);
    expect(best.threshold).toBe(brute.threshold);
    expect(best.score).toBeCloseTo(brute.score, 9);
    expect(best.score).toBeCloseTo(corpusScore(best.threshold), 9);
  });

  it('normalises the null detector to 0 and a perfect one to 100', () => {
    const n = series.reduce((k, s) => k + s.windows.length, 0);
    const none = files.reduce((sum, f) => sum + scoreFile(f.anomalyScores, f.windows, cost, 2).score, 0);
    expect(normalisedScore(none, n, cost)).toBe(0);
    const perfect = series.map((s) => {
      const a = new Float64Array(s.times.length);
      for (const w of s.windows) a[w.first] = 1;
      return scoreFile(a, s.windows, cost, 1).score;
    });
    expect(
      normalisedScore(
        perfect.reduce((x, y) => x + y, 0),
        n,
        cost,
      ),
    ).toBeCloseTo(100, 9);
  });

  it('gives numenta its published corpus score over the full NAB corpus from the published totals', () => {
    // thresholds.json holds numenta's raw score over NAB's 58 files and 116 windows: 46.63 → 70.1.
    const raw = thresholds.numenta?.standard?.score as number;
    expect(normalisedScore(raw, 116, cost)).toBeCloseTo(70.1, 1);
  });
});
