import { describe, expect, it } from 'vitest';
import { denseLp } from '../dense-lp';
import { infeasibleLp, unboundedLp } from '../reference-lps';
import { dualRayRatio, verifyDualRay, verifyPrimalRay } from './infeasibility';
import { scaleProblem, type ScaledProblem } from './scaled-problem';
import { multiplyCompressed } from './sparse-multiply';

const INF = Number.POSITIVE_INFINITY;
const TOL = 1e-8;

/** Original-unit y → scaled y' = y / R, the form PDHG's iterates have. */
const scaledDual = (p: ScaledProblem, y: number[]) => Float64Array.from(y, (v, i) => v / p.rowScale[i]!);
const scaledPrimal = (p: ScaledProblem, d: number[]) => Float64Array.from(d, (v, j) => v / p.colScale[j]!);

describe('ray certificates', () => {
  it('verifies the Farkas certificate y = (−1, 1) of x + y ≤ 1, x + y ≥ 2', () => {
    const lp = infeasibleLp();
    const p = scaleProblem(lp);
    expect(verifyDualRay(lp, p, scaledDual(p, [-1, 1]), TOL)).toBe(true);
    // The opposite sign has Farkas value −1: no proof.
    expect(verifyDualRay(lp, p, scaledDual(p, [1, -1]), TOL)).toBe(false);
  });

  it('rejects a dual "ray" whose entries have signs no finite row bound supports', () => {
    // x ≤ 1 and −x ≥ 3 with x free: feasible (x = −5). y = (1, 1) has Aᵀy = 0 and, with its unsupported first
    // entry dropped, Farkas value 3 > 0 — the old test called that a certificate.
    const lp = denseLp({
      sense: 'min',
      objective: [0],
      rows: [[1], [-1]],
      rowLower: [-INF, 3],
      rowUpper: [1, INF],
      colLower: [-INF],
      colUpper: [INF],
    });
    const p = scaleProblem(lp);
    const y = scaledDual(p, [1, 1]);
    const aty = new Float64Array(1);
    multiplyCompressed(p.colStart, p.rowIndex, p.colValues, y, aty);
    expect(dualRayRatio(p, y, aty)).toBeGreaterThan(TOL);
    expect(verifyDualRay(lp, p, y, TOL)).toBe(false);
  });

  it('rejects a dual "ray" whose Farkas value is rounding', () => {
    // x₁ ≥ 0.1, x₂ ≥ 0.2, x₁ + x₂ ≤ 0.3: feasible as written (x = (0.1, 0.2)). y = (1, 1, −1) has Aᵀy = 0 and
    // every sign supported, and its value 0.1 + 0.2 − 0.3 is 5.6e-17 in doubles: rounding, not proof.
    const lp = denseLp({
      sense: 'min',
      objective: [1, 1],
      rows: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      rowLower: [0.1, 0.2, -INF],
      rowUpper: [INF, INF, 0.3],
    });
    const p = scaleProblem(lp);
    expect(verifyDualRay(lp, p, scaledDual(p, [1, 1, -1]), TOL)).toBe(false);
  });

  it('verifies the primal ray (1, 1) of max x s.t. x − y ≤ 1 and rejects (1, 0)', () => {
    const lp = unboundedLp();
    const p = scaleProblem(lp);
    expect(verifyPrimalRay(lp, p, scaledPrimal(p, [1, 1]), TOL)).toBe(true);
    // (1, 0) raises x − y past its finite upper bound.
    expect(verifyPrimalRay(lp, p, scaledPrimal(p, [1, 0]), TOL)).toBe(false);
    // (−1, −1) leaves the column bounds x, y ≥ 0.
    expect(verifyPrimalRay(lp, p, scaledPrimal(p, [-1, -1]), TOL)).toBe(false);
  });
});
