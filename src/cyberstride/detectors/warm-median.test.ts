// The sorted warm-up copy must give the robust z of the selection over the whole array bit for bit: odd and
// even lengths, ties, negative readings, and a state restored from JSON (a new array, so a fresh sort).
import { describe, expect, it } from 'vitest';
import { median } from '../../numeric/stats/robust-line';
import { Random } from '../../numeric/synthetic/random';
import { carrySorted, sortedRobustZ } from './warm-median';

function reference(xs: number[], x: number) {
  const centre = median(xs);
  const mad = 1.4826 * median(xs.map((v) => Math.abs(v - centre)));
  return { z: mad > 0 ? Math.abs(x - centre) / mad : 0, centre };
}

describe('sortedRobustZ', () => {
  it('equals the robust z of the selection at every length, carried or restored', () => {
    const rng = new Random(7);
    let checked = 0;
    for (const ties of [false, true]) {
      let warm: number[] = [];
      for (let i = 0; i < 400; i++) {
        const x = ties ? Math.round(rng.next() * 6) - 3 : 1000 * (rng.next() - 0.4) ** 3;
        if (warm.length > 0) {
          expect(sortedRobustZ(warm, x)).toEqual(reference(warm, x));
          const restored = JSON.parse(JSON.stringify(warm)) as number[];
          expect(sortedRobustZ(restored, x)).toEqual(reference(warm, x));
          checked++;
        }
        const next = [...warm, x];
        carrySorted(warm, next, x);
        warm = next;
      }
    }
    expect(checked).toBe(798);
  });

  it('is 0 when the readings do not vary', () => {
    expect(sortedRobustZ([5, 5, 5], 9)).toEqual({ z: 0, centre: 5 });
  });
});
