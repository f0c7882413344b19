// The sweep module compiled and warmed once per process (wasm-warm-module.ts): one module per kind, reused, and
// its warm-up runs every kernel without a trap. That the warm-up saves time is measured by the bench, never here.
import { describe, expect, it } from 'vitest';
import { fromDense } from './csr';
import { loadSystem, releaseSystem, wasmGivenOrderBalance } from './wasm-sweeps';
import { warmSweepModule } from './wasm-warm-module';

describe('the warmed sweep module', () => {
  it('is compiled once per kind (shared memory or not) and reused', () => {
    const shared = warmSweepModule(true);
    const own = warmSweepModule(false);
    expect(warmSweepModule(true)).toBe(shared);
    expect(warmSweepModule(false)).toBe(own);
    expect(own).not.toBe(shared);
  });

  it('sweeps a system after its warm-up as a fresh module would: x = M x + b solved', () => {
    const m = fromDense([
      [0.1, 0.2, 0],
      [0, 0.3, 0.1],
      [0.2, 0, 0.1],
    ]);
    const b = Float64Array.of(1, 2, 3);
    for (const shared of [false, true]) {
      const w = loadSystem(m, b, { shared });
      expect(w?.module).toBe(warmSweepModule(shared));
      const r = wasmGivenOrderBalance(m, b, 1e-13, 200, { loaded: w! });
      expect(r?.outcome).toBe('converged');
      // Row by row, x_i − Σ_j M_ij x_j − b_i.
      for (let i = 0; i < 3; i++) {
        let s = r!.x[i]! - b[i]!;
        for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) s -= m.values[k]! * r!.x[m.colIndex[k]!]!;
        expect(Math.abs(s)).toBeLessThan(1e-12);
      }
      releaseSystem(w!);
    }
  });
});
