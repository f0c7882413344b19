// Anderson acceleration of the few hub unknowns between Gauss–Seidel sweeps.
//
// With the hubs ordered last, one sweep maps the hub values it starts from, x_H, to new ones, g(x_H); the rest
// of the economy follows x_H within a sweep or two. g is affine with a small h×h Jacobian (how much energy and
// transport the economy needs per unit of energy and transport), which makes it the slow mode of the sweeps.
// Mixing the last few (x_H, g) pairs so that the mixed residual g − x_H is least (Anderson's method) learns
// that Jacobian from the sweeps themselves, without the h extra solves a Schur complement would cost.

export interface HubSecant {
  /** Given the hub values a sweep started from and those it produced, returns the values to continue from. */
  next(start: Float64Array, produced: Float64Array): Float64Array;
}

/** Keeps up to `depth` pairs (h + 2 is enough for an affine map of h unknowns). */
export function hubSecant(h: number, depth = h + 2): HubSecant {
  const starts: Float64Array[] = [];
  const outputs: Float64Array[] = [];
  return {
    next(start, produced) {
      starts.push(start.slice());
      outputs.push(produced.slice());
      if (starts.length > depth) {
        starts.shift();
        outputs.shift();
      }
      const m = starts.length;
      if (m < 2) return produced;
      // Residuals f_k = g_k − x_k; minimise ‖f_last + Σ γ_k (f_k − f_last)‖ over γ (normal equations).
      const last = m - 1;
      const f = (k: number, i: number): number => outputs[k]![i]! - starts[k]![i]!;
      const q = m - 1;
      const normal = new Float64Array(q * q);
      const rhs = new Float64Array(q);
      for (let a = 0; a < q; a++) {
        for (let b = 0; b <= a; b++) {
          let s = 0;
          for (let i = 0; i < h; i++) s += (f(a, i) - f(last, i)) * (f(b, i) - f(last, i));
          normal[a * q + b] = s;
          normal[b * q + a] = s;
        }
        let s = 0;
        for (let i = 0; i < h; i++) s -= (f(a, i) - f(last, i)) * f(last, i);
        rhs[a] = s;
      }
      const gamma = solveSmall(normal, rhs, q);
      if (!gamma) return produced;
      const mixed = produced.slice();
      for (let a = 0; a < q; a++) {
        const g = gamma[a]!;
        for (let i = 0; i < h; i++) mixed[i]! += g * (outputs[a]![i]! - produced[i]!);
      }
      for (const v of mixed) if (!Number.isFinite(v)) return produced;
      return mixed;
    },
  };
}

/**
 * Solves a small symmetric positive semi-definite system by Gaussian elimination with partial pivoting; pivots
 * below 1e-14 of the largest diagonal (repeated or exhausted directions) drop their unknown (γ = 0).
 */
function solveSmall(a: Float64Array, b: Float64Array, q: number): Float64Array | undefined {
  let scale = 0;
  for (let i = 0; i < q; i++) scale = Math.max(scale, Math.abs(a[i * q + i]!));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  const m = a.slice();
  const r = b.slice();
  const dropped = new Uint8Array(q);
  for (let k = 0; k < q; k++) {
    let p = k;
    for (let i = k + 1; i < q; i++) if (Math.abs(m[i * q + k]!) > Math.abs(m[p * q + k]!)) p = i;
    if (Math.abs(m[p * q + k]!) <= 1e-14 * scale) {
      dropped[k] = 1;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < q; j++) {
        const t = m[k * q + j]!;
        m[k * q + j] = m[p * q + j]!;
        m[p * q + j] = t;
      }
      const t = r[k]!;
      r[k] = r[p]!;
      r[p] = t;
    }
    for (let i = k + 1; i < q; i++) {
      const factor = m[i * q + k]! / m[k * q + k]!;
      for (let j = k; j < q; j++) m[i * q + j]! -= factor * m[k * q + j]!;
      r[i]! -= factor * r[k]!;
    }
  }
  const x = new Float64Array(q);
  for (let i = q - 1; i >= 0; i--) {
    if (dropped[i]) continue;
    let s = r[i]!;
    for (let j = i + 1; j < q; j++) s -= m[i * q + j]! * x[j]!;
    x[i] = s / m[i * q + i]!;
  }
  return x;
}
