// Benchmark: labour values (v = v A + l) on generated economies, against scipy/numpy.
import type { BenchOptions } from './run';
import { compareWithPeer, placedEconomy } from './peers/leontief-peer';
import { solveLabourValues } from '../src/numeric/leontief/labour-values';

export default async function labourValuesBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [10_000, 100_000, 1_000_000];
  for (const n of sizes) {
    const { economy, notes } = placedEconomy(n);
    compareWithPeer('labour-values', 'values', economy.A, economy.labour, notes, () => {
      const r = solveLabourValues(economy.A, economy.labour);
      return r.status === 'ok' ? { ...r, x: r.values } : r;
    });
  }
}
