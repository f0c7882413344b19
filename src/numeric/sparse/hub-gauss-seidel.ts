// Gauss–Seidel on the stored matrix in depth order with the hub industries set apart and Anderson-mixed.
import type { CsrMatrix } from './csr';
import { hubSecant } from './hub-secant';
import { pullResidual, pullSweep, pushResidual, pushRow, pushSweep } from './ordered-sweep';

export interface HubSweepProblem {
  m: CsrMatrix;
  diagonal: Float64Array;
  /** Solve x = Mᵀ x + b (push sweeps) instead of x = M x + b (pull sweeps). */
  transposed: boolean;
  /** Non-hub unknowns in the order to sweep them. */
  rest: Int32Array;
  hubs: Int32Array;
  mixHubs: boolean;
  b: Float64Array;
  bNorm: number;
  /** Absolute residual to reach. */
  target: number;
  maxIterations: number;
  /** Stop (status 'slow') once sweeps contract by less than this factor. */
  slowContraction: number;
}

export interface HubSweepResult {
  status: 'converged' | 'slow' | 'diverged' | 'max-iterations';
  x: Float64Array;
  /** Absolute residual ‖b + M x − x‖ (or with Mᵀ) where it was last computed. */
  residual: number;
  iterations: number;
  growth: number;
}

/**
 * Sweeps until the residual is at most `target`. Pull sweeps (x = M x + b) run the rest in depth order and the
 * hubs last, whose rows then see every fresh value; push sweeps (x = Mᵀ x + b) run the hubs first, so each
 * product meets this sweep's hub values. The pull residual costs a pass, so it is computed only when the update
 * size, scaled by the residual-to-update ratio last seen, says it may be small enough; push sweeps keep it exact.
 */
export function hubGaussSeidel(p: HubSweepProblem): HubSweepResult {
  const { m, diagonal, transposed, rest, hubs, b, target } = p;
  const n = m.rows;
  const h = hubs.length;
  const x = new Float64Array(n);
  const secant = p.mixHubs && h > 0 ? hubSecant(h) : undefined;
  const order = new Int32Array(n);
  if (transposed) {
    order.set(hubs, 0);
    order.set(rest, h);
  } else {
    order.set(rest, 0);
    order.set(hubs, n - h);
  }
  const s = transposed ? b.slice() : new Float64Array(0);
  const hubCoupling = transposed && secant ? hubBlock(m, hubs) : new Float64Array(0);
  const start = new Float64Array(h);
  const produced = new Float64Array(h);
  let iterations = 0;
  let previous = Infinity;
  let growth = 0;
  let rising = 0;
  let ratio = Number.NaN;
  let residual = Infinity;
  while (iterations < p.maxIterations) {
    for (let k = 0; k < h; k++) start[k] = x[hubs[k]!]!;
    let change: number;
    if (!transposed) {
      change = pullSweep(m, diagonal, order, 0, n, b, x);
      if (secant) {
        for (let k = 0; k < h; k++) produced[k] = x[hubs[k]!]!;
        const mixed = secant.next(start, produced);
        for (let k = 0; k < h; k++) {
          change += (mixed[k]! - start[k]!) ** 2 - (produced[k]! - start[k]!) ** 2;
          x[hubs[k]!] = mixed[k]!;
        }
      }
    } else if (secant) {
      // The hubs' Gauss–Seidel values, hub rows pushed into later hubs, then one push of the mixed update.
      for (let k = 0; k < h; k++) {
        const i = hubs[k]!;
        let si = s[i]!;
        for (let q = 0; q < k; q++) si += hubCoupling[q * h + k]! * (produced[q]! - start[q]!);
        const d = diagonal[i]!;
        produced[k] = (si - d * start[k]!) / (1 - d);
      }
      const mixed = secant.next(start, produced);
      change = 0;
      for (let k = 0; k < h; k++) {
        const delta = mixed[k]! - start[k]!;
        change += delta * delta;
        x[hubs[k]!] = mixed[k]!;
        if (delta !== 0) pushRow(m, hubs[k]!, delta, s);
      }
      change += pushSweep(m, diagonal, order, h, n, s, x);
    } else {
      change = pushSweep(m, diagonal, order, 0, n, s, x);
    }
    iterations++;
    change = Math.sqrt(Math.max(change, 0));
    if (!Number.isFinite(change)) return { status: 'diverged', x, residual: Infinity, iterations, growth };
    growth = change / previous;
    rising = growth >= 1 ? rising + 1 : 0;
    previous = change;
    if (rising >= 10) return { status: 'diverged', x, residual, iterations, growth };
    if (transposed) {
      residual = pushResidual(s, x);
    } else if (
      change <= target ||
      (Number.isNaN(ratio) ? change <= Math.sqrt(target * p.bNorm) : change * ratio <= target)
    ) {
      residual = pullResidual(m, b, x);
      ratio = change > 0 ? residual / change : 0;
    }
    if (residual <= target) return { status: 'converged', x, residual, iterations, growth };
    if (iterations >= 5 && growth > p.slowContraction && growth < 1) {
      return { status: 'slow', x, residual, iterations, growth };
    }
  }
  return { status: 'max-iterations', x, residual, iterations, growth };
}

/** coupling[q·h + k] = M[hubs[q]][hubs[k]], by binary search in the hubs' sorted rows. */
function hubBlock(m: CsrMatrix, hubs: Int32Array): Float64Array {
  const h = hubs.length;
  const out = new Float64Array(h * h);
  for (let q = 0; q < h; q++) {
    const i = hubs[q]!;
    for (let k = 0; k < h; k++) {
      const j = hubs[k]!;
      if (j === i) continue;
      let lo = m.rowStart[i]!;
      let hi = m.rowStart[i + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = m.colIndex[mid]!;
        if (c === j) {
          out[q * h + k] = m.values[mid]!;
          break;
        }
        if (c < j) lo = mid + 1;
        else hi = mid - 1;
      }
    }
  }
  return out;
}
