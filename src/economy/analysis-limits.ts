// Size limits of input–output analysis: the Leontief inverse of n products takes n² memory and about n³ work,
// so the order is bounded before any matrix is allocated, and anonymous callers get a small table only.
import { DomainError } from '../core/errors';
import type { SizeLimit } from '../core/heavy';
import type { EconomyModel } from './economy';

export const ANALYSIS_LIMITS = {
  /** Products (matrix order) of one analysis. */
  order: 4000,
  /** Products for an anonymous caller. */
  anonymousOrder: 300,
  /** Nonzero input coefficients (technologies × inputs). */
  nonzeros: 8_000_000,
  /** Characters of an uploaded file (base64 counts its characters). */
  bytes: 64 * 1024 * 1024,
  /** Characters of an anonymous caller's file: a table of a few hundred products. */
  anonymousBytes: 1024 * 1024,
} as const;

export const ANALYZE_BYTES: SizeLimit<{ content: string }> = {
  field: 'content',
  unit: 'characters',
  max: ANALYSIS_LIMITS.bytes,
  anonymousMax: ANALYSIS_LIMITS.anonymousBytes,
  measure: (i) => i.content.length,
};

/** Refuses a model too large to analyse, before the analysis allocates its matrices. */
export function checkAnalysisSize(model: EconomyModel, maxOrder: number = ANALYSIS_LIMITS.order): void {
  const order = model.products.length;
  if (order > maxOrder) {
    const anonymous = maxOrder < ANALYSIS_LIMITS.order;
    throw new DomainError(
      anonymous ? 'unauthenticated' : 'invalid',
      `content: ${order} products is more than ${anonymous ? 'anonymous callers may analyse' : 'the limit'} (at most ${maxOrder})`,
      {
        issues: [{ field: 'content', message: `at most ${maxOrder} products` }],
        fix: anonymous
          ? `sign in to analyse up to ${ANALYSIS_LIMITS.order} products`
          : 'aggregate the table to fewer products',
        data: { limit: maxOrder, size: order },
      },
    );
  }
  const nonzeros = model.technologies.reduce((n, t) => n + t.inputs.length, 0);
  if (nonzeros > ANALYSIS_LIMITS.nonzeros) {
    throw new DomainError(
      'invalid',
      `content: ${nonzeros} input coefficients is more than the limit of ${ANALYSIS_LIMITS.nonzeros}`,
      {
        issues: [{ field: 'content', message: `at most ${ANALYSIS_LIMITS.nonzeros} nonzero coefficients` }],
        fix: 'aggregate the table to fewer products',
        data: { limit: ANALYSIS_LIMITS.nonzeros, size: nonzeros },
      },
    );
  }
}
