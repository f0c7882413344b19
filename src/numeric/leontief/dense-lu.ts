// Dense LU factorisation with partial pivoting, for small tables: factor once, solve many.

export interface LuFactors {
  n: number;
  /** L (unit lower, below the diagonal) and U (on and above it), row-major. */
  lu: Float64Array;
  /** pivot[k] = original row at position k. */
  pivot: Int32Array;
}

/** Relative pivot size below which the matrix is treated as singular. */
const singularPivot = 1e-13;

/** Factors a square matrix given as dense rows; `singular` names the column without a usable pivot. */
export function luFactor(
  rows: readonly (readonly number[])[] | Float64Array,
  size?: number,
): { status: 'ok'; factors: LuFactors } | { status: 'singular'; column: number } {
  const n = size ?? (rows as readonly (readonly number[])[]).length;
  const lu = rows instanceof Float64Array ? rows.slice() : new Float64Array(n * n);
  if (!(rows instanceof Float64Array)) for (let i = 0; i < n; i++) lu.set(rows[i]!, i * n);
  const pivot = new Int32Array(n);
  for (let i = 0; i < n; i++) pivot[i] = i;
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(lu[k]!));
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[best * n + k]!)) best = i;
    const p = lu[best * n + k]!;
    if (!(Math.abs(p) > singularPivot * scale)) return { status: 'singular', column: k };
    if (best !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[best * n + j]!;
        lu[best * n + j] = t;
      }
      const t = pivot[k]!;
      pivot[k] = pivot[best]!;
      pivot[best] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const f = lu[i * n + k]! / p;
      lu[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - f * lu[k * n + j]!;
    }
  }
  return { status: 'ok', factors: { n, lu, pivot } };
}

/** Solves (L U) x = P b. */
export function luSolve(f: LuFactors, b: ArrayLike<number>): Float64Array {
  const { n, lu, pivot } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[pivot[i]!]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s / lu[i * n + i]!;
  }
  return x;
}

/** Solves xᵀ (L U) = bᵀ for the original matrix, i.e. Mᵀ x = b. */
export function luSolveTransposed(f: LuFactors, b: ArrayLike<number>): Float64Array {
  const { n, lu, pivot } = f;
  // Mᵀ = Uᵀ Lᵀ P: solve Uᵀ y = b, then Lᵀ z = y, then x = Pᵀ z.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= lu[j * n + i]! * y[j]!;
    y[i] = s / lu[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[j * n + i]! * y[j]!;
    y[i] = s;
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[pivot[i]!] = y[i]!;
  return x;
}
