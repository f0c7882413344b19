// Benchmark: labour values (v = v A + l) on generated economies, against scipy/numpy.
import type { BenchOptions } from './run';
import { compareWithPeer, matrixPlacement } from './peers/leontief-peer';
import { solveLabourValues } from '../src/numeric/leontief/labour-values';
import { generateEconomy } from '../src/numeric/synthetic/economy-generator';
import { allocateLeontiefMatrix } from '../src/numeric/leontief/solver-memory';

export default async function labourValuesBench(opts: BenchOptions): Promise<void> {
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
    compareWithPeer('labour-values', 'values', economy.A, economy.labour, notes, () => {
      const r = solveLabourValues(economy.A, economy.labour);
      return r.status === 'ok' ? { ...r, x: r.values } : r;
    });
  }
}
