// Residuals of a PDHG iterate: scaled-space norms drive restarts, original-space relative ones drive termination.
import type { ScaledProblem } from './scaled-problem';

export interface IterateMeasure {
  /** ‖row violation‖₂ and ‖unsupported reduced cost‖₂ in the scaled space. */
  primalScaled: number;
  dualScaled: number;
  /** The same, relative, in original units (as in lpResiduals). */
  primalRelative: number;
  dualRelative: number;
  gapRelative: number;
  /** Minimisation-form objectives (scaled = original, up to sign and offset). */
  primalObjective: number;
  dualObjective: number;
}

/**
 * Measures (x, y) given cached A'x and A'ᵀy. Column bounds and dual signs hold by construction of the PDHG
 * projections, so only row violations and reduced costs without a finite bound to absorb them count.
 */
export function measureIterate(
  p: ScaledProblem,
  x: Float64Array,
  ax: Float64Array,
  y: Float64Array,
  aty: Float64Array,
): IterateMeasure {
  let primal2 = 0;
  let primalOrig2 = 0;
  let dual2 = 0;
  let dualOrig2 = 0;
  let pObj = 0;
  let dObj = 0;
  const { cost, colLower, colUpper, rowLower, rowUpper, rowScale, colScale } = p;
  for (let j = 0; j < p.cols; j++) {
    const c = cost[j] as number;
    pObj += c * (x[j] as number);
    const r = c - (aty[j] as number);
    if (r > 0) {
      const lo = colLower[j] as number;
      if (lo > Number.NEGATIVE_INFINITY) dObj += r * lo;
      else {
        dual2 += r * r;
        const ro = r / (colScale[j] as number);
        dualOrig2 += ro * ro;
      }
    } else if (r < 0) {
      const hi = colUpper[j] as number;
      if (hi < Number.POSITIVE_INFINITY) dObj += r * hi;
      else {
        dual2 += r * r;
        const ro = r / (colScale[j] as number);
        dualOrig2 += ro * ro;
      }
    }
  }
  for (let i = 0; i < p.rows; i++) {
    const a = ax[i] as number;
    const lo = rowLower[i] as number;
    const hi = rowUpper[i] as number;
    const v = a < lo ? lo - a : a > hi ? a - hi : 0;
    if (v !== 0) {
      primal2 += v * v;
      const vo = v / (rowScale[i] as number);
      primalOrig2 += vo * vo;
    }
    const yi = y[i] as number;
    if (yi > 0) dObj += yi * lo;
    else if (yi < 0) dObj += yi * hi;
  }
  return {
    primalScaled: Math.sqrt(primal2),
    dualScaled: Math.sqrt(dual2),
    primalRelative: Math.sqrt(primalOrig2) / (1 + p.boundNorm),
    dualRelative: Math.sqrt(dualOrig2) / (1 + p.costNorm),
    gapRelative: Math.abs(pObj - dObj) / (1 + Math.abs(pObj) + Math.abs(dObj)),
    primalObjective: pObj,
    dualObjective: dObj,
  };
}

/** Weighted KKT error used to compare restart candidates (cuPDLP's criterion). */
export function kktError(m: IterateMeasure, primalWeight: number): number {
  const gap = m.primalObjective - m.dualObjective;
  return Math.sqrt(
    primalWeight * m.primalScaled * m.primalScaled + (m.dualScaled * m.dualScaled) / primalWeight + gap * gap,
  );
}

/** Largest of the three relative criteria: the figure compared with the tolerance and reported as residual. */
export function relativeError(m: IterateMeasure): number {
  return Math.max(m.primalRelative, m.dualRelative, m.gapRelative);
}
