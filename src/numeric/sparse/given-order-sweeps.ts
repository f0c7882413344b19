// The one-thread form of parallel-sweep-kernel.ts, run on the calling thread: Gauss–Seidel in the given order
// for x = M x + b, and "push" Gauss–Seidel for x = Mᵀ x + b, straight from the caller's arrays.
//
// Why on the calling thread: with one sweeping thread, a worker only adds set-up (copying M into shared memory,
// ≈ 125 MB at 10⁶ products, and starting and compiling the worker) while the caller waits for it anyway. The
// stopping rules are the kernel's, so the two paths take the same number of sweeps.
//
// Why four partial sums: JavaScript may not reassociate floating-point additions, so `s += v[k] * x[c[k]]` is one
// chain of dependent additions, one addition's latency (≈ 4 cycles) per non-zero. Half the non-zeros of a
// generated economy sit in its few hub rows (≈ 0.9 n entries each); four independent chains let those rows run
// at the speed of the loads. The summation order changes the last bits only.
import type { CsrMatrix } from './csr';

export interface GivenOrderOutcome {
  x: Float64Array;
  /** Absolute residual ‖x − M x − b‖ (or with Mᵀ) where last computed (Infinity if never). */
  residual: number;
  iterations: number;
  outcome: 'converged' | 'diverged' | 'max-iterations';
  /** Extrapolation steps taken (iterateSweeps), where the caller asked for them. */
  extrapolations?: number;
}

/** How a given-order iteration ended, its x aside (the kernels keep x where they like). */
export type SweepsEnd = Omit<GivenOrderOutcome, 'x'>;

/**
 * Extrapolation of the sweeps' slowest mode, for iterateSweeps. At 10⁶ products the update shrinks by the same
 * factor λ (0.246 on the bench's economy) sweep after sweep from the fifth on: one real eigenvalue of the
 * sweep's iteration matrix dominates, and x_k − x* ≈ λ/(1 − λ) (x_k − x_{k−1}) along it. Adding that step
 * removes the mode (the residual fell 65-fold at each such step, where a sweep gains 4-fold), for the cost of
 * one copy of x per sweep and one pass over x per extrapolation, both small against a pass over M.
 */
export interface Extrapolation {
  /** Keeps a copy of x, as it is before the next sweep. */
  snapshot(): void;
  /** x += factor · (x − the copy). */
  extrapolate(factor: number): void;
}

/** Successive update ratios within this share of each other count as one dominant mode. */
const STEADY_RATIO = 0.05;
/** After an extrapolation, the residual is checked when the update predicts at most this many times the target. */
const EXTRAPOLATED_REACH = 10;
/**
 * Before any residual has been computed, the first is computed once the update is at most this many times the
 * target (iterateSweeps' `firstCheck`), to learn the residual/update ratio.
 */
export const FIRST_CHECK = 100;
/** No extrapolation when the ratio is above this: λ/(1 − λ) amplifies the error in λ too much. */
const MAX_EXTRAPOLATED_RATIO = 0.9;

/**
 * The balance's iteration and stopping rules, whatever runs the sweeps (JavaScript here, WebAssembly in
 * wasm-sweeps.ts): `sweep` runs one sweep and returns Σ (x_new − x_old)²; `residual2` returns
 * ‖x − M x − b‖². The residual costs a pass, so it is computed only when the update, scaled by the
 * residual/update ratio last seen, says it may be small enough; ten rising updates in a row stop it as
 * diverging. With `extrapolation`, three updates in a row shrinking by the same ratio λ (within 5 %) take
 * the step λ/(1 − λ) times the last update; convergence is still judged on the residual alone. The first
 * residual is computed once the update is at most `firstCheck` times the target.
 */
