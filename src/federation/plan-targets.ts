// A plan's unit targets as the federation carries them down: one place for `federation.publish-plan` and for
// adoption, which publishes the adopted plan to the child nodes by itself.
import type { PlanRecord } from '../planning/plan-record';

export interface FederationTarget {
  unit: string;
  technology: string;
  product: string;
  /** The unit the plan counts the product in (the economy's), so a node below can compare with its readings. */
  productUnit?: string;
  period: number;
  quantity: number;
  labour: number;
}

/** `productUnits`: product code → its unit in the plan's economy (a product missing from it goes without). */
export function federationTargets(
  record: Pick<PlanRecord, 'unitTargets'>,
  productUnits: ReadonlyMap<string, string> = new Map(),
): FederationTarget[] {
  return record.unitTargets.map((t) => {
    const productUnit = productUnits.get(t.product);
    return {
      unit: t.unit,
      technology: t.technology,
      product: t.product,
      ...(productUnit === undefined ? {} : { productUnit }),
      period: t.period,
      quantity: t.quantity,
      labour: t.labour,
    };
  });
}
