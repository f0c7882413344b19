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
    const asked = expectationOfTargets(
      record.unitTargets,
      { technologyCode: link.technologyCode, productCode: null },
      unitCodes,
    );
    if (asked) return asked;
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

export interface UnitTarget {
  unit: string;
  technology: string;
  product: string;
  period: number;
  quantity: number;
}

/**
 * The expectation from unit targets alone: those of the linked technology (or, failing that, of the linked
 * product) asked of the nearest unit on the path, as a node below receives them from its parent node.
 */
export function expectationOfTargets(
  targets: UnitTarget[],
  link: IndicatorLink,
  unitCodes: (string | null)[],
): Expectation | null {
  const tries: [(t: UnitTarget) => boolean, string][] = [];
  if (link.technologyCode)
    tries.push([
      (t) => t.technology === link.technologyCode,
      `output of technology '${link.technologyCode}'`,
    ]);
  if (link.productCode)
    tries.push([(t) => t.product === link.productCode, `output of product '${link.productCode}'`]);
  for (const [matches, what] of tries)
    for (const code of unitCodes) {
      if (code === null) continue;
      const mine = targets.filter((t) => t.unit === code && matches(t));
      if (mine.length === 0) continue;
      // Several technologies of one product at one unit add up per period.
      const per = new Map<number, number>();
      for (const t of mine) per.set(t.period, (per.get(t.period) ?? 0) + t.quantity);
      return {
        basis: `${what} asked of unit '${code}'`,
        expected: [...per].map(([period, value]) => ({ period, value })).sort((a, b) => a.period - b.period),
      };
    }
  return null;
}