export function iterateSweeps(
  sweep: () => number,
  residual2: () => number,
  target: number,
  maxIterations: number,
  extrapolation?: Extrapolation,
  firstCheck = FIRST_CHECK,
): SweepsEnd {
  let iterations = 0;
  let previous = Infinity;
  let rising = 0;
  let ratio = Number.NaN;
  let residual = Infinity;
  let extrapolations = 0;
  // The last update ratio since the last extrapolation (NaN when none yet).
  let lastRatio = Number.NaN;
  // The update before the last extrapolation (NaN when the last sweep did not extrapolate), and whether
  // extrapolation is still allowed: see below.
  let beforeStep = Number.NaN;
  let allowed = extrapolation !== undefined;
  const target2 = target * target;
  while (iterations < maxIterations) {
    const armed = extrapolation !== undefined && allowed && !Number.isNaN(lastRatio);
    if (armed) extrapolation.snapshot();
    const norm = Math.sqrt(sweep());
    iterations++;
    if (!Number.isFinite(norm))
      return { residual: Infinity, iterations, outcome: 'diverged', extrapolations };
    const shrink = Number.isFinite(previous) && previous > 0 ? norm / previous : Number.NaN;
    rising = norm >= previous ? rising + 1 : 0;
    previous = norm;
    // For a non-negative M the dominant eigenvalue of the sweep is real and ≥ 0 (Perron–Frobenius), but an
    // equally large negative one (a cyclic M) gives the same steady norm ratio, and the step then amplifies
    // its mode, up to 1 + 2λ/(1 − λ)-fold. An update that grows across a step shows it: no more steps.
    if (!Number.isNaN(beforeStep) && norm > beforeStep) allowed = false;
    beforeStep = Number.NaN;
    let extrapolated = false;
    if (
      armed &&
      shrink > 0 &&
      shrink < MAX_EXTRAPOLATED_RATIO &&
      Math.abs(shrink - lastRatio) <= STEADY_RATIO * shrink
    ) {
      extrapolation.extrapolate(shrink / (1 - shrink));
      extrapolations++;
      extrapolated = true;
      beforeStep = norm;
      // The next update is measured from the extrapolated x: its ratio to this one means nothing.
      previous = Infinity;
      lastRatio = Number.NaN;
    } else lastRatio = shrink;
    // An extrapolation cut the residual 30- to 65-fold where measured, so after one the residual is checked
    // from a predicted 10 times the target; the residual/update ratio is learnt on plain sweeps only.
    const reach = extrapolated ? EXTRAPOLATED_REACH * target : target;
    const due = Number.isNaN(ratio)
      ? norm * norm <= target2 * (firstCheck * firstCheck)
      : norm * ratio <= reach;
    if (due) {
      residual = Math.sqrt(residual2());
      if (!extrapolated) ratio = norm > 0 ? residual / norm : 0;
      if (residual <= target) return { residual, iterations, outcome: 'converged', extrapolations };
    }
    if (rising >= 10) return { residual, iterations, outcome: 'diverged', extrapolations };
  }
  return { residual, iterations, outcome: 'max-iterations', extrapolations };
}

/**
 * The push sweeps' iteration and stopping rules (x = Mᵀ x + b), whatever runs them: `push` runs one sweep and
 * returns ‖r‖², the exact residual's, so the stopping test is free; ten rising residuals in a row stop it as
 * diverging.
 */
export function iteratePushSweeps(push: () => number, target: number, maxIterations: number): SweepsEnd {
  let iterations = 0;
  let previous = Infinity;
  let rising = 0;
  let residual = Infinity;
  while (iterations < maxIterations) {
    residual = Math.sqrt(push());
    iterations++;
    if (residual <= target) return { residual, iterations, outcome: 'converged' };
    if (!Number.isFinite(residual)) return { residual: Infinity, iterations, outcome: 'diverged' };
    rising = residual >= previous ? rising + 1 : 0;
    previous = residual;
    if (rising >= 10) return { residual, iterations, outcome: 'diverged' };
  }
  return { residual, iterations, outcome: 'max-iterations' };
}

/** Σ_k values[k]·x[colIndex[k]] over k in [from, to), plus `start`, in four independent chains. */
function rowDot(
  values: Float64Array,
  colIndex: Int32Array,
  x: Float64Array,
  from: number,
  to: number,
  start: number,
): number {
  let s0 = start;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = from;
  for (; k + 3 < to; k += 4) {
    s0 += values[k]! * x[colIndex[k]!]!;
    s1 += values[k + 1]! * x[colIndex[k + 1]!]!;
    s2 += values[k + 2]! * x[colIndex[k + 2]!]!;
    s3 += values[k + 3]! * x[colIndex[k + 3]!]!;
  }
  for (; k < to; k++) s0 += values[k]! * x[colIndex[k]!]!;
  return s0 + s1 + (s2 + s3);
}

/** M_ii for every row (0 where the diagonal is not stored). */
function diagonalOf(m: CsrMatrix): Float64Array {
  const { rowStart, colIndex, values } = m;
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) if (colIndex[k] === i) out[i] = values[k]!;
  }
  return out;
}

