// Reproduces West & Harrison's CP6 multi-process analysis (Bayesian Forecasting and Dynamic Models, 2nd ed.,
// ch. 12) with the published settings in src/cyberstride/fixtures/cp6.settings.json, changes declared from the
// posterior as they do (changeRule 'posterior'; the default monitor is for series without published settings).
// Figures measured with the second-order collapse: 1955-12 filtered outlier 0.53 (non-standard 0.91), one month
// later 0.99; 1957-01 non-standard 0.76 (outlier 0.45, level 0.30), one month later outlier 0.86; 1958-01
// non-standard 0.81, one month later level change 0.91, two months later 0.95.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { harrisonStevensDetector } from './harrison-stevens';
import type { DetectorOutput } from './detector';

const dataDir = new URL('../fixtures/', import.meta.url);
const rows = readFileSync(new URL('cp6.csv', dataDir), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',') as [string, string]);
const published = JSON.parse(readFileSync(new URL('cp6.settings.json', dataDir), 'utf8')) as {
  prior_component_probabilities: {
    standard: number;
    outlier: number;
    level_change: number;
    growth_change: number;
  };
  discount_factors_level_growth: Record<
    'standard' | 'outlier' | 'level_change' | 'growth_change',
    [number, number]
  >;
  outlier_observation_variance_multiplier: number;
  initial: { m0: [number, number]; C0: [[number, number], [number, number]]; n0: number; d0: number };
};

function runCp6(changeRule: 'posterior' | 'monitor' = 'posterior'): Map<string, DetectorOutput> {
  const p = published.prior_component_probabilities;
  const dsc = published.discount_factors_level_growth;
  const detector = harrisonStevensDetector({
    priorProbabilities: {
      standard: p.standard,
      outlier: p.outlier,
      levelChange: p.level_change,
      growthChange: p.growth_change,
    },
    discounts: {
      standard: dsc.standard,
      outlier: dsc.outlier,
      levelChange: dsc.level_change,
      growthChange: dsc.growth_change,
    },
    outlierVarianceMultiplier: published.outlier_observation_variance_multiplier,
    initial: published.initial,
    changeRule,
  });
  let state = detector.initialState();
  const out = new Map<string, DetectorOutput>();
  rows.forEach(([month, sales], i) => {
    const r = detector.update(state, Number(sales), i);
    state = r.state;
    out.set(month, r.output);
  });
  return out;
}

const out = runCp6();
const at = (month: string) => out.get(month) as DetectorOutput;
const nonStandard = (month: string) => 1 - (at(month).probabilities.standard as number);

describe('Harrison–Stevens on CP6 with the published settings', () => {
  // Filtered P(M_t | D_t) and one-step-back P(M_t−1 | D_t) from the second-order (16-component) mixture.
  it('flags 1955-12 (870 between 752 and 784) as an outlier: the largest filtered posterior then, > 0.95 one month later', () => {
    const p = at('1955-12').probabilities;
    expect(nonStandard('1955-12')).toBeGreaterThan(0.85);
    expect(p.outlier).toBeGreaterThan(
      Math.max(p.standard as number, p.levelChange as number, p.growthChange as number),
    );
    expect(at('1955-12').signals.map((s) => s.rule)).toContain('outlier');
    expect(at('1956-01').probabilities['previous.outlier']).toBeGreaterThan(0.95);
  });

  // W&H read 1957-01 as a level change in retrospect; with these settings the mixture keeps it non-standard
  // but, one month on, prefers an outlier followed by adaptation of the steady model (P ≈ 0.86): the assertion
  // pins what the model does, and the level change at 1957-01 is not reproduced.
  it('flags 1957-01 (784 to 911) as non-standard with posterior > 0.75, a level change holding > 0.25 of it', () => {
    expect(nonStandard('1957-01')).toBeGreaterThan(0.75);
    expect(at('1957-01').probabilities.levelChange).toBeGreaterThan(0.25);
    expect(nonStandard('1957-02')).toBeLessThan(0.25);
  });

  it('recognises the 1958-01 level change one month later: P(level change at 1958-01 | Feb) > 0.85', () => {
    expect(nonStandard('1958-01')).toBeGreaterThan(0.75);
    expect(at('1958-02').probabilities['previous.levelChange']).toBeGreaterThan(0.85);
    expect(at('1958-03').probabilities['twoBack.levelChange']).toBeGreaterThan(0.9);
    const signal = at('1958-02').signals.find((s) => s.rule === 'level-change');
    expect(signal?.severity).toBe('critical');
    expect(at('1958-02').changePoint).toEqual({ lag: 1 });
  });

  it('keeps "standard" the most probable state in at least 50 of the other 57 months', () => {
    const events = new Set(['1955-12', '1957-01', '1958-01']);
    const others = [...out].filter(([m]) => !events.has(m));
    expect(others).toHaveLength(57);
    const standardMonths = others.filter(([, o]) => {
      const p = o.probabilities;
      return (
        (p.standard as number) >
        Math.max(p.outlier as number, p.levelChange as number, p.growthChange as number)
      );
    });
    expect(standardMonths.length).toBeGreaterThanOrEqual(50);
  });

  it('forecasts each month before seeing it, the reading inside the 95% interval in at least 50 of 60 months', () => {
    const inside = rows.filter(([m, v]) => {
      const f = at(m).forecast;
      return f !== null && Number(v) >= f.lower && Number(v) <= f.upper;
    });
    expect(inside.length).toBeGreaterThanOrEqual(50);
  });
});

