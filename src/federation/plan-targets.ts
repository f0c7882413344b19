// A plan's unit targets as the federation carries them down: one place for `federation.publish-plan` and for
// adoption, which publishes the adopted plan to the child nodes by itself.
import type { PlanRecord } from '../planning/plan-record';

export interface FederationTarget {
  unit: string;
  technology: string;
  product: string;
  period: number;
  quantity: number;
  labour: number;
}

export function federationTargets(record: Pick<PlanRecord, 'unitTargets'>): FederationTarget[] {
  return record.unitTargets.map((t) => ({
    unit: t.unit,
    technology: t.technology,
    product: t.product,
    period: t.period,
    quantity: t.quantity,
    labour: t.labour,
  }));
}
