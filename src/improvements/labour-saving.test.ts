// The saving of a coefficient change, against an independent computation: total labour as l · x with
// x solving (I − A) x = d by Gaussian elimination written here, on random productive economies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EconomyModel } from '../economy/economy';
import { labourSaving } from './labour-saving';
import { applyChanges } from './proposal';

/** Solves M x = b for a small dense M by Gaussian elimination with partial pivoting. */
function solve(m: number[][], b: number[]): number[] {
  const n = b.length;
  const a = m.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

function totalByElimination(A: number[][], l: number[], d: number[]): number {
  const m = A.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v));
  const x = solve(m, d);
  return x.reduce((s, xi, i) => s + xi * (l[i] as number), 0);
}

function modelOf(A: number[][], l: number[]): EconomyModel {
  const n = l.length;
  const code = (i: number) => `p${i}`;
  return {
    name: 'random',
    products: Array.from({ length: n }, (_, i) => ({
      code: code(i),
      name: code(i),
      unit: 'u',
      kind: 'consumer' as const,
    })),
    skills: [{ code: 's', name: 'work' }],
    resources: [],
    technologies: Array.from({ length: n }, (_, j) => ({
      code: `t${j}`,
      name: `t${j}`,
      product: code(j),
      outputPerRun: 1,
      inputs: A.flatMap((row, i) => (row[j]! > 0 ? [{ product: code(i), perUnit: row[j]! }] : [])),
      labour: [{ skill: 's', perUnit: l[j]! }],
      resources: [],
    })),
    targets: [],
  };
}

describe('labour saved by a coefficient change', () => {
  it('equals l·(I − A)⁻¹d before minus after, solved independently, within 1e-9 relative', () => {
    const economy = fc.integer({ min: 2, max: 6 }).chain((n) =>
      fc.record({
        // Column sums below 0.9: a productive economy whatever the change below.
        A: fc.array(
          fc.array(fc.double({ min: 0, max: 0.9 / n, noNaN: true }), { minLength: n, maxLength: n }),
          {
            minLength: n,
            maxLength: n,
          },
        ),
        l: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
        d: fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
        tech: fc.integer({ min: 0, max: n - 1 }),
        input: fc.integer({ min: 0, max: n - 1 }),
        factor: fc.double({ min: 0, max: 1, noNaN: true }),
        share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(economy, ({ A, l, d, tech, input, factor, share }) => {
        const model = modelOf(A, l);
        const t = model.technologies[tech]!;
        const from = A[input]![tech]!;
        const after = applyChanges(
          t,
          [
            { kind: 'input', item: `p${input}`, from, to: from * factor },
            { kind: 'labour', item: 's', from: l[tech]!, to: l[tech]! * factor },
          ],
          share,
        );
        const A2 = A.map((row) => [...row]);
        A2[input]![tech] = from + share * (from * factor - from);
        const l2 = [...l];
        l2[tech] = l[tech]! + share * (l[tech]! * factor - l[tech]!);
        const expected = totalByElimination(A, l, d) - totalByElimination(A2, l2, d);
        const got = labourSaving(model, t.code, t, after, d);
        const scale = Math.max(1, totalByElimination(A, l, d));
        expect(Math.abs(got.saved - expected) / scale).toBeLessThan(1e-9);
        expect(got.saved).toBeGreaterThanOrEqual(-1e-9 * scale);
      }),
      { numRuns: 200 },
    );
  });
});
