// The Bayesian detectors against the outputs of the code before the forecast interval took Halley steps from
// BOCPD's heaviest law (commit 589fd4e, stored in ../fixtures/kernel-outputs-589fd4e.json by running that commit
// over the first 600 readings of a NAB series): both solve the interval's quantiles to about 1e-9 of
// probability, by different paths, so the bounds may move by a few 1e-8 of the interval's width; everything
// else (the mean, the score, change points and signals) stays as it was, up to rounding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDetector } from './registry';

interface Outputs {
  mean: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  score: number[];
  changePoints: number[];
  signals: string[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/kernel-outputs-589fd4e.json', import.meta.url), 'utf8'),
) as { series: string; readings: number } & Record<'bocpd' | 'harrison-stevens', Outputs>;

const readings = readFileSync(new URL(`../fixtures/nab/data/${fixture.series}`, import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1, fixture.readings + 1)
  .map((line) => Number(line.split(',')[1]));

describe('detector outputs against the code before the interval rewrite', () => {
  for (const kind of ['bocpd', 'harrison-stevens'] as const)
    it(`${kind}: interval bounds within 1e-7 of its width, the rest within rounding, same signals`, () => {
      const old = fixture[kind];
      const d = createDetector(kind, {});
      let state = d.initialState();
      const changePoints: number[] = [];
      const signals: string[] = [];
      let compared = 0;
      readings.forEach((y, i) => {
        const r = d.update(state, y, i * 300_000);
        state = r.state;
        if (r.output.changePoint) changePoints.push(i - r.output.changePoint.lag);
        for (const g of r.output.signals) signals.push(`${i}:${g.rule}`);
        expect(Math.abs(r.output.score - (old.score[i] as number))).toBeLessThan(1e-12);
        const f = r.output.forecast;
        const lower = old.lower[i] ?? null;
        const upper = old.upper[i] ?? null;
        if (lower === null || upper === null) {
          expect(f).toBeNull();
          return;
        }
        expect(f).not.toBeNull();
        const width = upper - lower;
        expect(Math.abs((f?.mean ?? NaN) - (old.mean[i] as number))).toBeLessThan(1e-12 * width);
        expect(Math.abs((f?.lower ?? NaN) - lower)).toBeLessThan(1e-7 * width);
        expect(Math.abs((f?.upper ?? NaN) - upper)).toBeLessThan(1e-7 * width);
        compared++;
      });
      expect(compared).toBeGreaterThan(500);
      expect(changePoints).toEqual(old.changePoints);
      expect(signals).toEqual(old.signals);
    });
});