describe('Harrison–Stevens state', () => {
  it('keeps 16 components, and continues a stored four-component state by splitting each over the previous state', () => {
    const d = harrisonStevensDetector({ initial: published.initial });
    const first = d.update(d.initialState(), 620, 0).state;
    expect(first.components).toHaveLength(16);
    const four = { ...first, components: (first.components ?? []).filter((_, k) => k % 4 === 0) };
    const total = four.components.reduce((a, c) => a + c.p, 0);
    four.components = four.components.map((c) => ({ ...c, p: c.p / total }));
    const next = d.update(four, 633, 1);
    expect(next.state.components).toHaveLength(16);
    expect(next.state.components?.reduce((a, c) => a + c.p, 0)).toBeCloseTo(1, 12);
  });

  // The detector keeps the last state's components packed and builds the stored shape only when it is read; these
  // check that the packed path and the stored path give the same numbers, and that the packed components never
  // stand in for components the caller put in a copy of the state.
  const ys = [612, 640, 655, 690, 700, 735, 740, 790, 830, 880, 900, 960, 1000, 1010, 1100, 1150, 1180, 1240];

  it('continues a live state and the same state restored from JSON to bit-identical outputs and states', () => {
    const d = harrisonStevensDetector({ initial: published.initial });
    let live = d.initialState();
    let stored = d.initialState();
    ys.forEach((y, i) => {
      const a = d.update(live, y, i);
      const b = d.update(d.restore(JSON.parse(JSON.stringify(stored))) ?? stored, y, i);
      expect(b.output).toEqual(a.output);
      live = a.state;
      stored = b.state;
    });
    expect(JSON.stringify(stored)).toBe(JSON.stringify(live));
    expect(live.components).toHaveLength(16);
  });

  it('uses the components of a copy of the state, or replaced in it, not the packed ones kept for it', () => {
    const d = harrisonStevensDetector({ initial: published.initial });
    let state = d.initialState();
    for (const [i, y] of ys.entries()) state = d.update(state, y, i).state;
    const components = state.components ?? [];
    // Every component's level moved up by 500: the forecast must follow the copy's components.
    const moved = {
      ...state,
      components: components.map((c) => ({ ...c, m: [c.m[0] + 500, c.m[1]] as [number, number] })),
    };
    const fromState = d.update(state, 1300, ys.length).output.forecast?.mean ?? NaN;
    const fromCopy = d.update(moved, 1300, ys.length).output.forecast?.mean ?? NaN;
    expect(fromCopy - fromState).toBeCloseTo(500, 6);
    // The same when the components of the detector's last state itself are replaced.
    const last = d.update(state, 1300, ys.length).state;
    const original = last.components ?? [];
    last.components = original.map((c) => ({ ...c, m: [c.m[0] + 500, c.m[1]] as [number, number] }));
    const fromReplaced = d.update(last, 1310, ys.length + 1).output.forecast?.mean ?? NaN;
    const fromOriginal = d.update({ ...last, components: original }, 1310, ys.length + 1).output.forecast
      ?.mean;
    expect(fromReplaced - (fromOriginal ?? NaN)).toBeCloseTo(500, 6);
  });
});
