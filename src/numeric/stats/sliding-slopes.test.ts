// The slope median kept sorted from call to call must be the value a fresh pass gives, bit for bit: windows
// that slide (with and without x), stand still, jump, grow, hold ties, −0 and equal readings.
import { describe, expect, it } from 'vitest';
import { robustLine } from './robust-line';

/** Theil–Sen by a full sort of every pairwise slope: the definition, with nothing remembered. */
function reference(ys: number[], xs?: number[]) {
  const x = (i: number) => (xs === undefined ? i : (xs[i] as number));
  const med = (a: number[]) => {
    const s = [...a].sort((p, q) => p - q);
    const m = s.length >> 1;
    return s.length === 0
      ? 0
      : s.length % 2
        ? (s[m] as number)
        : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++)
    for (let j = i + 1; j < ys.length; j++)
      slopes.push(((ys[j] as number) - (ys[i] as number)) / (x(j) - x(i)));
  const slope = med(slopes);
  const intercept = med(ys.map((y, i) => y - slope * x(i)));
  const scale = 1.4826 * med(ys.map((y, i) => Math.abs(y - intercept - slope * x(i))));
  return { intercept, slope, scale };
}

/** A deterministic stream with a trend, a step, outliers and runs of equal (integer) readings. */
function stream(length: number, integers: boolean): number[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length }, (_, i) => {
    const v = 10 + i * 0.05 + (i > length / 2 ? 4 : 0) + (i % 37 === 5 ? 30 : 0) + (rnd() - 0.5) * 3;
    return integers ? Math.round(v) : v;
  });
}

const same = (a: { intercept: number; slope: number; scale: number }, b: typeof a) =>
  Object.is(a.slope, b.slope) && Object.is(a.intercept, b.intercept) && Object.is(a.scale, b.scale);

describe('robustLine over a sliding window (sliding-slopes.ts)', () => {
  for (const integers of [false, true])
    for (const explicit of [false, true])
      it(`equals a fresh Theil–Sen line at every step (${integers ? 'integer' : 'real'} readings, ${explicit ? 'given' : 'implicit'} x)`, () => {
        const ys = stream(400, integers);
        let window: number[] = [];
        let steps: number[] = [];
        let mismatches = 0;
        for (let t = 0; t < ys.length; t++) {
          // Like SPC's trend window: an outlier is left out (the window stands still), else it slides by one.
          if (t % 37 !== 5) {
            window = [...window, ys[t] as number].slice(-20);
            steps = [...steps, t].slice(-20);
          }
          // Now and then a jump (another series' window in between), as the runner interleaves series.
          if (t % 53 === 0) robustLine(stream(12, !integers));
          if (window.length < 2) continue;
          const got = explicit ? robustLine(window, steps) : robustLine(window);
          if (!same(got, reference(window, explicit ? steps : undefined))) mismatches++;
          // Called twice with the same window (a standing window): still the same.
          if (t % 11 === 0 && !same(explicit ? robustLine(window, steps) : robustLine(window), got))
            mismatches++;
        }
        expect(mismatches).toBe(0);
      });

  it('a window holding −0 and 0 or equal readings gives the fresh value', () => {
    const base = [-0, 0, 1, 1, 1, -0, 2, 0, 3, 3];
    for (let t = 0; t < 30; t++) {
      const w = base.map((v, i) => (i === 9 ? t : v));
      const shifted = [...base.slice(1), t % 2 === 0 ? -0 : 0];
      for (const ys of [w, shifted, [...shifted.slice(1), 5]])
        expect(same(robustLine(ys), reference(ys))).toBe(true);
    }
  });
});
