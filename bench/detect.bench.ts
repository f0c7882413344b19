// Detector throughput: readings per second of each detector on a seeded series with shifts and outliers.
// There is no peer program for these detectors yet, so peer, peer_s and ratio are null.
import { createDetector, DETECTOR_KINDS } from '../src/cyberstride/detectors/registry';
import { Random } from '../src/numeric/synthetic/random';
import { gaussianSampler } from '../src/numeric/stats/gaussian-sampler';
import type { BenchOptions } from './run';

export default async function detectBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size === undefined ? [2_000, 20_000] : [opts.size];
  for (const size of sizes) {
    const rng = new Random(1);
    const g = gaussianSampler(() => rng.next());
    const series = Array.from({ length: size }, (_, i) => 50 + (Math.floor(i / 500) % 2) * 5 + 2 * g());
    for (const kind of DETECTOR_KINDS) {
      const d = createDetector(kind);
      let state = d.initialState();
      let signals = 0;
      const t0 = performance.now();
      for (let i = 0; i < size; i++) {
        const r = d.update(state, series[i] as number, i);
        state = r.state;
        signals += r.output.signals.length;
      }
      const ours = (performance.now() - t0) / 1000;
      console.log(
        JSON.stringify({
          bench: 'detect',
          size,
          detector: kind,
          ours_s: ours,
          peer: null,
          peer_s: null,
          ratio: null,
          check: 'n/a (no peer)',
          readings_per_s: Math.round(size / ours),
          signals,
        }),
      );
    }
  }
}
