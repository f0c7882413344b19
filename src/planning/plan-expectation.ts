// What a plan expects of an indicator: the output asked of its unit (or the nearest operating unit above it)
// for the linked technology, or the planned net output of the linked product.
import type { PlanRecord } from './plan-record';

export interface IndicatorLink {
  technologyCode: string | null;
  productCode: string | null;
}

export interface Expectation {
  basis: string;
  expected: { period: number; value: number }[];
}

/**
 * `unitCodes` runs from the indicator's own unit up to the root; the first unit with a share of the linked
 * technology gives the expectation, so a shop's indicator is measured against its enterprise's target
 * when the shop itself has none.
 */
export function expectationOf(
  record: PlanRecord,
  link: IndicatorLink,
  unitCodes: (string | null)[],
): Expectation | null {
  if (link.technologyCode) {
    for (const code of unitCodes) {
      if (code === null) continue;
      const mine = record.unitTargets.filter((t) => t.unit === code && t.technology === link.technologyCode);
      if (mine.length === 0) continue;
      return {
        basis: `output of technology '${link.technologyCode}' asked of unit '${code}'`,
        expected: mine
          .map((t) => ({ period: t.period, value: t.quantity }))
          .sort((a, b) => a.period - b.period),
      };
    }
    const tech = record.technologies.find((t) => t.code === link.technologyCode);
    if (tech) {
      return {
        basis: `planned activity of technology '${tech.code}' in the whole economy`,
        expected: tech.activity.map((value, i) => ({ period: i + 1, value })),
      };
    }
  }
  if (link.productCode) {
    const product = record.products.find((p) => p.code === link.productCode);
    if (product) {
      return {
        basis: `planned net output of product '${product.code}'`,
        expected: product.net.map((value, i) => ({ period: i + 1, value })),
      };
    }
  }
  return null;
}
