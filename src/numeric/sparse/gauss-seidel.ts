// Gauss–Seidel sweeps and residuals for x = M x + b on a permuted system (diagonal held apart).
import type { PermutedSystem } from './ordering';

/**
 * One forward Gauss–Seidel sweep in place: x_i ← (b_i + Σ_{j≠i} M_ij x_j) / (1 − M_ii), using each new x_j as
 * soon as it exists. Returns Σ (Δx_i)², the squared size of the update.
 */
export function gaussSeidelSweep(system: PermutedSystem, b: Float64Array, x: Float64Array): number {
  const { rowStart, colIndex, values } = system.offDiagonal;
  const diagonal = system.diagonal;
  const n = x.length;
  let change = 0;
  let start = rowStart[0]!;
  for (let i = 0; i < n; i++) {
    const end = rowStart[i + 1]!;
    let sum = b[i]!;
    for (let k = start; k < end; k++) sum += values[k]! * x[colIndex[k]!]!;
    start = end;
    const next = sum / (1 - diagonal[i]!);
    const delta = next - x[i]!;
    change += delta * delta;
    x[i] = next;
  }
  return change;
}

/** r = b + M x − x (the residual of x = M x + b); returns ‖r‖₂. */
export function fixedPointResidual(
  system: PermutedSystem,
  b: Float64Array,
  x: Float64Array,
  r: Float64Array,
): number {
  const { rowStart, colIndex, values } = system.offDiagonal;
  const diagonal = system.diagonal;
  const n = x.length;
  let norm = 0;
  let start = rowStart[0]!;
  for (let i = 0; i < n; i++) {
    const end = rowStart[i + 1]!;
    let sum = b[i]! - (1 - diagonal[i]!) * x[i]!;
    for (let k = start; k < end; k++) sum += values[k]! * x[colIndex[k]!]!;
    start = end;
    r[i] = sum;
    norm += sum * sum;
  }
  return Math.sqrt(norm);
}

/** y = (I − M) x. */
export function applyIMinusM(system: PermutedSystem, x: Float64Array, y: Float64Array): void {
  const { rowStart, colIndex, values } = system.offDiagonal;
  const diagonal = system.diagonal;
  const n = x.length;
  let start = rowStart[0]!;
  for (let i = 0; i < n; i++) {
    const end = rowStart[i + 1]!;
    let sum = (1 - diagonal[i]!) * x[i]!;
    for (let k = start; k < end; k++) sum -= values[k]! * x[colIndex[k]!]!;
    start = end;
    y[i] = sum;
  }
}

/** Solves (I − L − Dg) z = y by forward substitution: one Gauss–Seidel sweep from zero, used as a preconditioner. */
export function lowerSolve(system: PermutedSystem, y: Float64Array, z: Float64Array): void {
  const { rowStart, colIndex, values } = system.offDiagonal;
  const { diagonal, lowerEnd } = system;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const end = lowerEnd[i]!;
    let sum = y[i]!;
    for (let k = rowStart[i]!; k < end; k++) sum += values[k]! * z[colIndex[k]!]!;
    z[i] = sum / (1 - diagonal[i]!);
  }
}
