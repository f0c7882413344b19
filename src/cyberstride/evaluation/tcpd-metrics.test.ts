// Checks the TCPD metrics against the doctests of TCPDBench's analysis/scripts/metrics.py and against the
// scores TCPDBench published for methods on `businv` (analysis/output/summaries/summary_businv.json).
import { describe, expect, it } from 'vitest';
import { coverSingle, covering, fMeasure, segmentsFromChangePoints, truePositives } from './tcpd-metrics';

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('true positives', () => {
  it('match each true point at most once within the margin (metrics.py doctests)', () => {
    expect(sorted(truePositives([1, 10, 20, 23], [3, 8, 20]))).toEqual([1, 10, 20]);
    expect(sorted(truePositives([1, 10, 20, 23], [1, 3, 8, 20]))).toEqual([1, 10, 20]);
    expect(sorted(truePositives([1, 10, 20, 23], [1, 3, 5, 8, 20]))).toEqual([1, 10, 20]);
    expect(sorted(truePositives([], [1, 2, 3]))).toEqual([]);
    expect(sorted(truePositives([1, 2, 3], []))).toEqual([]);
  });
});

describe('F1 against several annotators', () => {
  it('reproduces the metrics.py doctests', () => {
    expect(fMeasure([[10, 20], [11, 20], [10], [0, 5]], [10, 20]).f1).toBe(1);
    expect(fMeasure([[], [10], [50]], [10]).f1).toBeCloseTo(0.9090909090909091, 15);
    expect(fMeasure([[], [10], [50]], []).f1).toBeCloseTo(0.8, 15);
  });
});

describe('segmentation covering', () => {
  it('partitions [0, T) at the change points (partition_from_cps doctests)', () => {
    expect(segmentsFromChangePoints([], 5)).toEqual([[0, 5]]);
    expect(segmentsFromChangePoints([3, 5], 8)).toEqual([
      [0, 3],
      [3, 5],
      [5, 8],
    ]);
    expect(segmentsFromChangePoints([1, 2, 7], 8)).toEqual([
      [0, 1],
      [1, 2],
      [2, 7],
      [7, 8],
    ]);
    expect(segmentsFromChangePoints([0, 4], 6)).toEqual([
      [0, 4],
      [4, 6],
    ]);
  });

  it('reproduces the cover_single doctests (sets {1..6} shifted to start at 0)', () => {
    expect(
      coverSingle(
        [
          [0, 3],
          [3, 5],
          [5, 6],
        ],
        [
          [0, 3],
          [3, 6],
        ],
      ),
    ).toBeCloseTo(0.8333333333333334, 15);
    expect(
      coverSingle(
        [
          [0, 4],
          [4, 6],
        ],
        [[0, 6]],
      ),
    ).toBeCloseTo(0.6666666666666666, 15);
    expect(
      coverSingle(
        [
          [0, 2],
          [2, 4],
          [4, 6],
        ],
        [
          [0, 3],
          [3, 6],
        ],
      ),
    ).toBeCloseTo(0.6666666666666666, 15);
    expect(
      coverSingle(
        [[0, 6]],
        [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 6],
        ],
      ),
    ).toBeCloseTo(0.3333333333333333, 15);
  });

  it('reproduces the covering doctests', () => {
    expect(covering([[10, 20], [10], [0, 5]], [10, 20], 45)).toBeCloseTo(0.7962962962962963, 15);
    expect(covering([[], [10], [40]], [10], 45)).toBeCloseTo(0.7954144620811286, 15);
    expect(covering([[], [10], [40]], [], 45)).toBeCloseTo(0.8189300411522634, 15);
  });
});

describe('published TCPDBench scores on businv (330 readings, five annotators)', () => {
  const businv = [[119, 203, 215], [], [119, 203], [119, 203, 213], [120, 202, 212]];
  const published: { method: string; cps: number[]; f1: number; cover: number }[] = [
    { method: 'zero', cps: [], f1: 0.5882352941176471, cover: 0.46094765840220386 },
    { method: 'default_bocpd', cps: [69, 157, 232, 265], f1: 0.27027027027027023, cover: 0.4631013127482154 },
    { method: 'default_binseg', cps: [170, 247], f1: 0.3703703703703703, cover: 0.5616385346323081 },
    { method: 'default_segneigh', cps: [68, 164, 247], f1: 0.3125, cover: 0.4939817887561099 },
    {
      method: 'default_cpnp',
      cps: [13, 42, 92, 143, 188, 202, 229, 283, 317],
      f1: 0.30400000000000005,
      cover: 0.40166105499438826,
    },
  ];
  for (const p of published) {
    it(`gives ${p.method} the published F1 ${p.f1.toFixed(4)} and cover ${p.cover.toFixed(4)}`, () => {
      expect(fMeasure(businv, p.cps).f1).toBeCloseTo(p.f1, 14);
      expect(covering(businv, p.cps, 330)).toBeCloseTo(p.cover, 14);
    });
  }
});
