// A simplex basis guessed from an approximate primal–dual point (a first-order method's answer), so that the
// simplex can finish from it in a few pivots: the crossover step of "PDLP, then crossover".
// Generic for any LP: it reads only bounds, values and duals, never the structure of a particular model.
import type { LinearProgram, LpBasis } from './lp';

// HiGHS basis status codes (highs.constants.basisStatus), kept as plain numbers so this file stays pure.
const AT_LOWER = 0;
const BASIC = 1;
const AT_UPPER = 2;
const AT_ZERO = 3;

export interface BasisGuess extends LpBasis {
  /** How many structural columns the guess makes basic; the rest of the m basic slots are row slacks. */
  basicColumns: number;
}

/** Nonbasic status at the bound nearer to v (a free variable rests at zero). */
function nonbasicStatus(v: number, lo: number, hi: number): number {
  const hasLo = lo > Number.NEGATIVE_INFINITY;
  const hasHi = hi < Number.POSITIVE_INFINITY;
  if (hasLo && hasHi) return v - lo <= hi - v ? AT_LOWER : AT_UPPER;
  if (hasLo) return AT_LOWER;
  if (hasHi) return AT_UPPER;
  return AT_ZERO;
}

/**
 * Interior-ness of a variable: its distance to the nearer bound against the size of its dual, both relative.
 * Positive means "looks basic" (strictly between bounds with a dual near zero); a free variable scores +∞,
 * a fixed one −∞ (it can never move, so it is basic only if nothing else is left).
 */
function score(v: number, lo: number, hi: number, dual: number): number {
  if (lo === hi) return Number.NEGATIVE_INFINITY;
  const dist = Math.min(v - lo, hi - v);
  if (dist === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return dist / (1 + Math.abs(v)) - Math.abs(dual);
}

/**
 * Guesses a basis of `lp` from x (columns), row activities and duals (reduced costs scaled by 1 + |cⱼ|, row
 * duals as they are). The variables that look interior become basic, best first, up to m of them; if fewer
 * than m do, row slacks fill the remaining slots (best-scoring first): a slack column is a unit vector, so
 * filling with slacks keeps the basis matrix well conditioned, where filling with structural columns at their
 * bounds made it near-singular in our tests. Every other variable is nonbasic at its nearer bound. The simplex
 * repairs what the guess gets wrong; how far it is from optimal only decides how many pivots that takes.
 */
export function guessBasis(
  lp: LinearProgram,
  point: { x: Float64Array; rowActivity: Float64Array; colDual: Float64Array; rowDual: Float64Array },
): BasisGuess {
  const { rows: m, cols: n } = lp.matrix;
  const colStatus = new Int32Array(n);
  const rowStatus = new Int32Array(m);
  const scores = new Float64Array(n + m);
  for (let j = 0; j < n; j++) {
    const v = point.x[j] as number;
    const lo = lp.colLower[j] as number;
    const hi = lp.colUpper[j] as number;
    colStatus[j] = nonbasicStatus(v, lo, hi);
    const relativeDual = (point.colDual[j] as number) / (1 + Math.abs(lp.objective[j] as number));
    scores[j] = score(v, lo, hi, relativeDual);
  }
  for (let i = 0; i < m; i++) {
    const v = point.rowActivity[i] as number;
    const lo = lp.rowLower[i] as number;
    const hi = lp.rowUpper[i] as number;
    rowStatus[i] = nonbasicStatus(v, lo, hi);
    scores[n + i] = score(v, lo, hi, point.rowDual[i] as number);
  }
  const order = Int32Array.from({ length: n + m }, (_, k) => k).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  let basic = 0;
  let basicColumns = 0;
  for (const k of order) {
    if (basic === m || !((scores[k] as number) > 0)) break;
    if (k < n) {
      colStatus[k] = BASIC;
      basicColumns++;
    } else rowStatus[k - n] = BASIC;
    basic++;
  }
  for (const k of order) {
    if (basic === m) break;
    if (k >= n && rowStatus[k - n] !== BASIC) {
      rowStatus[k - n] = BASIC;
      basic++;
    }
  }
  return { colStatus, rowStatus, basicColumns };
}
