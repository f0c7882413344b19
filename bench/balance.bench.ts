// Benchmark: gross output from final demand (x = A x + d) on generated economies, against scipy/numpy.
import type { BenchOptions } from './run';
import { compareWithPeer, matrixPlacement } from './peers/leontief-peer';
import { solveBalance } from '../src/numeric/leontief/balance';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';
import { allocateLeontiefMatrix } from '../src/numeric/leontief/solver-memory';

export default async function balanceBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [10_000, 100_000, 1_000_000];
  for (const n of sizes) {
    const placement = matrixPlacement();
    const built = performance.now();
    const economy = generateEconomy({
      n,
      seed: 2024,
      ...(placement.inSolverMemory ? { allocate: allocateLeontiefMatrix } : {}),
    });
    // The build's time (mapping A's pages wherever it lies), outside the timed solve, reported beside it.
    const notes = { ...placement.notes, build_s: ((performance.now() - built) / 1000).toFixed(3) };
    compareWithPeer('balance', 'balance', economy.A, economy.finalDemand, notes, () =>
      solveBalance(economy.A, economy.finalDemand),
    );
  }
}
