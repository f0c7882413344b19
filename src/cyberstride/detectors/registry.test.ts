// Checks the detector registry: defaults, invalid settings, and that a state saved as JSON mid-series and
// restored gives identical subsequent outputs (the restart guarantee).
import { describe, expect, it } from 'vitest';
import { Random } from '../../numeric/synthetic/random';
import { gaussianSampler } from '../../numeric/stats/gaussian-sampler';
import { DomainError } from '../../core/errors';
import { createDetector, DETECTOR_KINDS } from './registry';
import type { DetectorOutput } from './detector';

const rng = new Random(99);
const g = gaussianSampler(() => rng.next());
const series = Array.from(
  { length: 240 },
  (_, i) => 100 + (i >= 120 ? 8 : 0) + (i === 60 ? 30 : 0) + 2 * g(),
);

describe('detector registry', () => {
  for (const kind of DETECTOR_KINDS) {
    it(`a ${kind} state saved as JSON at reading 100 and restored gives identical outputs afterwards`, () => {
      const d = createDetector(kind);
      let s = d.initialState();
      const straight: DetectorOutput[] = [];
      let saved = '';
      series.forEach((x, i) => {
        if (i === 100) saved = JSON.stringify(s);
        const r = d.update(s, x, i);
        s = r.state;
        straight.push(r.output);
      });
      const restarted = createDetector(kind, JSON.parse(JSON.stringify(d.settings)));
      let r = restarted.restore(JSON.parse(saved));
      expect(r).not.toBeNull();
      const after: DetectorOutput[] = [];
      series.slice(100).forEach((x, k) => {
        const o = restarted.update(r, x, 100 + k);
        r = o.state;
        after.push(o.output);
      });
      expect(after).toEqual(straight.slice(100));
      expect(straight.some((o) => o.signals.length > 0)).toBe(true);
    });
  }

  it('rejects an unknown setting as an invalid DomainError naming the field', () => {
    try {
      createDetector('bocpd', { lamda: 10 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('invalid');
      expect((e as DomainError).message).toContain('lamda');
    }
  });

  it('rejects a non-finite reading instead of corrupting the state', () => {
    const d = createDetector('spc');
    expect(() => d.update(d.initialState(), Number.NaN, 0)).toThrow(DomainError);
  });
});