/**
 * x = M x + b by Gauss–Seidel in the given order, from x = 0, until ‖x − M x − b‖₂ ≤ target. The residual costs
 * a pass, so it is computed only when the update, scaled by the residual/update ratio last seen, says it may
 * be small enough; ten rising updates in a row stop it as diverging.
 */
export function givenOrderBalance(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  extrapolate = false,
): GivenOrderOutcome {
  const { rowStart, colIndex, values } = m;
  const n = m.rows;
  const selfUse = diagonalOf(m);
  const x = new Float64Array(n);
  const sweep = () => {
    let change = 0;
    for (let i = 0; i < n; i++) {
      const old = x[i]!;
      const sum = rowDot(values, colIndex, x, rowStart[i]!, rowStart[i + 1]!, b[i]! - selfUse[i]! * old);
      const next = sum / (1 - selfUse[i]!);
      const delta = next - old;
      change += delta * delta;
      x[i] = next;
    }
    return change;
  };
  const residual2 = () => {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      const r = rowDot(values, colIndex, x, rowStart[i]!, rowStart[i + 1]!, b[i]! - x[i]!);
      r2 += r * r;
    }
    return r2;
  };
  const copy = extrapolate ? new Float64Array(n) : undefined;
  const extrapolation = copy && {
    snapshot: () => copy.set(x),
    extrapolate: (factor: number) => extrapolateFrom(x, copy, factor),
  };
  return { x, ...iterateSweeps(sweep, residual2, target, maxIterations, extrapolation) };
}

/** x += factor · (x − before). */
export function extrapolateFrom(x: Float64Array, before: Float64Array, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i]! += factor * (x[i]! - before[i]!);
}

/**
 * x = Mᵀ x + b from M's rows by push Gauss–Seidel on the residual r = b + Mᵀ x − x: settling unknown i
 * (x_i += r_i / (1 − M_ii)) adds M_ij δ to r_j. r stays the exact residual, so the stopping test is free.
 * With `extrapolate`, the slowest mode is stepped over as in the balance (pushExtrapolation).
 */
export function givenOrderTransposed(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  extrapolate = false,
): GivenOrderOutcome {
  const { rowStart, colIndex, values } = m;
  const n = m.rows;
  const selfUse = diagonalOf(m);
  const x = new Float64Array(n);
  const r = b.slice();
  const push = () => {
    for (let i = 0; i < n; i++) {
      const delta = r[i]! / (1 - selfUse[i]!);
      if (delta === 0) continue;
      x[i]! += delta;
      // The diagonal entry pushes M_ii δ back into r_i, which the division already accounted for: skip it by
      // zeroing r_i after the row instead of testing j === i for every entry.
      const end = rowStart[i + 1]!;
      for (let k = rowStart[i]!; k < end; k++) r[colIndex[k]!]! += values[k]! * delta;
      r[i] = 0;
    }
    return squaredNorm(r);
  };
  if (!extrapolate) return { x, ...iteratePushSweeps(push, target, maxIterations) };
  const end = iterateSweeps(
    push,
    () => squaredNorm(r),
    target,
    maxIterations,
    pushExtrapolation(x, r, new Float64Array(n), new Float64Array(n)),
  );
  return { x, ...end };
}

/** Σ v_i². */
export function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

/**
 * The extrapolation of the push sweeps (x = Mᵀ x + b), for iterateSweeps with the residual's norm standing for
 * the update's. The push sweeps keep r = b + Mᵀ x − x exact, and r is affine in x, so the step
 * x += f (x − x_before) moves r by exactly f (r − r_before): stepping both keeps r exact without a pass over M.
 * The residual shrinks by the same ratio λ sweep after sweep as the update does (one dominant mode), so the
 * step λ/(1 − λ) applies unchanged. Costs two copies of n numbers a sweep and one pass over x and r a step.
 */
export function pushExtrapolation(
  x: Float64Array,
  r: Float64Array,
  xBefore: Float64Array,
  rBefore: Float64Array,
): Extrapolation {
  return {
    snapshot: () => {
      xBefore.set(x);
      rBefore.set(r);
    },
    extrapolate: (factor: number) => {
      extrapolateFrom(x, xBefore, factor);
      extrapolateFrom(r, rBefore, factor);
    },
  };
}

