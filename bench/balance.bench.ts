// Benchmark: gross output from final demand (x = A x + d) on generated economies, against scipy/numpy.
import type { BenchOptions } from './run';
import { compareWithPeer, placedEconomy } from './peers/leontief-peer';
import { solveBalance } from '../src/numeric/leontief/balance';

export default async function balanceBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [10_000, 100_000, 1_000_000];
  for (const n of sizes) {
    const { economy, notes } = placedEconomy(n);
    compareWithPeer('balance', 'balance', economy.A, economy.finalDemand, notes, () =>
      solveBalance(economy.A, economy.finalDemand),
    );
  }
}
