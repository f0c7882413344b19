// The anomaly-likelihood detector: quiet on a familiar periodic series, one signal for a new shape or a jump
// out of range, a rest after each signal, identical outputs after a restart from the stored state.
import { describe, expect, it } from 'vitest';
import { anomalyLikelihoodDetector, tailScore } from './anomaly-likelihood';
import type { DetectorOutput } from './detector';

/** A daily cycle of 288 readings with a little deterministic noise. */
const daily = (i: number) => 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13) / 13;

function run(values: number[], settings?: unknown): DetectorOutput[] {
  const d = anomalyLikelihoodDetector(settings);
  let state = d.initialState();
  return values.map((v, i) => {
    const r = d.update(state, v, i * 300_000);
    state = r.state;
    return r.output;
  });
}

const signalled = (outs: DetectorOutput[]) =>
  outs.flatMap((o, i) => (o.signals.some((s) => s.severity === 'critical') ? [i] : []));

describe('anomaly-likelihood detector', () => {
  it('maps a tail probability of 1e-5 to the score 0.5', () => {
    expect(tailScore(1e-5)).toBeCloseTo(0.5, 6);
    expect(tailScore(1)).toBe(0);
    expect(tailScore(0)).toBe(1);
  });

  it('stays quiet over ten familiar days', () => {
    const outs = run(Array.from({ length: 2880 }, (_, i) => daily(i)));
    expect(signalled(outs)).toEqual([]);
    expect(outs[2000]?.forecast).not.toBeNull();
  });

  it('signals once, early, when the series goes flat where it used to move', () => {
    const values = Array.from({ length: 2880 }, (_, i) => (i >= 2000 && i < 2288 ? 50 : daily(i)));
    const hits = signalled(run(values));
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits[0]).toBeGreaterThanOrEqual(2000);
    expect(hits[0]).toBeLessThan(2060);
    // The rest after a signal: no second signal within the next 300 readings.
    expect(hits.filter((h) => h > (hits[0] as number) && h <= (hits[0] as number) + 300)).toEqual([]);
  });

  it('signals a jump beyond the range seen so far as a new extreme, with the usual level as evidence', () => {
    const values = Array.from({ length: 1500 }, (_, i) => (i === 1200 ? 200 : daily(i)));
    const outs = run(values);
    expect(signalled(outs)).toEqual([1200]);
    const signal = outs[1200]?.signals[0];
    expect(signal?.rule).toBe('new-extreme');
    expect(signal?.evidence.usual as number).toBeGreaterThan(25);
    expect(signal?.evidence.usual as number).toBeLessThan(75);
  });

  it('gives identical outputs after a restart from the stored JSON state', () => {
    const values = Array.from({ length: 1200 }, (_, i) => (i > 900 && i < 950 ? 50 : daily(i)));
    const d = anomalyLikelihoodDetector();
    let a = d.initialState();
    let b = d.initialState();
    for (const [i, v] of values.entries()) {
      const ra = d.update(a, v, i);
      const rb = d.update(JSON.parse(JSON.stringify(b)) as typeof b, v, i);
      expect(rb.output).toEqual(ra.output);
      a = ra.state;
      b = rb.state;
    }
  });

  it('refuses a bad setting by name', () => {
    expect(() => anomalyLikelihoodDetector({ bins: 1 })).toThrow(/settings\.bins/);
  });
});