// Mixed precision (iterative refinement). The sweeps stream M and gather x, and at 10⁶ products they are bound
// by memory traffic, not arithmetic: with M's values and the unknowns held as 32-bit floats a sweep moves 8
// bytes per non-zero instead of 12 and gathers from a vector half the size. 32-bit values carry only about 7
// digits, so they solve for a correction, never for x itself: r = b + M x − x in 64 bits (one pass), e ≈ (I − M)⁻¹ r
// by 32-bit sweeps to about 1e-6 of ‖r‖, x += e, until the 64-bit residual reaches the target. Each round gains
// ≈ 5–6 digits, so 1e-10 takes two rounds; the answer is exactly as good as the 64-bit sweeps' (the stopping
// test is the 64-bit residual), only cheaper to reach.

/** How far (relative to ‖r‖) each 32-bit round solves its correction: above float32's 6e-8 resolution. */
const roundAccuracy = 1e-6;
/** Most refinement rounds; each must cut the 64-bit residual at least tenfold or the solve stops. */
const maxRounds = 8;

function float32Copy(values: Float64Array, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = values[k]!;
  return out;
}

/** rowDot on 32-bit values and unknowns. */
function rowDot32(
  values: Float32Array,
  colIndex: Int32Array,
  x: Float32Array,
  from: number,
  to: number,
  start: number,
): number {
  let s0 = start;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = from;
  for (; k + 3 < to; k += 4) {
    s0 += values[k]! * x[colIndex[k]!]!;
    s1 += values[k + 1]! * x[colIndex[k + 1]!]!;
    s2 += values[k + 2]! * x[colIndex[k + 2]!]!;
    s3 += values[k + 3]! * x[colIndex[k + 3]!]!;
  }
  for (; k < to; k++) s0 += values[k]! * x[colIndex[k]!]!;
  return s0 + s1 + (s2 + s3);
}

interface RoundState {
  iterations: number;
  maxIterations: number;
}

/**
 * e = M e + r by 32-bit Gauss–Seidel from e = 0 until the update is below `goal` (or stalls, or the sweeps run
 * out). Returns false when the update grows without bound.
 */
function correctionSweeps(
  m: CsrMatrix,
  values: Float32Array,
  selfUse: Float64Array,
  r: Float32Array,
  e: Float32Array,
  goal: number,
  state: RoundState,
): boolean {
  const { rowStart, colIndex } = m;
  const n = m.rows;
  e.fill(0);
  let previous = Infinity;
  let rising = 0;
  let stalled = 0;
  while (state.iterations < state.maxIterations) {
    let change = 0;
    for (let i = 0; i < n; i++) {
      const old = e[i]!;
      const sum = rowDot32(values, colIndex, e, rowStart[i]!, rowStart[i + 1]!, r[i]! - selfUse[i]! * old);
      const next = sum / (1 - selfUse[i]!);
      const delta = next - old;
      change += delta * delta;
      e[i] = next;
    }
    state.iterations++;
    const norm = Math.sqrt(change);
    if (!Number.isFinite(norm)) return false;
    if (norm <= goal) return true;
    rising = norm >= previous ? rising + 1 : 0;
    // Contracting by less than 0.9 a sweep: 32-bit rounding is the floor, more sweeps buy nothing.
    stalled = norm > 0.9 * previous ? stalled + 1 : 0;
    previous = norm;
    if (rising >= 10) return false;
    if (stalled >= 3) return true;
  }
  return true;
}

/** r = b + M x − x in 64 bits; returns ‖r‖₂. */
function balanceResidual(m: CsrMatrix, b: Float64Array, x: Float64Array, r: Float64Array): number {
  const { rowStart, colIndex, values } = m;
  let r2 = 0;
  for (let i = 0; i < m.rows; i++) {
    const s = rowDot(values, colIndex, x, rowStart[i]!, rowStart[i + 1]!, b[i]! - x[i]!);
    r[i] = s;
    r2 += s * s;
  }
  return Math.sqrt(r2);
}

/** x = M x + b to ‖x − M x − b‖₂ ≤ target by 32-bit Gauss–Seidel sweeps in the given order, refined in 64 bits. */
export function mixedPrecisionBalance(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
): GivenOrderOutcome {
  return refinedIn64Bits(m, b, target, maxIterations, correctionSweeps, balanceResidual);
}

/**
 * e = Mᵀ e + r by 32-bit push Gauss–Seidel from e = 0 (r is consumed: it ends as the correction's own
 * residual) until ‖r‖ is below `goal`, stalls or the sweeps run out. Returns false when it grows without bound.
 */
