// fastPathApplies: a generated min-labour plan qualifies, and each condition technique choice needs, broken
// alone (in the last entry of its array, where a scan that stopped early would miss it), refuses it by name.
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import type { CompiledPlan } from '../formulation/compiled-plan';
import { syntheticPlan } from '../formulation/synthetic-plan';
import { fastPathApplies } from './fast-path';

const base = syntheticPlan(generateEconomy({ n: 60, seed: 3 }), { seed: 5 });

/** A copy of the plan with one array replaced by a copy whose last entry is `value`. */
function withLast(
  pick: (p: CompiledPlan) => Float64Array,
  put: (p: CompiledPlan, a: Float64Array) => CompiledPlan,
  value: number,
): CompiledPlan {
  const a = pick(base).slice();
  a[a.length - 1] = value;
  return put(base, a);
}

describe('fastPathApplies', () => {
  it('accepts the generated min-labour plan', () => {
    expect(fastPathApplies(base)).toEqual({ ok: true });
  });

  it('refuses each broken condition, found in the last entry', () => {
    const cases: [CompiledPlan, string][] = [
      [
        withLast(
          (p) => p.targets,
          (p, a) => ({ ...p, targets: a }),
          -1,
        ),
        'a target is negative',
      ],
      [
        withLast(
          (p) => p.inputs.value,
          (p, a) => ({ ...p, inputs: { ...p.inputs, value: a } }),
          -0.1,
        ),
        'an input coefficient is negative',
      ],
      [
        withLast(
          (p) => p.labour.value,
          (p, a) => ({ ...p, labour: { ...p.labour, value: a } }),
          -0.1,
        ),
        'a labour coefficient is negative',
      ],
      [
        withLast(
          (p) => p.labourWeight,
          (p, a) => ({ ...p, labourWeight: a }),
          -2,
        ),
        'a labour weight is negative',
      ],
      [
        withLast(
          (p) => p.techCapacity,
          (p, a) => ({ ...p, techCapacity: a }),
          5,
        ),
        'a technology has a capacity',
      ],
    ];
    for (const [plan, reason] of cases) expect(fastPathApplies(plan)).toEqual({ ok: false, reason });
    // A tiny negative is still negative; zero is not.
    expect(
      fastPathApplies(
        withLast(
          (p) => p.targets,
          (p, a) => ({ ...p, targets: a }),
          -1e-300,
        ),
      ).ok,
    ).toBe(false);
    expect(
      fastPathApplies(
        withLast(
          (p) => p.targets,
          (p, a) => ({ ...p, targets: a }),
          0,
        ),
      ).ok,
    ).toBe(true);
  });
});