function pushCorrectionSweeps(
  m: CsrMatrix,
  values: Float32Array,
  selfUse: Float64Array,
  r: Float32Array,
  e: Float32Array,
  goal: number,
  state: RoundState,
): boolean {
  const { rowStart, colIndex } = m;
  const n = m.rows;
  e.fill(0);
  let previous = Infinity;
  let rising = 0;
  let stalled = 0;
  while (state.iterations < state.maxIterations) {
    for (let i = 0; i < n; i++) {
      const delta = r[i]! / (1 - selfUse[i]!);
      if (delta === 0) continue;
      e[i]! += delta;
      const end = rowStart[i + 1]!;
      for (let k = rowStart[i]!; k < end; k++) r[colIndex[k]!]! += values[k]! * delta;
      r[i] = 0;
    }
    state.iterations++;
    let r2 = 0;
    for (let j = 0; j < n; j++) r2 += r[j]! * r[j]!;
    const norm = Math.sqrt(r2);
    if (!Number.isFinite(norm)) return false;
    if (norm <= goal) return true;
    rising = norm >= previous ? rising + 1 : 0;
    stalled = norm > 0.9 * previous ? stalled + 1 : 0;
    previous = norm;
    if (rising >= 10) return false;
    if (stalled >= 3) return true;
  }
  return true;
}

/** r = b + Mᵀ x − x in 64 bits, from M's rows; returns ‖r‖₂. */
function transposedResidual(m: CsrMatrix, b: Float64Array, x: Float64Array, r: Float64Array): number {
  const { rowStart, colIndex, values } = m;
  const n = m.rows;
  for (let j = 0; j < n; j++) r[j] = b[j]! - x[j]!;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const end = rowStart[i + 1]!;
    for (let k = rowStart[i]!; k < end; k++) r[colIndex[k]!]! += values[k]! * xi;
  }
  let r2 = 0;
  for (let j = 0; j < n; j++) r2 += r[j]! * r[j]!;
  return Math.sqrt(r2);
}

/** x = Mᵀ x + b to ‖x − Mᵀ x − b‖₂ ≤ target by 32-bit push Gauss–Seidel sweeps, refined in 64 bits. */
export function mixedPrecisionTransposed(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
): GivenOrderOutcome {
  return refinedIn64Bits(m, b, target, maxIterations, pushCorrectionSweeps, transposedResidual);
}

type CorrectionSweeps = typeof correctionSweeps;
type Residual64 = typeof balanceResidual;

/**
 * Iterative refinement: each round solves for a correction with 32-bit sweeps (half the bytes of M per
 * sweep), then recomputes the residual in 64 bits, so the answer's accuracy is the 64-bit residual's.
 */
function refinedIn64Bits(
  m: CsrMatrix,
  b: Float64Array,
  target: number,
  maxIterations: number,
  sweeps: CorrectionSweeps,
  residualOf: Residual64,
): GivenOrderOutcome {
  const n = m.rows;
  const selfUse = diagonalOf(m);
  const values = float32Copy(m.values, m.rowStart[n]!);
  const x = new Float64Array(n);
  const r64 = b.slice();
  const r = new Float32Array(n);
  const e = new Float32Array(n);
  const state: RoundState = { iterations: 0, maxIterations };
  let residual = 0;
  for (const v of b) residual += v * v;
  residual = Math.sqrt(residual);
  if (residual <= target) return { x, residual, iterations: 0, outcome: 'converged' };
  for (let round = 0; round < maxRounds; round++) {
    for (let i = 0; i < n; i++) r[i] = r64[i]!;
    const ok = sweeps(m, values, selfUse, r, e, Math.max(roundAccuracy * residual, 0.5 * target), state);
    if (!ok) return { x, residual: Infinity, iterations: state.iterations, outcome: 'diverged' };
    for (let i = 0; i < n; i++) x[i]! += e[i]!;
    const next = residualOf(m, b, x, r64);
    if (!Number.isFinite(next))
      return { x, residual: Infinity, iterations: state.iterations, outcome: 'diverged' };
    if (next <= target) return { x, residual: next, iterations: state.iterations, outcome: 'converged' };
    const gained = next <= 0.1 * residual;
    residual = next;
    if (!gained || state.iterations >= maxIterations) break;
  }
  return { x, residual, iterations: state.iterations, outcome: 'max-iterations' };
}
